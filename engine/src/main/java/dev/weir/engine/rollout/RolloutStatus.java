package dev.weir.engine.rollout;

import dev.weir.engine.analysis.AnalysisPhase;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * How a rollout is summarised for people — phase, one-line message, step, weight, versions,
 * analysis — computed once here by {@link #of} and shown the same by the CLI and both consoles
 * (Argo Rollouts' {@code CalculateRolloutPhase}). Immutable.
 *
 * @param step the current step, 1-based (0 when no canary runs; blue/green has none)
 * @param steps the number of canary steps
 * @param weight the canary's traffic weight as written to the router (blue/green: 100 once
 *     switched, else 0)
 * @param stableVersion what the stable (active) version is
 * @param newVersion the canary or preview version, while there is one
 * @param analysis the current step's (or pre/post-promotion) analysis
 * @param background the canary's background analysis
 * @param revertTo after a rollback or abort: the Git revision to restore so that Git agrees with
 *     the cluster again ({@code weir rollback APP --to REV}), when known
 */
public record RolloutStatus(
    String rollout,
    String application,
    String strategy,
    RolloutPhase phase,
    String message,
    int step,
    int steps,
    int weight,
    String stableVersion,
    Optional<String> newVersion,
    Optional<AnalysisCounts> analysis,
    Optional<AnalysisCounts> background,
    Optional<String> revertTo) {

  public RolloutStatus {
    Objects.requireNonNull(rollout, "rollout");
    Objects.requireNonNull(application, "application");
    Objects.requireNonNull(strategy, "strategy");
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(stableVersion, "stableVersion");
    Objects.requireNonNull(newVersion, "newVersion");
    Objects.requireNonNull(analysis, "analysis");
    Objects.requireNonNull(background, "background");
    Objects.requireNonNull(revertTo, "revertTo");
  }

  /** The same status with another message. */
  public RolloutStatus withMessage(String value) {
    return new RolloutStatus(
        rollout,
        application,
        strategy,
        phase,
        value,
        step,
        steps,
        weight,
        stableVersion,
        newVersion,
        analysis,
        background,
        revertTo);
  }

  /**
   * A rollout no console has driven yet while Git's template ({@code newVersion}) differs from the
   * one the stable Deployment runs: due, waiting for a driver ({@code weir reconcile --watch} or a
   * console).
   */
  public static RolloutStatus due(RolloutSpec spec, String stableVersion, String newVersion) {
    boolean canary = spec.strategy() instanceof CanaryStrategy;
    return new RolloutStatus(
        spec.name(),
        spec.application(),
        canary ? "canary" : "blue-green",
        RolloutPhase.PROGRESSING,
        newVersion
            + " due beside "
            + stableVersion
            + ": waiting for a console or weir reconcile --watch to drive it",
        0,
        canary ? spec.canary().steps().size() : 0,
        0,
        stableVersion,
        Optional.of(newVersion),
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  /** The phase and message of {@code state} at {@code now}. */
  public static RolloutStatus of(RolloutState state, RolloutSpec spec, Instant now) {
    return switch (state) {
      case CanaryState canary -> canary(canary, spec, now);
      case BlueGreenState blueGreen -> blueGreen(blueGreen, spec, now);
    };
  }

  private static RolloutStatus canary(CanaryState state, RolloutSpec spec, Instant now) {
    int steps = spec.canary().steps().size();
    return switch (state) {
      case CanaryState.Steady s ->
          new RolloutStatus(
              spec.name(),
              spec.application(),
              "canary",
              RolloutPhase.HEALTHY,
              s.note().isEmpty() ? s.stable().version() + " is stable" : s.note(),
              0,
              steps,
              0,
              s.stable().version(),
              Optional.empty(),
              Optional.empty(),
              Optional.empty(),
              Optional.empty());
      case CanaryState.Progressing p -> {
        CanaryCursor c = p.cursor();
        String doing =
            switch (p.activity()) {
              case CanaryState.WaitForWeight w ->
                  "setWeight " + c.stepWeight() + ", waiting for canary pods";
              case CanaryState.WaitForTime t ->
                  t.until()
                      .map(until -> "paused, " + Durations.format(remaining(now, until)) + " left")
                      .orElse(
                          spec.canary().steps().get(Math.min(c.step(), steps - 1))
                                  instanceof CanaryStep.Experiment e
                              ? "experiment "
                                  + e.experiment().name()
                                  + " running ("
                                  + e.experiment().segment().describe()
                                  + " → B), until concluded"
                              : "paused until promoted");
              case CanaryState.WaitForAnalysis a ->
                  "analysis " + stepAnalysis(spec, c) + ", " + a.counts().describe();
              case CanaryState.WaitForExperiment x ->
                  x.running().isEmpty()
                      ? "experiment, waiting for its pods"
                      : "experiment running"
                          + (x.runs().isEmpty()
                              ? ""
                              : ": "
                                  + String.join(
                                      ", ",
                                      x.runs().entrySet().stream()
                                          .map(
                                              e ->
                                                  e.getKey()
                                                      + " "
                                                      + e.getValue().counts().describe())
                                          .toList()));
            };
        RolloutPhase phase =
            p.activity() instanceof CanaryState.WaitForTime
                ? RolloutPhase.PAUSED
                : RolloutPhase.PROGRESSING;
        yield inProgress(
            spec, c, phase, running(c, steps) + ": " + doing, analysisOf(p.activity()));
      }
      case CanaryState.Paused p -> {
        CanaryCursor c = p.cursor();
        yield inProgress(
            spec,
            c,
            RolloutPhase.PAUSED,
            running(c, steps) + ": " + p.note(),
            analysisOf(p.activity()));
      }
      case CanaryState.Promoting p ->
          inProgress(
              spec,
              p.cursor(),
              RolloutPhase.PROGRESSING,
              p.cursor().canary().version()
                  + " promoting: the stable Deployment is taking the new template",
              Optional.empty());
      case CanaryState.Aborted a ->
          new RolloutStatus(
              spec.name(),
              spec.application(),
              "canary",
              a.automatic() ? RolloutPhase.DEGRADED : RolloutPhase.ABORTED,
              a.message(),
              a.cursor().step() + 1,
              steps,
              0,
              a.cursor().stable().version(),
              Optional.of(a.cursor().canary().version()),
              Optional.empty(),
              Optional.of(a.cursor().background()).filter(b -> b.phase() != AnalysisPhase.PENDING),
              a.cursor().stableRevision());
    };
  }

  private static String running(CanaryCursor c, int steps) {
    return c.canary().version()
        + " canary at "
        + c.weight()
        + "%, step "
        + Math.min(c.step() + 1, steps)
        + "/"
        + steps;
  }

  private static String stepAnalysis(RolloutSpec spec, CanaryCursor c) {
    return spec.canary().steps().get(c.step()) instanceof CanaryStep.Analysis a
        ? a.analysis().describe()
        : "";
  }

  private static Optional<AnalysisCounts> analysisOf(CanaryState.Activity activity) {
    return activity instanceof CanaryState.WaitForAnalysis a
        ? Optional.of(a.counts())
        : Optional.empty();
  }

  private static RolloutStatus inProgress(
      RolloutSpec spec,
      CanaryCursor c,
      RolloutPhase phase,
      String message,
      Optional<AnalysisCounts> analysis) {
    return new RolloutStatus(
        spec.name(),
        spec.application(),
        "canary",
        phase,
        message,
        c.step() + 1,
        spec.canary().steps().size(),
        c.weight(),
        c.stable().version(),
        Optional.of(c.canary().version()),
        analysis,
        spec.canary().analysis().isPresent() ? Optional.of(c.background()) : Optional.empty(),
        Optional.empty());
  }

  private static RolloutStatus blueGreen(BlueGreenState state, RolloutSpec spec, Instant now) {
    BlueGreenStrategy strategy = spec.blueGreen();
    return switch (state) {
      case BlueGreenState.Steady s ->
          bg(
              spec,
              RolloutPhase.HEALTHY,
              s.note().isEmpty() ? s.active().version() + " is active" : s.note(),
              0,
              s.active().version(),
              Optional.empty(),
              Optional.empty(),
              Optional.empty());
      case BlueGreenState.Previewing p -> {
        BlueGreenCursor c = p.cursor();
        String preview = c.preview().version() + " in preview";
        yield switch (p.activity()) {
          case BlueGreenState.WaitForPreview w ->
              bg(
                  spec,
                  RolloutPhase.PROGRESSING,
                  preview + ", waiting for its pods",
                  0,
                  c.active().version(),
                  Optional.of(c.preview().version()),
                  Optional.empty(),
                  Optional.empty());
          case BlueGreenState.PrePromotionAnalysis a ->
              bg(
                  spec,
                  RolloutPhase.PROGRESSING,
                  preview
                      + ", pre-promotion analysis "
                      + strategy.prePromotionAnalysis().map(AnalysisRef::describe).orElse("")
                      + ": "
                      + a.counts().describe(),
                  0,
                  c.active().version(),
                  Optional.of(c.preview().version()),
                  Optional.of(a.counts()),
                  Optional.empty());
          case BlueGreenState.AwaitPromotion a ->
              a.autoAt().isPresent()
                  ? bg(
                      spec,
                      RolloutPhase.PROGRESSING,
                      preview
                          + ", auto-promotion in "
                          + Durations.format(remaining(now, a.autoAt().get())),
                      0,
                      c.active().version(),
                      Optional.of(c.preview().version()),
                      Optional.empty(),
                      Optional.empty())
                  : bg(
                      spec,
                      RolloutPhase.PAUSED,
                      preview + ", ready; waiting for promote",
                      0,
                      c.active().version(),
                      Optional.of(c.preview().version()),
                      Optional.empty(),
                      Optional.empty());
        };
      }
      case BlueGreenState.Paused p ->
          bg(
              spec,
              RolloutPhase.PAUSED,
              p.cursor().preview().version() + " in preview: " + p.note(),
              0,
              p.cursor().active().version(),
              Optional.of(p.cursor().preview().version()),
              p.activity() instanceof BlueGreenState.PrePromotionAnalysis a
                  ? Optional.of(a.counts())
                  : Optional.empty(),
              Optional.empty());
      case BlueGreenState.Switched s -> {
        BlueGreenCursor c = s.cursor();
        boolean held = s.postCounts().phase() == AnalysisPhase.INCONCLUSIVE;
        String message =
            "active on "
                + c.preview().version()
                + "; "
                + c.active().version()
                + (held
                    ? " stays scaled: post-promotion analysis inconclusive, promote or abort"
                    : s.postRun().isPresent() && !s.postCounts().phase().completed()
                        ? " stays scaled during post-promotion analysis: "
                            + s.postCounts().describe()
                        : " scales down in "
                            + Durations.format(
                                remaining(now, s.at().plus(strategy.scaleDownDelay()))));
        yield bg(
            spec,
            held ? RolloutPhase.PAUSED : RolloutPhase.PROGRESSING,
            message,
            100,
            c.active().version(),
            Optional.of(c.preview().version()),
            s.postRun().map(r -> s.postCounts()),
            Optional.empty());
      }
      case BlueGreenState.ScalingDown s ->
          bg(
              spec,
              RolloutPhase.PROGRESSING,
              "active on "
                  + s.cursor().preview().version()
                  + "; the stable Deployment is taking it",
              100,
              s.cursor().active().version(),
              Optional.of(s.cursor().preview().version()),
              Optional.empty(),
              Optional.empty());
      case BlueGreenState.Aborted a ->
          bg(
              spec,
              a.automatic() ? RolloutPhase.DEGRADED : RolloutPhase.ABORTED,
              a.message(),
              0,
              a.cursor().active().version(),
              Optional.of(a.cursor().preview().version()),
              Optional.empty(),
              a.cursor().activeRevision());
    };
  }

  private static RolloutStatus bg(
      RolloutSpec spec,
      RolloutPhase phase,
      String message,
      int weight,
      String stable,
      Optional<String> preview,
      Optional<AnalysisCounts> analysis,
      Optional<String> revertTo) {
    return new RolloutStatus(
        spec.name(),
        spec.application(),
        "blueGreen",
        phase,
        message,
        0,
        0,
        weight,
        stable,
        preview,
        analysis,
        Optional.empty(),
        revertTo);
  }

  private static Duration remaining(Instant now, Instant until) {
    Duration left = Duration.between(now, until);
    return left.isNegative() ? Duration.ZERO : left.withNanos(0);
  }

  /** {@code storefront Degraded v2.4.1 rolled back: …}. */
  public String line() {
    return rollout + "  " + phase.word() + "  " + message;
  }
}
