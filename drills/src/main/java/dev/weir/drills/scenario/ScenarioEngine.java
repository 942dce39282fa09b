package dev.weir.drills.scenario;

import dev.weir.engine.rollout.RolloutStatus;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The engine as a scenario needs it — a port, so that the sandbox stays free of the engine's
 * cluster adapter: the application that runs a scenario (the CLI, a console) implements it with its
 * reconciler, which reaches the sandbox over HTTP like any cluster.
 *
 * <p>In a drill the engine runs on the sandbox's clock, driven by its own polling passes (Git
 * fetched and every application compared now and then, rollouts passed often, their timers and
 * analysis runs on time), all of them clock tasks run synchronously, so that its story is the same
 * on any machine. A scenario's steps only read what the engine made of the sandbox, or act as a
 * person would (a sync, a promote, a push).
 *
 * <p>Implementations may block (they talk to the API server); they are called on the clock's
 * runner thread.
 */
public interface ScenarioEngine {

  /**
   * One line on what differs between Git and the cluster for {@code application}, as the engine
   * finds it after comparing it now; empty when in sync.
   */
  Optional<String> drift(String application);

  /**
   * One reconcile pass, as {@code weir reconcile --once} makes it: applications whose sync policy
   * says so are synced (self-healed). Returns a one-line outcome for {@code application}, without
   * its name ({@code synced to 3f2a1c9: 1 configured}): the drill's line names it.
   */
  String reconcile(String application);

  /**
   * The status of {@code application}'s rollout as the engine drives it, after its last pass (no
   * pass is taken); empty when the application has no rollout, or the engine has not seen it yet.
   */
  Optional<RolloutStatus> rollout(String application);

  /**
   * Fetches Git and compares every application now, as a push notification would make the engine
   * do; returns the engine's one-line outcome ({@code refreshed at 1a2b3c4: …}).
   */
  String refresh();

  /**
   * Hands {@code listener} every rollout event the engine reports from now on (steps, weights,
   * analysis measurements, an abort and why), as it happens, until closed.
   */
  AutoCloseable onEvent(Consumer<Event> listener);

  /**
   * Promotes {@code application}'s rollout as a person at the console would ({@code weir
   * rollout promote}): past a pause without a duration (canary) or to the preview (blue/green).
   * Returns why it was refused, in one line; empty when it was done.
   */
  Optional<String> promote(String application, String why);

  /**
   * Sets the percentages of {@code flag}'s {@code fractional} split in {@code application}'s flag
   * file as {@code weir flags set --fraction} does: the file edited in place, committed with the
   * reason, pushed, and the application synced so its flags ConfigMap follows. Returns the
   * engine's one-line outcome (the commit and the sync, or that the flag already is so and nothing
   * was committed).
   *
   * @throws ScenarioException when the edit is refused or fails, with the engine's line
   */
  String setFlag(String application, String flag, Map<String, Integer> percents, String reason);

  /** Something the engine reported about an application's rollout, at sandbox time {@code at}. */
  record Event(Instant at, String application, String message) {
    public Event {
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(application, "application");
      Objects.requireNonNull(message, "message");
    }
  }
}
