package dev.weir.engine.rollout;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.engine.analysis.AnalysisCheckpoint;
import dev.weir.engine.analysis.AnalysisPhase;
import dev.weir.engine.analysis.Classification;
import dev.weir.engine.analysis.Direction;
import dev.weir.engine.analysis.JudgeSettings;
import dev.weir.engine.analysis.Measurement;
import dev.weir.engine.analysis.MetricValue;
import dev.weir.engine.analysis.Observation;
import dev.weir.engine.analysis.ProviderError;
import dev.weir.engine.analysis.Verdict;
import dev.weir.engine.traffic.HeaderRoute;
import dev.weir.engine.traffic.MirrorRoute;
import dev.weir.engine.traffic.RouteMatch;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A rollout state as JSON, the form the executor records in the cluster before every action, and
 * back. Versioned ({@code "format": 1}); a record this version cannot read is reported, never
 * guessed at. Pure and thread-safe.
 *
 * <p>Additions that older records lack are optional within format 1: analysis counts carry {@code
 * checkpoints} (each run's counters and latest measurement, to resume the run from) since they were
 * added; a record without them reads as counts without checkpoints, and an older Weir reading a
 * newer record ignores them. Likewise a canary {@code Steady} may carry {@code flagRestores} (the
 * flag restores a rollback or cancellation still owes, {@link CanaryState.Steady#flagRestores};
 * a record of decision 0034 wrote one as {@code flagRestore}, still read), and a canary cursor
 * {@code superseded} (the flag restores of the canary it superseded, and whether they are owed,
 * {@link CanaryCursor#superseded}; decision 0044).
 */
public final class RolloutStateCodec {
  /** The format written. */
  public static final int FORMAT = 1;

  private static final ObjectMapper JSON = new ObjectMapper();

  private RolloutStateCodec() {}

  /** The state as one line of JSON. */
  public static String encode(RolloutState state) {
    try {
      return JSON.writeValueAsString(tree(state));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a rollout state is always JSON-writable", e);
    }
  }

  /**
   * The state written by {@link #encode}.
   *
   * @throws IllegalArgumentException with one line saying what is wrong, for a record that is not
   *     one
   */
  public static RolloutState decode(String json) {
    Map<String, Object> tree;
    try {
      @SuppressWarnings("unchecked")
      Map<String, Object> read = JSON.readValue(json, Map.class);
      tree = read;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "the recorded rollout state is not JSON: " + e.getOriginalMessage());
    }
    if (!Integer.valueOf(FORMAT).equals(tree.get("format"))) {
      throw new IllegalArgumentException(
          "the recorded rollout state has format "
              + tree.get("format")
              + "; this Weir reads format "
              + FORMAT);
    }
    try {
      return state(tree);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "the recorded rollout state cannot be read: " + e.getMessage());
    }
  }

  // ---- encode -------------------------------------------------------------------------------

  private static Map<String, Object> tree(RolloutState state) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("format", FORMAT);
    switch (state) {
      case CanaryState.Steady s -> {
        put(out, "canary", "Steady");
        out.put("stable", ref(s.stable()));
        s.stableRevision().ifPresent(r -> out.put("stableRevision", r));
        out.put("note", s.note());
        if (!s.flagRestores().isEmpty()) {
          out.put("flagRestores", s.flagRestores().stream().map(r -> flagRestore(r)).toList());
        }
      }
      case CanaryState.Progressing p -> {
        put(out, "canary", "Progressing");
        out.put("cursor", cursor(p.cursor()));
        out.put("activity", activity(p.activity()));
      }
      case CanaryState.Paused p -> {
        put(out, "canary", "Paused");
        out.put("cursor", cursor(p.cursor()));
        out.put("activity", activity(p.activity()));
        out.put("reason", p.reason().name());
        p.heldWeight().ifPresent(w -> out.put("heldWeight", w));
        out.put("note", p.note());
        out.put("since", p.since().toString());
      }
      case CanaryState.Promoting p -> {
        put(out, "canary", "Promoting");
        out.put("cursor", cursor(p.cursor()));
        out.put("since", p.since().toString());
      }
      case CanaryState.Aborted a -> {
        put(out, "canary", "Aborted");
        out.put("cursor", cursor(a.cursor()));
        out.put("automatic", a.automatic());
        out.put("message", a.message());
        out.put("at", a.at().toString());
      }
      case BlueGreenState.Steady s -> {
        put(out, "blueGreen", "Steady");
        out.put("active", ref(s.active()));
        s.activeRevision().ifPresent(r -> out.put("activeRevision", r));
        out.put("note", s.note());
      }
      case BlueGreenState.Previewing p -> {
        put(out, "blueGreen", "Previewing");
        out.put("cursor", cursor(p.cursor()));
        out.put("activity", activity(p.activity()));
      }
      case BlueGreenState.Paused p -> {
        put(out, "blueGreen", "Paused");
        out.put("cursor", cursor(p.cursor()));
        out.put("activity", activity(p.activity()));
        out.put("inconclusive", p.inconclusive());
        out.put("note", p.note());
        out.put("since", p.since().toString());
      }
      case BlueGreenState.Switched s -> {
        put(out, "blueGreen", "Switched");
        out.put("cursor", cursor(s.cursor()));
        out.put("at", s.at().toString());
        s.postRun().ifPresent(r -> out.put("postRun", r));
        out.put("postCounts", counts(s.postCounts()));
      }
      case BlueGreenState.ScalingDown s -> {
        put(out, "blueGreen", "ScalingDown");
        out.put("cursor", cursor(s.cursor()));
        out.put("since", s.since().toString());
      }
      case BlueGreenState.Aborted a -> {
        put(out, "blueGreen", "Aborted");
        out.put("cursor", cursor(a.cursor()));
        out.put("automatic", a.automatic());
        out.put("message", a.message());
        out.put("at", a.at().toString());
      }
    }
    return out;
  }

  private static void put(Map<String, Object> out, String strategy, String state) {
    out.put("strategy", strategy);
    out.put("state", state);
  }

  private static Map<String, Object> ref(PodTemplateRef ref) {
    return new LinkedHashMap<>(Map.of("hash", ref.hash(), "version", ref.version()));
  }

  private static Map<String, Object> counts(AnalysisCounts c) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("phase", c.phase().name());
    out.put("measured", c.measured());
    out.put("successful", c.successful());
    out.put("failed", c.failed());
    out.put("inconclusive", c.inconclusive());
    out.put("error", c.error());
    out.put("last", c.last());
    if (!c.checkpoints().isEmpty()) {
      List<Object> runs = new ArrayList<>();
      c.checkpoints().forEach(checkpoint -> runs.add(checkpoint(checkpoint)));
      out.put("checkpoints", runs);
    }
    return out;
  }

  private static Map<String, Object> checkpoint(AnalysisCheckpoint c) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("template", c.template());
    out.put("startedAt", c.startedAt().toString());
    List<Object> metrics = new ArrayList<>();
    for (AnalysisCheckpoint.MetricCheckpoint m : c.metrics()) {
      Map<String, Object> metric = new LinkedHashMap<>();
      metric.put("name", m.name());
      metric.put("phase", m.phase().name());
      metric.put("count", m.count());
      metric.put("successful", m.successful());
      metric.put("failed", m.failed());
      metric.put("inconclusive", m.inconclusive());
      metric.put("error", m.error());
      metric.put("consecutiveError", m.consecutiveError());
      m.last().ifPresent(last -> metric.put("last", measurement(last)));
      metrics.add(metric);
    }
    out.put("metrics", metrics);
    return out;
  }

  private static Map<String, Object> measurement(Measurement m) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("metric", m.metric());
    out.put("at", m.at().toString());
    out.put("phase", m.phase().name());
    out.put("message", m.message());
    switch (m.observation()) {
      case Observation.Value v -> {
        switch (v.value()) {
          case MetricValue.Scalar scalar -> out.put("scalar", real(scalar.value()));
          case MetricValue.Vector vector ->
              out.put("vector", vector.values().stream().map(RolloutStateCodec::real).toList());
        }
      }
      case Observation.Samples samples -> out.put("samples", samples.canary().length);
      case Observation.Failed failed ->
          out.put(
              "providerError",
              Map.of(
                  "reason", failed.error().reason().name(), "message", failed.error().message()));
    }
    m.verdict().ifPresent(v -> out.put("verdict", verdict(v)));
    return out;
  }

  private static Map<String, Object> verdict(Verdict v) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("metric", v.metric());
    out.put("classification", v.classification().name());
    out.put("pValue", real(v.pValue()));
    out.put("baselineMedian", real(v.baselineMedian()));
    out.put("canaryMedian", real(v.canaryMedian()));
    out.put("relativeChange", real(v.relativeChange()));
    out.put("baselineCount", v.baselineCount());
    out.put("canaryCount", v.canaryCount());
    out.put("direction", v.settings().direction().name());
    out.put("effectSize", real(v.settings().effectSize()));
    out.put("confidence", real(v.settings().confidence()));
    out.put("minSamples", v.settings().minSamples());
    out.put("explanation", v.explanation());
    return out;
  }

  /** A double as JSON: a number when finite, else {@code "NaN"}, {@code "Infinity"}… */
  private static Object real(double value) {
    return Double.isFinite(value) ? value : Double.toString(value);
  }

  private static Map<String, Object> cursor(CanaryCursor c) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("stable", ref(c.stable()));
    c.stableRevision().ifPresent(r -> out.put("stableRevision", r));
    out.put("canary", ref(c.canary()));
    out.put("canaryRevision", c.canaryRevision());
    out.put("attempt", c.attempt());
    out.put("step", c.step());
    out.put("stepWeight", c.stepWeight());
    out.put("weight", c.weight());
    out.put("canaryReplicas", c.canaryReplicas());
    c.scaleReplicas().ifPresent(v -> out.put("scaleReplicas", v));
    c.scaleWeight().ifPresent(v -> out.put("scaleWeight", v));
    List<Object> routes = new ArrayList<>();
    for (HeaderRoute route : c.headerRoutes()) {
      List<Object> matches = new ArrayList<>();
      for (RouteMatch match : route.matches()) {
        matches.add(
            switch (match) {
              case RouteMatch.Header h ->
                  Map.of("header", h.name(), "type", h.type().name(), "value", h.value());
              case RouteMatch.Cookie k -> Map.of("cookie", k.name(), "value", k.value());
            });
      }
      routes.add(Map.of("name", route.name(), "matches", matches));
    }
    out.put("headerRoutes", routes);
    if (!c.mirrorRoutes().isEmpty()) {
      List<Object> mirrors = new ArrayList<>();
      for (MirrorRoute mirror : c.mirrorRoutes()) {
        List<Object> matches = new ArrayList<>();
        for (MirrorRoute.Match match : mirror.matches()) {
          Map<String, Object> m = new LinkedHashMap<>();
          match.method().ifPresent(v -> m.put("method", stringMatch(v)));
          match.path().ifPresent(v -> m.put("path", stringMatch(v)));
          Map<String, Object> headers = new java.util.TreeMap<>();
          match.headers().forEach((name, v) -> headers.put(name, stringMatch(v)));
          m.put("headers", headers);
          matches.add(m);
        }
        mirrors.add(
            Map.of("name", mirror.name(), "percentage", mirror.percentage(), "matches", matches));
      }
      out.put("mirrorRoutes", mirrors);
    }
    out.put("backgroundGeneration", c.backgroundGeneration());
    out.put("background", counts(c.background()));
    out.put("startedAt", c.startedAt().toString());
    if (!c.superseded().equals(CanaryCursor.SupersededFlags.NONE)) {
      Map<String, Object> superseded = new LinkedHashMap<>();
      superseded.put(
          "restores", c.superseded().restores().stream().map(r -> flagRestore(r)).toList());
      superseded.put("owed", c.superseded().owed());
      out.put("superseded", superseded);
    }
    return out;
  }

  private static Map<String, Object> cursor(BlueGreenCursor c) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("active", ref(c.active()));
    c.activeRevision().ifPresent(r -> out.put("activeRevision", r));
    out.put("preview", ref(c.preview()));
    out.put("previewRevision", c.previewRevision());
    out.put("attempt", c.attempt());
    out.put("startedAt", c.startedAt().toString());
    return out;
  }

  private static Map<String, Object> activity(CanaryState.Activity activity) {
    Map<String, Object> out = new LinkedHashMap<>();
    switch (activity) {
      case CanaryState.WaitForWeight w -> out.put("kind", "WaitForWeight");
      case CanaryState.WaitForTime t -> {
        out.put("kind", "WaitForTime");
        t.until().ifPresent(u -> out.put("until", u.toString()));
      }
      case CanaryState.WaitForAnalysis a -> {
        out.put("kind", "WaitForAnalysis");
        out.put("run", a.run());
        out.put("counts", counts(a.counts()));
      }
      case CanaryState.WaitForExperiment x -> {
        out.put("kind", "WaitForExperiment");
        x.running().ifPresent(r -> out.put("running", r.toString()));
        List<Object> runs = new java.util.ArrayList<>();
        x.runs()
            .forEach(
                (name, run) -> {
                  Map<String, Object> one = new LinkedHashMap<>();
                  one.put("name", name);
                  one.put("run", run.run());
                  one.put("counts", counts(run.counts()));
                  runs.add(one);
                });
        out.put("runs", runs);
      }
    }
    return out;
  }

  private static Map<String, Object> activity(BlueGreenState.Activity activity) {
    Map<String, Object> out = new LinkedHashMap<>();
    switch (activity) {
      case BlueGreenState.WaitForPreview w -> out.put("kind", "WaitForPreview");
      case BlueGreenState.PrePromotionAnalysis a -> {
        out.put("kind", "PrePromotionAnalysis");
        out.put("run", a.run());
        out.put("counts", counts(a.counts()));
      }
      case BlueGreenState.AwaitPromotion a -> {
        out.put("kind", "AwaitPromotion");
        a.autoAt().ifPresent(at -> out.put("autoAt", at.toString()));
      }
    }
    return out;
  }

  private static Map<String, Object> flagRestore(Effect.RestoreFlags restore) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("revision", restore.revision());
    out.put("flags", restore.flags());
    out.put("reason", restore.reason());
    return out;
  }

  // ---- decode -------------------------------------------------------------------------------

  private static RolloutState state(Map<String, Object> t) {
    String strategy = text(t, "strategy");
    String state = text(t, "state");
    if (strategy.equals("canary")) {
      return switch (state) {
        case "Steady" ->
            new CanaryState.Steady(
                ref(map(t, "stable")),
                optional(t, "stableRevision"),
                text(t, "note"),
                flagRestores(t));
        case "Progressing" ->
            new CanaryState.Progressing(
                canaryCursor(map(t, "cursor")), canaryActivity(map(t, "activity")));
        case "Paused" ->
            new CanaryState.Paused(
                canaryCursor(map(t, "cursor")),
                canaryActivity(map(t, "activity")),
                CanaryState.PauseReason.valueOf(text(t, "reason")),
                t.get("heldWeight") == null
                    ? OptionalInt.empty()
                    : OptionalInt.of(number(t, "heldWeight")),
                text(t, "note"),
                instant(t, "since"));
        case "Promoting" ->
            new CanaryState.Promoting(canaryCursor(map(t, "cursor")), instant(t, "since"));
        case "Aborted" ->
            new CanaryState.Aborted(
                canaryCursor(map(t, "cursor")),
                bool(t, "automatic"),
                text(t, "message"),
                instant(t, "at"));
        default -> throw new IllegalArgumentException("unknown canary state " + state);
      };
    }
    if (strategy.equals("blueGreen")) {
      return switch (state) {
        case "Steady" ->
            new BlueGreenState.Steady(
                ref(map(t, "active")), optional(t, "activeRevision"), text(t, "note"));
        case "Previewing" ->
            new BlueGreenState.Previewing(
                blueGreenCursor(map(t, "cursor")), blueGreenActivity(map(t, "activity")));
        case "Paused" ->
            new BlueGreenState.Paused(
                blueGreenCursor(map(t, "cursor")),
                blueGreenActivity(map(t, "activity")),
                bool(t, "inconclusive"),
                text(t, "note"),
                instant(t, "since"));
        case "Switched" ->
            new BlueGreenState.Switched(
                blueGreenCursor(map(t, "cursor")),
                instant(t, "at"),
                optional(t, "postRun"),
                counts(map(t, "postCounts")));
        case "ScalingDown" ->
            new BlueGreenState.ScalingDown(blueGreenCursor(map(t, "cursor")), instant(t, "since"));
        case "Aborted" ->
            new BlueGreenState.Aborted(
                blueGreenCursor(map(t, "cursor")),
                bool(t, "automatic"),
                text(t, "message"),
                instant(t, "at"));
        default -> throw new IllegalArgumentException("unknown blue/green state " + state);
      };
    }
    throw new IllegalArgumentException("unknown strategy " + strategy);
  }

  /**
   * A Steady's owed restores: {@code flagRestores}, or the one {@code flagRestore} a record of
   * decision 0034 wrote; none in older records.
   */
  private static List<Effect.RestoreFlags> flagRestores(Map<String, Object> t) {
    if (t.containsKey("flagRestore")) {
      return List.of(flagRestore(map(t, "flagRestore")));
    }
    List<Effect.RestoreFlags> restores = new ArrayList<>();
    if (t.containsKey("flagRestores")) {
      for (Object raw : list(t, "flagRestores")) {
        @SuppressWarnings("unchecked")
        Map<String, Object> restore = (Map<String, Object>) raw;
        restores.add(flagRestore(restore));
      }
    }
    return restores;
  }

  /** A canary cursor's {@code superseded}; {@link CanaryCursor.SupersededFlags#NONE} if absent. */
  private static CanaryCursor.SupersededFlags superseded(Map<String, Object> c) {
    if (!c.containsKey("superseded")) {
      return CanaryCursor.SupersededFlags.NONE;
    }
    Map<String, Object> superseded = map(c, "superseded");
    return new CanaryCursor.SupersededFlags(flagRestores(Map.of("flagRestores",
        superseded.getOrDefault("restores", List.of()))), bool(superseded, "owed"));
  }

  private static Effect.RestoreFlags flagRestore(Map<String, Object> r) {
    List<String> flags = new ArrayList<>();
    for (Object flag : list(r, "flags")) {
      flags.add(String.valueOf(flag));
    }
    return new Effect.RestoreFlags(text(r, "revision"), flags, text(r, "reason"));
  }

  private static Map<String, Object> stringMatch(MirrorRoute.StringMatch match) {
    return Map.of("type", match.type().name(), "value", match.value());
  }

  private static MirrorRoute.StringMatch stringMatch(Object raw) {
    @SuppressWarnings("unchecked")
    Map<String, Object> match = (Map<String, Object>) raw;
    return new MirrorRoute.StringMatch(
        RouteMatch.MatchType.valueOf(text(match, "type")), text(match, "value"));
  }

  /** The mirror routes of a cursor; none in a record written before they existed. */
  private static List<MirrorRoute> mirrorRoutes(Map<String, Object> c) {
    List<MirrorRoute> mirrors = new ArrayList<>();
    for (Object raw : list(c, "mirrorRoutes")) {
      @SuppressWarnings("unchecked")
      Map<String, Object> mirror = (Map<String, Object>) raw;
      List<MirrorRoute.Match> matches = new ArrayList<>();
      for (Object rawMatch : list(mirror, "matches")) {
        @SuppressWarnings("unchecked")
        Map<String, Object> match = (Map<String, Object>) rawMatch;
        Map<String, MirrorRoute.StringMatch> headers = new LinkedHashMap<>();
        if (match.get("headers") instanceof Map<?, ?> h) {
          h.forEach((name, v) -> headers.put(String.valueOf(name), stringMatch(v)));
        }
        matches.add(
            new MirrorRoute.Match(
                Optional.ofNullable(match.get("method")).map(RolloutStateCodec::stringMatch),
                Optional.ofNullable(match.get("path")).map(RolloutStateCodec::stringMatch),
                headers));
      }
      mirrors.add(new MirrorRoute(text(mirror, "name"), number(mirror, "percentage"), matches));
    }
    return mirrors;
  }

  private static CanaryCursor canaryCursor(Map<String, Object> c) {
    List<HeaderRoute> routes = new ArrayList<>();
    for (Object raw : list(c, "headerRoutes")) {
      @SuppressWarnings("unchecked")
      Map<String, Object> route = (Map<String, Object>) raw;
      List<RouteMatch> matches = new ArrayList<>();
      for (Object rawMatch : list(route, "matches")) {
        @SuppressWarnings("unchecked")
        Map<String, Object> match = (Map<String, Object>) rawMatch;
        matches.add(
            match.containsKey("cookie")
                ? new RouteMatch.Cookie(text(match, "cookie"), text(match, "value"))
                : new RouteMatch.Header(
                    text(match, "header"),
                    RouteMatch.MatchType.valueOf(text(match, "type")),
                    text(match, "value")));
      }
      routes.add(new HeaderRoute(text(route, "name"), matches));
    }
    return new CanaryCursor(
        ref(map(c, "stable")),
        optional(c, "stableRevision"),
        ref(map(c, "canary")),
        text(c, "canaryRevision"),
        number(c, "attempt"),
        number(c, "step"),
        number(c, "stepWeight"),
        number(c, "weight"),
        number(c, "canaryReplicas"),
        c.get("scaleReplicas") == null
            ? OptionalInt.empty()
            : OptionalInt.of(number(c, "scaleReplicas")),
        c.get("scaleWeight") == null
            ? OptionalInt.empty()
            : OptionalInt.of(number(c, "scaleWeight")),
        routes,
        mirrorRoutes(c),
        number(c, "backgroundGeneration"),
        counts(map(c, "background")),
        instant(c, "startedAt"),
        superseded(c));
  }

  private static BlueGreenCursor blueGreenCursor(Map<String, Object> c) {
    return new BlueGreenCursor(
        ref(map(c, "active")),
        optional(c, "activeRevision"),
        ref(map(c, "preview")),
        text(c, "previewRevision"),
        number(c, "attempt"),
        instant(c, "startedAt"));
  }

  private static CanaryState.Activity canaryActivity(Map<String, Object> a) {
    return switch (text(a, "kind")) {
      case "WaitForWeight" -> new CanaryState.WaitForWeight();
      case "WaitForTime" ->
          new CanaryState.WaitForTime(
              a.get("until") == null ? Optional.empty() : Optional.of(instant(a, "until")));
      case "WaitForAnalysis" ->
          new CanaryState.WaitForAnalysis(text(a, "run"), counts(map(a, "counts")));
      case "WaitForExperiment" -> {
        Map<String, CanaryState.WaitForExperiment.ExperimentRun> runs = new LinkedHashMap<>();
        if (a.get("runs") instanceof List<?> list) {
          for (Object item : list) {
            @SuppressWarnings("unchecked")
            Map<String, Object> one = (Map<String, Object>) item;
            runs.put(
                text(one, "name"),
                new CanaryState.WaitForExperiment.ExperimentRun(
                    text(one, "run"), counts(map(one, "counts"))));
          }
        }
        yield new CanaryState.WaitForExperiment(
            a.get("running") == null ? Optional.empty() : Optional.of(instant(a, "running")),
            runs);
      }
      default -> throw new IllegalArgumentException("unknown activity " + a.get("kind"));
    };
  }

  private static BlueGreenState.Activity blueGreenActivity(Map<String, Object> a) {
    return switch (text(a, "kind")) {
      case "WaitForPreview" -> new BlueGreenState.WaitForPreview();
      case "PrePromotionAnalysis" ->
          new BlueGreenState.PrePromotionAnalysis(text(a, "run"), counts(map(a, "counts")));
      case "AwaitPromotion" ->
          new BlueGreenState.AwaitPromotion(
              a.get("autoAt") == null ? Optional.empty() : Optional.of(instant(a, "autoAt")));
      default -> throw new IllegalArgumentException("unknown activity " + a.get("kind"));
    };
  }

  private static PodTemplateRef ref(Map<String, Object> r) {
    return new PodTemplateRef(text(r, "hash"), text(r, "version"));
  }

  private static AnalysisCounts counts(Map<String, Object> c) {
    return new AnalysisCounts(
        AnalysisPhase.valueOf(text(c, "phase")),
        number(c, "measured"),
        number(c, "successful"),
        number(c, "failed"),
        number(c, "inconclusive"),
        number(c, "error"),
        text(c, "last"),
        list(c, "checkpoints").stream().map(RolloutStateCodec::checkpoint).toList());
  }

  @SuppressWarnings("unchecked")
  private static AnalysisCheckpoint checkpoint(Object raw) {
    if (!(raw instanceof Map<?, ?>)) {
      throw new IllegalArgumentException("an analysis checkpoint is not an object");
    }
    Map<String, Object> c = (Map<String, Object>) raw;
    List<AnalysisCheckpoint.MetricCheckpoint> metrics = new ArrayList<>();
    for (Object rawMetric : list(c, "metrics")) {
      if (!(rawMetric instanceof Map<?, ?>)) {
        throw new IllegalArgumentException("a checkpointed metric is not an object");
      }
      Map<String, Object> m = (Map<String, Object>) rawMetric;
      metrics.add(
          new AnalysisCheckpoint.MetricCheckpoint(
              text(m, "name"),
              AnalysisPhase.valueOf(text(m, "phase")),
              number(m, "count"),
              number(m, "successful"),
              number(m, "failed"),
              number(m, "inconclusive"),
              number(m, "error"),
              number(m, "consecutiveError"),
              m.get("last") == null ? Optional.empty() : Optional.of(measurement(map(m, "last")))));
    }
    return new AnalysisCheckpoint(text(c, "template"), instant(c, "startedAt"), metrics);
  }

  private static Measurement measurement(Map<String, Object> m) {
    Observation observation;
    if (m.containsKey("scalar")) {
      observation = new Observation.Value(new MetricValue.Scalar(real(m, "scalar")));
    } else if (m.containsKey("vector")) {
      observation =
          new Observation.Value(
              new MetricValue.Vector(
                  list(m, "vector").stream().map(RolloutStateCodec::real).toList()));
    } else if (m.containsKey("providerError")) {
      Map<String, Object> error = map(m, "providerError");
      observation =
          new Observation.Failed(
              new ProviderError(
                  ProviderError.Reason.valueOf(text(error, "reason")), text(error, "message")));
    } else if (m.containsKey("samples")) {
      observation = new Observation.Samples(new double[0], new double[0]);
    } else {
      throw new IllegalArgumentException("a recorded measurement has no observation");
    }
    Optional<Verdict> verdict = Optional.empty();
    if (m.get("verdict") != null) {
      Map<String, Object> v = map(m, "verdict");
      verdict =
          Optional.of(
              new Verdict(
                  text(v, "metric"),
                  Classification.valueOf(text(v, "classification")),
                  real(v, "pValue"),
                  real(v, "baselineMedian"),
                  real(v, "canaryMedian"),
                  real(v, "relativeChange"),
                  number(v, "baselineCount"),
                  number(v, "canaryCount"),
                  new JudgeSettings(
                      Direction.valueOf(text(v, "direction")),
                      real(v, "effectSize"),
                      real(v, "confidence"),
                      number(v, "minSamples")),
                  text(v, "explanation")));
    }
    return new Measurement(
        text(m, "metric"),
        instant(m, "at"),
        observation,
        AnalysisPhase.valueOf(text(m, "phase")),
        verdict,
        text(m, "message"));
  }

  private static double real(Map<String, Object> t, String key) {
    Object value = t.get(key);
    if (value == null) {
      throw new IllegalArgumentException(key + " is missing");
    }
    return real(value);
  }

  private static double real(Object value) {
    if (value instanceof Number n) {
      return n.doubleValue();
    }
    try {
      return Double.parseDouble(String.valueOf(value));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(value + " is not a number");
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Map<String, Object> t, String key) {
    if (t.get(key) instanceof Map<?, ?> m) {
      return (Map<String, Object>) m;
    }
    throw new IllegalArgumentException(key + " is missing");
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Map<String, Object> t, String key) {
    return t.get(key) instanceof List<?> l ? (List<Object>) l : List.of();
  }

  private static String text(Map<String, Object> t, String key) {
    Object value = t.get(key);
    if (value == null) {
      throw new IllegalArgumentException(key + " is missing");
    }
    return String.valueOf(value);
  }

  private static Optional<String> optional(Map<String, Object> t, String key) {
    return Optional.ofNullable(t.get(key)).map(String::valueOf);
  }

  private static int number(Map<String, Object> t, String key) {
    if (t.get(key) instanceof Number n) {
      return n.intValue();
    }
    throw new IllegalArgumentException(key + " is not a number");
  }

  private static boolean bool(Map<String, Object> t, String key) {
    return Boolean.TRUE.equals(t.get(key));
  }

  private static Instant instant(Map<String, Object> t, String key) {
    return Instant.parse(text(t, "" + key));
  }
}
