package dev.weir.engine.analysis;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Judges an A/B experiment after each look, purely: from the settings, both variants' counts since
 * the start, how long it has run and the previous look's estimate, it says whether to go on or why
 * it stops. No I/O, no clock: the same inputs always give the same judgement.
 *
 * <p>Order of precedence at each look: a clear result ({@link MixtureSprt}'s always-valid p-value
 * below α with B ahead: B wins; behind: B harms) once each variant has {@link
 * ExperimentSettings#minSamples()} trials; then the limits (sample size, duration): no difference.
 * Because the p-value stays valid under continuous monitoring, stopping at the first clear look
 * keeps the chance of a false winner or harm at most α.
 */
public final class ExperimentJudge {
  private ExperimentJudge() {}

  /** The judgement of a look; {@code earlier} is the previous look's estimate, if any. */
  public static ExperimentJudgement judge(
      ExperimentSettings settings,
      ConversionCounts a,
      ConversionCounts b,
      Duration elapsed,
      Optional<MixtureSprt.Estimate> earlier) {
    MixtureSprt.Estimate now = MixtureSprt.estimate(a, b, settings.alpha(), settings.tau());
    MixtureSprt.Estimate estimate =
        earlier.filter(e -> now != MixtureSprt.Estimate.NONE).map(now::after).orElse(now);
    boolean enough = a.trials() >= settings.minSamples() && b.trials() >= settings.minSamples();
    ExperimentJudgement.Outcome outcome = ExperimentJudgement.Outcome.RUNNING;
    String why = "";
    if (enough && estimate.clear(settings.alpha()) > 0) {
      outcome = ExperimentJudgement.Outcome.B_WINS;
      why = "B wins: promote B";
    } else if (enough && estimate.clear(settings.alpha()) < 0) {
      outcome = ExperimentJudgement.Outcome.B_HARMS;
      why = "B harms: keep A";
    } else if (Math.min(a.trials(), b.trials()) >= settings.maxSamples()) {
      outcome = ExperimentJudgement.Outcome.NO_DIFFERENCE;
      why =
          "sample limit of "
              + settings.maxSamples()
              + " trials per variant reached with no clear difference: keep A";
    } else if (settings.maxDuration().map(d -> elapsed.compareTo(d) >= 0).orElse(false)) {
      outcome = ExperimentJudgement.Outcome.NO_DIFFERENCE;
      why = "time limit reached with no clear difference: keep A";
    } else if (!enough) {
      why =
          "running: waiting for "
              + settings.minSamples()
              + " trials per variant before judging";
    } else {
      why = "running: no clear difference yet";
    }
    return new ExperimentJudgement(outcome, a, b, estimate, describe(settings, a, b, estimate) + " — " + why);
  }

  /**
   * {@code B 12.1% (121/1000) vs A 10.0% (100/1000): uplift +2.1 points [+0.9, +3.3] (95%
   * always-valid), p = 0.0004}.
   */
  static String describe(
      ExperimentSettings settings,
      ConversionCounts a,
      ConversionCounts b,
      MixtureSprt.Estimate estimate) {
    String counts = "B " + rate(b) + " vs A " + rate(a);
    if (estimate == MixtureSprt.Estimate.NONE) {
      return counts + ": no uplift yet";
    }
    return counts
        + ": uplift "
        + points(estimate.uplift())
        + " points ["
        + points(estimate.lower())
        + ", "
        + points(estimate.upper())
        + "] ("
        + Numbers.format(100 * (1 - settings.alpha()))
        + "% always-valid), p = "
        + Numbers.format(estimate.pValue());
  }

  private static String rate(ConversionCounts c) {
    String share =
        c.trials() == 0 ? "–" : String.format(Locale.ROOT, "%.1f%%", 100 * c.rate());
    return share + " (" + c.successes() + "/" + c.trials() + ")";
  }

  /** {@code +2.1}, {@code -0.4}: percentage points with one decimal and a sign. */
  static String points(double value) {
    if (Double.isInfinite(value)) {
      return value > 0 ? "+∞" : "−∞";
    }
    return String.format(Locale.ROOT, "%+.1f", 100 * value);
  }
}
