package dev.weir.drills.scenario;

import java.util.List;
import java.util.Optional;

/**
 * The scenarios {@code weir sandbox run} knows, in the order {@code --list} shows them. The rollout
 * scenarios ({@code bad-canary}, {@code good-canary}, {@code blue-green}) and {@code flag-rollout} need the
 * engine.
 */
public final class Scenarios {
  private static final List<Scenario> ALL =
      List.of(
          new DriftScenario(),
          new LatencySpikeScenario(),
          new CrashloopScenario(),
          new GitUnreachableScenario(),
          RolloutScenario.badCanary(),
          RolloutScenario.goodCanary(),
          RolloutScenario.blueGreen(),
          new FlagRolloutScenario());

  private Scenarios() {}

  public static List<Scenario> all() {
    return ALL;
  }

  public static Optional<Scenario> named(String name) {
    return ALL.stream().filter(s -> s.name().equals(name)).findFirst();
  }
}
