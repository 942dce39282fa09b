package dev.weir.engine.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.weir.engine.analysis.MetricSeries;
import dev.weir.engine.rollout.RolloutView;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The rollouts of one application as {@code weir rollout status} prints them: the {@link
 * RolloutView}s the engine computed, as text that fits 80 columns or as a JSON document with stable
 * field names. Immutable.
 *
 * <p>JSON: {@code {"application", "rollouts": [{name, strategy (CANARY|BLUE_GREEN), phase, message,
 * since, blocked, revertTo, router: {kind, object}, versions: {stable, stableWeight, canary,
 * canaryWeight}, steps: [{number, description, state (DONE|CURRENT|PENDING), analysis}], analyses:
 * [{name, templates, outcome, counts}], metrics: [{analysis, metric, canary, stable, judge,
 * verdict, pValue, explanation}], series: [{metric, unit, thresholds: [{kind, value, label}],
 * points: [{at, canary, stable}]}]}], "unrecorded": [NAME…]}}; numbers without a value are null.
 * Outcomes are {@code Pending, Running, Successful, Inconclusive, Error, Failed, Stopped}.
 *
 * @param application the application
 * @param problem why there is nothing to report (unknown application or rollout, invalid Rollout)
 * @param views the rollouts recorded in the cluster (or due)
 * @param unrecorded rollouts Git defines that no console has driven on this cluster yet
 */
