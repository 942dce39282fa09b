package dev.weir.engine.traffic;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@link TrafficRouter} decided, purely: objects to write (each whole enough to be
 * server-side applied by Weir's rollout field manager), nothing to do, or why the shape cannot be
 * routed with what the cluster has. Immutable.
 */
public sealed interface RoutePlan
    permits RoutePlan.Write, RoutePlan.Unchanged, RoutePlan.Impossible {

  /** Apply each object, in order. */
  record Write(List<Map<String, Object>> objects) implements RoutePlan {
    public Write {
      objects = List.copyOf(objects);
      if (objects.isEmpty()) {
        throw new IllegalArgumentException("a write needs at least one object");
      }
    }
  }

  /** The cluster already routes the shape. */
  record Unchanged() implements RoutePlan {}

  /** The shape cannot be routed; {@code reason} says why in one line, naming the object. */
  record Impossible(String reason) implements RoutePlan {
    public Impossible {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
