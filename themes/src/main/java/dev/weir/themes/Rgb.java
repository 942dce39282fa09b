package dev.weir.themes;

import java.util.Locale;

/**
 * A colour in sRGB, 8 bits a channel. Immutable.
 *
 * @param red 0–255
 * @param green 0–255
 * @param blue 0–255
 */
public record Rgb(int red, int green, int blue) {
  public Rgb {
    check("red", red);
    check("green", green);
    check("blue", blue);
  }

  private static void check(String channel, int value) {
    if (value < 0 || value > 255) {
      throw new IllegalArgumentException(channel + " must be 0–255, was " + value);
    }
  }

  /** Parses {@code #rrggbb}. */
  public static Rgb of(String hex) {
    if (hex.length() != 7 || hex.charAt(0) != '#') {
      throw new IllegalArgumentException("a colour is written #rrggbb, was '" + hex + "'");
    }
    int value = Integer.parseInt(hex.substring(1), 16);
    return new Rgb((value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff);
  }

  /** {@code #rrggbb}, lower case. */
  public String hex() {
    return String.format(Locale.ROOT, "#%02x%02x%02x", red, green, blue);
  }

  /** WCAG 2 relative luminance, 0 (black) to 1 (white). */
  public double luminance() {
    return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue);
  }

  /** WCAG 2 contrast ratio against {@code other}: 1 (none) to 21 (black on white). */
  public double contrast(Rgb other) {
    double a = luminance();
    double b = other.luminance();
    return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  }

  static double linear(int channel) {
    double c = channel / 255.0;
    return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
  }

  @Override
  public String toString() {
    return hex();
  }
}
