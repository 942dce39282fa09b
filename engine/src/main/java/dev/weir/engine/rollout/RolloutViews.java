package dev.weir.engine.rollout;

import dev.weir.engine.analysis.AnalysisCheckpoint;
import dev.weir.engine.analysis.AnalysisPhase;
import dev.weir.engine.analysis.AnalysisRunState;
import dev.weir.engine.analysis.AnalysisTemplateSpec;
import dev.weir.engine.analysis.ComparisonSpec;
import dev.weir.engine.analysis.Condition;
import dev.weir.engine.analysis.Measurement;
import dev.weir.engine.analysis.MetricResult;
import dev.weir.engine.analysis.MetricSeries;
import dev.weir.engine.analysis.MetricSeriesBuffer;
import dev.weir.engine.analysis.MetricSeriesHistory;
import dev.weir.engine.analysis.MetricSpec;
import dev.weir.engine.analysis.Observation;
import dev.weir.engine.analysis.Verdict;
import dev.weir.engine.rollout.RolloutView.Outcome;
import dev.weir.engine.rollout.RolloutView.StepState;
import dev.weir.engine.traffic.TrafficRoutingSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Function;

/**
 * Computes a {@link RolloutView} from what the engine knows of a rollout: its spec, its recorded
 * state and status, the analysis runs this console owns (running or recently ended) and the series
 * read back from the metrics source. Pure and thread-safe: the same inputs give the same view.
 *
 * <p>An analysis of a rollout that was aborted or rolled back while it ran is {@link
 * Outcome#STOPPED}, never Running: it takes no more measurements. Metric rows come from the runs
 * this console owns, else from the checkpoints recorded with the state (so that a console that did
 * not watch the run, or a one-shot {@code weir rollout status}, shows the same rows).
 */
public final class RolloutViews {
  private RolloutViews() {}

  /**
   * One analysis of the rollout as its state has it.
   *
   * @param name {@code step 3}, {@code background}, {@code pre-promotion}, {@code post-promotion}
   * @param run the run name the state machine gave it
   * @param counts as recorded with the state ({@link AnalysisCounts#NONE} when the state keeps
   *     none)
   * @param stopped the rollout was aborted or rolled back: the run measures no more
   */
  record Slot(String name, AnalysisRef ref, String run, AnalysisCounts counts, boolean stopped) {}

  /**
   * The view of {@code spec} in {@code state}.
   *
   * @param runs the runs this console owns by run name (running or recently ended)
   * @param readBack series read back from the metrics source, by run name
   */
  static RolloutView of(
      RolloutSpec spec,
      RolloutState state,
      RolloutStatus status,
      Optional<String> blocked,
      Map<String, AnalysisTemplateSpec> templates,
      Function<String, Optional<AnalysisRuns.Kept>> runs,
      Map<String, List<MetricSeries>> readBack,
      Instant now) {
    List<Slot> slots = slots(spec, state);
    List<RolloutView.Analysis> analyses = new ArrayList<>();
    List<RolloutView.MetricRow> rows = new ArrayList<>();
    List<MetricSeries> series = new ArrayList<>();
    for (Slot slot : slots) {
      Optional<AnalysisRuns.Kept> kept = runs.apply(slot.run());
      boolean stopped = slot.stopped() || kept.map(AnalysisRuns.Kept::stopped).orElse(false);
      AnalysisCounts counts =
          kept.map(k -> AnalysisSummaries.of(slot.run(), k.run().states(), k.run().templates()))
              .map(AnalysisStatus::counts)
              .orElse(slot.counts());
      analyses.add(
          new RolloutView.Analysis(
              slot.name(),
              slot.ref().describe(),
              Outcome.of(counts.phase(), stopped),
              counts.describe()));
      for (String templateName : slot.ref().templates()) {
        AnalysisTemplateSpec template = templates.get(templateName);
        if (template == null) {
          continue;
        }
        Optional<AnalysisRunState> runState =
            kept.flatMap(
                k -> {
                  int index = k.run().templates().indexOf(template);
                  return index < 0
                      ? Optional.empty()
                      : Optional.of(k.run().executors().get(index).state());
                });
        Optional<AnalysisCheckpoint> checkpoint = counts.checkpoint(templateName);
        List<MetricSeries> live =
            kept.map(
                    k -> {
                      int index = k.run().templates().indexOf(template);
                      return index < 0
                          ? List.<MetricSeries>of()
                          : k.run().executors().get(index).series();
                    })
                .orElse(List.of());
        for (MetricSpec metric : template.metrics()) {
          rows.add(row(slot.name(), metric, runState, checkpoint, stopped));
          series.add(
              lastWindow(
                  merged(
                      metric,
                      find(live, metric.name()),
                      find(readBack.getOrDefault(slot.run(), List.of()), metric.name())),
                  now));
        }
      }
    }
    return new RolloutView(
        status,
        spec.strategy() instanceof CanaryStrategy
            ? RolloutView.Strategy.CANARY
            : RolloutView.Strategy.BLUE_GREEN,
        router(spec),
        steps(spec, state, slots, runs, analyses),
        new RolloutView.Versions(
            status.stableVersion(), 100 - status.weight(), status.newVersion(), status.weight()),
        analyses,
        rows,
        series,
        since(state),
        blocked.or(() -> waiting(state)));
  }

