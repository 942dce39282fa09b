package dev.weir.engine.sandbox.scenario;

import dev.weir.engine.rollout.RolloutStatus;
import java.util.List;
import java.util.Optional;

/**
 * The engine as a scenario needs it — a port, so that the sandbox stays free of the engine's
 * cluster adapter: the application that runs a scenario (the CLI, a console) implements it with its
 * reconciler, which reaches the sandbox over HTTP like any cluster.
 *
 * <p>Implementations may block (they talk to the API server) and must be thread-safe.
 */
public interface ScenarioEngine {

  /**
   * One line on what differs between Git and the cluster for {@code application}; empty when in
   * sync.
   */
  Optional<String> drift(String application);

  /**
   * One reconcile pass, as {@code weir reconcile --once} makes it: applications whose sync policy
   * says so are synced (self-healed). Returns a one-line outcome for {@code application}.
   */
  String reconcile(String application);

  /**
   * One pass of the engine over {@code application}'s rollout: Git is fetched, the rollout is
   * tracked and reconciled (weights, analyses, pauses). Returns its status; empty when the
   * application has no rollout.
   */
  Optional<RolloutStatus> rollout(String application);

  /**
   * What the engine has reported about {@code application} (rollout steps, analysis measurements,
   * an abort and why) since the last call, oldest first.
   */
  List<String> events(String application);

  /**
   * Promotes {@code application}'s rollout as a person at the console would ({@code weir
   * rollout promote}): past a pause without a duration (canary) or to the preview (blue/green).
   * Returns the one-line outcome.
   */
  String promote(String application, String why);
}
