package dev.weir.engine.traffic;

import java.util.List;
import java.util.Objects;

/**
 * A named A/B route ({@code setHeaderRoute} in a rollout's steps): requests meeting every match go
 * to the canary. Immutable.
 */
public record HeaderRoute(String name, List<RouteMatch> matches) implements ManagedRoute {
  public HeaderRoute {
    Objects.requireNonNull(name, "name");
    matches = List.copyOf(matches);
    if (matches.isEmpty()) {
      throw new IllegalArgumentException("a header route needs at least one match");
    }
  }
}
