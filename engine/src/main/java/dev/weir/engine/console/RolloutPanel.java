package dev.weir.engine.console;

import dev.weir.engine.analysis.MetricSeries;
import dev.weir.engine.rollout.RolloutView;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One rollout as a rollout page draws it, in plain values for the faces (which may use only the
 * console and model packages): the header facts, the steps, the two versions and their weights,
 * one row per metric and each metric's canary and stable series. Built from the engine's {@link
 * RolloutView} by {@link #of}; {@link #meaning(int)} says what a canary weight means in requests
 * and errors. Immutable.
 *
 * @param rollout its name
 * @param strategy {@code canary} or {@code blueGreen}
 * @param phase {@code Progressing}, {@code Paused}, {@code Healthy}, {@code Degraded}, {@code Aborted}
 * @param message one line on where it stands
 * @param router the router's kind ({@code gatewayAPI}); "" for none
 * @param routerObject the object it writes ({@code HTTPRoute shop/storefront}); "" for none
 * @param step the current step, 1-based (0 for none)
 * @param stepCount how many steps there are
 * @param steps the steps, in order
 * @param stable the stable (blue/green: active) version
 * @param stableWeight its share of traffic, 0–100
 * @param canary the canary (blue/green: preview) version; "" while there is none
 * @param canaryWeight its share of traffic, 0–100
 * @param metrics one row per metric of the current analyses
 * @param series per metric, canary and stable over the last minutes, with thresholds
 * @param blocked what holds the rollout back; "" for nothing
 */
public record RolloutPanel(
    String rollout,
    String strategy,
    String phase,
    String message,
    String router,
    String routerObject,
    int step,
    int stepCount,
    List<Step> steps,
    String stable,
    int stableWeight,
    String canary,
    int canaryWeight,
    List<Metric> metrics,
    List<Series> series,
    String blocked) {

  /** Where a step is. */
  public enum StepState {
    DONE,
    CURRENT,
    PENDING
  }

  /**
   * One step.
   *
   * @param number 1-based
   * @param description {@code setWeight 5}, {@code pause 2m}, {@code analysis success-rate}
   * @param analysis for an analysis step, its outcome ({@code Successful}, {@code Failed}); "" when
   *     none or not known
   */
  public record Step(int number, String description, StepState state, String analysis) {
    public Step {
      Objects.requireNonNull(description, "description");
      Objects.requireNonNull(state, "state");
      Objects.requireNonNull(analysis, "analysis");
    }
  }

  /**
   * One metric row.
   *
   * @param analysis the analysis it belongs to ({@code step 3}, {@code background})
   * @param canary the canary's latest value (comparison metrics: its window median)
   * @param stable the stable version's (comparison metrics only)
   * @param judge the condition or the statistical judge
   * @param verdict {@code Successful}, {@code Failed}, {@code Running} …
   * @param failed whether the verdict is a failure (Failed or Error)
   * @param pValue the statistical judge's p-value (comparison metrics only)
   * @param explanation the latest measurement in one line
   */
  public record Metric(
      String analysis,
      String metric,
      OptionalDouble canary,
      OptionalDouble stable,
      String judge,
      String verdict,
      boolean failed,
      OptionalDouble pValue,
      String explanation) {
    public Metric {
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

  /** One instant of a series: canary and stable values, NaN where a side has none. */
  public record Point(Instant at, double canary, double stable) {
    public Point {
      Objects.requireNonNull(at, "at");
    }
  }

  /** A horizontal line across a chart ({@code result >= 0.99}). */
  public record Threshold(double value, String label) {
    public Threshold {
      Objects.requireNonNull(label, "label");
    }
  }

  /** A metric over time, newest point last; {@code unit} "" for none. */
  public record Series(String metric, String unit, List<Point> points, List<Threshold> thresholds) {
    public Series {
      Objects.requireNonNull(metric, "metric");
      Objects.requireNonNull(unit, "unit");
      points = List.copyOf(points);
      thresholds = List.copyOf(thresholds);
    }
  }

  /**
   * What a canary weight means: the requests per second it sends to the canary and, at the canary's
   * current error rate, the errors per minute to expect; each empty when the rollout's metrics do
   * not tell.
   *
   * @param weight the canary weight, 0–100
   * @param requestsPerSecond requests per second to the canary at that weight
   * @param errorRate the canary's current error rate, 0–1
   * @param errorsPerMinute errors per minute to expect at that weight
   */
  public record Meaning(
      int weight, OptionalDouble requestsPerSecond, OptionalDouble errorRate, OptionalDouble errorsPerMinute) {
    public Meaning {
      Objects.requireNonNull(requestsPerSecond, "requestsPerSecond");
      Objects.requireNonNull(errorRate, "errorRate");
      Objects.requireNonNull(errorsPerMinute, "errorsPerMinute");
    }

    /**
     * One line: {@code 30% to the canary: ≈ 60.0 req/s · ~14.4 errors/min at its 0.40% error
     * rate}, with {@code unknown} for what the metrics do not tell.
     */
    public String describe() {
      return weight + "% to the canary: " + requests() + " · " + errors();
    }

    /** {@code ≈ 60.0 req/s}, or {@code req/s unknown}. */
    public String requests() {
      return requestsPerSecond.isPresent()
          ? "≈ " + number(requestsPerSecond.getAsDouble()) + " req/s"
          : "req/s unknown";
    }

    /** {@code ~14.4 errors/min at its 0.40% error rate}, or {@code errors/min unknown}. */
    public String errors() {
      String rate =
          errorRate.isPresent()
              ? " at its " + number(errorRate.getAsDouble() * 100) + "% error rate"
              : "";
      return errorsPerMinute.isPresent()
          ? "~" + number(errorsPerMinute.getAsDouble()) + " errors/min" + rate
          : "errors/min unknown" + rate;
    }
  }

  public RolloutPanel {
    Objects.requireNonNull(rollout, "rollout");
    Objects.requireNonNull(strategy, "strategy");
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(router, "router");
    Objects.requireNonNull(routerObject, "routerObject");
    steps = List.copyOf(steps);
    Objects.requireNonNull(stable, "stable");
    Objects.requireNonNull(canary, "canary");
    metrics = List.copyOf(metrics);
    series = List.copyOf(series);
    Objects.requireNonNull(blocked, "blocked");
  }

  /** The panel of {@code view}. */
  public static RolloutPanel of(RolloutView view) {
    var status = view.status();
    List<Step> steps =
        view.steps().stream()
            .map(
                s ->
                    new Step(
                        s.number(),
                        s.description(),
                        StepState.valueOf(s.state().name()),
                        s.analysis().map(RolloutView.Outcome::word).orElse("")))
            .toList();
    List<Metric> metrics =
        view.metrics().stream()
            .map(
                m ->
                    new Metric(
                        m.analysis(),
                        m.metric(),
                        m.canary(),
                        m.stable(),
                        m.judge(),
                        m.verdict().word(),
                        m.verdict() == RolloutView.Outcome.FAILED
                            || m.verdict() == RolloutView.Outcome.ERROR,
                        m.pValue(),
                        m.explanation()))
            .toList();
    List<Series> series = view.series().stream().map(RolloutPanel::series).toList();
    return new RolloutPanel(
        view.rollout(),
        view.strategy().word(),
        status.phase().word(),
        status.message(),
        view.router().map(RolloutView.Router::kind).orElse(""),
        view.router().map(RolloutView.Router::object).orElse(""),
        status.step(),
        status.steps(),
        steps,
        view.versions().stable(),
        view.versions().stableWeight(),
        view.versions().canary().orElse(""),
        view.versions().canaryWeight(),
        metrics,
        series,
        view.blocked().orElse(""));
  }

  private static Series series(MetricSeries s) {
    return new Series(
        s.metric(),
        s.unit(),
        s.points().stream().map(p -> new Point(p.at(), p.canary(), p.stable())).toList(),
        s.thresholds().stream().map(t -> new Threshold(t.value(), t.label())).toList());
  }

  /** Whether it is a canary (it has weights to set). */
  public boolean isCanary() {
    return strategy.equals("canary");
  }

  /** {@code canary · gatewayAPI HTTPRoute shop/checkout · step 4/7}. */
  public String headline() {
    StringBuilder out = new StringBuilder(strategy);
    if (!router.isEmpty()) {
      out.append(" · ").append(router);
      if (!routerObject.isEmpty()) {
        out.append(' ').append(routerObject);
      }
    }
    if (stepCount > 0) {
      out.append(" · step ").append(step).append('/').append(stepCount);
    }
    return out.toString();
  }

  /** The series of {@code metric}, if it has one. */
  public Optional<Series> series(String metric) {
    return series.stream().filter(s -> s.metric().equals(metric)).findFirst();
  }

  /**
   * What {@code weight} percent to the canary means, from the rollout's metrics: the request rate
   * from a metric named for requests ({@code request-rate}, {@code requests}, {@code rps}) — the
   * canary's and stable's together are the whole traffic, or the canary's alone scaled by its
   * current weight — and the error rate from a metric named for errors ({@code error-rate}, a
   * fraction or a percentage) or for success ({@code success-rate}: one minus it).
   */
  public Meaning meaning(int weight) {
    OptionalDouble total = totalRequestRate();
    OptionalDouble requests =
        total.isPresent() ? OptionalDouble.of(total.getAsDouble() * weight / 100.0) : OptionalDouble.empty();
    OptionalDouble errorRate = canaryErrorRate();
    OptionalDouble errors =
        requests.isPresent() && errorRate.isPresent()
            ? OptionalDouble.of(requests.getAsDouble() * errorRate.getAsDouble() * 60)
            : OptionalDouble.empty();
    return new Meaning(weight, requests, errorRate, errors);
  }

  private OptionalDouble totalRequestRate() {
    for (Metric m : metrics) {
      if (!named(m.metric(), "request", "rps", "throughput")) {
        continue;
      }
      if (m.canary().isPresent() && m.stable().isPresent()) {
        return OptionalDouble.of(m.canary().getAsDouble() + m.stable().getAsDouble());
      }
      if (m.canary().isPresent() && canaryWeight > 0) {
        return OptionalDouble.of(m.canary().getAsDouble() * 100.0 / canaryWeight);
      }
      if (m.stable().isPresent() && stableWeight > 0) {
        return OptionalDouble.of(m.stable().getAsDouble() * 100.0 / stableWeight);
      }
    }
    for (Series s : series) {
      if (named(s.metric(), "request", "rps", "throughput") && !s.points().isEmpty()) {
        Point last = s.points().getLast();
        if (!Double.isNaN(last.canary()) && !Double.isNaN(last.stable())) {
          return OptionalDouble.of(last.canary() + last.stable());
        }
        if (!Double.isNaN(last.canary()) && canaryWeight > 0) {
          return OptionalDouble.of(last.canary() * 100.0 / canaryWeight);
        }
      }
    }
    return OptionalDouble.empty();
  }

  private OptionalDouble canaryErrorRate() {
    for (Metric m : metrics) {
      OptionalDouble value = m.canary();
      if (value.isEmpty()) {
        value = series(m.metric()).flatMap(RolloutPanel::lastCanary).orElse(OptionalDouble.empty());
      }
      if (value.isEmpty()) {
        continue;
      }
      double v = value.getAsDouble();
      if (named(m.metric(), "error", "fail", "5xx")) {
        return OptionalDouble.of(fraction(v));
      }
      if (named(m.metric(), "success")) {
        return OptionalDouble.of(Math.max(0, 1 - fraction(v)));
      }
    }
    return OptionalDouble.empty();
  }

  private static Optional<OptionalDouble> lastCanary(Series s) {
    if (s.points().isEmpty() || Double.isNaN(s.points().getLast().canary())) {
      return Optional.empty();
    }
    return Optional.of(OptionalDouble.of(s.points().getLast().canary()));
  }

  /** A rate written as a percentage (above 1) as a fraction. */
  private static double fraction(double v) {
    return v > 1 ? v / 100.0 : v;
  }

  private static boolean named(String metric, String... words) {
    String name = metric.toLowerCase(Locale.ROOT);
    for (String word : words) {
      if (name.contains(word)) {
        return true;
      }
    }
    return false;
  }

  /** {@code 60}, {@code 12.5}, {@code 0.24}: enough digits to read, no more. */
  static String number(double v) {
    double a = Math.abs(v);
    if (a >= 100) {
      return String.format(Locale.ROOT, "%.0f", v);
    }
    if (a >= 10) {
      return String.format(Locale.ROOT, "%.1f", v);
    }
    return String.format(Locale.ROOT, "%.2f", v);
  }
}
