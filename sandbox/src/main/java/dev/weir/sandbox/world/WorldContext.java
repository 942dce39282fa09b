package dev.weir.sandbox.world;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.sandbox.api.SandboxObjects;
import java.time.Instant;

/** What the simulated controllers share: the objects, time, settings, events and wake-ups. */
interface WorldContext {
  SandboxObjects objects();

  WorldSettings settings();

  Instant now();

  /** Records a world event about {@code object} (application from its annotation). */
  void emit(JsonNode object, String what, String why);

  /** Reconciles {@code key} again at {@code when} (or soon, when that has passed). */
  void wakeAt(WorkKey key, Instant when);

  /** Reconciles {@code key} again soon. */
  void enqueue(WorkKey key);

  /**
   * Writes {@code status} into {@code object} through the status subresource unless it is already
   * there; returns whether it wrote. A conflict (the object changed meanwhile) re-queues the
   * object.
   */
  boolean writeStatus(ObjectNode object, ObjectNode status, String manager);
}