  /** The analyses {@code state} has under way (or had, when it was aborted), in display order. */
  static List<Slot> slots(RolloutSpec spec, RolloutState state) {
    List<Slot> slots = new ArrayList<>();
    switch (state) {
      case CanaryState canary -> canarySlots(spec, canary, slots);
      case BlueGreenState blueGreen -> blueGreenSlots(spec, blueGreen, slots);
    }
    return slots;
  }

  private static void canarySlots(RolloutSpec spec, CanaryState state, List<Slot> slots) {
    CanaryStrategy strategy = spec.canary();
    CanaryCursor cursor;
    CanaryState.Activity activity;
    boolean stopped;
    switch (state) {
      case CanaryState.Progressing p -> {
        cursor = p.cursor();
        activity = p.activity();
        stopped = false;
      }
      case CanaryState.Paused p -> {
        cursor = p.cursor();
        activity = p.activity();
        stopped = false;
      }
      case CanaryState.Aborted a -> {
        cursor = a.cursor();
        activity = null;
        stopped = true;
      }
      default -> {
        return;
      }
    }
    int step = cursor.step();
    if (step < strategy.steps().size()
        && strategy.steps().get(step) instanceof CanaryStep.Analysis analysis) {
      if (activity instanceof CanaryState.WaitForAnalysis waiting) {
        slots.add(
            new Slot(stepName(step), analysis.analysis(), waiting.run(), waiting.counts(), false));
      } else if (stopped) {
        slots.add(
            new Slot(
                stepName(step),
                analysis.analysis(),
                cursor.stepRun(spec.name(), step),
                AnalysisCounts.NONE,
                true));
      }
    }
    if (step < strategy.steps().size()
        && strategy.steps().get(step) instanceof CanaryStep.ArgoExperiment experiment) {
      // an experiment's analyses, each under the step's name and its own
      for (TemplateExperiment.Analysis analysis : experiment.experiment().analyses()) {
        AnalysisRef ref = CanaryMachine.resolvedAnalysis(spec, cursor, experiment, analysis);
        String name = stepName(step) + " " + analysis.name();
        if (activity instanceof CanaryState.WaitForExperiment waiting
            && waiting.runs().containsKey(analysis.name())) {
          var run = waiting.runs().get(analysis.name());
          slots.add(new Slot(name, ref, run.run(), run.counts(), false));
        } else if (stopped) {
          slots.add(
              new Slot(
                  name,
                  ref,
                  CanaryMachine.experimentRun(spec, cursor, analysis.name()),
                  AnalysisCounts.NONE,
                  true));
        }
      }
    }
    if (strategy.analysis().isPresent()
        && (stopped
            ? cursor.background().phase() != AnalysisPhase.PENDING
            : strategy.backgroundAt(step))) {
      slots.add(
          new Slot(
              "background",
              strategy.analysis().get(),
              cursor.backgroundRun(spec.name()),
              cursor.background(),
              stopped));
    }
  }

