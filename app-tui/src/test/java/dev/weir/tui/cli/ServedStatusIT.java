package dev.weir.tui.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.drills.LocalSandbox;
import dev.weir.engine.time.ManualClock;
import dev.weir.sandbox.api.SandboxStateLocation;
import dev.weir.tui.launch.ServedClient;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code weir status --sandbox} while {@code weir sandbox serve} runs: the command is answered by
 * the serving process (decision 0014), with the rows the command prints when it runs the engine
 * itself.
 */
class ServedStatusIT {
  @TempDir Path home;
  Path repository;
  LocalSandbox sandbox;
  CommandServer commands;

  @BeforeEach
  void serve() throws Exception {
    repository = home.resolve("shop.git");
    CliRun init = CliRun.weir(home, "sandbox", "init", repository.toString());
    assertThat(init.exitCode()).as(init.err()).isZero();
    SandboxStateLocation location = SandboxStateLocation.resolve(environment(), home);
    // what 'weir sandbox serve' does, with the simulated cluster's time standing still, so that
    // pods do not become ready between one status and the next
    sandbox =
        LocalSandbox.serve(
            location, new ManualClock(Instant.now()), 0, location.directory().resolve("kubeconfig"));
    commands = CommandServer.start(location);
  }

  @AfterEach
  void stop() throws Exception {
    if (commands != null) {
      commands.close();
    }
    if (sandbox != null) {
      sandbox.close();
    }
  }

  @Test
  void theServedSandboxAnswersWithTheRowsOfTheFullPath() {
    for (List<String> options : List.of(List.<String>of(), List.of("-o", "json"))) {
      String[] args = args(options);
      CliRun full = CliRun.weir(home, args);
      Served served = forward(args);

      assertThat(served.code()).as("answered by the serving process").isPresent();
      assertThat(full.out()).contains("inventory").contains("OutOfSync");
      assertThat(fetchedAtAside(served.out())).isEqualTo(fetchedAtAside(full.out()));
      assertThat(served.code().getAsInt()).isEqualTo(full.exitCode());
      assertThat(served.err()).isEqualTo(full.err());
    }
    assertThat(commands.served()).isEqualTo(2);
  }

  @Test
  void aRelativeRepositoryIsResolvedInTheClientsWorkingDirectory() {
    Served served = forward(home, "status", "--repo", "shop.git", "--sandbox", "-o", "wide");

    assertThat(served.code()).isPresent();
    assertThat(served.out()).contains("inventory").contains("kubectl-edit changed spec.replicas 3→5");
    assertThat(commands.served()).isEqualTo(1);
  }

  @Test
  void whatIsNotServedRunsInTheClient() {
    assertThat(forward(args(List.of("--no-such-option"))).code()).isEmpty();
    assertThat(forward("diff", "--repo", repository.toString(), "--sandbox").code()).isEmpty();
    assertThat(forward("status", "--repo", repository.toString()).code()).as("no --sandbox").isEmpty();
    assertThat(forward(home, "status", "--repo", "missing.git", "--sandbox").code())
        .as("a relative path the client cannot resolve")
        .isEmpty();
    assertThat(commands.served()).isZero();
  }

  @Test
  void aStatusProcessUsesTheRunningServeInsteadOfStartingTheEngine() throws Exception {
    String[] args = args(List.of());
    CliRun full = CliRun.weir(home, args);
    ProcessBuilder builder =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Dstdout.encoding=UTF-8",
            "-cp",
            System.getProperty("java.class.path"),
            "dev.weir.tui.launch.Main");
    builder.command().addAll(List.of(args));
    builder.environment().putAll(environment());
    builder.redirectError(ProcessBuilder.Redirect.DISCARD);
    Process status = builder.start();
    String printed = new String(status.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(status.waitFor(120, TimeUnit.SECONDS)).isTrue();

    assertThat(status.exitValue()).isEqualTo(full.exitCode());
    assertThat(printed).isEqualTo(full.out());
    assertThat(commands.served()).as("the status process was answered by this serve").isEqualTo(1);
    assertThat(sandbox.server()).as("still the one sandbox, served here").isPresent();
  }

  @Test
  void inServedOnlyModeACommandTheServeDoesNotAnswerEndsWith200AndPrintsNothing() throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Dweir.served-only=true",
            "-cp",
            System.getProperty("java.class.path"),
            "dev.weir.tui.launch.Main",
            "diff",
            "--repo",
            repository.toString(),
            "--sandbox");
    builder.environment().putAll(environment());
    builder.redirectErrorStream(true);
    Process diff = builder.start();
    String printed = new String(diff.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(diff.waitFor(120, TimeUnit.SECONDS)).isTrue();

    assertThat(diff.exitValue()).as("./weir then runs the full program").isEqualTo(200);
    assertThat(printed).isEmpty();
    assertThat(commands.served()).isZero();
  }

  @Test
  void aSocketLeftByAKilledServerIsIgnoredAndReplaced() throws Exception {
    commands.close();
    Path socket = commands.socket();
    Files.createFile(socket); // what a killed server leaves behind, as far as a client can tell

    assertThat(forward(args(List.of())).code()).isEmpty();

    commands = CommandServer.start(SandboxStateLocation.resolve(environment(), home));
    assertThat(forward(args(List.of())).code()).isPresent();
  }

  /** The document without when Git was fetched, which differs from one command to the next. */
  private static String fetchedAtAside(String printed) {
    return printed.replaceAll("\"fetchedAt\" : \"[^\"]*\"", "\"fetchedAt\" : \"…\"");
  }

  private String[] args(List<String> options) {
    List<String> all =
        new java.util.ArrayList<>(List.of("status", "--repo", repository.toString(), "--sandbox"));
    all.addAll(options);
    return all.toArray(String[]::new);
  }

  private Map<String, String> environment() {
    Map<String, String> variables = new HashMap<>();
    variables.put("XDG_CACHE_HOME", home.resolve("cache").toString());
    variables.put("XDG_DATA_HOME", home.resolve("data").toString());
    variables.put("PATH", System.getenv().getOrDefault("PATH", ""));
    return variables;
  }

  private Served forward(String... args) {
    return forward(Path.of("").toAbsolutePath(), args);
  }

  private Served forward(Path workingDirectory, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    OptionalInt code = ServedClient.forward(args, environment(), home, workingDirectory, "UTF-8", out, err);
    return new Served(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private record Served(OptionalInt code, String out, String err) {}
}
