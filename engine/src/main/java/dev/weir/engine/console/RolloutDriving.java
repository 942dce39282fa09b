package dev.weir.engine.console;

import dev.weir.engine.analysis.MetricProvider;
import dev.weir.engine.analysis.MetricValue;
import dev.weir.engine.analysis.QueryResult;
import dev.weir.engine.analysis.TimeSeries;
import dev.weir.engine.cluster.ClusterException;
import dev.weir.engine.model.Application;
import dev.weir.engine.model.DesiredState;
import dev.weir.engine.model.Manifest;
import dev.weir.engine.reconcile.SyncTarget;
import dev.weir.engine.rollout.CommandOutcome;
import dev.weir.engine.rollout.ManualCommand;
import dev.weir.engine.rollout.RolloutEvent;
import dev.weir.engine.rollout.RolloutExecutor;
import dev.weir.engine.rollout.RolloutSpec;
import dev.weir.engine.rollout.RolloutSpecParser;
import dev.weir.engine.rollout.RolloutStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * Rollout driving: the console's one {@link RolloutExecutor}, which tracks the Rollouts of each
 * application at every comparison (while the console drives rollouts), carries out rollout
 * commands and a rollback's instant switch back, and reports their statuses and events.
 */
final class RolloutDriving {

  /**
   * No metric provider: every query answers "no data", so every measurement is Inconclusive and a
   * rollout whose analysis runs pauses as Inconclusive for a person; it never promotes by itself
   * (an error instead would count towards {@code consecutiveErrorLimit} and roll back).
   */
  static final MetricProvider NO_METRICS =
      new MetricProvider() {
        @Override
        public QueryResult<MetricValue> instant(String query, Instant at) {
          return QueryResult.ok(MetricValue.vector(List.of()));
        }

        @Override
        public QueryResult<List<TimeSeries>> range(
            String query, Instant start, Instant end, Duration step) {
          return QueryResult.ok(List.of());
        }
      };

  private final ConsoleCore core;
  private final RolloutExecutor rollouts;
  private final Map<String, String> rolloutApplications = new ConcurrentHashMap<>();
  private volatile boolean driving;
  private final MetricProvider metrics;

  RolloutDriving(ConsoleCore core, MetricProvider metrics, Executor work) {
    this.core = core;
    this.metrics = metrics == null ? NO_METRICS : metrics;
    this.rollouts =
        new RolloutExecutor(core.gateway, this.metrics, core.clock, work, Duration.ZERO);
    // a console that does not drive rollouts runs no analysis: the one that drives them does
    this.rollouts.runAnalysis(false);
    this.rollouts.useFlags(core.flags);
    this.rollouts.addListener(this::rolloutEvent);
    this.rollouts.addStateListener(
        spec -> {
          ApplicationEntry entry = core.entries.get(spec.application());
          if (entry != null) {
            core.snapshots.rolloutsChanged(entry);
          }
        });
  }

  /** Where analyses' (and experiments') queries go; a source that fails every query when none. */
  MetricProvider metrics() {
    return metrics;
  }

  /** Whether this console drives rollouts (those of the applications it drives). */
  boolean driving() {
    return driving;
  }

  /** From now on this console drives its applications' rollouts, and runs their analyses. */
  void drive() {
    driving = true;
    rollouts.runAnalysis(true);
  }

  /**
   * The rollouts of {@code application} as the faces draw them (see {@link
   * dev.weir.engine.rollout.RolloutView}): as this console drives them, or as recorded in the
   * cluster, with their series read back from the metrics source.
   */
  List<dev.weir.engine.rollout.RolloutView> views(String application) {
    if (driving && core.drives(application)) {
      return rollouts.views().stream()
          .filter(r -> r.status().application().equals(application))
          .toList();
    }
    ApplicationEntry entry = core.entries.get(application);
    dev.weir.engine.model.DesiredState compared = entry == null ? null : entry.compared;
    if (compared == null) {
      return List.of();
    }
    List<dev.weir.engine.rollout.RolloutView> out = new java.util.ArrayList<>();
    try {
      RolloutSpecParser.ApplicationRollouts parsed = RolloutSpecParser.parseAll(compared);
      for (RolloutSpec spec : parsed.rollouts()) {
        dev.weir.engine.model.Manifest target = compared.resources().get(spec.targetKey());
        RolloutExecutor.observedView(
                core.gateway,
                spec,
                target == null ? null : target.object(),
                parsed.templates(),
                metrics == NO_METRICS ? null : metrics,
                core.clock.instant())
            .ifPresent(out::add);
      }
    } catch (dev.weir.engine.cluster.ClusterException e) {
      // shown at the next refresh
    }
    return out;
  }

