package dev.weir.engine.console;

import java.time.Instant;
import java.util.Objects;

/**
 * Something that happened, for the console's event list and {@code weir reconcile}'s log: a sync, a
 * freeze, a self-heal, a pin. Immutable.
 *
 * @param at when
 * @param application which application ("" for the whole console)
 * @param message one line
 */
public record ConsoleEvent(Instant at, String application, String message) {
  public ConsoleEvent {
    Objects.requireNonNull(at, "at");
    application = application == null ? "" : application;
    Objects.requireNonNull(message, "message");
  }

  @Override
  public String toString() {
    return at + " " + (application.isEmpty() ? "" : application + ": ") + message;
  }
}
