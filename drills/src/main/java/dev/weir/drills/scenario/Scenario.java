package dev.weir.drills.scenario;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * A scripted incident on the sandbox: steps played one after the other in sandbox time, each
 * retried every second of sandbox time until it has happened or its time (sandbox time too) is
 * up.
 *
 * <p>Implementations are stateless; {@link #steps} makes fresh steps for each run.
 */
public interface Scenario {

  /** The name given to {@code weir sandbox run --scenario}. */
  String name();

  /** One line for {@code weir sandbox run --list}. */
  String description();

  /** The applications whose world events belong in the scenario's account. */
  Set<String> applications();

  /**
   * Whether the scenario plays with the engine when one can be attached ({@link
   * ScenarioContext#engine()}). An attached engine drives every rollout of the sandbox on its own,
   * which would be part of the story; a scenario about the cluster alone plays without it.
   */
  default boolean usesEngine() {
    return false;
  }

  /** The steps of one run on {@code context}. */
  List<Step> steps(ScenarioContext context);

  /** What a step tells: lines for the scenario's account. */
  interface Log {
    void say(String application, String what, String why);
  }

  /**
   * One step: {@code attempt} is called every second of sandbox time until it returns true (the
   * step happened) or {@code timeout} has passed (the scenario fails, naming the step).
   */
  record Step(String name, Duration timeout, Attempt attempt) {}

  /** One attempt at a step; may throw {@link ScenarioException} to stop the scenario. */
  @FunctionalInterface
  interface Attempt {
    boolean run(Log log);
  }
}
