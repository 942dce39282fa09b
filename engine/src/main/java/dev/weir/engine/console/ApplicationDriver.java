package dev.weir.engine.console;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Who drives an application now — syncs it by its policy and drives its rollouts and analyses: a
 * reconciler replica holding its Lease ({@code weir-shard-<application>}), else the console
 * showing it when that console drives it, else another person's console announcing it drives it
 * ({@code weir-console-<application>}), else nobody. Plain values for the faces, made with the
 * engine's clock when the snapshot is made. Immutable.
 *
 * @param kind replica, console, nobody, or not known (the Leases cannot be read)
 * @param who for people, short: the replica's pod name ({@code weir-6f9c-x2x}) or the person's
 *     console ({@code alice@laptop}); "" for nobody and not known
 * @param holder the holder in full ({@code weir-6f9c-x2x (pid 1, weir reconcile)}, {@code
 *     alice@laptop (pid 4242, weir tui)}); "" for nobody and not known
 * @param renewedAt when the application's Lease was last renewed (its last holder's, when
 *     expired), or another console's announcement; empty without a Lease
 * @param expiresAt when that Lease runs out unless renewed; empty without a Lease
 * @param line one line for an SRE: {@code driven by replica weir-6f9c-x2x · Lease renewed 3 s
 *     ago}, {@code driven by this console (alice@laptop) · no replica holds its Lease}, {@code
 *     driven by alice@laptop's console · announced 3 s ago}, {@code
 *     nobody drives storefront: replica weir-0's Lease expired 12 s ago and this console does not
 *     drive it}
 */
public record ApplicationDriver(
    Kind kind,
    String who,
    String holder,
    Optional<Instant> renewedAt,
    Optional<Instant> expiresAt,
    String line) {

  /** Who drives. */
  public enum Kind {
    /** A reconciler replica in the cluster holds the application's Lease. */
    REPLICA("replica"),
    /**
     * No replica holds it, and a person's console drives it: the console showing it, or another
     * that announces it (decision 0049; then with its announcement's times).
     */
    CONSOLE("console"),
    /** Neither. */
    NOBODY("nobody"),
    /** The replicas' Leases cannot be read (yet). */
    UNKNOWN("unknown");

    private final String word;

    Kind(String word) {
      this.word = word;
    }

    /** {@code replica}, {@code console}, {@code nobody}, {@code unknown}: as JSON writes it. */
    public String word() {
      return word;
    }
  }

  public ApplicationDriver {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(who, "who");
    Objects.requireNonNull(holder, "holder");
    Objects.requireNonNull(renewedAt, "renewedAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
    Objects.requireNonNull(line, "line");
  }

  /** Not known: {@code why} says what is missing. */
  public static ApplicationDriver unknown(String application, String why) {
    return new ApplicationDriver(
        Kind.UNKNOWN,
        "",
        "",
        Optional.empty(),
        Optional.empty(),
        "who drives " + application + " is not known: " + why);
  }

  /**
   * The replica {@code holder} (a Lease holder, described) drives {@code application}: its Lease
   * renewed at {@code renewedAt}, running out at {@code expiresAt}, as seen at {@code now}.
   */
  public static ApplicationDriver replica(
      String who, String holder, Instant renewedAt, Instant expiresAt, Instant now) {
    return new ApplicationDriver(
        Kind.REPLICA,
        who,
        holder,
        Optional.of(renewedAt),
        Optional.of(expiresAt),
        "driven by replica " + who + " · Lease renewed " + ago(renewedAt, now));
  }

  /** The console {@code holder} (this one) drives it; {@code lease} says what of the replicas. */
  public static ApplicationDriver console(String who, String holder, String lease) {
    return new ApplicationDriver(
        Kind.CONSOLE,
        who,
        holder,
        Optional.empty(),
        Optional.empty(),
        "driven by this console (" + who + ") · " + lease);
  }

  /**
   * Another person's console {@code holder} announces it drives the application (its {@code
   * weir-console-<application>} Lease, decision 0049): renewed at {@code renewedAt}, running out
   * at {@code expiresAt}, as seen at {@code now}. Kind {@link Kind#CONSOLE}, with the
   * announcement's times (this console's own driving has none).
   */
  public static ApplicationDriver announced(
      String who, String holder, Instant renewedAt, Instant expiresAt, Instant now) {
    return new ApplicationDriver(
        Kind.CONSOLE,
        who,
        holder,
        Optional.of(renewedAt),
        Optional.of(expiresAt),
        "driven by " + who + "'s console · announced " + ago(renewedAt, now));
  }

  /** Nobody drives {@code application}; {@code lease} says what of the replicas. */
  public static ApplicationDriver nobody(
      String application, String lease, Optional<Instant> renewedAt, Optional<Instant> expiresAt) {
    return new ApplicationDriver(
        Kind.NOBODY,
        "",
        "",
        renewedAt,
        expiresAt,
        "nobody drives " + application + ": " + lease + " and this console does not drive it");
  }

  /**
   * Short, for a column: the pod's name, the person's console ({@code alice@laptop}), {@code
   * nobody}, or {@code ?} when not known.
   */
  public String label() {
    return switch (kind) {
      case REPLICA, CONSOLE -> who;
      case NOBODY -> "nobody";
      case UNKNOWN -> "?";
    };
  }

  /** {@code 3 s ago}, {@code 2 min ago}: how long before {@code now} {@code then} was. */
  static String ago(Instant then, Instant now) {
    Duration d = Duration.between(then, now);
    if (d.isNegative()) {
      d = Duration.ZERO;
    }
    long seconds = d.toSeconds();
    if (seconds < 120) {
      return seconds + " s ago";
    }
    if (seconds < 7200) {
      return seconds / 60 + " min ago";
    }
    return seconds / 3600 + " h ago";
  }
}
