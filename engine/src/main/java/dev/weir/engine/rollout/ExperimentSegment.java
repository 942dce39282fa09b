package dev.weir.engine.rollout;

import dev.weir.engine.traffic.HeaderRoute;
import java.util.Objects;

/**
 * Which users an A/B experiment shows variant B: the segment. Immutable.
 *
 * <p>A segment is either a header or cookie match carried out by the rollout's router ({@link
 * Route}), the same match {@code setHeaderRoute} takes, or a feature flag's {@code fractional}
 * split evaluated by the services themselves ({@link Flag}): the step then sets the flag (a
 * {@code setFlag} effect, a commit) instead of a route. The experiment's judge, views and
 * commands are the same for both (decision 0025's seam, decision 0032).
 */
public sealed interface ExperimentSegment permits ExperimentSegment.Route, ExperimentSegment.Flag {

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

  /**
   * {@code percent}% of the users (by flagd's {@code fractional} bucketing of their targeting key)
   * get the flag's variant {@code b}, the rest its variant {@code a}. The conversion queries'
   * {@code {{variant.name}}} is the flag variant each side counts.
   */
  record Flag(String flag, String a, String b, int percent) implements ExperimentSegment {
    public Flag {
      Objects.requireNonNull(flag, "flag");
      Objects.requireNonNull(a, "a");
      Objects.requireNonNull(b, "b");
      if (a.equals(b)) {
        throw new IllegalArgumentException("the two variants of a flag experiment differ");
      }
      if (percent < 0 || percent > 100) {
        throw new IllegalArgumentException("percent must be within 0..100, got " + percent);
      }
    }

    /** The flag's split while the experiment runs: B's share first. */
    public dev.weir.engine.model.FlagChange.SetFractions split() {
      java.util.Map<String, Integer> percents = new java.util.LinkedHashMap<>();
      percents.put(b, percent);
      percents.put(a, 100 - percent);
      return new dev.weir.engine.model.FlagChange.SetFractions(percents);
    }

    @Override
    public String describe() {
      return "flag " + flag + " = " + b + " (" + percent + "%, fractional)";
    }
  }
}
