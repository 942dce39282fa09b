package dev.weir.tui.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

class CommandLineTest {
  @TempDir Path home;

  static Stream<String> everyCommand() {
    List<String> paths = new ArrayList<>();
    collect(WeirCommand.commandLine(), "", paths);
    return paths.stream();
  }

  private static void collect(CommandLine command, String prefix, List<String> into) {
    command.getSubcommands().forEach((name, sub) -> {
      if (!name.equals("help")) {
        into.add((prefix + " " + name).strip());
        collect(sub, prefix + " " + name, into);
      }
    });
  }

  @ParameterizedTest
  @MethodSource("everyCommand")
  void everySubcommandHasHelp(String command) {
    List<String> args = new ArrayList<>(List.of(command.split(" ")));
    args.add("--help");
    CliRun run = CliRun.weir(home, args.toArray(String[]::new));
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).startsWith("Usage: weir " + command);
  }

  @Test
  void eachSubcommandIsListedUnderTheNameItsCommandDeclares() {
    WeirCommand.SUBCOMMANDS.forEach(
        (name, type) -> assertThat(new CommandLine(type).getCommandName()).as(type.getName()).isEqualTo(name));
    assertThat(WeirCommand.commandLine().getSubcommands().keySet())
        .containsExactlyElementsOf(WeirCommand.SUBCOMMANDS.keySet());
  }

  @Test
  void aCommandLineForOneCommandHoldsThatCommandAloneAndTheRestGetTheWholeTree() {
    CliEnvironment environment = new CliEnvironment(java.util.Map.of(), home);
    assertThat(WeirCommand.commandLine(environment, new String[] {"status", "--repo", "x"}).getSubcommands())
        .containsOnlyKeys("status");
    for (String[] args :
        List.of(new String[] {}, new String[] {"--help"}, new String[] {"help", "status"}, new String[] {"stauts"})) {
      assertThat(WeirCommand.commandLine(environment, args).getSubcommands().keySet())
          .as(String.join(" ", args))
          .containsExactlyElementsOf(WeirCommand.SUBCOMMANDS.keySet());
    }
  }

  @ParameterizedTest
  @MethodSource("everyCommand")
  void aCommandsHelpIsTheSameAloneAsInTheWholeTree(String command) {
    List<String> args = new ArrayList<>(List.of(command.split(" ")));
    args.add("--help");
    java.io.StringWriter whole = new java.io.StringWriter();
    CommandLine tree = WeirCommand.commandLine(new CliEnvironment(java.util.Map.of(), home));
    tree.setOut(new java.io.PrintWriter(whole, true));
    assertThat(tree.execute(args.toArray(String[]::new))).isZero();
    assertThat(CliRun.weir(home, args.toArray(String[]::new)).out()).isEqualTo(whole.toString());
  }

  @Test
  void aMistypedCommandIsAnsweredWithTheNearestNames() {
    CliRun run = CliRun.weir(home, "stauts");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("Unmatched argument at index 0: 'stauts'").contains("status");
  }

  @Test
  void versionNamesWeirAndTheJava() {
    CliRun run = CliRun.weir(home, "--version");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .containsPattern("weir \\d+\\.\\d+\\.\\d+")
        .contains("Java " + Runtime.version().feature());
  }

  @Test
  void theEntryPointAnswersVersionBeforeTheCommandTreeWithTheSameLines() throws Exception {
    // Main answers --version and -V itself (no picocli, no served client); a separate JVM, as a
    // person runs it, so that what it prints is compared with the command tree's own answer
    CliRun tree = CliRun.weir(home, "--version");
    for (String flag : java.util.List.of("--version", "-V")) {
      Process main =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-Xlog:class+load=info:stdout:tags",
                  "-cp",
                  System.getProperty("java.class.path"),
                  "dev.weir.tui.launch.Main",
                  flag)
              .redirectErrorStream(true)
              .start();
      String printed =
          new String(main.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      assertThat(main.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      assertThat(main.exitValue()).isZero();
      String version =
          printed.lines().filter(l -> !l.startsWith("[")).collect(java.util.stream.Collectors.joining("\n", "", "\n"));
      assertThat(version).isEqualTo(tree.out());
      assertThat(printed).as("picocli never loaded").doesNotContain("picocli.CommandLine");
    }
  }

  @Test
  void versionNamesTheCommitAndTheBuildDate() throws Exception {
    CliRun run = CliRun.weir(home, "--version");
    java.util.regex.Matcher line =
        java.util.regex.Pattern.compile(
                "\\(commit ([0-9a-f]{8})(-dirty)?, built \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} UTC\\)")
            .matcher(run.out());
    assertThat(line.find()).as(run.out()).isTrue();
    // the build under test was made from a commit of this repository (HEAD in a clone; git
    // worktrees may report the main checkout's HEAD, a commit all the same)
    Process exists =
        new ProcessBuilder("git", "cat-file", "-e", line.group(1) + "^{commit}")
            .redirectErrorStream(true)
            .start();
    assertThat(exists.waitFor()).as("commit " + line.group(1) + " in this repository").isZero();
  }

  @Test
  void anUnknownCommandIsBadUsage() {
    CliRun run = CliRun.weir(home, "frobnicate");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("Unmatched argument", "frobnicate");
  }
}
