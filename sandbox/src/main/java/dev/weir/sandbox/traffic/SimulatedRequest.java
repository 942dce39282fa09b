package dev.weir.sandbox.traffic;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * What a router sees of a simulated request: its path, headers (names in lower case) and cookies.
 * Immutable.
 */
public record SimulatedRequest(
    String path, Map<String, String> headers, Map<String, String> cookies) {
  public SimulatedRequest {
    path = path == null || path.isEmpty() ? "/" : path;
    headers =
        headers.entrySet().stream()
            .collect(
                Collectors.toUnmodifiableMap(
                    e -> e.getKey().toLowerCase(java.util.Locale.ROOT), Map.Entry::getValue));
    cookies = Map.copyOf(cookies);
  }

  /** A request for {@code /} without headers or cookies. */
  public static SimulatedRequest plain() {
    return new SimulatedRequest("/", Map.of(), Map.of());
  }

  /** A header value, by case-insensitive name, or null. */
  public String header(String name) {
    return headers.get(name.toLowerCase(java.util.Locale.ROOT));
  }

  /** The {@code Cookie} header as a client sends it ({@code a=1; b=2}), or null without cookies. */
  public String cookieHeader() {
    if (cookies.isEmpty()) {
      return header("cookie");
    }
    return cookies.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining("; "));
  }
}
