package dev.weir.sandbox;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * The world's deterministic randomness: every draw is a pure function of the seed and of what is
 * drawn for (a pod's name, a second of traffic), never of the order in which things happen, so the
 * same seed gives the same world even after a restart from the state file.
 *
 * <p>Stateless and thread-safe.
 */
public final class Draws {
  private static final String NAME_CHARS = "bcdfghjklmnpqrstvwxz2456789";

  private Draws() {}

  /** SplitMix64's finaliser: a well-mixed 64-bit hash of {@code value}. */
  public static long mix(long value) {
    long z = value + 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** A hash of the seed and some parts, stable across runs and JVMs. */
  public static long hash(long seed, String... parts) {
    long h = mix(seed);
    for (String part : parts) {
      for (byte b : part.getBytes(StandardCharsets.UTF_8)) {
        h = mix(h ^ b);
      }
      h = mix(h ^ 0xFF);
    }
    return h;
  }

  /** A generator for one purpose, e.g. one second of one flow's traffic. */
  public static SplittableRandom random(long seed, long... parts) {
    long h = mix(seed);
    for (long part : parts) {
      h = mix(h ^ part);
    }
    return new SplittableRandom(h);
  }

  /** A uniform number in [0, 1) from a hash. */
  public static double unit(long hash) {
    return (mix(hash) >>> 11) * 0x1.0p-53;
  }

  /** {@code length} characters of the alphabet Kubernetes uses for generated names. */
  public static String nameSuffix(long hash, int length) {
    StringBuilder suffix = new StringBuilder(length);
    long h = hash;
    for (int i = 0; i < length; i++) {
      h = mix(h + i);
      suffix.append(NAME_CHARS.charAt((int) Long.remainderUnsigned(h, NAME_CHARS.length())));
    }
    return suffix.toString();
  }

  /**
   * Kubernetes' encoding of a hash for names ({@code rand.SafeEncodeString} of the decimal form),
   * as in a ReplicaSet's {@code pod-template-hash}.
   */
  public static String safeEncode(long unsigned32) {
    String decimal = Long.toString(unsigned32 & 0xFFFFFFFFL);
    StringBuilder out = new StringBuilder(decimal.length());
    for (char c : decimal.toCharArray()) {
      out.append(NAME_CHARS.charAt(c % NAME_CHARS.length()));
    }
    return out.toString();
  }

  /** A Poisson draw with mean {@code mean} (normal approximation above 50). */
  public static int poisson(SplittableRandom random, double mean) {
    if (mean <= 0) {
      return 0;
    }
    if (mean > 50) {
      double value = mean + Math.sqrt(mean) * gaussian(random);
      return (int) Math.max(0, Math.round(value));
    }
    double limit = Math.exp(-mean);
    double product = random.nextDouble();
    int count = 0;
    while (product > limit) {
      count++;
      product *= random.nextDouble();
    }
    return count;
  }

  /** A binomial draw: successes among {@code n} trials of probability {@code p}. */
  public static int binomial(SplittableRandom random, int n, double p) {
    if (n <= 0 || p <= 0) {
      return 0;
    }
    if (p >= 1) {
      return n;
    }
    if (n <= 40) {
      int successes = 0;
      for (int i = 0; i < n; i++) {
        if (random.nextDouble() < p) {
          successes++;
        }
      }
      return successes;
    }
    double mean = n * p;
    if (mean < 15) {
      return Math.min(n, poisson(random, mean));
    }
    if (n - mean < 15) {
      return n - Math.min(n, poisson(random, n - mean));
    }
    double value = mean + Math.sqrt(mean * (1 - p)) * gaussian(random);
    return (int) Math.min(n, Math.max(0, Math.round(value)));
  }

  /** A standard normal draw (Box–Muller, one of the pair). */
  public static double gaussian(SplittableRandom random) {
    double u1 = random.nextDouble();
    double u2 = random.nextDouble();
    return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
  }
}
