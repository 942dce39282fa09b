package dev.weir.desktop.console;

import dev.weir.engine.console.Severity;
import dev.weir.engine.model.HealthStatus;
import dev.weir.engine.model.SyncStatus;
import javafx.scene.control.Label;

/**
 * The word and style class of each state, the same in every view: a badge always carries the word,
 * so colour is never the only sign. Stateless.
 */
final class Badges {
  private Badges() {}

  static String style(SyncStatus sync) {
    return switch (sync) {
      case Synced -> "success";
      case OutOfSync -> "warning";
      default -> "muted";
    };
  }

  static String style(HealthStatus health) {
    return switch (health) {
      case Healthy -> "success";
      case Progressing, Suspended -> "info";
      case Degraded, Missing -> "danger";
      default -> "muted";
    };
  }

  static String style(Severity severity) {
    return switch (severity) {
      case CRITICAL -> "danger";
      case WARNING -> "warning";
      case INFO -> "info";
    };
  }

  static String rolloutStyle(String phase) {
    return switch (phase) {
      case "Healthy" -> "success";
      case "Progressing" -> "info";
      case "Paused" -> "warning";
      case "Degraded", "Aborted" -> "danger";
      default -> "muted";
    };
  }

  static String icon(Severity severity) {
    return switch (severity) {
      case CRITICAL -> "✖";
      case WARNING -> "⚠";
      case INFO -> "•";
    };
  }

  /** A badge label showing {@code text} in {@code style}. */
  static Label badge(String text, String style) {
    Label label = new Label(text);
    label.getStyleClass().addAll("badge", style);
    return label;
  }

  /** Sets {@code label} to {@code text} in {@code style}, replacing its previous state style. */
  static void set(Label label, String text, String style) {
    label.setText(text);
    label.getStyleClass().removeAll("success", "warning", "danger", "info", "muted");
    label.getStyleClass().add(style);
  }
}
