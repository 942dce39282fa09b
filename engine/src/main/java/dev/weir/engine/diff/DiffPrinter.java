package dev.weir.engine.diff;

import java.time.ZoneId;
import java.util.List;

/**
 * Prints application diffs for people: per drifted object a header, one line per drifted field
 * ({@link FieldChange#describe}), then the unified diff, optionally coloured with ANSI escapes
 * (removed red, added green, hunks cyan), as {@code kubectl diff} shows them.
 *
 * <p>Stateless and thread-safe.
 */
public final class DiffPrinter {
  private static final String RED = "\u001b[31m";
  private static final String GREEN = "\u001b[32m";
  private static final String CYAN = "\u001b[36m";
  private static final String BOLD = "\u001b[1m";
  private static final String RESET = "\u001b[0m";

  private DiffPrinter() {}

  /** The drifted objects of {@code diffs}; "" when nothing drifted. */
  public static String text(List<ApplicationDiff> diffs, ZoneId zone, boolean colour) {
    StringBuilder out = new StringBuilder();
    for (ApplicationDiff diff : diffs) {
      for (String problem : diff.problems()) {
        out.append("# ").append(diff.application()).append(": ").append(problem).append('\n');
      }
      for (ResourceDiff resource : diff.drifted()) {
        out.append(resource(diff.application(), resource, zone, colour));
      }
    }
    return out.toString();
  }

  /** One drifted object: header, field lines, unified diff. */
  public static String resource(
      String application, ResourceDiff resource, ZoneId zone, boolean colour) {
    StringBuilder out = new StringBuilder();
    String header =
        "# " + application + ": " + resource.key() + " " + statusWord(resource.status());
    out.append(colour ? BOLD + header + RESET : header).append('\n');
    if (!resource.note().isEmpty()) {
      out.append("#   ").append(resource.note()).append('\n');
    }
    for (FieldChange change : resource.changes()) {
      out.append("#   ").append(change.describe(zone)).append('\n');
    }
    for (String line : resource.text().split("\n", -1)) {
      if (line.isEmpty()) {
        continue;
      }
      out.append(colour ? colourLine(line) : line).append('\n');
    }
    return out.toString();
  }

  /** What {@code weir diff} says of an object in {@code status} ({@code drifted}). */
  public static String statusWord(ResourceDiff.Status status) {
    return switch (status) {
      case SYNCED -> "in sync";
      case MODIFIED -> "drifted";
      case MISSING -> "missing in the cluster";
      case EXTRA -> "not in Git (prune candidate)";
    };
  }

  private static String colourLine(String line) {
    if (line.startsWith("---") || line.startsWith("+++")) {
      return BOLD + line + RESET;
    }
    if (line.startsWith("@@")) {
      return CYAN + line + RESET;
    }
    if (line.startsWith("-")) {
      return RED + line + RESET;
    }
    if (line.startsWith("+")) {
      return GREEN + line + RESET;
    }
    return line;
  }
}
