package dev.weir.engine.analysis;

/**
 * One variant's conversions in an A/B experiment: how many of its trials (requests, visits) it had
 * and how many of them converted. Immutable.
 *
 * @param successes trials that converted, at most {@code trials}
 * @param trials trials counted since the experiment started
 */
public record ConversionCounts(long successes, long trials) {
  /** No trial yet. */
  public static final ConversionCounts NONE = new ConversionCounts(0, 0);

  public ConversionCounts {
    if (trials < 0 || successes < 0 || successes > trials) {
      throw new IllegalArgumentException(
          "need 0 <= successes <= trials, got " + successes + " of " + trials);
    }
  }

  /**
   * Counts from two counters read as numbers (Prometheus answers floats): rounded, and a
   * success count above the trials (the two counters scraped a moment apart) capped at the trials.
   */
  public static ConversionCounts of(double successes, double trials) {
    long n = Math.max(0, Math.round(trials));
    long s = Math.max(0, Math.min(n, Math.round(successes)));
    return new ConversionCounts(s, n);
  }

  /** The conversion rate, NaN without trials. */
  public double rate() {
    return trials == 0 ? Double.NaN : (double) successes / trials;
  }

  /** What was counted since {@code earlier} (counters restarted below it count from zero). */
  public ConversionCounts since(ConversionCounts earlier) {
    if (trials < earlier.trials || successes < earlier.successes) {
      return this;
    }
    return of(successes - earlier.successes, trials - earlier.trials);
  }

  /** These counts plus {@code more}. */
  public ConversionCounts plus(ConversionCounts more) {
    return new ConversionCounts(successes + more.successes, trials + more.trials);
  }
}
