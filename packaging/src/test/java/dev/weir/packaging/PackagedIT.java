package dev.weir.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the packaging profile built, run as a bastion host or a laptop would run it: with no Java
 * on the {@code PATH} and no {@code JAVA_HOME}, from the app image, from the unpacked bastion
 * archive and from the unpacked .deb; and the runnable jar on a JDK. Runs after {@code package} (failsafe), on the files in {@code
 * packaging/target}.
 */
class PackagedIT {
  static final Path TARGET = Path.of(System.getProperty("weir.packaged", "target")).toAbsolutePath();
  static final String VERSION = System.getProperty("weir.package.version", "0.1.0");

  @TempDir static Path scratch;
  static Path noJava;

  /**
   * A PATH with what a bastion host has (a shell, tar, xz, kubectl, which renders the sample's
   * kustomize applications) and tmux for the test, and no java.
   */
  @BeforeAll
  static void pathWithoutJava() throws IOException {
    noJava = Files.createDirectories(scratch.resolve("bin"));
    for (String tool : List.of("sh", "tmux", "tar", "xz", "env", "cat", "kubectl")) {
      Path found = onPath(tool);
      if (found != null) {
        Files.createSymbolicLink(noJava.resolve(tool), found);
      }
    }
    assertThat(onPath("java", noJava.toString())).as("java on the test's PATH").isNull();
  }

