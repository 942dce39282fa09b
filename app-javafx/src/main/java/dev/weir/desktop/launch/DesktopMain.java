package dev.weir.desktop.launch;

import dev.weir.tui.launch.Main;
import java.util.Arrays;
import java.util.stream.Stream;

/**
 * The {@code weir-desktop} launcher of the packaged desktop console (decision 0028): {@code weir
 * desktop} with the launcher's arguments, so {@code weir-desktop --theme light} opens the window
 * as {@code weir desktop --theme light} does.
 */
public final class DesktopMain {
  private DesktopMain() {}

  public static void main(String[] args) {
    Main.main(Stream.concat(Stream.of("desktop"), Arrays.stream(args)).toArray(String[]::new));
  }
}