  private static void blueGreenSlots(RolloutSpec spec, BlueGreenState state, List<Slot> slots) {
    BlueGreenStrategy strategy = spec.blueGreen();
    BlueGreenState.Activity activity =
        switch (state) {
          case BlueGreenState.Previewing p -> p.activity();
          case BlueGreenState.Paused p -> p.activity();
          default -> null;
        };
    if (activity instanceof BlueGreenState.PrePromotionAnalysis pre
        && strategy.prePromotionAnalysis().isPresent()) {
      slots.add(
          new Slot(
              "pre-promotion",
              strategy.prePromotionAnalysis().get(),
              pre.run(),
              pre.counts(),
              false));
    }
    if (state instanceof BlueGreenState.Switched switched
        && switched.postRun().isPresent()
        && strategy.postPromotionAnalysis().isPresent()) {
      slots.add(
          new Slot(
              "post-promotion",
              strategy.postPromotionAnalysis().get(),
              switched.postRun().get(),
              switched.postCounts(),
              false));
    }
  }

  private static String stepName(int index) {
    return "step " + (index + 1);
  }

  private static RolloutView.MetricRow row(
      String analysis,
      MetricSpec metric,
      Optional<AnalysisRunState> run,
      Optional<AnalysisCheckpoint> checkpoint,
      boolean stopped) {
    Optional<MetricResult> result = run.flatMap(r -> r.metric(metric.name()));
    Optional<AnalysisCheckpoint.MetricCheckpoint> recorded =
        checkpoint.flatMap(
            c -> c.metrics().stream().filter(m -> m.name().equals(metric.name())).findFirst());
    AnalysisPhase phase =
        result
            .map(MetricResult::phase)
            .or(() -> recorded.map(AnalysisCheckpoint.MetricCheckpoint::phase))
            .orElse(AnalysisPhase.PENDING);
    Optional<Measurement> last =
        result.flatMap(MetricResult::last).or(() -> recorded.flatMap(m -> m.last()));
    Optional<Verdict> verdict =
        result.flatMap(MetricResult::lastVerdict).or(() -> last.flatMap(Measurement::verdict));
    OptionalDouble canary = OptionalDouble.empty();
    OptionalDouble stable = OptionalDouble.empty();
    OptionalDouble pValue = OptionalDouble.empty();
    if (verdict.isPresent()) {
      canary = finite(verdict.get().canaryMedian());
      stable = finite(verdict.get().baselineMedian());
      pValue = finite(verdict.get().pValue());
    } else if (last.isPresent() && last.get().observation() instanceof Observation.Value value) {
      canary = value.value().isEmpty() ? OptionalDouble.empty() : finite(value.value().first());
    }
    String explanation =
        verdict
            .map(Verdict::explanation)
            .or(() -> last.map(Measurement::message))
            .or(() -> result.map(MetricResult::message))
            .orElse("not measured yet");
    return new RolloutView.MetricRow(
        analysis,
        metric.name(),
        canary,
        stable,
        judge(metric),
        Outcome.of(phase, stopped),
        pValue,
        explanation);
  }

  private static OptionalDouble finite(double value) {
    return Double.isFinite(value) ? OptionalDouble.of(value) : OptionalDouble.empty();
  }

  /** {@code result[0] >= 0.99}, or the statistical judge in a few words. */
  static String judge(MetricSpec metric) {
    if (metric.compare().isPresent()) {
      ComparisonSpec compare = metric.compare().get();
      return "Mann-Whitney vs stable, "
          + compare.judge().direction().word()
          + ", effect "
          + Math.round(compare.judge().effectSize() * 100)
          + "%, confidence "
          + Math.round(compare.judge().confidence() * 100)
          + "%";
    }
    List<String> parts = new ArrayList<>();
    metric.successCondition().map(Condition::source).ifPresent(parts::add);
    metric.failureCondition().map(c -> "fails if " + c.source()).ifPresent(parts::add);
    return String.join("; ", parts);
  }

  private static Optional<MetricSeries> find(List<MetricSeries> all, String metric) {
    return all.stream().filter(s -> s.metric().equals(metric)).findFirst();
  }

