package dev.weir.themes;

/**
 * xterm's 256-colour table: indexes 16–231 are a 6×6×6 cube, 232–255 a grey ramp (0–15 are the
 * user's sixteen and are never chosen here, since their shades vary). Nearest by distance in CIELAB,
 * which matches how different two colours look better than distance in RGB.
 */
final class Xterm256 {
  private static final int[] LEVELS = {0, 95, 135, 175, 215, 255};
  private static final Rgb[] TABLE = new Rgb[256];

  static {
    for (int i = 16; i < 232; i++) {
      int n = i - 16;
      TABLE[i] = new Rgb(LEVELS[n / 36], LEVELS[(n / 6) % 6], LEVELS[n % 6]);
    }
    for (int i = 232; i < 256; i++) {
      int grey = 8 + 10 * (i - 232);
      TABLE[i] = new Rgb(grey, grey, grey);
    }
  }

  private Xterm256() {}

  /** The colour at {@code index} (16–255). */
  static Rgb rgb(int index) {
    if (index < 16 || index > 255) {
      throw new IllegalArgumentException("xterm colours 16–255 only, was " + index);
    }
    return TABLE[index];
  }

  /** The index (16–255) of the colour nearest to {@code colour}. */
  static int nearest(Rgb colour) {
    Lab target = Lab.of(colour);
    int best = 16;
    double bestDistance = Double.MAX_VALUE;
    for (int i = 16; i < 256; i++) {
      double distance = target.distance(Lab.of(TABLE[i]));
      if (distance < bestDistance) {
        bestDistance = distance;
        best = i;
      }
    }
    return best;
  }
}
