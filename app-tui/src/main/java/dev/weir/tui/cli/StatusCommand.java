package dev.weir.tui.cli;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.engine.console.ApplicationDriver;
import dev.weir.engine.console.ApplicationView;
import dev.weir.engine.console.CommandResult;
import dev.weir.engine.console.ConsoleJson;
import dev.weir.engine.console.ConsoleSnapshot;
import dev.weir.engine.console.ConsoleText;
import dev.weir.engine.console.DefinitionFailure;
import dev.weir.engine.console.MetricsSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code weir status}: every application's sync and health, with freezes, pins and hotfixes, and
 * every application definition that does not load. Columns come from the structured fields of
 * {@link ApplicationView}; the table fits 80 columns (the message is cut with …) unless {@code -o
 * wide}.
 */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description =
        "Shows every application's sync (Synced, OutOfSync, Unknown) and health (Healthy,"
            + " Progressing, Degraded, Suspended, Missing, Unknown), its revision and one line on"
            + " what stands out: drift, freezes, pins, hotfixes, who holds its Lease; and which"
            + " Prometheus analyses query (metrics: …). An application whose definition does not"
            + " load is a row with file:line:column and what is wrong, and the exit status is 1."
            + " Lines are cut at 80 columns (with …) unless -o wide.")
final class StatusCommand implements Callable<Integer> {
  enum Format {
    TABLE,
    WIDE,
    JSON
  }

  /** The width of a terminal nobody resized: the table's lines are cut to it. */
  static final int WIDTH = 80;

  /** The name shown for a definition whose application's name could not be read. */
  static final String UNNAMED = "?";