  /**
   * The live series, with the read-back points from before its first one (a console restarted
   * mid-analysis: the run it resumed has measured only since).
   */
  private static MetricSeries merged(
      MetricSpec metric, Optional<MetricSeries> live, Optional<MetricSeries> readBack) {
    if (readBack.isEmpty()) {
      return live.orElseGet(
          () ->
              new MetricSeries(
                  metric.name(),
                  metric.compare().map(ComparisonSpec::unit).orElse(""),
                  List.of(),
                  MetricSeriesBuffer.conditionThresholds(metric)));
    }
    if (live.isEmpty() || live.get().points().isEmpty()) {
      return readBack.get();
    }
    Instant first = live.get().points().getFirst().at();
    List<MetricSeries.Point> points = new ArrayList<>();
    readBack.get().points().stream().filter(p -> p.at().isBefore(first)).forEach(points::add);
    points.addAll(live.get().points());
    return new MetricSeries(
        live.get().metric(), live.get().unit(), points, live.get().thresholds());
  }

  private static MetricSeries lastWindow(MetricSeries series, Instant now) {
    Instant from = now.minus(MetricSeriesHistory.WINDOW);
    if (series.points().isEmpty() || !series.points().getFirst().at().isBefore(from)) {
      return series;
    }
    return new MetricSeries(
        series.metric(),
        series.unit(),
        series.points().stream().filter(p -> !p.at().isBefore(from)).toList(),
        series.thresholds());
  }

  private static Optional<RolloutView.Router> router(RolloutSpec spec) {
    if (!(spec.strategy() instanceof CanaryStrategy canary)) {
      return Optional.empty();
    }
    String ns = spec.namespace() + "/";
    return Optional.of(
        switch (canary.trafficRouting()) {
          case TrafficRoutingSpec.GatewayApi g ->
              new RolloutView.Router("gatewayAPI", "HTTPRoute " + ns + g.httpRoute());
          case TrafficRoutingSpec.Istio i ->
              new RolloutView.Router("istio", "VirtualService " + ns + i.virtualService());
          case TrafficRoutingSpec.Smi s ->
              new RolloutView.Router("smi", "TrafficSplit " + ns + s.trafficSplitName());
          case TrafficRoutingSpec.Nginx n ->
              new RolloutView.Router("nginx", "Ingress " + ns + n.stableIngress() + "-canary");
          case TrafficRoutingSpec.ReplicaRatio r -> new RolloutView.Router("replicaRatio", "");
        });
  }

  private static List<RolloutView.Step> steps(
      RolloutSpec spec,
      RolloutState state,
      List<Slot> slots,
      Function<String, Optional<AnalysisRuns.Kept>> runs,
      List<RolloutView.Analysis> analyses) {
    return switch (state) {
      case CanaryState canary -> canarySteps(spec, canary, runs, analyses);
      case BlueGreenState blueGreen -> blueGreenSteps(spec, blueGreen, analyses);
    };
  }

  private static List<RolloutView.Step> canarySteps(
      RolloutSpec spec,
      CanaryState state,
      Function<String, Optional<AnalysisRuns.Kept>> runs,
      List<RolloutView.Analysis> analyses) {
    List<CanaryStep> steps = spec.canary().steps();
    Optional<CanaryCursor> cursor =
        switch (state) {
          case CanaryState.Progressing p -> Optional.of(p.cursor());
          case CanaryState.Paused p -> Optional.of(p.cursor());
          case CanaryState.Aborted a -> Optional.of(a.cursor());
          case CanaryState.Promoting p -> Optional.of(p.cursor());
          case CanaryState.Steady s -> Optional.empty();
        };
    int current =
        state instanceof CanaryState.Promoting
            ? steps.size()
            : cursor.map(CanaryCursor::step).orElse(-1);
    List<RolloutView.Step> out = new ArrayList<>();
    for (int i = 0; i < steps.size(); i++) {
      StepState where =
          current < 0 || i > current
              ? StepState.PENDING
              : i < current ? StepState.DONE : StepState.CURRENT;
      Optional<Outcome> outcome = Optional.empty();
      if (steps.get(i) instanceof CanaryStep.Analysis) {
        String name = stepName(i);
        if (where == StepState.PENDING) {
          outcome = Optional.of(Outcome.PENDING);
        } else if (where == StepState.CURRENT) {
          outcome =
              analyses.stream()
                  .filter(a -> a.name().equals(name))
                  .findFirst()
                  .map(RolloutView.Analysis::outcome);
        } else {
          int index = i;
          outcome =
              cursor
                  .flatMap(c -> runs.apply(c.stepRun(spec.name(), index)))
                  .map(
                      k ->
                          Outcome.of(
                              AnalysisSummaries.of(
                                      k.run().name(), k.run().states(), k.run().templates())
                                  .counts()
                                  .phase(),
                              k.stopped()));
        }
      }
      out.add(new RolloutView.Step(i + 1, steps.get(i).describe(), where, outcome));
    }
    return out;
  }

