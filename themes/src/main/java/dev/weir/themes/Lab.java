package dev.weir.themes;

/**
 * A colour in CIELAB (D65), where the distance between two colours ({@link #distance}, CIE76 ΔE)
 * tracks how different they look: about 2.3 is just noticeable, above 20 is plainly different.
 */
record Lab(double lightness, double a, double b) {

  static Lab of(Rgb colour) {
    return ofLinear(Rgb.linear(colour.red()), Rgb.linear(colour.green()), Rgb.linear(colour.blue()));
  }

  /** From linear-light sRGB channels (0–1). */
  static Lab ofLinear(double r, double g, double bl) {
    double x = (0.4124 * r + 0.3576 * g + 0.1805 * bl) / 0.95047;
    double y = 0.2126 * r + 0.7152 * g + 0.0722 * bl;
    double z = (0.0193 * r + 0.1192 * g + 0.9505 * bl) / 1.08883;
    double fx = f(x);
    double fy = f(y);
    double fz = f(z);
    return new Lab(116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz));
  }

  private static double f(double t) {
    return t > 216.0 / 24389 ? Math.cbrt(t) : (24389.0 / 27 * t + 16) / 116;
  }

  double distance(Lab other) {
    double dl = lightness - other.lightness;
    double da = a - other.a;
    double db = b - other.b;
    return Math.sqrt(dl * dl + da * da + db * db);
  }
}
