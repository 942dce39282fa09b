package dev.weir.tui.cli;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.engine.console.AttentionItem;
import dev.weir.engine.console.CommandResult;
import dev.weir.engine.console.ConsoleSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code weir attention}: the needs-attention queue, as both consoles show it. */
@Command(
    name = "attention",
    mixinStandardHelpOptions = true,
    description = {
      "Shows what needs a person now, most urgent first (severity, then age, oldest first):"
          + " rollouts rolled back, failing, inconclusive or paused for promotion; Degraded or"
          + " OutOfSync applications; freezes about to end or lately ended; hotfixes waiting for"
          + " their backport; application definitions that do not load. Each with how long, one"
          + " line and the suggested action (the key the consoles bind to it).",
      "",
      "Exit codes: 0 nothing needs attention, 1 something does, 2 bad input,"
          + " 3 cluster unreachable."
    })
final class AttentionCommand implements Callable<Integer> {
  enum Format {
    TABLE,
    JSON
  }

  /** The table's width: a terminal's 80 columns. */
  static final int WIDTH = 80;

  @Spec CommandSpec spec;
  @Mixin RepoOptions repo;
  @Mixin ClusterOptions cluster;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      defaultValue = "table",
      description = "table (default, 80 columns) or json.")
  Format format;

  @Override
  public Integer call() {
    var out = spec.commandLine().getOut();
    var err = spec.commandLine().getErr();
    CliEnvironment environment = ((WeirCommand) spec.root().userObject()).environment();
    try (ConsoleSession session = ConsoleSession.open(repo, cluster, environment, "attention")) {
      CommandResult refreshed = ConsoleSession.await(session.console.refresh());
      if (refreshed.status() == CommandResult.Status.UNREACHABLE) {
        err.println("weir: " + refreshed.message());
        return ExitCodes.UNREACHABLE;
      }
      ConsoleSnapshot snapshot = session.console.snapshot();
      out.print(format == Format.JSON ? json(snapshot) : table(snapshot.attention(), snapshot.at()));
      out.flush();
      return snapshot.attention().isEmpty() ? ExitCodes.OK : ExitCodes.FAILED;
    }
  }

  /**
   * {@code SEV   AGE    APPLICATION  ACTION    WHAT}: at most {@link #WIDTH} columns, the last
   * column cut with an ellipsis.
   */
  static String table(List<AttentionItem> items, Instant now) {
    if (items.isEmpty()) {
      return "nothing needs attention\n";
    }
    int appWidth =
        Math.min(
            16,
            Math.max(
                11, items.stream().mapToInt(i -> shown(i.application()).length()).max().orElse(0)));
    String head = "%-4s  %-5s  %-" + appWidth + "s  %-8s  ";
    int rest = WIDTH - String.format(head, "", "", "", "").length();
    StringBuilder out = new StringBuilder();
    out.append(String.format(head, "SEV", "AGE", "APPLICATION", "ACTION")).append("WHAT\n");
    for (AttentionItem item : items) {
      out.append(
              String.format(
                  head,
                  item.severity().word().substring(0, 4),
                  age(item.age(now)),
                  cut(shown(item.application()), appWidth),
                  item.action().word()))
          .append(cut(item.message(), rest))
          .append('\n');
    }
    return out.toString();
  }

  /** {@code {"at", "items": [{severity, kind, application, since, ageSeconds, message, action, command}]}}. */
  static String json(ConsoleSnapshot snapshot) {
    List<Object> items = new ArrayList<>();
    for (AttentionItem item : snapshot.attention()) {
      Map<String, Object> one = new LinkedHashMap<>();
      one.put("severity", item.severity().name());
      one.put("kind", item.kind().name());
      one.put("application", item.application());
      one.put("since", item.since().toString());
      one.put("ageSeconds", item.age(snapshot.at()).toSeconds());
      one.put("message", item.message());
      one.put("action", item.action().name());
      one.put("command", item.action().command(item.application()));
      items.add(one);
    }
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("at", snapshot.at().toString());
    root.put("items", items);
    try {
      return new ObjectMapper()
              .writer(
                  new DefaultPrettyPrinter()
                      .withObjectIndenter(new DefaultIndenter("  ", "\n")))
              .writeValueAsString(root)
          + "\n";
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String shown(String application) {
    return application.isEmpty() ? "-" : application;
  }

  /** {@code 45s}, {@code 25m}, {@code 2h5m}, {@code 3d4h}: five columns at most. */
  static String age(Duration age) {
    long seconds = age.toSeconds();
    if (seconds < 60) {
      return seconds + "s";
    }
    if (seconds < 3600) {
      return seconds / 60 + "m";
    }
    if (seconds < 86400) {
      long minutes = seconds % 3600 / 60;
      return seconds / 3600 + "h" + (minutes == 0 || seconds >= 36000 ? "" : minutes + "m");
    }
    long hours = seconds % 86400 / 3600;
    return seconds / 86400 + "d" + (hours == 0 || seconds >= 864000 ? "" : hours + "h");
  }

  static String cut(String text, int width) {
    String line = text.replace('\n', ' ');
    return line.length() <= width ? line : line.substring(0, width - 1) + "…";
  }
}
