package dev.weir.tui.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.weir.engine.console.ApplicationHistory;
import dev.weir.engine.console.CommandResult;
import dev.weir.engine.console.RepositoryConsole;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code weir history APP}: the commits that touched an application's path, newest first. */
@Command(
    name = "history",
    mixinStandardHelpOptions = true,
    description = "Lists the commits that touched an application's path, newest first: the revisions to roll back to.")
final class HistoryCommand implements Callable<Integer> {
  private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

  enum Format { TABLE, JSON }

  @Spec CommandSpec spec;
  @Mixin RepoOptions repo;

  @Parameters(paramLabel = "APP", description = "The application.")
  String app;

  @Option(names = "--max", defaultValue = "50", description = "At most this many commits (default: ${DEFAULT-VALUE}).")
  int max;

  @Option(names = {"-o", "--output"}, defaultValue = "table", paramLabel = "FORMAT", description = "table (default) or json.")
  Format format;

  @Override
  public Integer call() throws Exception {
    ApplicationHistory history;
    try (RepositoryConsole console = RepositoryConsole.open(repo.open())) {
      history = console.history(app, max).join();
    }
    if (!history.ok()) {
      CommandResult failed = CommandResult.of(history.status(), history.message());
      ConsoleSession.print(spec, failed);
      return ConsoleSession.exitCode(failed);
    }
    var out = spec.commandLine().getOut();
    if (format == Format.JSON) {
      var items = history.commits().stream().map(commit -> {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("sha", commit.sha());
        item.put("author", commit.author());
        item.put("email", commit.email());
        item.put("date", commit.date().toString());
        item.put("subject", commit.subject());
        item.put("message", commit.message());
        return item;
      }).toList();
      Map<String, Object> document = new LinkedHashMap<>();
      document.put("application", history.application());
      document.put("path", history.path());
      document.put("commits", items);
      out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(document));
      return ExitCodes.OK;
    }
    out.printf("%s  (%s)%n", history.application(), history.path());
    out.printf("%-8s %-16s %-20s %s%n", "COMMIT", "DATE", "AUTHOR", "SUBJECT");
    ZoneId zone = ZoneId.systemDefault();
    for (ApplicationHistory.Commit commit : history.commits()) {
      out.printf("%-8s %-16s %-20s %s%n", commit.shortSha(), WHEN.format(commit.date().atZone(zone)),
          clip(commit.author(), 20), commit.subject());
    }
    return ExitCodes.OK;
  }

  private static String clip(String text, int width) {
    return text.length() <= width ? text : text.substring(0, width - 1) + "…";
  }
}
