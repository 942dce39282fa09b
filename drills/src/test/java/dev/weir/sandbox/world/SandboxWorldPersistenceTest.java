package dev.weir.sandbox.world;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.drills.SandboxMetricProvider;
import dev.weir.sandbox.metrics.Fault;
import dev.weir.engine.time.ManualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Save, kill, reload: objects, in-flight rollouts, counters and faults come back as they were. */
class SandboxWorldPersistenceTest {
  static final Instant START = Instant.parse("2026-01-01T10:00:00Z");
  @TempDir Path dir;

  static void deploy(WorldFixture sandbox) {
    sandbox.deployShop();
  }

  static void roll(WorldFixture sandbox) {
    sandbox.rollStorefront();
  }

  @Test
  void aSandboxKilledAfterASaveComesBackWithItsObjectsRolloutInFlightAndCounters()
      throws Exception {
    Path state = dir.resolve("state.json");
    String exposition;
    List<String> pods;
    try (WorldFixture sandbox =
        new WorldFixture(WorldSettings.defaults(), new ManualClock(START), state)) {
      deploy(sandbox);
      sandbox.advance(Duration.ofMinutes(3));
      roll(sandbox);
      sandbox.advance(Duration.ofSeconds(2)); // mid-rollout: a new pod is starting
      sandbox.world.inject(new Fault("shop", "checkout", 3, 0, START.plus(Duration.ofMinutes(30))));
      sandbox.server.save();
      Files.copy(state, dir.resolve("killed.json")); // what a kill -9 right after the save leaves
      exposition = sandbox.world.metrics().exposition();
      pods = podSummaries(sandbox);
      assertThat(pods).anySatisfy(p -> assertThat(p).contains("2.4.1 Pending"));
    }

    try (WorldFixture reloaded =
        new WorldFixture(
            WorldSettings.defaults(),
            new ManualClock(START.plus(Duration.ofSeconds(182))),
            dir.resolve("killed.json"))) {
      assertThat(podSummaries(reloaded)).isEqualTo(pods);
      assertThat(reloaded.world.metrics().exposition()).isEqualTo(exposition);
      assertThat(reloaded.world.faults()).extracting(Fault::service).containsExactly("checkout");

      reloaded.advance(Duration.ofMinutes(2));
      assertThat(podSummaries(reloaded))
          .filteredOn(p -> p.startsWith("storefront"))
          .hasSize(4)
          .allSatisfy(p -> assertThat(p).endsWith("2.4.1 Running"));
      assertThat(reloaded.world.metrics().exposition()).isNotEqualTo(exposition);
    }
  }

  @Test
  void aRestartInTheMiddleGivesTheSameMetricSeriesAsARunWithout() throws Exception {
    String continuous;
    try (WorldFixture sandbox =
        new WorldFixture(WorldSettings.defaults().withSeed(9), new ManualClock(START), null)) {
      deploy(sandbox);
      sandbox.advance(Duration.ofMinutes(3));
      roll(sandbox);
      sandbox.advance(Duration.ofMinutes(4));
      continuous = sandbox.world.metrics().exposition();
    }
    Path state = dir.resolve("restart.json");
    try (WorldFixture sandbox =
        new WorldFixture(WorldSettings.defaults().withSeed(9), new ManualClock(START), state)) {
      deploy(sandbox);
      sandbox.advance(Duration.ofMinutes(3));
      roll(sandbox);
      sandbox.advance(Duration.ofMinutes(1));
    }
    try (WorldFixture sandbox =
        new WorldFixture(
            WorldSettings.defaults().withSeed(9),
            new ManualClock(START.plus(Duration.ofMinutes(4))),
            state)) {
      sandbox.advance(Duration.ofMinutes(3));
      assertThat(sandbox.world.metrics().exposition()).isEqualTo(continuous);
    }
  }

  @Test
  void aSandboxReopenedAtAnEarlierTimeKeepsItsPodsReadyAndItsTrafficFlowing() throws Exception {
    Path state = dir.resolve("ahead.json");
    try (WorldFixture sandbox = new WorldFixture(WorldSettings.defaults(), new ManualClock(START), state)) {
      deploy(sandbox); // as a sped-up run would: sandbox time ends ten minutes ahead of the wall
      sandbox.advance(Duration.ofMinutes(10));
    }
    try (WorldFixture reopened = new WorldFixture(WorldSettings.defaults(), new ManualClock(START.plusSeconds(30)), state)) {
      reopened.advance(Duration.ofMinutes(2));
      assertThat(podSummaries(reopened)).allSatisfy(p -> assertThat(p).endsWith("Running"));
      assertThat(reopened.world.endpoints("shop", "storefront")).hasSize(4);
      String rate = "sum(rate(http_requests_total{service=\"storefront\"}[1m]))";
      var result = new SandboxMetricProvider(reopened.world.metrics()).instant(rate, reopened.clock.instant());
      assertThat(((dev.weir.engine.analysis.QueryResult.Ok<dev.weir.engine.analysis.MetricValue>) result).value().first())
          .isBetween(15.0, 25.0);
    }
  }

  static List<String> podSummaries(WorldFixture sandbox) {
    return sandbox.list("v1", "Pod", "shop").stream()
        .map(SandboxWorldPersistenceTest::summary)
        .toList();
  }

  static String summary(ObjectNode pod) {
    return pod.path("metadata").path("name").asText()
        + " rv"
        + pod.path("metadata").path("resourceVersion").asText()
        + " "
        + pod.path("metadata").path("labels").path("app.kubernetes.io/version").asText()
        + " "
        + pod.path("status").path("phase").asText();
  }
}