  /**
   * The rollouts of {@code application} for {@code weir rollout status}: its {@link
   * dev.weir.engine.rollout.RolloutView}s as of the last refresh, and those Git defines that no
   * console has recorded yet; a problem for an unknown application or rollout.
   */
  RolloutReport report(String application, Optional<String> rollout) {
    ApplicationEntry entry = core.entries.get(application);
    if (entry == null || entry.rendered == null || entry.view == null) {
      return RolloutReport.problem(
          application,
          CommandResult.Status.BAD_INPUT,
          "no application named '"
              + application
              + "'; known: "
              + String.join(", ", core.entries.keySet().stream().sorted().toList()));
    }
    if (entry.compared == null) {
      return RolloutReport.of(entry.view, List.of(), rollout);
    }
    RolloutSpecParser.ApplicationRollouts parsed = RolloutSpecParser.parseAll(entry.compared);
    if (!parsed.errors().isEmpty()) {
      return RolloutReport.problem(
          application,
          CommandResult.Status.BAD_INPUT,
          application + " has invalid rollout configuration: " + parsed.errors().getFirst());
    }
    return RolloutReport.of(
        entry.view, parsed.rollouts().stream().map(RolloutSpec::name).toList(), rollout);
  }

  /** Rollout → application, of the rollouts seen so far. */
  Map<String, String> rolloutApplications() {
    return rolloutApplications;
  }

  /** While driving: tracks the rollouts of {@code desired}, adding what fails to {@code problems}. */
  void trackWhileDriving(Application app, DesiredState desired, List<String> problems) {
    if (!driving || !core.drives(app.name())) {
      return;
    }
    try {
      for (RolloutSpec spec : RolloutSpecParser.parseAll(desired).rollouts()) {
        rolloutApplications.put(spec.name(), app.name());
      }
      rollouts.track(desired).forEach(e -> problems.add(e.toString()));
    } catch (RuntimeException e) {
      problems.add("rollouts: " + e.getMessage());
    }
  }

  CommandResult command(
      ApplicationEntry entry, Optional<String> rollout, ManualCommand command) {
    String application = entry.rendered.name();
    if ((!driving || !core.drives(application)) && entry.compared != null) {
      rollouts.track(entry.compared); // a one-shot console acts on this rollout only
    }
    CommandOutcome outcome = rollouts.command(application, rollout, command);
    core.flags.syncAfterRollouts();
    core.snapshots.compare(entry);
    if (driving && !core.drives(application)) {
      // a command on an application another replica drives: this pass recorded it, that replica
      // carries it on; this one lets the runner go again
      rollouts.release(application);
    }
    CommandResult.Status status =
        switch (outcome.kind()) {
          case APPLIED -> CommandResult.Status.OK;
          case REFUSED, CONFLICT -> CommandResult.Status.REFUSED;
          case UNKNOWN -> CommandResult.Status.BAD_INPUT;
          case FAILED -> CommandResult.Status.FAILED;
        };
    return CommandResult.of(status, outcome.message());
  }

