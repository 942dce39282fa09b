package dev.weir.desktop.rollout;

/**
 * A series thinned to what a chart of {@code columns} pixels can show: per pixel column the first,
 * lowest, highest and last value that falls in it (the M4 aggregation). Drawing a vertical stroke
 * from the lowest to the highest value of each column and joining one column's last value to the
 * next one's first gives the same picture as drawing every point, at a cost that follows the
 * chart's width rather than the series' length — 10,000 points become at most four per column.
 * A pure function of its input; columns without a value hold NaN.
 */
public record ColumnDecimation(double[] first, double[] min, double[] max, double[] last) {

  /** How many columns there are. */
  public int columns() {
    return first.length;
  }

  /** Whether column {@code c} holds a value. */
  public boolean has(int c) {
    return !Double.isNaN(first[c]);
  }

  /**
   * Thins {@code y} (at the ascending {@code x}) between {@code xMin} and {@code xMax} into {@code
   * columns} columns; points outside that range and NaN values are left out.
   *
   * @param count how many of the arrays' leading elements are points
   */
  public static ColumnDecimation of(
      double[] x, double[] y, int count, double xMin, double xMax, int columns) {
    if (columns < 1) {
      throw new IllegalArgumentException("columns must be at least 1, not " + columns);
    }
    if (!(xMax > xMin)) {
      throw new IllegalArgumentException("xMax " + xMax + " must be above xMin " + xMin);
    }
    double[] first = nans(columns);
    double[] min = nans(columns);
    double[] max = nans(columns);
    double[] last = nans(columns);
    double scale = columns / (xMax - xMin);
    for (int i = 0; i < count; i++) {
      double v = y[i];
      double at = x[i];
      if (Double.isNaN(v) || at < xMin || at > xMax) {
        continue;
      }
      int c = Math.min(columns - 1, (int) ((at - xMin) * scale));
      if (Double.isNaN(first[c])) {
        first[c] = v;
        min[c] = v;
        max[c] = v;
      } else {
        if (v < min[c]) {
          min[c] = v;
        }
        if (v > max[c]) {
          max[c] = v;
        }
      }
      last[c] = v;
    }
    return new ColumnDecimation(first, min, max, last);
  }

  private static double[] nans(int n) {
    double[] out = new double[n];
    java.util.Arrays.fill(out, Double.NaN);
    return out;
  }
}