public record RolloutReport(
    String application,
    Optional<CommandResult> problem,
    List<RolloutView> views,
    List<String> unrecorded) {
  /** The width text output fits. */
  public static final int WIDTH = 80;

  private static final ObjectWriter WRITER =
      new ObjectMapper()
          .writer(new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter("  ", "\n")));
  private static final DateTimeFormatter CLOCK =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

  public RolloutReport {
    Objects.requireNonNull(application, "application");
    Objects.requireNonNull(problem, "problem");
    views = List.copyOf(views);
    unrecorded = List.copyOf(unrecorded);
  }

  /**
   * The report of {@code view}'s rollouts ({@code rollout} alone when given), of those Git defines
   * ({@code defined}).
   */
  static RolloutReport of(ApplicationView view, List<String> defined, Optional<String> rollout) {
    List<String> wanted =
        defined.stream().filter(name -> rollout.map(name::equals).orElse(true)).toList();
    if (wanted.isEmpty()) {
      return problem(
          view.name(),
          CommandResult.Status.BAD_INPUT,
          "no rollout in application " + view.name() + rollout.map(r -> " named " + r).orElse(""));
    }
    List<RolloutView> views =
        view.rolloutViews().stream().filter(v -> wanted.contains(v.rollout())).toList();
    List<String> unrecorded =
        wanted.stream()
            .filter(name -> views.stream().noneMatch(v -> v.rollout().equals(name)))
            .toList();
    return new RolloutReport(view.name(), Optional.empty(), views, unrecorded);
  }

  static RolloutReport problem(String application, CommandResult.Status status, String message) {
    return new RolloutReport(
        application, Optional.of(CommandResult.of(status, message)), List.of(), List.of());
  }

  /** The one-line status of each rollout ({@code storefront Paused …}), wrapped to fit. */
  public List<String> headlines() {
    List<String> out = new ArrayList<>();
    views.forEach(v -> wrap(v.status().line(), "    ", out));
    return out;
  }

  /** {@code text} wrapped at word boundaries to {@link #WIDTH} columns, continuations indented. */
  public static List<String> wrapped(String text) {
    List<String> out = new ArrayList<>();
    wrap(text, "    ", out);
    return out;
  }

  /** The report as text, every line at most {@link #WIDTH} columns. */
  public List<String> text() {
    List<String> out = new ArrayList<>();
    for (RolloutView view : views) {
      text(view, out);
    }
    for (String name : unrecorded) {
      wrap(name + "  no rollout recorded yet: no console has driven it on this cluster", "", out);
    }
    return out;
  }

  private void text(RolloutView view, List<String> out) {
    var status = view.status();
    wrap(status.line(), "    ", out);
    if (status.steps() > 0) {
      out.add(
          "  step "
              + status.step()
              + "/"
              + status.steps()
              + ", canary weight "
              + status.weight()
              + "%");
    }
    out.add(
        cut(
            "  stable "
                + status.stableVersion()
                + status.newVersion().map(v -> ", new " + v).orElse("")));
    RolloutView.Versions versions = view.versions();
    String traffic =
        "  traffic: "
            + versions.stable()
            + " "
            + versions.stableWeight()
            + "%"
            + versions.canary().map(c -> ", " + c + " " + versions.canaryWeight() + "%").orElse("")
            + view.router()
                .filter(r -> !r.object().isEmpty())
                .map(r -> " via " + r.object())
                .orElse("");
    out.add(cut(traffic));
    view.phaseSince().ifPresent(since -> out.add("  since " + CLOCK.format(since)));
    view.blocked().ifPresent(blocked -> wrap("  blocked: " + blocked, "    ", out));
    if (!view.steps().isEmpty()) {
      out.add("  " + (view.strategy() == RolloutView.Strategy.CANARY ? "steps" : "stages") + ":");
      for (RolloutView.Step step : view.steps()) {
        String mark =
            switch (step.state()) {
              case DONE -> "[x]";
              case CURRENT -> "[>]";
              case PENDING -> "[ ]";
            };
        out.add(
            cut(
                "    "
                    + mark
                    + " "
                    + step.number()
                    + " "
                    + step.description()
                    + step.analysis().map(a -> " (" + a.word() + ")").orElse("")));
      }
    }
    for (RolloutView.Analysis analysis : view.analyses()) {
      wrap(
          "  analysis "
              + analysis.name()
              + " "
              + analysis.templates()
              + ": "
              + analysis.outcome().word()
              + ", "
              + analysis.counts(),
          "    ",
          out);
    }
    if (!view.metrics().isEmpty()) {
      out.add(
          String.format(
              "  %-16s %-10s %9s %9s  %s", "METRIC", "ANALYSIS", "CANARY", "STABLE", "VERDICT"));
      for (RolloutView.MetricRow row : view.metrics()) {
        out.add(
            cut(
                String.format(
                    "  %-16s %-10s %9s %9s  %s",
                    fit(row.metric(), 16),
                    fit(row.analysis(), 10),
                    number(row.canary()),
                    number(row.stable()),
                    row.verdict().word()
                        + (row.pValue().isPresent() ? " p=" + number(row.pValue()) : ""))));
        out.add(cut("    " + row.judge() + ": " + row.explanation()));
      }
    }
    for (MetricSeries series : view.series()) {
      if (series.points().isEmpty()) {
        continue;
      }
      MetricSeries.Point last = series.points().getLast();
      out.add(
          cut(
              "  series "
                  + series.metric()
                  + ": "
                  + series.points().size()
                  + " points since "
                  + CLOCK.format(series.points().getFirst().at()).substring(11)
                  + ", last canary "
                  + number(last.canary())
                  + (Double.isNaN(last.stable()) ? "" : ", stable " + number(last.stable()))));
    }
    status
        .revertTo()
        .ifPresent(
            r ->
                out.add(
                    "  to make Git agree: weir rollback "
                        + application
                        + " --to "
                        + r.substring(0, Math.min(7, r.length()))));
  }

  private static String fit(String text, int width) {
    return text.length() <= width ? text : text.substring(0, width - 1) + "…";
  }

  private static String cut(String line) {
    return fit(line, WIDTH);
  }

  /**
   * Adds {@code text} wrapped at word boundaries to {@link #WIDTH}, continuation lines indented.
   */
  static void wrap(String text, String indent, List<String> out) {
    String rest = text;
    String prefix = "";
    while ((prefix + rest).length() > WIDTH) {
      String line = prefix + rest;
      int space = line.lastIndexOf(' ', WIDTH);
      if (space <= prefix.length()) {
        out.add(cut(line));
        return;
      }
      out.add(line.substring(0, space));
      rest = line.substring(space + 1).stripLeading();
      prefix = indent;
    }
    out.add(prefix + rest);
  }

  private static String number(OptionalDouble value) {
    return value.isPresent() ? number(value.getAsDouble()) : "-";
  }

  private static String number(double value) {
    if (Double.isNaN(value)) {
      return "-";
    }
    String text = String.format(java.util.Locale.ROOT, "%.4g", value);
    if (text.contains(".") && !text.contains("e")) {
      text = text.replaceAll("0+$", "").replaceAll("\\.$", "");
    }
    return text;
  }

  /** The report as a JSON document (see the class comment). */
  public String json() {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("application", application);
    List<Object> rollouts = new ArrayList<>();
    for (RolloutView view : views) {
      rollouts.add(json(view));
    }
    root.put("rollouts", rollouts);
    root.put("unrecorded", unrecorded);
    try {
      return WRITER.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("could not write JSON: " + e.getOriginalMessage(), e);
    }
  }

  private static Map<String, Object> json(RolloutView view) {
    var status = view.status();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("name", status.rollout());
    out.put("strategy", view.strategy().name());
    out.put("phase", status.phase().word());
    out.put("message", status.message());
    out.put("since", view.phaseSince().map(Instant::toString).orElse(null));
    out.put("blocked", view.blocked().orElse(null));
    out.put("revertTo", status.revertTo().orElse(null));
    out.put(
        "router",
        view.router()
            .map(
                r -> {
                  Map<String, Object> router = new LinkedHashMap<>();
                  router.put("kind", r.kind());
                  router.put("object", r.object());
                  return (Object) router;
                })
            .orElse(null));
    Map<String, Object> versions = new LinkedHashMap<>();
    versions.put("stable", view.versions().stable());
    versions.put("stableWeight", view.versions().stableWeight());
    versions.put("canary", view.versions().canary().orElse(null));
    versions.put("canaryWeight", view.versions().canaryWeight());
    out.put("versions", versions);
    List<Object> steps = new ArrayList<>();
    for (RolloutView.Step step : view.steps()) {
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("number", step.number());
      s.put("description", step.description());
      s.put("state", step.state().name());
      s.put("analysis", step.analysis().map(RolloutView.Outcome::word).orElse(null));
      steps.add(s);
    }
    out.put("steps", steps);
    List<Object> analyses = new ArrayList<>();
    for (RolloutView.Analysis analysis : view.analyses()) {
      Map<String, Object> a = new LinkedHashMap<>();
      a.put("name", analysis.name());
      a.put("templates", analysis.templates());
      a.put("outcome", analysis.outcome().word());
      a.put("counts", analysis.counts());
      analyses.add(a);
    }
    out.put("analyses", analyses);
    List<Object> metrics = new ArrayList<>();
    for (RolloutView.MetricRow row : view.metrics()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("analysis", row.analysis());
      m.put("metric", row.metric());
      m.put("canary", value(row.canary()));
      m.put("stable", value(row.stable()));
      m.put("judge", row.judge());
      m.put("verdict", row.verdict().word());
      m.put("pValue", value(row.pValue()));
      m.put("explanation", row.explanation());
      metrics.add(m);
    }
    out.put("metrics", metrics);
    List<Object> series = new ArrayList<>();
    for (MetricSeries s : view.series()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("metric", s.metric());
      m.put("unit", s.unit());
      List<Object> thresholds = new ArrayList<>();
      for (MetricSeries.Threshold t : s.thresholds()) {
        Map<String, Object> threshold = new LinkedHashMap<>();
        threshold.put("kind", t.kind().name());
        threshold.put("value", value(t.value()));
        threshold.put("label", t.label());
        thresholds.add(threshold);
      }
      m.put("thresholds", thresholds);
      List<Object> points = new ArrayList<>();
      for (MetricSeries.Point p : s.points()) {
        Map<String, Object> point = new LinkedHashMap<>();
        point.put("at", p.at().toString());
        point.put("canary", value(p.canary()));
        point.put("stable", value(p.stable()));
        points.add(point);
      }
      m.put("points", points);
      series.add(m);
    }
    out.put("series", series);
    return out;
  }

  private static Double value(OptionalDouble value) {
    return value.isPresent() ? value(value.getAsDouble()) : null;
  }

  private static Double value(double value) {
    return Double.isFinite(value) ? value : null;
  }
}