  /**
   * What an abort of {@code entry}'s rollout would leave: the traffic split afterwards (all of it
   * on stable, or on the active color), beside the split now.
   */
  Preview previewAbort(ApplicationEntry entry, Optional<String> rollout) {
    String title = "Abort the rollout of " + entry.rendered.name();
    Optional<RolloutStatus> found = find(entry, rollout);
    if (found.isEmpty()) {
      return Preview.refused(title, noRollout(entry, rollout));
    }
    RolloutStatus status = found.get();
    title = "Abort rollout " + status.rollout() + " (" + status.phase().word() + ")";
    if (status.newVersion().isEmpty()) {
      return Preview.of(
          title,
          List.of("nothing to abort: " + status.stableVersion() + " is the only version"),
          false);
    }
    String next = status.newVersion().get();
    boolean canary = status.strategy().equals("canary");
    List<String> lines = new ArrayList<>();
    lines.add("now: " + split(status, status.weight()));
    lines.add("afterwards: " + split(status, 0));
    lines.add(
        (canary ? "the canary " : "the preview ")
            + next
            + " gets no traffic; the rollout stays Aborted until retried or Git changes");
    return Preview.of(title, lines, true);
  }

  /** What holding the canary of {@code entry}'s rollout at {@code weight} percent would leave. */
  Preview previewSetWeight(ApplicationEntry entry, Optional<String> rollout, int weight) {
    String title = "Set the canary weight of " + entry.rendered.name() + " to " + weight + "%";
    if (weight < 0 || weight > 100) {
      return Preview.refused(
          title,
          CommandResult.of(
              CommandResult.Status.BAD_INPUT, "a weight is within 0..100, not " + weight));
    }
    Optional<RolloutStatus> found = find(entry, rollout);
    if (found.isEmpty()) {
      return Preview.refused(title, noRollout(entry, rollout));
    }
    RolloutStatus status = found.get();
    title = "Set the canary weight of rollout " + status.rollout() + " to " + weight + "%";
    if (!status.strategy().equals("canary")) {
      return Preview.refused(
          title,
          CommandResult.of(
              CommandResult.Status.BAD_INPUT,
              status.rollout() + " is blue-green: it switches, it has no weights to set"));
    }
    if (status.newVersion().isEmpty()) {
      return Preview.refused(
          title,
          CommandResult.of(
              CommandResult.Status.REFUSED,
              "no canary runs: " + status.stableVersion() + " is the only version"));
    }
    return Preview.of(
        title,
        List.of(
            "now: " + split(status, status.weight()),
            "afterwards: " + split(status, weight),
            meaning(status, weight),
            "held there until resumed or promoted"),
        true);
  }

  /**
   * What {@code weight} means for {@code status}'s rollout: requests per second to the canary and
   * the errors per minute to expect at its current error rate, from its view's metrics ({@link
   * RolloutPanel#meaning}); "unknown" for what they do not tell.
   */
  private String meaning(RolloutStatus status, int weight) {
    List<dev.weir.engine.rollout.RolloutView> views;
    try {
      views = views(status.application());
    } catch (RuntimeException e) {
      views = List.of();
    }
    return views.stream()
        .filter(v -> v.rollout().equals(status.rollout()))
        .findFirst()
        .map(v -> RolloutPanel.of(v).meaning(weight))
        .orElseGet(() -> new RolloutPanel.Meaning(weight, java.util.OptionalDouble.empty(), java.util.OptionalDouble.empty(), java.util.OptionalDouble.empty()))
        .describe();
  }

  /** {@code stable v2.4.0 75%, canary v2.4.1 25%} (blue/green: active and preview). */
  private static String split(RolloutStatus status, int weight) {
    boolean canary = status.strategy().equals("canary");
    return (canary ? "stable " : "active ")
        + status.stableVersion()
        + " "
        + (100 - weight)
        + "%, "
        + (canary ? "canary " : "preview ")
        + status.newVersion().orElse("-")
        + " "
        + weight
        + "%";
  }

  private Optional<RolloutStatus> find(ApplicationEntry entry, Optional<String> rollout) {
    List<RolloutStatus> all = statuses(entry.rendered.name());
    if (rollout.isPresent()) {
      return all.stream().filter(r -> r.rollout().equals(rollout.get())).findFirst();
    }
    return all.size() == 1 ? Optional.of(all.getFirst()) : Optional.empty();
  }

