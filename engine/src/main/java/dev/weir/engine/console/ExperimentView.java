package dev.weir.engine.console;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One A/B experiment as every face shows it (CLI, terminal, desktop): its variants with their
 * traffic and conversions, the uplift of B over A with its always-valid interval, and where it
 * stands. Computed once in the engine. Immutable.
 *
 * @param application the application
 * @param rollout the rollout whose {@code experiment} step it is
 * @param name the experiment's name
 * @param segment who sees B, e.g. {@code header x-segment = beta}
 * @param variants A (stable, the rest of the traffic) then B (the canary, the segment)
 * @param uplift B's conversion rate minus A's, in absolute points (0.021 is +2.1 points); NaN until
 *     both variants have trials
 * @param lower the lower end of the always-valid interval for the uplift (−∞ until known)
 * @param upper its upper end (+∞ until known)
 * @param pValue the always-valid p-value of "no difference"
 * @param alpha the significance the experiment was declared with
 * @param outcome {@code Running}, {@code B wins}, {@code B harms}, {@code No difference} or {@code
 *     Unknown} (conversions unreadable)
 * @param decision what a person should do now: {@code wait}, {@code promote} or {@code keep}; or,
 *     once concluded, what was done ({@code promoted} / {@code kept})
 * @param running how long the experiment has been counted
 * @param maxSamples the trials per variant at which it ends
 * @param message one line: counts, uplift, interval, p-value and why it stands where it does
 * @param concluded who concluded it, how and why, once done
 */
public record ExperimentView(
    String application,
    String rollout,
    String name,
    String segment,
    List<Variant> variants,
    double uplift,
    double lower,
    double upper,
    double pValue,
    double alpha,
    String outcome,
    String decision,
    Duration running,
    long maxSamples,
    String message,
    Optional<String> concluded) {

  /**
   * One variant of an experiment.
   *
   * @param name {@code A} or {@code B}
   * @param version its version ({@code v2.4.1})
   * @param role {@code stable} or {@code canary}
   * @param audience who is sent to it: {@code the rest} or the segment
   * @param trafficShare its share of the experiment's trials, 0..1 (NaN before any)
   * @param successes conversions counted since the experiment started
   * @param trials trials counted since the experiment started
   */
  public record Variant(
      String name,
      String version,
      String role,
      String audience,
      double trafficShare,
      long successes,
      long trials) {
    public Variant {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(version, "version");
      Objects.requireNonNull(role, "role");
      Objects.requireNonNull(audience, "audience");
    }

    /** The conversion rate, NaN without trials. */
    public double rate() {
      return trials == 0 ? Double.NaN : (double) successes / trials;
    }
  }

  public ExperimentView {
    Objects.requireNonNull(application, "application");
    Objects.requireNonNull(rollout, "rollout");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(segment, "segment");
    variants = List.copyOf(variants);
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(decision, "decision");
    Objects.requireNonNull(running, "running");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(concluded, "concluded");
  }

  /** Whether the test has stopped (a winner, a harm, or a limit reached) or was concluded. */
  public boolean stopped() {
    return concluded.isPresent()
        || outcome.equals("B wins")
        || outcome.equals("B harms")
        || outcome.equals("No difference");
  }

  /**
   * The view as text within 80 columns, the same in the CLI and the terminal console:
   *
   * <pre>
   * experiment new-checkout (rollout storefront): B wins → promote
   *   segment  header x-segment = beta → B
   *   A v2.4.0   the rest     80.1%   10.0%  (1203/12034)
   *   B v2.4.1   segment      19.9%   13.1%  (392/2990)
   *   uplift   +3.1 points [+1.2, +5.0] (95% always-valid), p = 0.0012
   *   running  4m30s, ends at 6000 trials per variant
   * </pre>
   */
  public java.util.List<String> lines() {
    java.util.List<String> out = new java.util.ArrayList<>();
    out.add(
        "experiment "
            + name
            + " (rollout "
            + rollout
            + "): "
            + outcome
            + concluded.map(c -> ", " + c).orElse(" → " + decision));
    out.add("  segment  " + segment + " → B");
    for (Variant v : variants) {
      out.add(
          String.format(
              java.util.Locale.ROOT,
              "  %s %-8s %-9s %6s  %6s  (%d/%d)",
              v.name(),
              v.version(),
              v.name().equals("A") ? "the rest" : "segment",
              percent(v.trafficShare()),
              percent(v.rate()),
              v.successes(),
              v.trials()));
    }
    if (Double.isNaN(uplift)) {
      out.add("  uplift   not measured yet");
    } else {
      out.add(
          String.format(
              java.util.Locale.ROOT,
              "  uplift   %+.1f points [%s, %s] (%s%% always-valid), p = %s",
              100 * uplift,
              bound(lower),
              bound(upper),
              new java.math.BigDecimal(100 * (1 - alpha))
                  .round(new java.math.MathContext(3))
                  .stripTrailingZeros()
                  .toPlainString(),
              pValue < 1e-4
                  ? String.format(java.util.Locale.ROOT, "%.1e", pValue)
                  : String.format(java.util.Locale.ROOT, "%.4f", pValue)));
    }
    out.add(
        "  running  "
            + duration(running)
            + ", ends at "
            + maxSamples
            + " trials per variant");
    wrap("  ", message, out);
    return List.copyOf(out);
  }

  /** Words of {@code text} in lines of at most 80 columns, continuations indented 4 more. */
  private static void wrap(String indent, String text, List<String> out) {
    StringBuilder line = new StringBuilder(indent);
    boolean first = true;
    for (String word : text.split(" ")) {
      if (line.length() > indent.length() && line.length() + 1 + word.length() > 80) {
        out.add(line.toString());
        line = new StringBuilder(indent + "    ");
        first = false;
      } else if (line.length() > indent.length() + (first ? 0 : 4)) {
        line.append(' ');
      }
      line.append(word);
    }
    out.add(line.toString());
  }

  private static String duration(Duration d) {
    long s = d.toSeconds();
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return (s / 60) + "m" + (s % 60 == 0 ? "" : (s % 60) + "s");
    }
    return (s / 3600) + "h" + ((s % 3600) / 60 == 0 ? "" : ((s % 3600) / 60) + "m");
  }

  private static String percent(double share) {
    return Double.isNaN(share) ? "–" : String.format(java.util.Locale.ROOT, "%.1f%%", 100 * share);
  }

  private static String bound(double value) {
    if (Double.isInfinite(value)) {
      return value > 0 ? "+∞" : "−∞";
    }
    return String.format(java.util.Locale.ROOT, "%+.1f", 100 * value);
  }
}
