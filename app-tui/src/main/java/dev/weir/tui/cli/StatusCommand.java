package dev.weir.tui.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.engine.analysis.PrometheusSelection;
import dev.weir.engine.console.ApplicationView;
import dev.weir.engine.console.CommandResult;
import dev.weir.engine.console.ConsoleJson;
import dev.weir.engine.console.ConsoleSnapshot;
import dev.weir.engine.telemetry.Telemetry;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code weir status}: every application's sync and health, with freezes, pins and hotfixes. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description =
        "Shows every application's sync (Synced, OutOfSync, Unknown) and health (Healthy,"
            + " Progressing, Degraded, Suspended, Missing, Unknown), its revision and one line on"
            + " what stands out: drift, freezes, pins, hotfixes, who holds its Lease; and which"
            + " Prometheus analyses query (metrics: …).")
final class StatusCommand implements Callable<Integer> {
  enum Format {
    TABLE,
    JSON
  }

  @Spec CommandSpec spec;
  @Mixin RepoOptions repo;
  @Mixin ClusterOptions cluster;
  @Mixin MetricsOptions metrics;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      defaultValue = "table",
      description = "table (default) or json.")
  Format format;

  @Override
  public Integer call() {
    var out = spec.commandLine().getOut();
    var err = spec.commandLine().getErr();
    try (ConsoleSession session =
        ConsoleSession.open(
            repo, cluster, environment(), "status", Telemetry.noop(), metrics, false)) {
      CommandResult refreshed = ConsoleSession.await(session.console.refresh());
      ConsoleSnapshot snapshot = session.console.snapshot();
      PrometheusSelection.Source source =
          snapshot.cluster().isReachable() || metrics.prometheus != null
              ? session.metrics.source()
              : null;
      if (format == Format.JSON) {
        out.print(withMetrics(ConsoleJson.status(snapshot), source));
      } else {
        out.print(table(snapshot));
        if (source != null) {
          out.println("metrics: " + source.describe());
        }
      }
      out.flush();
      if (refreshed.status() != CommandResult.Status.OK) {
        err.println("weir: " + refreshed.message());
        return ConsoleSession.exitCode(refreshed);
      }
      return ExitCodes.OK;
    }
  }

  /**
   * The status document with {@code metrics}: where analyses' queries go ({@code kind} {@code
   * flag}, {@code service-proxy} or {@code none}) and the line the table prints.
   */
  static String withMetrics(String json, PrometheusSelection.Source source) {
    if (source == null) {
      return json;
    }
    try {
      ObjectMapper mapper = new ObjectMapper();
      ObjectNode root = (ObjectNode) mapper.readTree(json);
      ObjectNode metrics = root.putObject("metrics");
      switch (source) {
        case PrometheusSelection.Given given -> {
          metrics.put("kind", "flag");
          metrics.put("prometheus", given.address().toString());
        }
        case PrometheusSelection.ServiceProxy proxy -> {
          metrics.put("kind", "service-proxy");
          metrics.put("prometheus", proxy.service().toString());
        }
        case PrometheusSelection.None none -> {
          metrics.put("kind", "none");
          metrics.putNull("prometheus");
        }
      }
      metrics.put("message", source.describe());
      return mapper
              .writer(
                  new com.fasterxml.jackson.core.util.DefaultPrettyPrinter()
                      .withObjectIndenter(
                          new com.fasterxml.jackson.core.util.DefaultIndenter("  ", "\n")))
              .writeValueAsString(root)
          + "\n";
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static String table(ConsoleSnapshot snapshot) {
    int nameWidth =
        Math.max(
            4, snapshot.applications().stream().mapToInt(a -> a.name().length()).max().orElse(4));
    String row = "%-" + nameWidth + "s  %-9s  %-11s  %-7s  %s%n";
    StringBuilder out = new StringBuilder();
    out.append(String.format(row, "NAME", "SYNC", "HEALTH", "REV", "MESSAGE"));
    for (ApplicationView view : snapshot.applications()) {
      String summary = view.summary();
      int colon = summary.indexOf(": ");
      String message = colon < 0 ? "" : summary.substring(colon + 2);
      out.append(
          String.format(
              row,
              view.name(),
              view.sync(),
              view.health().status(),
              view.revision().substring(0, Math.min(7, view.revision().length())),
              message));
    }
    if (!snapshot.cluster().isReachable()) {
      out.append(snapshot.cluster().describe(snapshot.at())).append('\n');
    }
    return out.toString();
  }

  static ApplicationView view(ConsoleSnapshot snapshot, String name) {
    return snapshot
        .application(name)
        .orElseThrow(
            () ->
                new CommandException(
                    ExitCodes.BAD_INPUT,
                    "no application named '"
                        + name
                        + "'; known: "
                        + String.join(
                            ", ",
                            snapshot.applications().stream().map(ApplicationView::name).toList())));
  }

  private CliEnvironment environment() {
    return ((WeirCommand) spec.root().userObject()).environment();
  }
}
