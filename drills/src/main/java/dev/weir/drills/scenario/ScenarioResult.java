package dev.weir.drills.scenario;

import java.time.Duration;

/**
 * How a scenario ended: played out, or stopped with a reason.
 *
 * @param playedOut whether every step happened
 * @param took sandbox time from start to end
 * @param message one line: {@code drift played out in 1m05s of sandbox time} or why it stopped
 */
public record ScenarioResult(boolean playedOut, Duration took, String message) {}
