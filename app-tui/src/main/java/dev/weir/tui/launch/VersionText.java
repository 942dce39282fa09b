package dev.weir.tui.launch;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Properties;

/**
 * What {@code weir --version} prints: the version the build wrote into {@code
 * version.properties}, where it was built from, and the Java running it. A class of its own, free
 * of picocli, so that {@link Main} can answer {@code --version} before the command tree loads.
 */
public final class VersionText {
  private VersionText() {}

  /** {@code weir 0.1.0 (commit 3f2a1c9d, built 2026-12-02 08:45 UTC)} and the Java line. */
  public static String[] lines() {
    Properties properties = new Properties();
    try (InputStream in = VersionText.class.getResourceAsStream("/dev/weir/tui/version.properties")) {
      if (in != null) {
        properties.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new String[] {
      "weir " + properties.getProperty("version", "unknown") + " (" + provenance(properties) + ")",
      "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"
    };
  }

  /**
   * Which commit the build was made from and when: {@code commit 3f2a1c9d, built 2026-12-02 08:45
   * UTC}; {@code commit unknown} for a build made outside a Git checkout, {@code -dirty} for one
   * made with uncommitted changes.
   */
  static String provenance(Properties properties) {
    String commit = properties.getProperty("commit", "");
    String words =
        commit.isBlank() || commit.startsWith("${")
            ? "commit unknown"
            : "commit " + commit + ("true".equals(properties.getProperty("dirty")) ? "-dirty" : "");
    String build = properties.getProperty("build", "");
    try {
      LocalDateTime built =
          LocalDateTime.parse(build, DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS"));
      return words + ", built " + built.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")) + " UTC";
    } catch (DateTimeParseException unreadable) {
      return words;
    }
  }
}
