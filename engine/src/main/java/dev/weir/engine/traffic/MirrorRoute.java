package dev.weir.engine.traffic;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A named mirror route ({@code setMirrorRoute} in a rollout's steps, Argo Rollouts' {@code
 * features/traffic-management/mirroring.md}): requests meeting any of the matches are served as the
 * weights say, and {@code percentage} percent of them are also copied to the canary, whose answers
 * are dropped. Immutable.
 *
 * @param percentage the share of matching requests copied, 0 to 100 (Argo's default: 100)
 * @param matches at least one; a request meets a match when it meets all the match's conditions
 */
public record MirrorRoute(String name, int percentage, List<Match> matches)
    implements ManagedRoute {
  public MirrorRoute {
    Objects.requireNonNull(name, "name");
    if (percentage < 0 || percentage > 100) {
      throw new IllegalArgumentException("percentage must be within 0..100, got " + percentage);
    }
    matches = List.copyOf(matches);
    if (matches.isEmpty()) {
      throw new IllegalArgumentException("a mirror route needs at least one match");
    }
  }

  /** A string compared one way: {@code {exact: GET}}, {@code {prefix: /api}}, {@code {regex: …}}. */
  public record StringMatch(RouteMatch.MatchType type, String value) {
    public StringMatch {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(value, "value");
    }

    /** Istio's form: {@code {exact: VALUE}}. */
    Map<String, Object> istio() {
      return Map.of(
          switch (type) {
            case EXACT -> "exact";
            case PREFIX -> "prefix";
            case REGEX -> "regex";
          },
          value);
    }

    /** The value as a regular expression, whatever the type. */
    String regex() {
      return new RouteMatch.Header("-", type, value).regex();
    }
  }

  /**
   * Argo's {@code match} entry: the request's method, its path and headers (by name, compared
   * case-insensitively), each optional.
   */
  public record Match(
      Optional<StringMatch> method, Optional<StringMatch> path, Map<String, StringMatch> headers) {
    public Match {
      Objects.requireNonNull(method, "method");
      Objects.requireNonNull(path, "path");
      headers = Map.copyOf(headers);
    }
  }
}