  private static List<RolloutView.Step> blueGreenSteps(
      RolloutSpec spec, BlueGreenState state, List<RolloutView.Analysis> analyses) {
    BlueGreenStrategy strategy = spec.blueGreen();
    List<String> names = new ArrayList<>();
    names.add("preview");
    strategy
        .prePromotionAnalysis()
        .ifPresent(a -> names.add("pre-promotion analysis " + a.describe()));
    names.add(
        strategy.autoPromotionEnabled()
            ? "promotion"
                + strategy
                    .autoPromotionSeconds()
                    .map(d -> " (auto after " + Durations.format(d) + ")")
                    .orElse(" (auto)")
            : "promotion (waits for promote)");
    names.add("switch");
    strategy
        .postPromotionAnalysis()
        .ifPresent(a -> names.add("post-promotion analysis " + a.describe()));
    names.add("scale down");
    int pre = strategy.prePromotionAnalysis().isPresent() ? 1 : -1;
    int promotion = strategy.prePromotionAnalysis().isPresent() ? 2 : 1;
    int post = strategy.postPromotionAnalysis().isPresent() ? promotion + 2 : -1;
    int scaleDown = names.size() - 1;
    BlueGreenState.Activity activity =
        switch (state) {
          case BlueGreenState.Previewing p -> p.activity();
          case BlueGreenState.Paused p -> p.activity();
          default -> null;
        };
    int current =
        switch (state) {
          case BlueGreenState.Steady s -> -1;
          case BlueGreenState.Aborted a -> 0;
          case BlueGreenState.ScalingDown s -> scaleDown;
          case BlueGreenState.Switched s ->
              s.postRun().isPresent() && !s.postCounts().phase().completed() && post >= 0
                  ? post
                  : scaleDown;
          default ->
              switch (activity) {
                case BlueGreenState.PrePromotionAnalysis a -> Math.max(pre, 0);
                case BlueGreenState.AwaitPromotion a -> promotion;
                case null, default -> 0;
              };
        };
    List<RolloutView.Step> out = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      StepState where =
          current < 0 || i > current
              ? StepState.PENDING
              : i < current ? StepState.DONE : StepState.CURRENT;
      Optional<Outcome> outcome = Optional.empty();
      if (i == pre || i == post) {
        String name = i == pre ? "pre-promotion" : "post-promotion";
        outcome =
            where == StepState.PENDING
                ? Optional.of(Outcome.PENDING)
                : analyses.stream()
                    .filter(a -> a.name().equals(name))
                    .findFirst()
                    .map(RolloutView.Analysis::outcome);
      }
      out.add(new RolloutView.Step(i + 1, names.get(i), where, outcome));
    }
    return out;
  }

  private static Optional<Instant> since(RolloutState state) {
    return switch (state) {
      case CanaryState.Steady s -> Optional.empty();
      case CanaryState.Progressing p -> Optional.of(p.cursor().startedAt());
      case CanaryState.Paused p -> Optional.of(p.since());
      case CanaryState.Promoting p -> Optional.of(p.since());
      case CanaryState.Aborted a -> Optional.of(a.at());
      case BlueGreenState.Steady s -> Optional.empty();
      case BlueGreenState.Previewing p -> Optional.of(p.cursor().startedAt());
      case BlueGreenState.Paused p -> Optional.of(p.since());
      case BlueGreenState.Switched s -> Optional.of(s.at());
      case BlueGreenState.ScalingDown s -> Optional.of(s.since());
      case BlueGreenState.Aborted a -> Optional.of(a.at());
    };
  }

  /** What a rollout waiting for a person waits for. */
  private static Optional<String> waiting(RolloutState state) {
    return switch (state) {
      case CanaryState.Paused p ->
          Optional.of(
              p.note().toLowerCase(Locale.ROOT).startsWith("paused")
                  ? p.note()
                  : "paused: " + p.note());
      case CanaryState.Progressing p
          when p.activity() instanceof CanaryState.WaitForTime t && t.until().isEmpty() ->
          Optional.of("waiting for promote");
      case BlueGreenState.Paused p -> Optional.of("paused: " + p.note());
      case BlueGreenState.Previewing p
          when p.activity() instanceof BlueGreenState.AwaitPromotion a && a.autoAt().isEmpty() ->
          Optional.of("waiting for promote");
      default -> Optional.empty();
    };
  }

  /**
   * The series of {@code state}'s analyses read back from the metrics source over the last 15
   * minutes, by run name (see {@link MetricSeriesHistory}).
   */
  static Map<String, List<MetricSeries>> readBack(
      RolloutSpec spec,
      RolloutState state,
      Map<String, AnalysisTemplateSpec> templates,
      dev.weir.engine.analysis.MetricProvider metrics,
      Instant now) {
    Map<String, List<MetricSeries>> out = new java.util.LinkedHashMap<>();
    Map.Entry<String, String> hashes = hashes(state);
    for (Slot slot : slots(spec, state)) {
      Map<String, String> canaryArgs = slot.ref().resolved(hashes.getKey(), hashes.getValue());
      Map<String, String> stableArgs = slot.ref().resolved(hashes.getValue(), hashes.getValue());
      List<MetricSeries> series = new ArrayList<>();
      for (String name : slot.ref().templates()) {
        AnalysisTemplateSpec template = templates.get(name);
        if (template != null) {
          series.addAll(
              MetricSeriesHistory.read(
                  template,
                  canaryArgs,
                  stableArgs,
                  metrics,
                  now.minus(MetricSeriesHistory.WINDOW),
                  now));
        }
      }
      out.put(slot.run(), series);
    }
    return out;
  }

  /**
   * The pod-template hashes of the new version and of the stable one, as {@code state} has them.
   */
  static Map.Entry<String, String> hashes(RolloutState state) {
    PodTemplateRef stable = stableOf(state);
    PodTemplateRef latest =
        switch (state) {
          case CanaryState.Progressing p -> p.cursor().canary();
          case CanaryState.Paused p -> p.cursor().canary();
          case CanaryState.Promoting p -> p.cursor().canary();
          case CanaryState.Aborted a -> a.cursor().canary();
          case BlueGreenState.Previewing p -> p.cursor().preview();
          case BlueGreenState.Paused p -> p.cursor().preview();
          case BlueGreenState.Switched sw -> sw.cursor().preview();
          case BlueGreenState.ScalingDown sd -> sd.cursor().preview();
          case BlueGreenState.Aborted a -> a.cursor().preview();
          case CanaryState.Steady s -> stable;
          case BlueGreenState.Steady s -> stable;
        };
    return Map.entry(latest.hash(), stable.hash());
  }

  /** The stable (active) template of {@code state}. */
  static PodTemplateRef stableOf(RolloutState state) {
    return switch (state) {
      case CanaryState.Steady s -> s.stable();
      case CanaryState.Progressing p -> p.cursor().stable();
      case CanaryState.Paused p -> p.cursor().stable();
      case CanaryState.Promoting p -> p.cursor().stable();
      case CanaryState.Aborted a -> a.cursor().stable();
      case BlueGreenState.Steady s -> s.active();
      case BlueGreenState.Previewing p -> p.cursor().active();
      case BlueGreenState.Paused p -> p.cursor().active();
      case BlueGreenState.Switched s -> s.cursor().active();
      case BlueGreenState.ScalingDown s -> s.cursor().active();
      case BlueGreenState.Aborted a -> a.cursor().active();
    };
  }
}