  private CommandResult noRollout(ApplicationEntry entry, Optional<String> rollout) {
    List<String> names = statuses(entry.rendered.name()).stream().map(RolloutStatus::rollout).toList();
    return CommandResult.of(
        CommandResult.Status.BAD_INPUT,
        rollout.isPresent()
            ? entry.rendered.name() + " has no rollout named '" + rollout.get() + "'"
            : names.isEmpty()
                ? entry.rendered.name() + " has no rollout"
                : entry.rendered.name() + " has several rollouts; name one of " + names);
  }

  /**
   * Stops driving the rollouts of {@code application}: another replica drives them now, from their
   * records.
   */
  void release(String application) {
    rollouts.release(application);
  }

  /** A pass of every rollout now, reading each one's record afresh. */
  void reconcile() {
    rollouts.reconcile();
    core.flags.syncAfterRollouts();
  }

  /**
   * A rollback is a person's decision in an incident: each Rollout of the application puts the
   * restored template on stable at once (no steps, no analysis; an instant switch back for a
   * blue/green still keeping that color; under {@code dynamicStableScale} the traffic follows the
   * stable pods as they come back, decision 0048), before the sync applies the rest of the
   * revision; the
   * flags a canary touched end as at {@code revision}, the one rolled back to.
   */
  void rollBack(
      Application app, SyncTarget target, String revision, String reason, List<String> details) {
    if (target.desired().isEmpty()) {
      return;
    }
    List<RolloutSpec> specs = RolloutSpecParser.parseAll(target.desired().get()).rollouts();
    if (specs.isEmpty()) {
      return;
    }
    // the restored revision is desired without a pass, so that the rollback's own pass is the
    // first to see it: the canary is rolled back by the person, not cancelled by Git
    rollouts.desire(target.desired().get());
    for (RolloutSpec spec : specs) {
      CommandOutcome outcome =
          rollouts.command(
              app.name(),
              Optional.of(spec.name()),
              new ManualCommand.Rollback(core.options.user(), reason, Optional.of(revision)));
      details.add("rollout " + outcome.message());
    }
  }

  /**
   * The rollouts of {@code application}: as this console drives them, or (a console that does not
   * drive rollouts, e.g. for {@code weir status}) as recorded in the cluster, read-only.
   */
  List<RolloutStatus> statuses(String application) {
    List<RolloutStatus> statuses = statusesOf(application);
    statuses.forEach(
        r -> core.options.telemetry().setRollout(r.rollout(), r.phase().name(), r.weight()));
    return statuses;
  }

  private List<RolloutStatus> statusesOf(String application) {
    if (driving && core.drives(application)) {
      return rollouts.statuses().stream()
          .filter(r -> r.application().equals(application))
          .toList();
    }
    ApplicationEntry entry = core.entries.get(application);
    DesiredState compared = entry == null ? null : entry.compared;
    if (compared == null) {
      return List.of();
    }
    List<RolloutStatus> out = new ArrayList<>();
    try {
      for (RolloutSpec spec : RolloutSpecParser.parseAll(compared).rollouts()) {
        Manifest target = compared.resources().get(spec.targetKey());
        RolloutExecutor.observed(
                core.gateway, spec, target == null ? null : target.object(), core.clock.instant())
            .ifPresent(out::add);
      }
    } catch (ClusterException e) {
      // shown at the next refresh
    }
    return out;
  }

  private void rolloutEvent(RolloutEvent event) {
    // not the executor's statuses: this runs inside a rollout's pass
    String application = rolloutApplications.getOrDefault(event.rollout(), "");
    core.events.rollout(application, event);
    String verdict =
        switch (event.reason()) {
          case ANALYSIS_SUCCESSFUL -> "successful";
          case ANALYSIS_INCONCLUSIVE -> "inconclusive";
          case ROLLED_BACK -> event.metrics().isEmpty() ? null : "failed";
          default -> null;
        };
    if (verdict != null) {
      if (event.metrics().isEmpty()) {
        core.options.telemetry().recordAnalysisVerdict(event.rollout(), "analysis", verdict);
      } else {
        event
            .metrics()
            .keySet()
            .forEach(
                metric ->
                    core.options.telemetry().recordAnalysisVerdict(event.rollout(), metric, verdict));
      }
    }
  }

  void close() {
    rollouts.close();
  }
}
