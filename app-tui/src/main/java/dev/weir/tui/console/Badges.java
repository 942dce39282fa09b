package dev.weir.tui.console;

import dev.weir.engine.console.Severity;
import dev.weir.engine.model.HealthStatus;
import dev.weir.engine.model.SyncStatus;
import dev.weir.themes.Token;

/** Icons and colours for states, the same on every page: never colour alone. */
final class Badges {
  private Badges() {}

  static String icon(Severity severity) {
    return switch (severity) {
      case CRITICAL -> "✖";
      case WARNING -> "⚠";
      case INFO -> "•";
    };
  }

  static Token token(Severity severity) {
    return switch (severity) {
      case CRITICAL -> Token.DANGER;
      case WARNING -> Token.WARNING;
      case INFO -> Token.INFO;
    };
  }

  static Token token(SyncStatus sync) {
    return switch (sync) {
      case Synced -> Token.SUCCESS;
      case OutOfSync -> Token.WARNING;
      default -> Token.FG_MUTED;
    };
  }

  static Token token(HealthStatus health) {
    return switch (health) {
      case Healthy -> Token.SUCCESS;
      case Progressing, Suspended -> Token.INFO;
      case Degraded, Missing -> Token.DANGER;
      default -> Token.FG_MUTED;
    };
  }

  static Token rolloutToken(String phase) {
    return switch (phase) {
      case "Healthy" -> Token.SUCCESS;
      case "Progressing" -> Token.INFO;
      case "Paused" -> Token.WARNING;
      case "Degraded", "Aborted" -> Token.DANGER;
      default -> Token.FG_MUTED;
    };
  }

  static String rolloutIcon(String phase) {
    return switch (phase) {
      case "Healthy" -> "✓";
      case "Progressing" -> "▶";
      case "Paused" -> "⏸";
      case "Degraded", "Aborted" -> "✖";
      default -> "·";
    };
  }
}
