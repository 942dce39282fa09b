package dev.weir.engine.rollout;

import dev.weir.engine.analysis.AnalysisPhase;
import dev.weir.engine.analysis.MetricSeries;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Everything a face shows of one rollout, computed once in the engine ({@link RolloutViews}) and
 * drawn the same by the CLI and both consoles: the one-line {@link RolloutStatus}, the strategy,
 * the router, the steps and where the rollout is among them, the two versions and their weights,
 * the analyses with one row per metric, and the metric series of the last 15 minutes. Immutable.
 *
 * @param status the phase and one-line message (with what blocks it appended)
 * @param strategy canary or blue/green
 * @param router the traffic router and its object; empty for blue/green
 * @param steps a canary's steps; blue/green's stages (preview, analyses, promotion, switch, scale
 *     down)
 * @param versions stable and canary (blue/green: active and preview), with their traffic weights
 * @param analyses the analyses of the current step and in the background (blue/green: pre- and
 *     post-promotion)
 * @param metrics one row per metric of those analyses
 * @param series per metric, canary and stable over the last 15 minutes with the thresholds: kept
 *     after a run ends, and read back from the metrics source after a console restart
 * @param phaseSince when the current phase began, when known
 * @param blocked what holds the rollout back (a failed action, a Deployment past its progress
 *     deadline, a pause waiting for a person)
 */
