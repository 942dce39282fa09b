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
  void versionNamesWeirAndTheJava() {
    CliRun run = CliRun.weir(home, "--version");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .containsPattern("weir \\d+\\.\\d+\\.\\d+")
        .contains("Java " + Runtime.version().feature());
  }

  @Test
  void versionNamesTheCommitAndTheBuildDate() throws Exception {
    String head =
        new String(
                new ProcessBuilder("git", "rev-parse", "--short=8", "HEAD")
                    .redirectErrorStream(true)
                    .start()
                    .getInputStream()
                    .readAllBytes(),
                java.nio.charset.StandardCharsets.UTF_8)
            .strip();
    CliRun run = CliRun.weir(home, "--version");
    // the build under test was made from this checkout: its commit is HEAD (or HEAD's parent
    // content with uncommitted changes, shown as -dirty)
    assertThat(run.out())
        .containsPattern("\\(commit [0-9a-f]{8}(-dirty)?, built \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} UTC\\)")
        .contains("commit " + head);
  }

  @Test
  void anUnknownCommandIsBadUsage() {
    CliRun run = CliRun.weir(home, "frobnicate");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("Unmatched argument", "frobnicate");
  }
}
