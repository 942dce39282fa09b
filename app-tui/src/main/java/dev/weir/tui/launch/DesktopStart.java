package dev.weir.tui.launch;

import dev.weir.tui.cli.DesktopFace;
import java.util.List;
import java.util.ServiceLoader;

/**
 * {@code weir desktop}'s head start: the desktop face's toolkit is started on a thread of its own
 * while the main thread reads the command line and the options (about a second of CPU each on a
 * cold JVM; on two cores they overlap). The command finds the toolkit started ({@link
 * DesktopFace#prepare}); a failure to start (no display) is reported by the command as before.
 */
final class DesktopStart {
  private static final List<String> NOT_A_WINDOW = List.of("-h", "--help", "-V", "--version");

  private DesktopStart() {}

  /** Starts the toolkit when {@code args} open the desktop console; otherwise does nothing. */
  static void prepare(String[] args) {
    if (args.length == 0 || !args[0].equals("desktop")) {
      return;
    }
    for (String arg : args) {
      if (NOT_A_WINDOW.contains(arg)) {
        return;
      }
    }
    Thread.ofPlatform()
        .daemon()
        .name("weir-desktop-toolkit")
        .start(() -> ServiceLoader.load(DesktopFace.class).findFirst().ifPresent(DesktopFace::prepare));
  }
}
