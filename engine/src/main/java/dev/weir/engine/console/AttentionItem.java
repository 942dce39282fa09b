package dev.weir.engine.console;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One entry of the needs-attention queue: what wants a person, since when, and the key action that
 * most likely answers it. Immutable; made only by {@link Attention}.
 *
 * @param severity how urgent
 * @param kind what sort of thing
 * @param application the application ("" for the whole console, or a definition that names none)
 * @param since when it began (as far as the console knows: the rollout event, the failed
 *     measurement, the freeze's end, or when this console first saw it)
 * @param message one line, without the application's name
 * @param action the suggested key action
 */
public record AttentionItem(
    Severity severity,
    Kind kind,
    String application,
    Instant since,
    String message,
    Action action) {

  /** What sort of thing wants attention. */
  public enum Kind {
    ROLLOUT_FAILED,
    ANALYSIS_FAILING,
    DEFINITION_FAILED,
    DEGRADED,
    ROLLOUT_ABORTED,
    ROLLOUT_INCONCLUSIVE,
    ROLLOUT_PAUSED,
    OUT_OF_SYNC,
    FREEZE_EXPIRING,
    FREEZE_EXPIRED,
    BACKPORT_PENDING
  }

  /**
   * The key action suggested, with the CLI command that does it (the consoles bind the same
   * action to a key).
   */
  public enum Action {
    ROLLBACK("rollback", "weir rollback APP --to REV"),
    ABORT("abort", "weir rollout abort APP"),
    PROMOTE("promote", "weir rollout promote APP"),
    RETRY("retry", "weir rollout retry APP"),
    DIFF("diff", "weir diff --app APP"),
    SYNC("sync", "weir sync --app APP"),
    FREEZE("freeze", "weir freeze APP --for 1h --reason …"),
    BACKPORT("backport", "weir backport APP"),
    FIX_DEFINITION("fix file", "fix the file in Git, then weir status");

    private final String word;
    private final String command;

    Action(String word, String command) {
      this.word = word;
      this.command = command;
    }

    /** The action's name on a key or button: {@code promote}. */
    public String word() {
      return word;
    }

    /** The command line that does it for {@code application}. */
    public String command(String application) {
      return command.replace("APP", application.isEmpty() ? "--all" : application);
    }
  }

  public AttentionItem {
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(kind, "kind");
    application = application == null ? "" : application;
    Objects.requireNonNull(since, "since");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(action, "action");
  }

  /** How long it has wanted attention at {@code now} (never negative). */
  public Duration age(Instant now) {
    Duration age = Duration.between(since, now);
    return age.isNegative() ? Duration.ZERO : age;
  }

  /** The identity of an item across snapshots: its kind and application. */
  String key() {
    return kind + "/" + application + "/" + (kind == Kind.DEFINITION_FAILED ? message : "");
  }
}
