package dev.weir.engine.sandbox.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** DESIGN.md's boundaries: the sandbox uses no client-java, and no other engine package uses the sandbox. */
class SandboxBoundaryTest {
  private static final Path MAIN = Path.of("src/main/java/dev/weir/engine");

  private static List<Path> sources(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(f -> f.toString().endsWith(".java")).toList();
    }
  }

  @Test
  void sandboxMainCodeUsesNoClientJava() throws IOException {
    for (Path source : sources(MAIN.resolve("sandbox"))) {
      assertThat(Files.readString(source)).as(source.toString()).doesNotContain("io.kubernetes");
    }
  }

  @Test
  void noOtherEnginePackageImportsTheSandbox() throws IOException {
    for (Path source : sources(MAIN)) {
      if (!source.startsWith(MAIN.resolve("sandbox"))) {
        assertThat(Files.readString(source)).as(source.toString()).doesNotContain("dev.weir.engine.sandbox");
      }
    }
  }
}
