package dev.weir.engine.rollout;

import dev.weir.engine.analysis.AnalysisPhase;
import dev.weir.engine.model.DesiredState;
import dev.weir.engine.traffic.HeaderRoute;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A stand-in for Git and the cluster around the pure machines: it carries out effects as a cluster
 * would (a scaled Deployment becomes ready when {@link #podsStartAtOnce} says so), keeps what a
 * user would see (weight, routes, active selector, events), and drives {@link RolloutMachine#next}
 * in virtual time, honouring wake-ups. Given/When/Then for the table tests.
 */
final class World {
  static final PodTemplateRef V1 = template("2.4.0");
  static final PodTemplateRef V2 = template("2.4.1");
  static final PodTemplateRef V3 = template("2.4.2");

  final RolloutSpec spec;
  RolloutState state;
  Instant now = Instant.parse("2026-01-01T10:00:00Z");
  PodTemplateRef desired = V1;
  String revision = "r1";
  int replicas = 4;
  Workload stable;
  Workload secondary = Workload.ABSENT;
  /** The experiment steps' Deployments, by name. */
  final java.util.Map<String, Workload> experiments = new java.util.LinkedHashMap<>();
  boolean podsStartAtOnce = true;
  int weight;
  List<HeaderRoute> routes = List.of();
  List<dev.weir.engine.traffic.MirrorRoute> mirrors = List.of();
  PodTemplateRef active = V1;
  PodTemplateRef preview = V1;
  final Map<String, AnalysisStatus> analyses = new HashMap<>();
  final Set<String> runningAnalyses = new LinkedHashSet<>();
  final List<RolloutEvent> events = new ArrayList<>();
  /** Each flag as the effects left it in "Git" (its change described), and every flag effect. */
  final Map<String, String> flags = new java.util.LinkedHashMap<>();
  final List<Effect> flagEffects = new ArrayList<>();
  Transition<RolloutState> last;
  Optional<Instant> wakeAt = Optional.empty();

  static PodTemplateRef template(String version) {
    return PodTemplateRef.of(
        Map.of(
            "metadata",
                Map.of(
                    "labels",
                    Map.of(
                        "app.kubernetes.io/name",
                        "storefront",
                        "app.kubernetes.io/version",
                        version)),
            "spec",
                Map.of(
                    "containers",
                    List.of(Map.of("name", "storefront", "image", "storefront:" + version)))));
  }

  World(RolloutSpec spec) {
    this(spec, 4);
  }

  World(RolloutSpec spec, int replicas) {
    this.spec = spec;
    this.replicas = replicas;
    this.stable = Workload.of(V1, replicas, replicas);
    this.state = RolloutMachine.initial(spec, observation(Optional.empty()));
  }

  static World of(DesiredState app) {
    return of(app, 4);
  }

  static World of(DesiredState app, int replicas) {
    var all = RolloutSpecParser.parseAll(app);
    if (!all.errors().isEmpty()) {
      throw new IllegalArgumentException(all.errors().toString());
    }
    return new World(all.rollouts().getFirst(), replicas);
  }

  Observation observation(Optional<ManualCommand> command) {
    return new Observation(
        desired, revision, replicas, stable, secondary, analyses, command, experiments);
  }

  /** Git gets a new template at a new revision, and the engine takes a pass. */
  World commit(PodTemplateRef template) {
    desired = template;
    revision = "r-" + template.version();
    return pass();
  }

  /**
   * Git gets {@code template} at a new revision and no pass is taken yet: what a one-shot command
   * (weir rollback) sees when its own pass carries the command.
   */
  World gitOnly(PodTemplateRef template) {
    desired = template;
    revision = "r-" + template.version();
    return this;
  }

  /** One pass without a command, then passes while the cluster reacts (pods start, …). */
  World pass() {
    apply(RolloutMachine.next(state, spec, observation(Optional.empty()), now));
    return settle();
  }

  /** A person's command, then what it led to; {@link #last} is the command's transition. */
  World command(ManualCommand command) {
    apply(RolloutMachine.next(state, spec, observation(Optional.of(command)), now));
    return last.refused().isPresent() ? this : settle();
  }

  /** Passes, as an executor watching the cluster would take them, until nothing changes. */
  private World settle() {
    Transition<RolloutState> first = last;
    for (int i = 0; i < 20; i++) {
      Transition<RolloutState> next =
          RolloutMachine.next(state, spec, observation(Optional.empty()), now);
      if (next.next().equals(state) && next.effects().isEmpty()) {
        break;
      }
      apply(next);
    }
    last = first;
    return this;
  }

  /** Moves time on, taking a pass whenever a wake-up falls due (and once at the end). */
  World advance(Duration duration) {
    Instant end = now.plus(duration);
    while (wakeAt.isPresent() && !wakeAt.get().isAfter(end)) {
      now = wakeAt.get();
      wakeAt = Optional.empty();
      pass();
    }
    now = end;
    return pass();
  }

  /**
   * Reports the run {@code run} (or the only running one whose name contains it) in {@code phase}.
   */
  World analysis(String runPart, AnalysisPhase phase, String summary, int measured, int failed) {
    String run =
        runningAnalyses.stream()
            .filter(r -> r.contains(runPart))
            .reduce((a, b) -> b)
            .orElseThrow(
                () ->
                    new AssertionError(
                        "no running analysis like " + runPart + " in " + runningAnalyses));
    analyses.put(
        run,
        new AnalysisStatus(
            run,
            new AnalysisCounts(
                phase, measured, measured - failed, failed, 0, 0, summary.isEmpty() ? "" : summary),
            phase.completed() ? summary : "",
            Map.of("success-rate", "0.91")));
    return pass();
  }

  /** The canary's or preview's pods become ready. */
  World podsReady() {
    secondary = new Workload(secondary.template(), secondary.replicas(), secondary.replicas());
    stable = new Workload(stable.template(), stable.replicas(), stable.replicas());
    return pass();
  }

  World apply(Transition<RolloutState> transition) {
    last = transition;
    state = transition.next();
    transition.wakeAfter().ifPresent(d -> wakeAt = Optional.of(now.plus(d)));
    for (Effect effect : transition.effects()) {
      switch (effect) {
        case Effect.SetWeight w -> weight = w.weight();
        case Effect.SetHeaderRoutes r -> routes = r.routes();
        case Effect.SetMirrorRoutes m -> mirrors = m.routes();
        case Effect.ScaleCanary s ->
            secondary =
                Workload.of(
                    s.template(),
                    s.replicas(),
                    podsStartAtOnce ? s.replicas() : secondary.readyOn(s.template()));
        case Effect.UpdateStable u ->
            stable =
                Workload.of(
                    u.template(),
                    u.replicas(),
                    podsStartAtOnce
                        ? u.replicas()
                        : Math.min(u.replicas(), stable.readyOn(u.template())));
        case Effect.RunExperiment r ->
            experiments.put(
                r.deployment(),
                Workload.of(
                    new PodTemplateRef(r.podHash(), r.runs().version()),
                    r.replicas(),
                    podsStartAtOnce ? r.replicas() : 0));
        case Effect.EndExperiments e -> experiments.keySet().retainAll(e.keep());
        case Effect.SwitchActive a -> active = a.template();
        case Effect.SwitchPreview p -> preview = p.template();
        case Effect.StartAnalysis a -> runningAnalyses.add(a.run());
        case Effect.StopAnalysis a -> runningAnalyses.remove(a.run());
        case Effect.SetFlag f -> {
          flags.put(f.flag(), f.change().describe());
          flagEffects.add(f);
        }
        case Effect.RestoreFlags r -> {
          r.flags().forEach(flag -> flags.put(flag, "as at " + r.revision()));
          flagEffects.add(r);
        }
        case Effect.Emit e -> events.add(e.event());
      }
    }
    return this;
  }

  RolloutStatus status() {
    return RolloutStatus.of(state, spec, now);
  }

  RolloutPhase phase() {
    return status().phase();
  }

  List<String> messages() {
    return events.stream().map(RolloutEvent::message).toList();
  }

  static ManualCommand.Promote promote() {
    return new ManualCommand.Promote("alice", "");
  }

  static ManualCommand.PromoteFull promoteFull() {
    return new ManualCommand.PromoteFull("alice", "");
  }

  static ManualCommand.Pause pause() {
    return new ManualCommand.Pause("alice", "checking dashboards");
  }

  static ManualCommand.Resume resume() {
    return new ManualCommand.Resume("alice", "");
  }

  static ManualCommand.Abort abort() {
    return new ManualCommand.Abort("alice", "pager went off");
  }

  static ManualCommand.Retry retry() {
    return new ManualCommand.Retry("alice", "");
  }

  static ManualCommand.Rollback rollback() {
    return new ManualCommand.Rollback("alice", "bad release");
  }

  static ManualCommand.SetWeight setWeight(int weight) {
    return new ManualCommand.SetWeight(weight, "alice", "more traffic for the experiment");
  }
}
