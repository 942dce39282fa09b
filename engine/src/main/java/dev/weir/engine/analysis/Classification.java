package dev.weir.engine.analysis;

/**
 * The statistical judge's answer for one metric. {@code HIGH} and {@code LOW} are only given in a
 * direction that is bad for the metric, so both fail; a difference in the harmless direction is
 * {@code PASS}. {@code NODATA} means too few samples to judge: it never passes.
 */
public enum Classification {
  PASS("Pass"),
  HIGH("High"),
  LOW("Low"),
  NODATA("NoData");

  private final String word;

  Classification(String word) {
    this.word = word;
  }

  /** Kayenta's spelling: {@code Pass}, {@code High}, {@code Low}, {@code NoData}. */
  public String word() {
    return word;
  }

  /** True for High and Low. */
  public boolean fails() {
    return this == HIGH || this == LOW;
  }
}
