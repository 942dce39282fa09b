package dev.weir.sandbox.world;

import java.time.Duration;
import java.util.Objects;

/**
 * How the sandbox's world behaves. Everything random in the world is a pure function of {@code
 * seed} and of what is drawn for, so the same seed and the same clock give the same world.
 *
 * @param seed the seed of every draw (pod start-up jitter, pod names, traffic)
 * @param podStartup how long a pod takes to become Ready, before jitter; a pod template's {@code
 *     sandbox.weir.dev/startup-delay} annotation overrides it
 * @param startupJitter the spread of start-up delays: each is {@code podStartup × (1 ± jitter)},
 *     between 0 and 1
 * @param nodes how many (virtual) nodes pods are spread over, and DaemonSets run on
 * @param requestRate requests per second each traffic entry receives unless its router or Service
 *     says otherwise ({@code sandbox.weir.dev/request-rate})
 * @param metricRetention how much per-second history queries can see
 * @param keptHistory how much of that history is kept in the state file
 * @param saveInterval how often the world asks the server to save its in-flight state
 */
public record WorldSettings(
    long seed,
    Duration podStartup,
    double startupJitter,
    int nodes,
    double requestRate,
    Duration metricRetention,
    Duration keptHistory,
    Duration saveInterval) {

  public WorldSettings {
    Objects.requireNonNull(podStartup, "podStartup");
    Objects.requireNonNull(metricRetention, "metricRetention");
    Objects.requireNonNull(keptHistory, "keptHistory");
    Objects.requireNonNull(saveInterval, "saveInterval");
    if (podStartup.isNegative()) {
      throw new IllegalArgumentException("podStartup must not be negative");
    }
    if (startupJitter < 0 || startupJitter > 1) {
      throw new IllegalArgumentException("startupJitter must be between 0 and 1");
    }
    if (nodes < 1) {
      throw new IllegalArgumentException("nodes must be at least 1");
    }
    if (requestRate < 0 || Double.isNaN(requestRate)) {
      throw new IllegalArgumentException("requestRate must not be negative");
    }
    if (metricRetention.toSeconds() < 60) {
      throw new IllegalArgumentException("metricRetention must be at least a minute");
    }
    if (keptHistory.compareTo(metricRetention) > 0) {
      keptHistory = metricRetention;
    }
    if (saveInterval.isNegative() || saveInterval.isZero()) {
      throw new IllegalArgumentException("saveInterval must be positive");
    }
  }

  /**
   * Seed 1, pods Ready after 5 s ± 50 %, 3 nodes, 20 requests per second per entry, 30 minutes of
   * history (5 kept across restarts), state saved every 30 s.
   */
  public static WorldSettings defaults() {
    return new WorldSettings(
        1,
        Duration.ofSeconds(5),
        0.5,
        3,
        20,
        Duration.ofMinutes(30),
        Duration.ofMinutes(5),
        Duration.ofSeconds(30));
  }

  public WorldSettings withSeed(long newSeed) {
    return new WorldSettings(
        newSeed,
        podStartup,
        startupJitter,
        nodes,
        requestRate,
        metricRetention,
        keptHistory,
        saveInterval);
  }

  public WorldSettings withRequestRate(double rate) {
    return new WorldSettings(
        seed, podStartup, startupJitter, nodes, rate, metricRetention, keptHistory, saveInterval);
  }

  public WorldSettings withPodStartup(Duration startup, double jitter) {
    return new WorldSettings(
        seed, startup, jitter, nodes, requestRate, metricRetention, keptHistory, saveInterval);
  }
}
