package dev.weir.sandbox.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;

/**
 * Where the sandbox API server gets a container's log for {@code GET …/pods/NAME/log} ({@code
 * kubectl logs}): the part of the sandbox that plays the kubelet (the world) supplies it through
 * {@link SandboxApiServer#serveLogs}. The server itself picks the container, refuses containers
 * that have not started as a kubelet would, and applies {@code tailLines}, {@code sinceSeconds},
 * {@code sinceTime}, {@code timestamps} and {@code limitBytes}.
 *
 * <p>Called on request threads: implementations are thread-safe.
 */
@FunctionalInterface
public interface PodLogSource {
  /** One log line: when it was written and its text, without a line break. */
  record Line(Instant at, String text) {}

  /**
   * The log of {@code container} of {@code pod} (a fresh copy of the stored Pod; the container has
   * started), oldest line first; {@code previous} asks for the container's previous run.
   */
  List<Line> log(ObjectNode pod, String container, boolean previous);
}
