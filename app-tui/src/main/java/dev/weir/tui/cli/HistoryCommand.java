package dev.weir.tui.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.weir.engine.git.CommitInfo;
import dev.weir.engine.git.GitSource;
import dev.weir.engine.manifest.RenderedApplication;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
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
    try (GitSource source = repo.open()) {
      RenderedApplication application = RepoOptions.application(RepoOptions.renderHead(source), app);
      List<CommitInfo> commits = source.history(application.application().path(), max);
      var out = spec.commandLine().getOut();
      if (format == Format.JSON) {
        var items = commits.stream().map(commit -> {
          Map<String, Object> item = new LinkedHashMap<>();
          item.put("sha", commit.sha());
          item.put("author", commit.authorName());
          item.put("email", commit.authorEmail());
          item.put("date", commit.date().toString());
          item.put("subject", commit.subject());
          item.put("message", commit.message());
          return item;
        }).toList();
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("application", application.name());
        document.put("path", application.application().path());
        document.put("commits", items);
        out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(document));
        return ExitCodes.OK;
      }
      out.printf("%s  (%s)%n", application.name(), application.application().path());
      out.printf("%-8s %-16s %-20s %s%n", "COMMIT", "DATE", "AUTHOR", "SUBJECT");
      ZoneId zone = ZoneId.systemDefault();
      for (CommitInfo commit : commits) {
        out.printf("%-8s %-16s %-20s %s%n", commit.shortSha(), WHEN.format(commit.date().atZone(zone)),
            clip(commit.authorName(), 20), commit.subject());
      }
      return ExitCodes.OK;
    }
  }

  private static String clip(String text, int width) {
    return text.length() <= width ? text : text.substring(0, width - 1) + "…";
  }
}
