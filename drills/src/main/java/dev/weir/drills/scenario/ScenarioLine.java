package dev.weir.drills.scenario;

import java.time.Duration;
import java.util.Objects;

/**
 * One line of a scenario's account: when (sandbox time since the scenario started), which
 * application, what happened and why.
 */
public record ScenarioLine(Duration at, String application, String what, String why) {
  public ScenarioLine {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(application, "application");
    Objects.requireNonNull(what, "what");
    Objects.requireNonNull(why, "why");
  }

  /** {@code +01:05 checkout what (why)}. */
  @Override
  public String toString() {
    long seconds = at.toSeconds();
    return String.format(
        "+%02d:%02d  %-11s %s%s",
        seconds / 60, seconds % 60, application, what, why.isEmpty() ? "" : " (" + why + ")");
  }
}
