package dev.weir.tui.cli;

import dev.weir.engine.git.GitException;
import picocli.CommandLine;

/**
 * Maps an exception that escaped a subcommand to one line on stderr and an exit code. Subcommands
 * report expected failures themselves; this is the last line of defence, and it never prints a
 * stack trace at a user.
 */
final class ExitCodes implements CommandLine.IExecutionExceptionHandler {
  static final int OK = 0;
  static final int FAILED = 1;
  static final int BAD_INPUT = 2;
  static final int UNREACHABLE = 3;

  @Override
  public int handleExecutionException(Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
    if (e instanceof dev.weir.engine.cluster.ClusterException cluster) {
      commandLine.getErr().println("weir: " + cluster.getMessage());
      return cluster.error().unreachable() ? UNREACHABLE
          : cluster.error().reason() == dev.weir.engine.cluster.ClusterError.Reason.CONFIGURATION ? BAD_INPUT : FAILED;
    }
    if (e instanceof GitException git) {
      return RepoOptions.report(git, commandLine.getErr());
    }
    commandLine.getErr().println("weir: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
    return e instanceof CommandException expected ? expected.exitCode() : FAILED;
  }
}
