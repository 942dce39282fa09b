package dev.weir.engine.console;

import dev.weir.engine.diff.DiffPrinter;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/**
 * Text the faces print from a snapshot that needs the engine's own types to compute: the unified
 * diff, whether anything drifted, the line about an unreachable cluster. Stateless.
 */
public final class ConsoleText {
  private ConsoleText() {}

  /**
   * What differs between Git and the cluster for {@code applications}, as {@code kubectl diff}
   * shows it: per object the drifted fields with who changed them, then a unified diff (cluster
   * ---, Git +++), secret values redacted; times in {@code zone}; ANSI colours when {@code colour}.
   */
  public static String diff(List<ApplicationView> applications, ZoneId zone, boolean colour) {
    return DiffPrinter.text(applications.stream().map(ApplicationView::diff).toList(), zone, colour);
  }

  /** Whether any of {@code applications} differs from Git. */
  public static boolean drifted(List<ApplicationView> applications) {
    return applications.stream().anyMatch(a -> a.diff().hasDrift());
  }

  /** Whether the snapshot's cluster answered. */
  public static boolean clusterReachable(ConsoleSnapshot snapshot) {
    return snapshot.cluster().isReachable();
  }

  /**
   * One line about the cluster when it does not answer ({@code cluster prod (https://…) unreachable
   * since …: …}); empty when it does.
   */
  public static Optional<String> clusterUnreachable(ConsoleSnapshot snapshot) {
    return snapshot.cluster().isReachable()
        ? Optional.empty()
        : Optional.of(snapshot.cluster().describe(snapshot.at()));
  }
}
