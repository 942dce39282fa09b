package dev.weir.engine.sandbox;

import dev.weir.engine.time.EngineClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Sandbox time running {@code speed} times faster than a base clock: {@code origin + (base now -
 * base at start) × speed}; a delay of {@code d} waits {@code d / speed} on the base clock. {@code
 * weir sandbox run --speed N} runs the sandbox on one, so a ten-minute drill takes a minute at 10×.
 *
 * <p>Thread-safe; tasks run on the base clock's scheduler.
 */
public final class ScaledClock implements EngineClock {
  private final EngineClock base;
  private final Instant baseStart;
  private final Instant origin;
  private final double speed;

  /**
   * @param base the clock that really passes (the system clock)
   * @param origin the sandbox time now
   * @param speed how many times faster than {@code base}, at least 1/1000 and at most 100,000
   */
  public ScaledClock(EngineClock base, Instant origin, double speed) {
    this.base = Objects.requireNonNull(base, "base");
    this.origin = Objects.requireNonNull(origin, "origin");
    if (!(speed >= 0.001 && speed <= 100_000)) {
      throw new IllegalArgumentException("speed must be between 0.001 and 100000, was " + speed);
    }
    this.speed = speed;
    this.baseStart = base.instant();
  }

  /** The system clock at {@code speed}, starting from now. */
  public static EngineClock system(double speed) {
    return speed == 1
        ? EngineClock.system()
        : new ScaledClock(EngineClock.system(), EngineClock.system().instant(), speed);
  }

  public double speed() {
    return speed;
  }

  @Override
  public Instant instant() {
    long elapsed = Duration.between(baseStart, base.instant()).toNanos();
    return origin.plusNanos(Math.round(elapsed * speed));
  }

  @Override
  public Scheduled schedule(Duration delay, Runnable task) {
    long nanos = Math.max(0, Math.round(delay.toNanos() / speed));
    return base.schedule(Duration.ofNanos(nanos), task);
  }

  @Override
  public String toString() {
    return "ScaledClock[" + speed + "x]";
  }
}
