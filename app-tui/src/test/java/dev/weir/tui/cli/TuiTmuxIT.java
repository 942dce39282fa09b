package dev.weir.tui.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code weir tui} in a real terminal (tmux, 80×24) on a served sandbox where the sample
 * repository's newest commit, storefront v2.4.1, rolls out as a canary whose p99 latency fails its
 * analysis: the console opens on the needs-attention queue with that rollout selected, {@code a}
 * then {@code y} abort it, the HTTPRoute (read with kubectl) sends everything to stable; {@code
 * :apps}, {@code /storefront}, {@code H} open storefront's history, where {@code j r y} roll it
 * back, a commit the sample repository's {@code git log} shows; Ctrl+C quits with the terminal
 * restored and exit status 0.
 *
 * <p>The sandbox is served on the wall clock here (a real process beside the console), so nothing
 * in this story may depend on when things happen. The sample's own canary is rolled back by the
 * engine on its third failed measurement, minutes after launch: on a loaded machine that could come
 * before the test has read the weights and pressed {@code a}. So the test repository holds the
 * canary where a person must act, whatever the time: before v2.4.1, one commit makes storefront's
 * rollout wait at 5% ({@code pause: {}}) and lets its latency analysis fail without limit ({@code
 * failureLimit: -1}, {@code inconclusiveLimit: -1}): the canary is failing, and stays failing at
 * 95/5, until the abort. Every wait is a bounded poll of what the processes show (an event), with a
 * generous deadline; no assertion is about how soon.
 */
class TuiTmuxIT {
  private static final Duration CANARY_FAILS = Duration.ofSeconds(240);
  private static final Duration QUICK = Duration.ofSeconds(60);

  @TempDir Path home;
  Path repository;
  Path kubeconfig;
  Process serve;

