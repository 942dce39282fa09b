package dev.weir.engine.console;

import dev.weir.engine.analysis.Classification;
import dev.weir.engine.analysis.Direction;
import dev.weir.engine.analysis.JudgeSettings;
import dev.weir.engine.analysis.MannWhitneyJudge;
import dev.weir.engine.analysis.SampleFile;
import dev.weir.engine.analysis.Verdict;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The statistical canary judge a rollout's analysis uses, on two series from files ({@code weir
 * analyze}): for offline use and scripts, through the façade like every other command.
 */
public final class OfflineJudge {
  private OfflineJudge() {}

  /**
   * How to judge.
   *
   * @param direction {@code increase}, {@code decrease} or {@code either}
   * @param effectSize the allowed relative difference of the medians
   * @param confidence of the test, between 0 and 1
   * @param minSamples fewer samples than this on either side is NoData
   * @param name a metric name to start the explanation with
   * @param unit shown after numbers
   */
  public record Settings(
      String direction,
      double effectSize,
      double confidence,
      int minSamples,
      String name,
      String unit) {
    public Settings {
      Objects.requireNonNull(direction, "direction");
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(unit, "unit");
    }
  }

  /** What judging gave. */
  public sealed interface Result permits BadSettings, BadFile, Judged {}

  /** The settings cannot be used; {@code message} says which and why. */
  public record BadSettings(String message) implements Result {}

  /** A file cannot be read as a series: {@code file:line: what is wrong}. */
  public record BadFile(String message) implements Result {}

  /**
   * The verdict, with the numbers behind it (NaN when undefined).
   *
   * @param verdict {@code PASS}, {@code HIGH}, {@code LOW} or {@code NODATA}
   * @param pass whether the canary passes
   * @param explanation one line, e.g. {@code p99 latency: canary 412 ms vs stable 220 ms (+87%),
   *     p < 0.001 → High (fail)}
   */
  public record Judged(
      String verdict,
      boolean pass,
      double pValue,
      double baselineMedian,
      double canaryMedian,
      double relativeChange,
      int baselineCount,
      int canaryCount,
      String explanation)
      implements Result {}

  /** The canonical word for a direction ({@code increase}, {@code decrease}, {@code either}). */
  public static Optional<String> direction(String word) {
    return Direction.fromWord(word).map(Direction::word);
  }

  /** Judges the canary series of {@code canary} against the stable series of {@code baseline}. */
  public static Result judge(Path baseline, Path canary, Settings settings) {
    Optional<Direction> direction = Direction.fromWord(settings.direction());
    if (direction.isEmpty()) {
      return new BadSettings(
          "direction must be increase, decrease or either, got \"" + settings.direction() + "\"");
    }
    JudgeSettings judge;
    try {
      judge =
          new JudgeSettings(
              direction.get(), settings.effectSize(), settings.confidence(), settings.minSamples());
    } catch (IllegalArgumentException e) {
      return new BadSettings(e.getMessage());
    }
    double[] stable;
    double[] candidate;
    switch (SampleFile.read(baseline, baseline.toString())) {
      case SampleFile.Result.Invalid invalid -> {
        return new BadFile(invalid.message());
      }
      case SampleFile.Result.Read read -> stable = read.values();
    }
    switch (SampleFile.read(canary, canary.toString())) {
      case SampleFile.Result.Invalid invalid -> {
        return new BadFile(invalid.message());
      }
      case SampleFile.Result.Read read -> candidate = read.values();
    }
    Verdict verdict =
        MannWhitneyJudge.judge(settings.name(), settings.unit(), stable, candidate, judge);
    return new Judged(
        verdict.classification().name(),
        verdict.classification() == Classification.PASS,
        verdict.pValue(),
        verdict.baselineMedian(),
        verdict.canaryMedian(),
        verdict.relativeChange(),
        verdict.baselineCount(),
        verdict.canaryCount(),
        verdict.explanation());
  }
}