  @Test
  void theAppImageRunsWithNoJavaOnTheHostAndNamesItsVersionCommitAndDate() throws Exception {
    Run run = run(TARGET.resolve("weir/bin/weir"), Duration.ofMinutes(2), "--version");
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out())
        .containsPattern("weir \\d+\\.\\d+\\.\\d+(-SNAPSHOT)? \\(commit ([0-9a-f]{8}(-dirty)?|unknown)(, built \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} UTC)?\\)")
        .contains("Java 25");
  }

  @Test
  void theBastionArchiveIsUnder60MegabytesAndRunsADrillWhereItIsUnpacked() throws Exception {
    Path archive = TARGET.resolve("weir-" + VERSION + "-linux-x64.tar.xz");
    assertThat(archive).exists();
    assertThat(Files.size(archive)).as("bastion archive size in bytes").isLessThan(60L * 1024 * 1024);

    Path host = Files.createDirectories(scratch.resolve("bastion"));
    Run unpack = run(noJava.resolve("tar"), Duration.ofMinutes(2), "-xJf", archive.toString(), "-C", host.toString());
    assertThat(unpack.code()).as(unpack.err()).isZero();
    Path weir = host.resolve("weir/bin/weir");

    Path home = Files.createDirectories(scratch.resolve("drill-home"));
    Run init = run(weir, home, Duration.ofMinutes(3), "sandbox", "init", home.resolve("shop").toString());
    assertThat(init.code()).as(init.err()).isZero();
    Run drill =
        run(weir, home, Duration.ofMinutes(5), "sandbox", "run", "--scenario", "bad-canary", "--speed", "max");
    assertThat(drill.code()).as(drill.err()).isZero();
    assertThat(drill.out())
        .containsPattern("storefront  rollout ROLLED_BACK: v2\\.4\\.1 rolled back")
        .containsPattern("storefront  aborted: weight 0%, all traffic on v2\\.4\\.0")
        .contains("bad-canary played out in ");
  }

  @Test
  void theTerminalConsoleOfTheAppImageShowsTheSandboxsApplicationsInTmux() throws Exception {
    assumeTrue(onPath("tmux") != null, "tmux is not installed");
    Path home = Files.createDirectories(scratch.resolve("tui-home"));
    String socket = "weir-packaged-" + ProcessHandle.current().pid();
    String command =
        "cd '" + home + "' && env -i HOME='" + home + "' PATH='" + noJava + "' TERM=xterm-256color"
            + " XDG_DATA_HOME='" + home.resolve("data") + "' XDG_CONFIG_HOME='" + home.resolve("config") + "'"
            + " '" + TARGET.resolve("weir/bin/weir") + "' tui; echo \"[exit $?]\"";
    tmux(socket, "-f", "/dev/null", "new-session", "-d", "-s", "weir", "-x", "80", "-y", "24", "sh", "-c", command,
        ";", "set-option", "-t", "weir", "remain-on-exit", "on");
    try {
      String screen = awaitScreen(socket, "the applications", s -> s.contains("storefront") && s.contains("checkout"));
      assertThat(screen).contains("storefront", "checkout");
      tmux(socket, "send-keys", "-t", "weir", ":q", "Enter");
      // the shell's echo, or tmux's own word when the echo is lost with the terminal's restore
      screen = awaitScreen(socket, "the console to quit", s -> s.contains("[exit ") || s.contains("Pane is dead"));
      assertThat(screen).containsPattern("\\[exit 0]|Pane is dead \\(status 0");
    } finally {
      try {
        tmux(socket, "kill-server");
      } catch (AssertionError alreadyGone) {
        // the server ended with its session
      }
    }
  }

  @Test
  void theLaunchersAheadOfTimeCacheIsUsedAndABrokenOneIsIgnored() throws Exception {
    // a copy of the app image whose launcher logs the cache (times kept, as tar and dpkg keep them)
    Path copy = scratch.resolve("aot-copy");
    Run cp = run(Path.of("/bin/cp"), Duration.ofMinutes(2), "-a", TARGET.resolve("weir").toString(), copy.toString());
    assertThat(cp.code()).as(cp.err()).isZero();
    Path cfg = copy.resolve("bin/weir"); // the launcher script (decision 0047)
    String config = Files.readString(cfg);
    assertThat(config).contains("\"-XX:AOTCache=$app/lib/app/weir.aot\"");
    Files.writeString(cfg, config.replace("-Xlog:aot=off,cds=off", "-Xlog:aot=info"));
    Run used = run(copy.resolve("bin/weir"), Duration.ofMinutes(2), "--version");
    assertThat(used.code()).as(used.err()).isZero();
    assertThat(used.out() + used.err()).contains("Opened AOT cache").doesNotContain("mismatch");

    // a cache that does not match (here: not a cache at all) is ignored, never fatal
    Files.writeString(copy.resolve("lib/app/weir.aot"), "not an AOT cache");
    Files.writeString(cfg, config);
    Run ignored = run(copy.resolve("bin/weir"), Duration.ofMinutes(2), "--version");
    assertThat(ignored.code()).as(ignored.err()).isZero();
    assertThat(ignored.out()).contains("weir ");
  }

  /**
   * Decision 0047: jpackage's own launcher ran {@code rpm -qf} and {@code dpkg -S} on itself at
   * every start (170 ms of a 290 ms {@code --version}). The packaged launchers run no package
   * manager: here an {@code rpm} and a {@code dpkg} on the PATH note each call, and none is made;
   * jpackage's launcher, kept for the OCI image, still calls them.
   */
  @Test
  void theLaunchersAskNoPackageManagerWhoOwnsThem() throws Exception {
    Path spies = Files.createDirectories(scratch.resolve("spies"));
    Path calls = scratch.resolve("package-manager-calls");
    for (String tool : List.of("rpm", "dpkg")) {
      Path spy = spies.resolve(tool);
      Files.writeString(spy, "#!/bin/sh\necho \"" + tool + " $*\" >>'" + calls + "'\nexit 1\n");
      Files.setPosixFilePermissions(spy, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    for (String tool : List.of("sh", "env", "cat")) {
      Files.createSymbolicLink(spies.resolve(tool), noJava.resolve(tool).toRealPath());
    }
    for (Path launcher :
        List.of(
            TARGET.resolve("weir/bin/weir"),
            TARGET.resolve("weir-desktop/bin/weir"),
            TARGET.resolve("weir-desktop/bin/weir-desktop"))) {
      boolean window = launcher.getFileName().toString().equals("weir-desktop");
      Run run = run(launcher, scratch, Duration.ofMinutes(2), spies, window ? "--help" : "--version");
      assertThat(run.code()).as(launcher + ": " + run.err()).isZero();
      assertThat(run.out()).startsWith(window ? "Usage: weir desktop" : "weir ");
      assertThat(Files.readString(launcher)).as(launcher.toString()).startsWith("#!/bin/sh\n");
    }
    assertThat(calls).as("calls to rpm or dpkg").doesNotExist();

    // jpackage's launcher asks before anything else (kept as lib/weir-launcher, it then finds no
    // lib/app/weir-launcher.cfg; the OCI image puts it back as bin/weir)
    run(TARGET.resolve("weir/lib/weir-launcher"), scratch, Duration.ofMinutes(2), spies, "--version");
    assertThat(Files.readString(calls)).as("the spies are called by jpackage's launcher").contains("dpkg -S ");
  }

  @Test
  void theRunnableJarRunsOnAJdk() throws Exception {
    Path jar = TARGET.resolve("weir-" + VERSION + "-all.jar");
    assertThat(jar).exists();
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Run run = run(java, Duration.ofMinutes(2), "-jar", jar.toString(), "--version");
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out()).contains("weir ").contains("Java " + Runtime.version().feature());
    Path home = Files.createDirectories(scratch.resolve("jar-home"));
    Run init =
        run(java, home, Duration.ofMinutes(3), "-jar", jar.toString(), "sandbox", "init", home.resolve("shop").toString());
    assertThat(init.code()).as(init.err()).isZero();
    assertThat(init.out()).contains("seeded the sandbox").contains("7 applications");
  }

  @Test
  void theDebHoldsTheDesktopImageAMenuEntryAndPutsWeirOnThePath() throws Exception {
    Path deb = TARGET.resolve("weir-desktop_" + VERSION + "_amd64.deb");
    assertThat(deb).exists();
    Path dpkgDeb = onPath("dpkg-deb");
    assumeTrue(dpkgDeb != null, "dpkg-deb is not installed");

    Run contents = run(dpkgDeb, Duration.ofMinutes(2), "--contents", deb.toString());
    assertThat(contents.code()).as(contents.err()).isZero();
    assertThat(contents.out())
        .contains("./opt/weir-desktop/bin/weir-desktop", "./opt/weir-desktop/bin/weir")
        .containsPattern("\\./opt/weir-desktop/lib/weir-desktop[^ ]*\\.desktop")
        .containsPattern("\\./opt/weir-desktop/lib/weir-desktop\\.png");

    Path control = scratch.resolve("deb-control");
    Run scripts = run(dpkgDeb, Duration.ofMinutes(2), "--control", deb.toString(), control.toString());
    assertThat(scripts.code()).as(scripts.err()).isZero();
    assertThat(Files.readString(control.resolve("postinst")))
        .contains("xdg-desktop-menu install")
        .contains("ln -sf /opt/weir-desktop/bin/weir /usr/bin/weir");
    assertThat(Files.readString(control.resolve("prerm"))).contains("rm -f /usr/bin/weir");
    // JavaFX's GTK is found at run time, not by jpackage's scan: the package must name it
    assertThat(Files.readString(control.resolve("control"))).containsPattern("(?m)^Depends:.*libgtk-3-0 \\| libgtk-3-0t64");

    // what dpkg would install, run from where it unpacks, with no Java on the host
    Path root = scratch.resolve("deb-root");
    Run unpack = run(dpkgDeb, Duration.ofMinutes(3), "--extract", deb.toString(), root.toString());
    assertThat(unpack.code()).as(unpack.err()).isZero();
    Run version = run(root.resolve("opt/weir-desktop/bin/weir"), Duration.ofMinutes(2), "--version");
    assertThat(version.code()).as(version.err()).isZero();
    assertThat(version.out()).contains("weir ").contains("Java 25");
    Run help = run(root.resolve("opt/weir-desktop/bin/weir-desktop"), Duration.ofMinutes(2), "--help");
    assertThat(help.code()).as(help.err()).isZero();
    assertThat(help.out()).startsWith("Usage: weir desktop");
  }

  @Test
  void theRpmHoldsTheDesktopImageAMenuEntryAndPutsWeirOnThePath() throws Exception {
    Path rpm = onPath("rpm");
    assumeTrue(onPath("rpmbuild") != null && rpm != null, "rpmbuild is not installed, so no .rpm was built");
    Path file;
    try (var files = Files.list(TARGET)) {
      file = files.filter(f -> f.getFileName().toString().matches("weir-desktop-.*\\.rpm")).findFirst().orElseThrow();
    }

    Run list = run(rpm, Duration.ofMinutes(2), "-qp", "--list", file.toString());
    assertThat(list.code()).as(list.err()).isZero();
    assertThat(list.out())
        .contains("/opt/weir-desktop/bin/weir-desktop\n", "/opt/weir-desktop/bin/weir\n")
        .containsPattern("/opt/weir-desktop/lib/weir-desktop[^\\n]*\\.desktop")
        .contains("/opt/weir-desktop/lib/weir-desktop.png");
    Run scripts = run(rpm, Duration.ofMinutes(2), "-qp", "--scripts", file.toString());
    assertThat(scripts.code()).as(scripts.err()).isZero();
    assertThat(scripts.out())
        .contains("xdg-desktop-menu install")
        .contains("ln -sf /opt/weir-desktop/bin/weir /usr/bin/weir")
        .contains("rm -f /usr/bin/weir");
    Run info = run(rpm, Duration.ofMinutes(2), "-qp", "--info", file.toString());
    assertThat(info.out()).contains("weir-desktop").contains("Weir: GitOps and progressive delivery");
    Run requires = run(rpm, Duration.ofMinutes(2), "-qp", "--requires", file.toString());
    assertThat(requires.out()).containsPattern("(?m)^gtk3$");
  }

  // --- running things -------------------------------------------------------------------------

  record Run(int code, String out, String err) {}

  static Run run(Path program, Duration deadline, String... args) throws Exception {
    return run(program, scratch, deadline, args);
  }

  /** Runs {@code program} with a clean environment: HOME, XDG dirs under {@code home}, no Java. */
  static Run run(Path program, Path home, Duration deadline, String... args) throws Exception {
    return run(program, home, deadline, noJava, args);
  }

  /** As above, with {@code path} for the PATH. */
  static Run run(Path program, Path home, Duration deadline, Path path, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(program.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile());
    Map<String, String> env = builder.environment();
    env.clear();
    env.put("HOME", home.toString());
    env.put("PATH", path.toString());
    env.put("XDG_DATA_HOME", home.resolve("data").toString());
    env.put("XDG_CONFIG_HOME", home.resolve("config").toString());
    env.put("XDG_CACHE_HOME", home.resolve("cache").toString());
    Path out = Files.createTempFile(scratch, "out", ".txt");
    Path err = Files.createTempFile(scratch, "err", ".txt");
    Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!process.waitFor(deadline.toSeconds(), TimeUnit.SECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      throw new AssertionError(program + " " + String.join(" ", args) + " did not end within " + deadline
          + "; it printed:\n" + Files.readString(out) + Files.readString(err));
    }
    return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
  }

  static String tmux(String socket, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("tmux", "-L", socket));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("tmux " + String.join(" ", args) + " did not answer");
    }
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.exitValue() != 0) {
      throw new AssertionError("tmux " + String.join(" ", args) + " failed: " + out);
    }
    return out;
  }

  /** Polls a real process's screen until it shows what is awaited (at most 5 minutes). */
  static String awaitScreen(String socket, String what, java.util.function.Predicate<String> shows)
      throws IOException, InterruptedException {
    long end = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    String screen = tmux(socket, "capture-pane", "-p", "-t", "weir");
    while (!shows.test(screen)) {
      if (System.nanoTime() > end) {
        throw new AssertionError("still waiting for " + what + "; the screen:\n" + screen);
      }
      Thread.sleep(250);
      screen = tmux(socket, "capture-pane", "-p", "-t", "weir");
    }
    return screen;
  }

  static Path onPath(String tool) {
    return onPath(tool, System.getenv().getOrDefault("PATH", ""));
  }

  static Path onPath(String tool, String path) {
    return Stream.of(path.split(":"))
        .filter(dir -> !dir.isEmpty())
        .map(dir -> Path.of(dir, tool))
        .filter(Files::isExecutable)
        .findFirst()
        .orElse(null);
  }
}