  @BeforeEach
  void serveASeededSandbox() throws Exception {
    assumeTrue(Tmux.installed(), "tmux is not installed");
    assumeTrue(onPath("kubectl"), "kubectl is not installed");
    repository = home.resolve("shop");
    CliRun init = CliRun.weir(home, "sandbox", "init", repository.toString());
    assertThat(init.exitCode()).as(init.err()).isZero();
    holdTheCanaryUntilAPersonActs();
    kubeconfig = home.resolve("sandbox.kubeconfig");
    ProcessBuilder builder =
        new ProcessBuilder(
            java(), "-cp", System.getProperty("java.class.path"), "dev.weir.tui.cli.WeirCommand",
            "sandbox", "serve", "--kubeconfig", kubeconfig.toString());
    builder.environment().putAll(environment());
    builder.redirectErrorStream(true);
    serve = builder.start();
    var out = new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8));
    String line;
    List<String> printed = new ArrayList<>();
    while ((line = out.readLine()) != null && !line.startsWith("Ctrl+C")) { // four lines, or it died
      printed.add(line);
    }
    assertThat(printed).as("weir sandbox serve").anyMatch(l -> l.startsWith("kubeconfig: "));
    Thread drain = new Thread(() -> {
      try {
        out.transferTo(java.io.Writer.nullWriter());
      } catch (IOException e) {
        // the server ended
      }
    }, "sandbox-serve-output");
    drain.setDaemon(true);
    drain.start();
  }

  @AfterEach
  void stopTheSandbox() throws Exception {
    if (serve != null) {
      serve.destroy();
      assertThat(serve.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void aFailingCanaryIsSelectedAtLaunchAndAbortedInTwoKeysThenCtrlCQuits() throws Exception {
    try (Tmux tmux = Tmux.start(weirTui(), 80, 24)) {
      // the first frame, marked loading (whole: tmux may show a frame half written)
      tmux.await(
          "the first frame, marked loading", QUICK, s -> s.contains(" weir › ") && s.contains("Opening…"));

      String failing =
          tmux.await(
              "the failing canary, selected, at the top of the needs-attention queue",
              CANARY_FAILS,
              s -> s.contains("▶✖ storefront   rollout canary failing"));
      assertThat(failing).contains("Needs attention").contains("<a> abort");
      assertThat(failing).as("the header names the sandbox's context").contains("ctx:weir-sandbox");
      assertThat(weights()).as("the canary takes its 5%").isEqualTo("95 5");

      tmux.send("a");
      String asked =
          tmux.await("the abort's confirmation", QUICK, s -> s.contains("y: do it    n or esc: cancel"));
      assertThat(asked)
          .contains("Abort rollout storefront")
          .contains("afterwards: stable v2.4.0 100%, canary v2.4.1 0%");

      tmux.send("y");
      String done =
          tmux.await(
              "the abort's one-line result", QUICK, s -> s.contains("✔ storefront: v2.4.1 aborted by "));
      assertThat(done).containsPattern("storefront +Synced +\\w+ +— +✖ Aborted +0%");
      assertThat(weights()).as("the traffic is back on stable").isEqualTo("100 0");

      // storefront's history from the applications (the attention queue now leads with other
      // items): :apps, / storefront, H; j selects the commit before the newest (the test's, storefront
      // still at v2.4.0), r rolls back to it after the preview, y confirms
      tmux.send(":", "apps", "Enter");
      tmux.await("the applications", QUICK, s -> s.contains("Applications (7)"));
      tmux.send("/", "storefront", "Enter");
      tmux.await("storefront alone", QUICK, s -> s.contains("Applications (1"));
      tmux.send("H");
      tmux.await("storefront's history", QUICK, s -> s.contains("History of storefront"));
      tmux.send("j", "r");
      String rollback =
          tmux.await("the rollback's confirmation", QUICK, s -> s.contains("y: do it"));
      assertThat(rollback).contains("Roll back storefront to");
      tmux.send("y");
      String rolledBack =
          tmux.await(
              "the rollback's result",
              QUICK,
              s -> s.lines().anyMatch(l -> l.startsWith("✔ ") && !l.contains("aborted")));
      assertThat(rolledBack).doesNotContain("✖ ");
      assertThat(git("log", "-1", "--format=%s", "main"))
          .as("the rollback's commit in the sample repository")
          .startsWith("Roll back storefront to");

      tmux.send("C-c");
      int status;
      try {
        status = tmux.awaitExit(QUICK);
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + "\nthreads of weir tui:\n" + threadsOfWeirTui(), e);
      }
      assertThat(status).as("exit status after Ctrl+C").isZero();
      assertThat(tmux.screen()).as("the terminal is restored: the console's screen is gone")
          .doesNotContain("weir › ").doesNotContain("Needs attention");
    }
  }

  /** What the weir tui process of this test is doing (jstack), to tell why it did not end. */
  private String threadsOfWeirTui() {
    StringBuilder out = new StringBuilder();
    ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().map(c -> c.contains(" tui --sandbox --repo " + repository)).orElse(false))
        .forEach(p -> {
          try {
            Process jstack = new ProcessBuilder(
                    Path.of(System.getProperty("java.home"), "bin", "jstack").toString(), Long.toString(p.pid()))
                .redirectErrorStream(true).start();
            jstack.waitFor(60, TimeUnit.SECONDS);
            out.append(new String(jstack.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
          } catch (Exception e) {
            out.append("jstack failed: ").append(e.getMessage());
          }
        });
    return out.toString();
  }

  /**
   * Rewrites the sample repository's newest commit (storefront v2.4.1) on top of one that makes the
   * canary wait at 5% for a person and lets its latency analysis fail without limit; the sandbox
   * stays seeded at the commit before both.
   */
  private void holdTheCanaryUntilAPersonActs() throws Exception {
    Path work = home.resolve("work");
    run(home, "git", "clone", "-q", repository.toString(), work.toString());
    String v241 = run(work, "git", "rev-parse", "HEAD");
    run(work, "git", "reset", "-q", "--hard", "HEAD~1");
    Path rollout = work.resolve("apps/storefront/rollout.yaml");
    String steps = Files.readString(rollout);
    assertThat(steps).contains("- pause: {duration: 2m}");
    Files.writeString(rollout, steps.replace("- pause: {duration: 2m}", "- pause: {}"));
    Path analysis = work.resolve("apps/storefront/analysis.yaml");
    String templates = Files.readString(analysis);
    assertThat(templates).contains("    failureLimit: 2\n");
    Files.writeString(
        analysis,
        templates.replace("    failureLimit: 2\n", "    failureLimit: -1\n    inconclusiveLimit: -1\n"));
    run(work, "git", "-c", "user.name=Test", "-c", "user.email=test@shop.example", "commit", "-q", "-a",
        "-m", "storefront: canaries wait for a person; latency fails without limit");
    run(work, "git", "-c", "user.name=Test", "-c", "user.email=test@shop.example", "cherry-pick", v241);
    run(work, "git", "push", "-q", "--force", "origin", "HEAD:main");
  }

  private static String run(Path directory, String... command) throws Exception {
    Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
    return out.strip();
  }

  private String git(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("git", "--git-dir", repository.toString()));
    command.addAll(List.of(args));
    Process git = new ProcessBuilder(command).redirectErrorStream(true).start();
    assertThat(git.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
  }

  /** The storefront HTTPRoute's backend weights, stable first, as kubectl reads them. */
  private String weights() throws Exception {
    Process kubectl =
        new ProcessBuilder(
                "kubectl", "--kubeconfig", kubeconfig.toString(), "-n", "shop", "get", "httproute",
                "storefront", "-o", "jsonpath={.spec.rules[0].backendRefs[*].weight}")
            .redirectErrorStream(true)
            .start();
    assertThat(kubectl.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new String(kubectl.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
  }

  /** {@code weir tui --sandbox --repo …} as a shell command line, with this test's home. */
  private String weirTui() {
    String variables =
        environment().entrySet().stream()
            .map(e -> e.getKey() + "=" + quote(e.getValue()))
            .collect(Collectors.joining(" "));
    return "env "
        + variables
        + " "
        + quote(java())
        + " -cp "
        + quote(System.getProperty("java.class.path"))
        + " dev.weir.tui.cli.WeirCommand tui --sandbox --repo "
        + quote(repository.toString());
  }

  private Map<String, String> environment() {
    return Map.of(
        "HOME", home.toString(),
        "XDG_DATA_HOME", home.resolve("data").toString(),
        "XDG_CACHE_HOME", home.resolve("cache").toString());
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static String quote(String value) {
    return "'" + value.replace("'", "'\\''") + "'";
  }

  private static boolean onPath(String binary) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, binary))) {
        return true;
      }
    }
    return false;
  }
}
