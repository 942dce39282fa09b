package dev.weir.engine.sandbox.scenario;

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
}
