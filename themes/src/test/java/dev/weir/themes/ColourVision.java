package dev.weir.themes;

/**
 * Simulated colour-vision deficiencies at full severity (Machado, Oliveira and Fernandes 2009,
 * applied to linear-light sRGB), for checking that colours meant to differ still differ.
 */
enum ColourVision {
  TYPICAL(new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1}),
  PROTANOPIA(
      new double[] {
        0.152286, 1.052583, -0.204868, 0.114503, 0.786281, 0.099216, -0.003882, -0.048116, 1.051998
      }),
  DEUTERANOPIA(
      new double[] {
        0.367322, 0.860646, -0.227968, 0.280085, 0.672501, 0.047413, -0.011820, 0.042940, 0.968881
      }),
  TRITANOPIA(
      new double[] {
        1.255528, -0.076749, -0.178779, -0.078411, 0.930809, 0.147602, 0.004733, 0.691367, 0.303900
      });

  private final double[] m;

  ColourVision(double[] m) {
    this.m = m;
  }

  Lab seen(Rgb colour) {
    double r = Rgb.linear(colour.red());
    double g = Rgb.linear(colour.green());
    double b = Rgb.linear(colour.blue());
    return Lab.ofLinear(
        clamp(m[0] * r + m[1] * g + m[2] * b),
        clamp(m[3] * r + m[4] * g + m[5] * b),
        clamp(m[6] * r + m[7] * g + m[8] * b));
  }

  private static double clamp(double v) {
    return Math.max(0, Math.min(1, v));
  }
}