  @Spec CommandSpec spec;
  @Mixin RepoOptions repo;
  @Mixin ClusterOptions cluster;
  @Mixin MetricsOptions metrics;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      defaultValue = "table",
      description =
          "table (default: cut to 80 columns), wide (every message whole) or json.")
  Format format;

  @Override
  public Integer call() {
    var out = spec.commandLine().getOut();
    var err = spec.commandLine().getErr();
    try (ConsoleSession session = ConsoleSession.open(repo, cluster, "status", metrics::applyTo)) {
      CommandResult refreshed = ConsoleSession.await(session.console.refresh());
      ConsoleSnapshot snapshot = session.console.snapshot();
      Optional<MetricsSource> source =
          ConsoleText.clusterReachable(snapshot) || metrics.prometheus != null
              ? session.launched.metricsSource()
              : Optional.empty();
      if (format == Format.JSON) {
        out.print(withMetrics(ConsoleJson.status(snapshot), source));
      } else {
        boolean wide = format == Format.WIDE;
        out.print(table(snapshot, wide));
        source.ifPresent(m -> out.println(fit("metrics: " + m.message(), wide)));
      }
      out.flush();
      if (refreshed.status() != CommandResult.Status.OK) {
        err.println("weir: " + refreshed.message());
        return ConsoleSession.exitCode(refreshed);
      }
      List<DefinitionFailure> failures = snapshot.definitionFailures();
      if (!failures.isEmpty()) {
        // each whole, whatever the width: the table may have cut them
        failures.forEach(f -> err.println("weir: " + f.describe()));
        return ExitCodes.FAILED;
      }
      return ExitCodes.OK;
    }
  }

  /**
   * The status document with {@code metrics}: where analyses' queries go ({@code kind} {@code
   * flag}, {@code service-proxy} or {@code none}) and the line the table prints.
   */
  static String withMetrics(String json, Optional<MetricsSource> source) {
    if (source.isEmpty()) {
      return json;
    }
    try {
      ObjectMapper mapper = new ObjectMapper();
      ObjectNode root = (ObjectNode) mapper.readTree(json);
      ObjectNode node = root.putObject("metrics");
      node.put("kind", source.get().kind());
      node.put("prometheus", source.get().prometheus().orElse(null));
      node.put("message", source.get().message());
      return mapper
              .writer(new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter("  ", "\n")))
              .writeValueAsString(root)
          + "\n";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One row of the table. */
  record Row(
      String name, String sync, String health, String revision, String driver, String message) {}

  /**
   * The table: a row per application (its message the definition failure, {@link
   * DefinitionFailure#brief()}, when its definition does not load, else {@link
   * ApplicationView#message()}), a row per definition whose application's
   * name could not be read ({@value #UNNAMED}), then the cluster's line when it does not answer.
   * Every line is cut to {@link #WIDTH} columns unless {@code wide}.
   */
  static String table(ConsoleSnapshot snapshot, boolean wide) {
    List<Row> rows = new ArrayList<>();
    for (ApplicationView view : snapshot.applications()) {
      String message =
          snapshot.definitionFailures().stream()
              .filter(f -> f.application().equals(Optional.of(view.name())))
              .findFirst()
              .map(DefinitionFailure::brief)
              .orElseGet(view::message);
      rows.add(
          new Row(
              view.name(),
              view.sync().name(),
              view.health().status().name(),
              view.revision().substring(0, Math.min(7, view.revision().length())),
              view.driver().label(),
              message));
    }
    for (DefinitionFailure failure : snapshot.definitionFailures()) {
      if (failure.application().isEmpty()) {
        rows.add(new Row(UNNAMED, "Unknown", "Unknown", "-", "-", failure.brief()));
      }
    }
    // who drives each application: a column when a replica or this console drives any (or with
    // -o wide), else one line saying nobody drives them, so the message keeps its 80 columns
    boolean driven =
        snapshot.applications().stream()
            .anyMatch(
                v ->
                    v.driver().kind() == ApplicationDriver.Kind.REPLICA
                        || v.driver().kind() == ApplicationDriver.Kind.CONSOLE);
    boolean drivers = wide || driven;
    if (!drivers) {
      rows.replaceAll(r -> new Row(r.name(), r.sync(), r.health(), r.revision(), "", r.message()));
    }
    Row header = new Row("NAME", "SYNC", "HEALTH", "REV", drivers ? "DRIVER" : "", "MESSAGE");
    int name = width(header, rows, Row::name);
    int sync = width(header, rows, Row::sync);
    int health = width(header, rows, Row::health);
    int revision = width(header, rows, Row::revision);
    int driver = width(header, rows, Row::driver);
    String format =
        "%-" + name + "s  %-" + sync + "s  %-" + health + "s  %-" + revision + "s  "
            + (drivers ? "%-" + driver + "s  " : "%s") + "%s";
    StringBuilder out = new StringBuilder();
    for (Row row : prepend(header, rows)) {
      String line =
          String.format(
                  format,
                  row.name(),
                  row.sync(),
                  row.health(),
                  row.revision(),
                  row.driver(),
                  row.message())
              .stripTrailing();
      out.append(fit(line, wide)).append('\n');
    }
    if (!drivers && !snapshot.applications().isEmpty()) {
      out.append(fit(undriven(snapshot), wide)).append('\n');
    }
    ConsoleText.clusterUnreachable(snapshot).ifPresent(line -> out.append(fit(line, wide)).append('\n'));
    return out.toString();
  }

  /**
   * The line under a table without a DRIVER column: {@code nobody drives these applications: no
   * reconciler replica holds their Leases} (this command drives nothing), or why who drives them is
   * not known.
   */
  static String undriven(ConsoleSnapshot snapshot) {
    return snapshot.applications().stream()
        .map(ApplicationView::driver)
        .filter(d -> d.kind() == ApplicationDriver.Kind.UNKNOWN)
        .findFirst()
        .map(ApplicationDriver::line)
        .orElse(
            "nobody drives these applications: no reconciler replica holds their Leases");
  }

  private static List<Row> prepend(Row header, List<Row> rows) {
    List<Row> all = new ArrayList<>(rows.size() + 1);
    all.add(header);
    all.addAll(rows);
    return all;
  }

  private static int width(Row header, List<Row> rows, java.util.function.Function<Row, String> column) {
    int widest = column.apply(header).length();
    for (Row row : rows) {
      widest = Math.max(widest, column.apply(row).length());
    }
    return widest;
  }

  /** {@code line} cut to {@link #WIDTH} columns with … at the end, unless {@code wide}. */
  static String fit(String line, boolean wide) {
    if (wide || line.codePointCount(0, line.length()) <= WIDTH) {
      return line;
    }
    return line.substring(0, line.offsetByCodePoints(0, WIDTH - 1)) + "…";
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
