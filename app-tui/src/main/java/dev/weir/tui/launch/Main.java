package dev.weir.tui.launch;

import dev.weir.tui.cli.WeirCommand;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.nio.file.Path;
import java.util.OptionalInt;

/**
 * The {@code weir} program's entry point: a command that the running {@code weir sandbox serve}
 * can answer is handed to it ({@link ServedClient}); every other command runs here ({@link
 * WeirCommand}).
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    OptionalInt served =
        ServedClient.forward(
            args,
            System.getenv(),
            Path.of(System.getProperty("user.home")),
            Path.of("").toAbsolutePath(),
            System.getProperty("stdout.encoding", "UTF-8"),
            new FileOutputStream(FileDescriptor.out),
            new FileOutputStream(FileDescriptor.err));
    if (served.isPresent()) {
      // everything was written unbuffered and this process registered no shutdown hook: halt
      // skips System.exit's logging machinery, a few milliseconds of the answer
      Runtime.getRuntime().halt(served.getAsInt());
    }
    WeirCommand.main(args);
  }
}
