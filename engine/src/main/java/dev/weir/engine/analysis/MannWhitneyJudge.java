package dev.weir.engine.analysis;

import java.util.Arrays;
import org.apache.commons.math3.stat.descriptive.rank.Median;
import org.apache.commons.math3.stat.inference.MannWhitneyUTest;

/**
 * Compares canary samples with baseline (stable) samples from the same window, as Kayenta's
 * Mann–Whitney classifier does, and explains the verdict in one line.
 *
 * <p>Design note. The p-value is commons-math3's two-sided {@link MannWhitneyUTest}: average ranks
 * for ties and the normal approximation {@code z = (Umin - n1·n2/2) / sqrt(n1·n2·(n1+n2+1)/12)},
 * with neither a continuity nor a tie correction (it equals SciPy's {@code mannwhitneyu(...,
 * alternative='two-sided', method='asymptotic', use_continuity=False)} on tie-free data; with ties
 * commons-math's variance is larger, so its p-value is more conservative). Significance alone does
 * not fail a canary: the relative difference of the medians must also exceed the allowed effect
 * size, in a direction that is bad for the metric. Non-finite samples (NaN, ±Inf) are dropped
 * before judging; fewer than {@link JudgeSettings#minSamples()} on either side is NoData, never a
 * guess.
 *
 * <p>Stateless and thread-safe; cost O((n+m) log(n+m)).
 */
public final class MannWhitneyJudge {
  private MannWhitneyJudge() {}

  /**
   * Judges {@code canary} against {@code baseline}.
   *
   * @param metric the name shown in the explanation; empty for none
   * @param unit appended to numbers in the explanation ({@code ms}); empty for none
   */
  public static Verdict judge(
      String metric, String unit, double[] baseline, double[] canary, JudgeSettings settings) {
    double[] stable = finite(baseline);
    double[] candidate = finite(canary);
    String prefix = metric.isEmpty() ? "" : metric + ": ";
    String suffix = unit.isEmpty() ? "" : " " + unit;
    int dropped = baseline.length - stable.length + canary.length - candidate.length;
    String droppedNote = dropped == 0 ? "" : " (" + dropped + " NaN/Inf samples ignored)";
    double stableMedian = median(stable);
    double canaryMedian = median(candidate);
    double change = relativeChange(stableMedian, canaryMedian);
    if (stable.length < settings.minSamples() || candidate.length < settings.minSamples()) {
      String explanation =
          prefix
              + candidate.length
              + " canary and "
              + stable.length
              + " stable samples, need at least "
              + settings.minSamples()
              + " on each side"
              + droppedNote
              + " → NoData (no verdict)";
      return new Verdict(
          metric,
          Classification.NODATA,
          Double.NaN,
          stableMedian,
          canaryMedian,
          change,
          stable.length,
          candidate.length,
          settings,
          explanation);
    }
    double p = new MannWhitneyUTest().mannWhitneyUTest(stable, candidate);
    boolean significant = p < 1 - settings.confidence();
    Classification classification;
    String reason;
    if (!significant) {
      classification = Classification.PASS;
      reason = "";
    } else if (!(Math.abs(change) > settings.effectSize())) {
      classification = Classification.PASS;
      reason = " (within the allowed " + Numbers.percent(settings.effectSize()).substring(1) + ")";
    } else if (change > 0) {
      boolean bad = settings.direction() != Direction.DECREASE;
      classification = bad ? Classification.HIGH : Classification.PASS;
      reason = bad ? " (fail)" : " (higher, allowed: only a decrease is bad)";
    } else {
      boolean bad = settings.direction() != Direction.INCREASE;
      classification = bad ? Classification.LOW : Classification.PASS;
      reason = bad ? " (fail)" : " (lower, allowed: only an increase is bad)";
    }
    String explanation =
        prefix
            + "canary "
            + Numbers.format(canaryMedian)
            + suffix
            + " vs stable "
            + Numbers.format(stableMedian)
            + suffix
            + " ("
            + Numbers.percent(change)
            + "), "
            + Numbers.pValue(p)
            + " → "
            + classification.word()
            + reason
            + droppedNote;
    return new Verdict(
        metric,
        classification,
        p,
        stableMedian,
        canaryMedian,
        change,
        stable.length,
        candidate.length,
        settings,
        explanation);
  }

  /** {@link #judge(String, String, double[], double[], JudgeSettings)} without a name or unit. */
  public static Verdict judge(double[] baseline, double[] canary, JudgeSettings settings) {
    return judge("", "", baseline, canary, settings);
  }

  static double relativeChange(double stableMedian, double canaryMedian) {
    if (Double.isNaN(stableMedian) || Double.isNaN(canaryMedian)) {
      return Double.NaN;
    }
    if (stableMedian == 0) {
      return canaryMedian == 0 ? 0 : Math.copySign(Double.POSITIVE_INFINITY, canaryMedian);
    }
    return (canaryMedian - stableMedian) / Math.abs(stableMedian);
  }

  private static double median(double[] values) {
    return values.length == 0 ? Double.NaN : new Median().evaluate(values);
  }

  private static double[] finite(double[] values) {
    for (double value : values) {
      if (!Double.isFinite(value)) {
        return Arrays.stream(values).filter(Double::isFinite).toArray();
      }
    }
    return values;
  }
}
