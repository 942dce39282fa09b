package dev.weir.engine.rollout;

import dev.weir.engine.model.FlagChange;
import dev.weir.engine.traffic.HeaderRoute;
import dev.weir.engine.traffic.MirrorRoute;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/** One step of a canary strategy ({@code spec.strategy.canary.steps[]}). Immutable. */
public sealed interface CanaryStep
    permits CanaryStep.SetWeight,
        CanaryStep.Pause,
        CanaryStep.Analysis,
        CanaryStep.SetCanaryScale,
        CanaryStep.SetHeaderRoute,
        CanaryStep.SetMirrorRoute,
        CanaryStep.Experiment,
        CanaryStep.ArgoExperiment,
        CanaryStep.SetFlag {

  /**
   * One line for timelines: {@code setWeight 25}, {@code pause 2m}, {@code pause (until promoted)}.
   */
  String describe();

  /** {@code setWeight: N}: send N percent of the traffic to the canary, once its pods are ready. */
  record SetWeight(int weight) implements CanaryStep {
    public SetWeight {
      if (weight < 0 || weight > 100) {
        throw new IllegalArgumentException("weight must be within 0..100, got " + weight);
      }
    }

    @Override
    public String describe() {
      return "setWeight " + weight;
    }
  }

  /** {@code pause: {duration: D}}, or {@code pause: {}}: wait D, or until promoted. */
  record Pause(Optional<Duration> duration) implements CanaryStep {
    public Pause {
      Objects.requireNonNull(duration, "duration");
    }

    @Override
    public String describe() {
      return duration.map(d -> "pause " + Durations.format(d)).orElse("pause (until promoted)");
    }
  }

  /** {@code analysis: {templates, args}}: run the analysis; go on only when it is Successful. */
  record Analysis(AnalysisRef analysis) implements CanaryStep {
    public Analysis {
      Objects.requireNonNull(analysis, "analysis");
    }

    @Override
    public String describe() {
      return "analysis " + analysis.describe();
    }
  }

  /**
   * {@code setCanaryScale: {replicas: N} | {weight: W} | {matchTrafficWeight: true}}: size the
   * canary independently of its traffic weight (or again by it).
   */
  record SetCanaryScale(OptionalInt replicas, OptionalInt weight, boolean matchTrafficWeight)
      implements CanaryStep {
    public SetCanaryScale {
      Objects.requireNonNull(replicas, "replicas");
      Objects.requireNonNull(weight, "weight");
      int given =
          (replicas.isPresent() ? 1 : 0)
              + (weight.isPresent() ? 1 : 0)
              + (matchTrafficWeight ? 1 : 0);
      if (given != 1) {
        throw new IllegalArgumentException("exactly one of replicas, weight, matchTrafficWeight");
      }
    }

    @Override
    public String describe() {
      if (replicas.isPresent()) {
        return "setCanaryScale " + replicas.getAsInt() + " replicas";
      }
      if (weight.isPresent()) {
        return "setCanaryScale " + weight.getAsInt() + "%";
      }
      return "setCanaryScale matchTrafficWeight";
    }
  }

  /** {@code setHeaderRoute: {name, match: […]}}: route matching requests to the canary (A/B). */
  record SetHeaderRoute(HeaderRoute route) implements CanaryStep {
    public SetHeaderRoute {
      Objects.requireNonNull(route, "route");
    }

    @Override
    public String describe() {
      return "setHeaderRoute " + route.name();
    }
  }

  /**
   * {@code setMirrorRoute: {name, percentage, match: […]}} (Argo Rollouts' mirroring.md): copy
   * {@code percentage} percent of the matching requests to the canary, or, without {@code match}
   * ({@code route} empty), remove the mirror route {@code name}.
   */
  record SetMirrorRoute(String name, Optional<MirrorRoute> route) implements CanaryStep {
    public SetMirrorRoute {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(route, "route");
    }

    @Override
    public String describe() {
      return "setMirrorRoute " + name + (route.isEmpty() ? " (removed)" : "");
    }
  }

  /**
   * {@code experiment: {name, segment, conversions, …}}: an A/B experiment. The segment's requests
   * go to the canary (B) through the router while stable (A) keeps the rest, and the rollout waits
   * here until a person concludes it: promote B (the rollout goes on to full promotion) or keep A
   * (it is aborted), each recorded as a commit. The judgement meanwhile is the console's ({@link
   * dev.weir.engine.analysis.ExperimentJudge}).
   */
  record Experiment(ExperimentSpec experiment) implements CanaryStep {
    public Experiment {
      Objects.requireNonNull(experiment, "experiment");
    }

    /** The header route that carries the segment to the canary; none for a flag's segment. */
    public Optional<HeaderRoute> route() {
      return switch (experiment.segment()) {
        case ExperimentSegment.Route r ->
            Optional.of(new HeaderRoute(experiment.name(), r.route().matches()));
        case ExperimentSegment.Flag f -> Optional.empty();
      };
    }

    @Override
    public String describe() {
      return "experiment " + experiment.name() + " (" + experiment.segment().describe() + " → B)";
    }
  }

  /**
   * Argo Rollouts' {@code experiment: {duration, templates, analyses}} (an Argo Rollout only): a
   * fresh baseline and the canary as temporary workloads of their own, judged by analyses; the
   * step passes when they do and the rollout is rolled back when one fails (decision 0045).
   */
  record ArgoExperiment(TemplateExperiment experiment) implements CanaryStep {
    public ArgoExperiment {
      Objects.requireNonNull(experiment, "experiment");
    }

    @Override
    public String describe() {
      return "experiment " + experiment.describe();
    }
  }

  /**
   * {@code setFlag: {flag: NAME, variant: V}} or {@code setFlag: {flag: NAME, fraction: {on: 20,
   * off: 80}}}: the flag's default variant, or the percentages of its {@code fractional} split,
   * become these as a Git commit (authored by the rollout, the reason naming rollout and step),
   * pushed and synced; the step completes once the commit is made. An abort or rollback restores
   * every flag the rollout's steps set to what Git had at the revision the rollout started from.
   *
   * @param flag the flag's key in the application's flagd files
   * @param change a {@link FlagChange.SetDefault} or a {@link FlagChange.SetFractions}
   */
  record SetFlag(String flag, FlagChange change) implements CanaryStep {
    public SetFlag {
      Objects.requireNonNull(flag, "flag");
      Objects.requireNonNull(change, "change");
      if (!(change instanceof FlagChange.SetDefault || change instanceof FlagChange.SetFractions)) {
        throw new IllegalArgumentException("a setFlag step sets a variant or a fraction");
      }
    }

    @Override
    public String describe() {
      return "setFlag " + flag + " " + change.describe();
    }
  }
}
