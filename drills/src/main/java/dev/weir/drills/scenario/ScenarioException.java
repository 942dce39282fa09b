package dev.weir.drills.scenario;

/** A scenario cannot go on: what is missing or what did not happen, in one line. */
public final class ScenarioException extends RuntimeException {
  public ScenarioException(String message) {
    super(message);
  }
}
