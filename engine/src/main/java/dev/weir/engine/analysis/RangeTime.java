package dev.weir.engine.analysis;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code start} and {@code end} of Argo's {@code rangeQuery}: the expressions Argo's
 * documentation shows (analysis/prometheus.md, "Range queries"), of the measurement's time: {@code
 * now()}, and {@code now() - duration("5m")} or {@code now() + duration("5m")} with a Go duration.
 * Arguments ({@code duration("{{args.lookback}}")}) are substituted first. Pure and thread-safe.
 *
 * <p>Worked examples (the table test mirrors them), measured at 10:00: {@code now()} → 10:00;
 * {@code now() - duration("5m")} → 09:55; {@code now()-duration('1h30m')} → 08:30; {@code
 * now() + duration("30s")} → 10:00:30; {@code now() - 5m} → not understood.
 */
public final class RangeTime {
  private static final Pattern FORM =
      Pattern.compile(
          "\\s*now\\(\\s*\\)\\s*(?:([-+])\\s*duration\\(\\s*([\"'])([^\"']*)\\2\\s*\\)\\s*)?");

  private RangeTime() {}

  /**
   * Why {@code expression} (placeholders still in it) is not a time Weir understands; empty when it
   * is. A duration holding a placeholder is checked when the measurement is taken.
   */
  public static Optional<String> problem(String expression) {
    Matcher matcher = FORM.matcher(expression);
    if (!matcher.matches()) {
      return Optional.of(
          "not understood: \""
              + expression
              + "\"; use now(), now() - duration(\"5m\") or now() + duration(\"5m\")");
    }
    String duration = matcher.group(3);
    if (duration != null
        && QueryTemplate.argumentsOf(duration).isEmpty()
        && AnalysisTemplateParser.parseDuration(duration).isEmpty()) {
      return Optional.of("not a duration: \"" + duration + "\" (use e.g. 30s, 5m, 1h30m)");
    }
    return Optional.empty();
  }

  /**
   * The instant {@code expression} (arguments substituted) names for a measurement at {@code now}.
   *
   * @throws IllegalArgumentException naming what is not understood
   */
  public static Instant at(String expression, Instant now) {
    Matcher matcher = FORM.matcher(expression);
    if (!matcher.matches()) {
      throw new IllegalArgumentException(problem(expression).orElse("not understood"));
    }
    if (matcher.group(1) == null) {
      return now;
    }
    Duration duration =
        AnalysisTemplateParser.parseDuration(matcher.group(3))
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "not a duration: \"" + matcher.group(3) + "\" (use e.g. 30s, 5m, 1h30m)"));
    return matcher.group(1).equals("-") ? now.minus(duration) : now.plus(duration);
  }
}
