package dev.weir.tui.cli;

import dev.weir.engine.console.ConsoleException;
import java.util.Optional;
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
    if (e instanceof CommandException expected) {
      commandLine.getErr().println("weir: " + expected.getMessage());
      return expected.exitCode();
    }
    Optional<ConsoleException> engine = ConsoleException.of(e);
    if (engine.isPresent()) {
      commandLine.getErr().println("weir: " + engine.get().getMessage());
      return of(engine.get().kind());
    }
    commandLine.getErr().println("weir: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
    return FAILED;
  }

  /** The exit code DESIGN.md gives a kind of engine failure. */
  static int of(ConsoleException.Kind kind) {
    return switch (kind) {
      case BAD_INPUT -> BAD_INPUT;
      case UNREACHABLE -> UNREACHABLE;
      case FAILED -> FAILED;
    };
  }
}
