package dev.weir.sandbox.world;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.drills.SandboxMetricProvider;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The same seed and the same clock give the same world: metric series byte for byte. */
class SandboxWorldDeterminismTest {

  static String run(long seed) throws Exception {
    try (WorldFixture sandbox = new WorldFixture(WorldSettings.defaults().withSeed(seed))) {
      SandboxWorldPersistenceTest.deploy(sandbox);
      sandbox.advance(Duration.ofMinutes(2));
      SandboxWorldPersistenceTest.roll(sandbox);
      sandbox.advance(Duration.ofMinutes(5));
      HttpResponse<String> response = sandbox.scrape();
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Type"))
          .hasValue("text/plain; version=0.0.4; charset=utf-8");
      String range =
          new SandboxMetricProvider(sandbox.world.metrics())
              .range(
                  "sum(rate(http_requests_total{service=\"storefront\"}[1m])) by (version, code)",
                  sandbox.clock.instant().minus(Duration.ofMinutes(6)),
                  sandbox.clock.instant(),
                  Duration.ofSeconds(15))
              .toString();
      return response.body() + "\n" + range;
    }
  }

  @Test
  void theSameSeedGivesTheSameMetricSeriesByteForByte() throws Exception {
    String first = run(42);
    String second = run(42);
    assertThat(first).contains("version=\"2.4.1\"").isEqualTo(second);
    assertThat(run(43)).isNotEqualTo(first);
  }
}
