package dev.weir.engine.console;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Something that happened, for the console's events, the incident timeline ({@code weir events})
 * and {@code weir reconcile}'s log: a Git commit seen, a sync and who started it, drift detected, a
 * rollout transition, an analysis measurement, a person's command. Immutable.
 *
 * @param at when
 * @param application which application ("" for the whole console)
 * @param kind what sort of event
 * @param severity how much it wants a person
 * @param who the person or process behind it ({@code alice}, {@code self-heal}, {@code weir} when
 *     the engine decided; "" when nobody in particular)
 * @param message what happened, one line, without the application's name (the application is its
 *     own field)
 * @param values the figures behind it, a small map kept in key order ({@code success-rate → 0.91},
 *     {@code revision → 3f2a1c9}, {@code rollout → storefront})
 */
public record ConsoleEvent(
    Instant at,
    String application,
    Kind kind,
    Severity severity,
    String who,
    String message,
    Map<String, String> values) {

  /** What sort of event; the timeline groups and filters by it. */
  public enum Kind {
    GIT_COMMIT,
    GIT,
    SYNC,
    DRIFT,
    ROLLOUT,
    ANALYSIS,
    COMMAND,
    FREEZE,
    HOTFIX,
    PIN
  }

  public ConsoleEvent {
    Objects.requireNonNull(at, "at");
    application = application == null ? "" : application;
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(severity, "severity");
    who = who == null ? "" : who;
    Objects.requireNonNull(message, "message");
    values = java.util.Collections.unmodifiableMap(new TreeMap<>(values));
  }

  /** A console-wide or plain event: a person's command, informational, no figures. */
  public ConsoleEvent(Instant at, String application, String message) {
    this(at, application, Kind.COMMAND, Severity.INFO, "", message, Map.of());
  }

  /** What happened: the same as {@link #message()}. */
  public String what() {
    return message;
  }

  /** One line for a log ({@code weir reconcile}): when, the application, what, and who in brackets. */
  @Override
  public String toString() {
    return at
        + " "
        + (application.isEmpty() ? "" : application + ": ")
        + message
        + (who.isEmpty() ? "" : "  (" + who + ")");
  }
}
