package dev.weir.engine.rollout;

import dev.weir.engine.traffic.HeaderRoute;
import java.util.Objects;

/**
 * Which users an A/B experiment shows variant B: the segment. Immutable.
 *
 * <p>Today a segment is a header or cookie match carried out by the rollout's router ({@link
 * Route}), the same match {@code setHeaderRoute} takes. The seam for a segment chosen by a feature
 * flag (a flagd {@code fractional} rule, evaluated by the services themselves) is this sealed
 * interface: a {@code Flag(flag, variant)} permit whose step sets the flag instead of a route (a
 * {@code setFlag} effect) slots in beside {@link Route} without changing the experiment's judge,
 * its views or its commands.
 */
public sealed interface ExperimentSegment permits ExperimentSegment.Route {

  /** One line: {@code header x-segment = beta}. */
  String describe();

  /** Requests matching {@code route} go to B through the router; the rest stay on A. */
  record Route(HeaderRoute route) implements ExperimentSegment {
    public Route {
      Objects.requireNonNull(route, "route");
    }

    @Override
    public String describe() {
      return route.matches().stream()
          .map(
              m ->
                  switch (m) {
                    case dev.weir.engine.traffic.RouteMatch.Header h ->
                        "header "
                            + h.name()
                            + (h.type() == dev.weir.engine.traffic.RouteMatch.MatchType.EXACT
                                ? " = "
                                : h.type() == dev.weir.engine.traffic.RouteMatch.MatchType.PREFIX
                                    ? " starts with "
                                    : " ~ ")
                            + h.value();
                    case dev.weir.engine.traffic.RouteMatch.Cookie c ->
                        "cookie " + c.name() + " = " + c.value();
                  })
          .collect(java.util.stream.Collectors.joining(" and "));
    }
  }
}
