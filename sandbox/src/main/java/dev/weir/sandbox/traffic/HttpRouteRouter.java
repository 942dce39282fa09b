package dev.weir.sandbox.traffic;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A Gateway API {@code HTTPRoute}: the rule whose match is most specific (an exact path over a
 * prefix, a longer prefix, then more header matches; the earlier rule on a tie) sends the request
 * to its {@code backendRefs} by {@code weight} (default 1). A rule without matches matches every
 * path. Header matches are {@code Exact} (default) or {@code RegularExpression}; a cookie is
 * matched through the {@code Cookie} header. Query-parameter and method matches, filters and
 * cross-namespace backends are not modelled (a match using them never matches).
 */
public record HttpRouteRouter(String name, List<Rule> rules) implements Router {

  /** One rule: its matches (empty: everything) and its weighted backends. */
  public record Rule(List<Match> matches, List<BackendWeight> backends) {}

  /** One match: a path (type and value) and header conditions. */
  public record Match(
      String pathType, String path, List<HeaderMatch> headers, boolean unsupported) {
    boolean matches(SimulatedRequest request) {
      if (unsupported) {
        return false;
      }
      boolean pathMatches =
          switch (pathType) {
            case "Exact" -> request.path().equals(path);
            case "RegularExpression" -> HeaderMatch.regex(path, request.path());
            default -> prefixMatches(path, request.path());
          };
      return pathMatches && headers.stream().allMatch(h -> h.matches(request));
    }

    /** Exact paths first, then longer paths, then more header matches. */
    long specificity() {
      return (pathType.equals("Exact") ? 1L << 40 : 0)
          + ((long) path.length() << 16)
          + headers.size();
    }
  }

  /**
   * A header condition; {@code type} is {@code Exact}, {@code Prefix} or {@code RegularExpression}.
   */
  public record HeaderMatch(String type, String name, String value) {
    boolean matches(SimulatedRequest request) {
      String actual =
          name.equalsIgnoreCase("cookie") ? request.cookieHeader() : request.header(name);
      if (actual == null) {
        return false;
      }
      return switch (type) {
        case "RegularExpression", "Regex" -> regex(value, actual);
        case "Prefix" -> actual.startsWith(value);
        default -> actual.equals(value);
      };
    }

    static boolean regex(String pattern, String value) {
      try {
        return Pattern.compile(pattern).matcher(value).matches();
      } catch (PatternSyntaxException e) {
        return false;
      }
    }
  }

  /** Reads an HTTPRoute object. */
  public static HttpRouteRouter from(JsonNode route) {
    List<Rule> rules = new ArrayList<>();
    for (JsonNode rule : route.path("spec").path("rules")) {
      List<Match> matches = new ArrayList<>();
      for (JsonNode match : rule.path("matches")) {
        List<HeaderMatch> headers = new ArrayList<>();
        for (JsonNode header : match.path("headers")) {
          headers.add(
              new HeaderMatch(
                  header.path("type").asText("Exact"),
                  header.path("name").asText(),
                  header.path("value").asText()));
        }
        boolean unsupported = match.has("queryParams") || match.has("method");
        matches.add(
            new Match(
                match.path("path").path("type").asText("PathPrefix"),
                match.path("path").path("value").asText("/"),
                headers,
                unsupported));
      }
      List<BackendWeight> backends = new ArrayList<>();
      for (JsonNode backend : rule.path("backendRefs")) {
        String kind = backend.path("kind").asText("Service");
        if (kind.equals("Service") && !backend.has("namespace")) {
          backends.add(
              new BackendWeight(backend.path("name").asText(), backend.path("weight").asDouble(1)));
        }
      }
      rules.add(new Rule(matches, backends));
    }
    return new HttpRouteRouter(route.path("metadata").path("name").asText(), List.copyOf(rules));
  }

  @Override
  public String kind() {
    return "HTTPRoute";
  }

  @Override
  public List<BackendWeight> route(SimulatedRequest request) {
    Rule best = null;
    long bestSpecificity = -1;
    for (Rule rule : rules) {
      List<Match> matches =
          rule.matches().isEmpty()
              ? List.of(new Match("PathPrefix", "/", List.of(), false))
              : rule.matches();
      for (Match match : matches) {
        if (match.matches(request) && match.specificity() > bestSpecificity) {
          best = rule;
          bestSpecificity = match.specificity();
        }
      }
    }
    return best == null ? List.of() : Router.normalise(best.backends());
  }

  @Override
  public Set<String> services() {
    Set<String> services = new LinkedHashSet<>();
    rules.forEach(r -> r.backends().forEach(b -> services.add(b.service())));
    return services;
  }

  static boolean prefixMatches(String prefix, String path) {
    if (prefix.equals("/") || prefix.isEmpty()) {
      return true;
    }
    String trimmed = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
    return path.equals(trimmed) || path.startsWith(trimmed + "/");
  }
}