public record RolloutView(
    RolloutStatus status,
    Strategy strategy,
    Optional<Router> router,
    List<Step> steps,
    Versions versions,
    List<Analysis> analyses,
    List<MetricRow> metrics,
    List<MetricSeries> series,
    Optional<Instant> phaseSince,
    Optional<String> blocked) {

  /** The strategy, one spelling. */
  public enum Strategy {
    CANARY("canary"),
    BLUE_GREEN("blueGreen");

    private final String word;

    Strategy(String word) {
      this.word = word;
    }

    /** As the Rollout spells it: {@code canary}, {@code blueGreen}. */
    public String word() {
      return word;
    }
  }

  /**
   * The traffic router.
   *
   * @param kind {@code gatewayAPI}, {@code istio}, {@code smi}, {@code nginx} or {@code
   *     replicaRatio}, as the Rollout spells it
   * @param object the object it writes, {@code HTTPRoute shop/storefront} ("" for replica ratio)
   */
  public record Router(String kind, String object) {
    public Router {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(object, "object");
    }
  }

  /** Where a step is. */
  public enum StepState {
    DONE,
    CURRENT,
    PENDING
  }

  /**
   * How an analysis stands: an {@link AnalysisPhase}, or {@link #STOPPED} — the rollout was aborted
   * or rolled back while it ran, and it takes no more measurements.
   */
  public enum Outcome {
    PENDING("Pending"),
    RUNNING("Running"),
    SUCCESSFUL("Successful"),
    INCONCLUSIVE("Inconclusive"),
    ERROR("Error"),
    FAILED("Failed"),
    STOPPED("Stopped");

    private final String word;

    Outcome(String word) {
      this.word = word;
    }

    public String word() {
      return word;
    }

    /**
     * The outcome of {@code phase}. When {@code stopped} (the rollout was aborted or rolled back,
     * or moved on, while the run measured), a run that had not ended is {@link #STOPPED}, and so is
     * one that ended Inconclusive only because it was terminated before its count.
     */
    public static Outcome of(AnalysisPhase phase, boolean stopped) {
      if (stopped && (!phase.completed() || phase == AnalysisPhase.INCONCLUSIVE)) {
        return STOPPED;
      }
      return switch (phase) {
        case PENDING -> PENDING;
        case RUNNING -> RUNNING;
        case SUCCESSFUL -> SUCCESSFUL;
        case INCONCLUSIVE -> INCONCLUSIVE;
        case ERROR -> ERROR;
        case FAILED -> FAILED;
      };
    }
  }

  /**
   * One step.
   *
   * @param number 1-based
   * @param description {@code setWeight 5}, {@code pause 2m}, {@code analysis success-rate}
   * @param analysis for an analysis step, how its analysis stands (empty when not known, e.g. a
   *     step passed before this console started)
   */
  public record Step(int number, String description, StepState state, Optional<Outcome> analysis) {
    public Step {
      Objects.requireNonNull(description, "description");
      Objects.requireNonNull(state, "state");
      Objects.requireNonNull(analysis, "analysis");
    }
  }

  /**
   * The two versions and their share of the traffic.
   *
   * @param stable the stable (blue/green: active) version
   * @param canary the canary (blue/green: preview) version, while there is one
   */
  public record Versions(
      String stable, int stableWeight, Optional<String> canary, int canaryWeight) {
    public Versions {
      Objects.requireNonNull(stable, "stable");
      Objects.requireNonNull(canary, "canary");
    }
  }

  /**
   * One analysis of the rollout.
   *
   * @param name {@code step 3}, {@code background}, {@code pre-promotion}, {@code post-promotion}
   * @param templates the AnalysisTemplates, {@code success-rate+latency}
   * @param counts {@code 3 measured, 1 failed (last: success-rate 0.93)}
   */
  public record Analysis(String name, String templates, Outcome outcome, String counts) {
    public Analysis {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(templates, "templates");
      Objects.requireNonNull(outcome, "outcome");
      Objects.requireNonNull(counts, "counts");
    }
  }

  /**
   * One metric of an analysis.
   *
   * @param analysis the analysis it belongs to ({@link Analysis#name})
   * @param canary the canary's latest value (for a comparison metric, its window median)
   * @param stable the stable version's (comparison metrics only)
   * @param judge the condition ({@code result[0] >= 0.99}) or the judge ({@code Mann-Whitney,
   *     either direction, effect 10%, confidence 98%})
   * @param verdict how the metric stands
   * @param pValue the statistical judge's p-value (comparison metrics only)
   * @param explanation the latest measurement in one line
   */
  public record MetricRow(
      String analysis,
      String metric,
      OptionalDouble canary,
      OptionalDouble stable,
      String judge,
      Outcome verdict,
      OptionalDouble pValue,
      String explanation) {
    public MetricRow {
      Objects.requireNonNull(analysis, "analysis");
      Objects.requireNonNull(metric, "metric");
      Objects.requireNonNull(canary, "canary");
      Objects.requireNonNull(stable, "stable");
      Objects.requireNonNull(judge, "judge");
      Objects.requireNonNull(verdict, "verdict");
      Objects.requireNonNull(pValue, "pValue");
      Objects.requireNonNull(explanation, "explanation");
    }
  }

  public RolloutView {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(strategy, "strategy");
    Objects.requireNonNull(router, "router");
    steps = List.copyOf(steps);
    Objects.requireNonNull(versions, "versions");
    analyses = List.copyOf(analyses);
    metrics = List.copyOf(metrics);
    series = List.copyOf(series);
    Objects.requireNonNull(phaseSince, "phaseSince");
    Objects.requireNonNull(blocked, "blocked");
  }

  /** The view of a status alone (no spec or state at hand): versions and weights, nothing more. */
  public static RolloutView of(RolloutStatus status) {
    Strategy strategy = status.strategy().equals("canary") ? Strategy.CANARY : Strategy.BLUE_GREEN;
    return new RolloutView(
        status,
        strategy,
        Optional.empty(),
        List.of(),
        new Versions(
            status.stableVersion(), 100 - status.weight(), status.newVersion(), status.weight()),
        List.of(),
        List.of(),
        List.of(),
        Optional.empty(),
        Optional.empty());
  }

  /** The rollout's name. */
  public String rollout() {
    return status.rollout();
  }

  /** The series of {@code metric}, if it has one. */
  public Optional<MetricSeries> series(String metric) {
    return series.stream().filter(s -> s.metric().equals(metric)).findFirst();
  }
}
