package dev.weir.drills;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.sandbox.api.SandboxStateLocation;
import dev.weir.engine.time.ManualClock;
import dev.weir.engine.time.EngineClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A drill's throw-away copy of the user's sandbox. */
class ScratchSandboxTest {
  static final ObjectMapper JSON = new ObjectMapper();
  // the copy trusts saved times within a sane distance of the wall clock (its TLS certificate)
  static final Instant SAVED =
      EngineClock.system().instant().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofDays(2));

  @TempDir Path data;

  SandboxStateLocation location() {
    return new SandboxStateLocation(data.resolve("weir/sandbox"));
  }

  static ObjectNode configMap(String name) {
    ObjectNode object = JSON.createObjectNode();
    object.put("apiVersion", "v1").put("kind", "ConfigMap");
    object.putObject("metadata").put("name", name).put("namespace", "default");
    object.putObject("data").put("step", "1");
    return object;
  }

  @Test
  void aCopyStartsWhereTheSavedStateEndsAndLeavesTheUsersSandboxAsItWas() throws Exception {
    ManualClock wall = new ManualClock(SAVED);
    try (LocalSandbox shared = LocalSandbox.attach(location(), wall)) {
      wall.advance(Duration.ofMinutes(3));
      shared.server().orElseThrow().objects().create(configMap("before"), "kubectl-create");
    }
    byte[] saved = Files.readAllBytes(location().stateFile());
    Path directory;
    try (ScratchSandbox scratch =
        ScratchSandbox.copyOf(location(), OptionalDouble.empty(), OptionalLong.of(5))) {
      assertThat(scratch.clock().instant())
          .as("a second after the last thing the saved state records")
          .isEqualTo(SAVED.plus(Duration.ofMinutes(3)).plusSeconds(1));
      assertThat(scratch.server().objects().get("v1", "ConfigMap", "default", "before")).isPresent();
      assertThat(scratch.world().settings().seed()).isEqualTo(5);
      scratch.server().objects().create(configMap("during"), "drill");
      scratch.clock().runUntil(() -> scratch.clock().since(SAVED).toMinutes() >= 10);
      directory = scratch.files().getParent();
      assertThat(Files.readString(scratch.kubeconfig())).contains(scratch.server().url().toString());
    }
    assertThat(directory).as("the copy and its files are deleted").doesNotExist();
    assertThat(Files.readAllBytes(location().stateFile())).isEqualTo(saved);
    try (LocalSandbox shared = LocalSandbox.attach(location(), wall)) {
      assertThat(shared.server().orElseThrow().objects().get("v1", "ConfigMap", "default", "during"))
          .isEmpty();
    }
  }

  @Test
  void withoutStateOrWithTimesTheWallClockCannotHaveTheCopyStartsAtTheWallClock() {
    Instant wall = Instant.parse("2026-02-01T08:30:00.750Z");
    assertThat(ScratchSandbox.startAfter(Optional.empty(), wall))
        .isEqualTo(Instant.parse("2026-02-01T08:30:00Z"));
    assertThat(ScratchSandbox.startAfter(Optional.of(wall.minus(Duration.ofHours(2))), wall))
        .isEqualTo(Instant.parse("2026-02-01T06:30:01Z"));
    assertThat(ScratchSandbox.startAfter(Optional.of(wall.plus(Duration.ofHours(2))), wall))
        .as("saved ahead of the wall clock by an old sped-up drill")
        .isEqualTo(Instant.parse("2026-02-01T08:30:00Z"));
    assertThat(ScratchSandbox.startAfter(Optional.of(wall.minus(Duration.ofDays(400))), wall))
        .as("older than the copy's TLS certificate could be valid")
        .isEqualTo(Instant.parse("2026-02-01T08:30:00Z"));
  }
}
