package dev.weir.sandbox.metrics;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.weir.engine.time.EngineClock;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Prometheus' HTTP query API over the sandbox's traffic metrics, at {@value #PATH} on the sandbox's
 * port: {@code api/v1/query} and {@code api/v1/query_range} (GET, or POST with a form body, as
 * Prometheus takes them), answering the shapes of {@link SandboxQuery} in Prometheus' JSON. A
 * console in another process than the sandbox's (beside {@code weir sandbox serve}) measures its
 * analyses through it, with the same {@code PrometheusMetricProvider} it uses for a real cluster's
 * Prometheus, and gets what the sandbox's in-process provider answers.
 *
 * <p>Requests must carry one of the sandbox's tokens ({@code Authorization: Bearer …}). Errors
 * are Prometheus' own: {@code bad_data} (400) for a query outside the shapes or a bad parameter.
 *
 * <p>Thread-safe.
 */
public final class SandboxPrometheusApi implements HttpHandler {
  /** Where the API is served: the Prometheus address {@code https://127.0.0.1:PORT/prometheus/}. */
  public static final String PATH = "/prometheus/";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final TrafficMetrics metrics;
  private final EngineClock clock;
  private final List<byte[]> tokens;

  /**
   * @param tokens the bearer tokens that may query (the sandbox's admin and read-only tokens)
   */
  public SandboxPrometheusApi(TrafficMetrics metrics, EngineClock clock, List<String> tokens) {
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.tokens = tokens.stream().map(t -> t.getBytes(StandardCharsets.UTF_8)).toList();
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!authorized(exchange.getRequestHeaders().getFirst("Authorization"))) {
        exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
        answer(exchange, 401, error("unauthorized", "a sandbox token is needed"));
        return;
      }
      String method = exchange.getRequestMethod();
      if (!method.equals("GET") && !method.equals("POST")) {
        answer(exchange, 405, error("bad_data", "method " + method + " not allowed"));
        return;
      }
      Map<String, String> parameters = new HashMap<>();
      read(exchange.getRequestURI().getRawQuery(), parameters);
      if (method.equals("POST")) {
        byte[] body = exchange.getRequestBody().readAllBytes();
        read(new String(body, StandardCharsets.UTF_8), parameters);
      }
      String path = exchange.getRequestURI().getPath().substring(PATH.length() - 1);
      ObjectNode body;
      try {
        body =
            switch (path) {
              case "/api/v1/query" -> instant(parameters);
              case "/api/v1/query_range" -> range(parameters);
              default -> null;
            };
      } catch (BadData e) {
        answer(exchange, 400, error("bad_data", e.getMessage()));
        return;
      }
      if (body == null) {
        answer(exchange, 404, error("not_found", "no API at " + path));
        return;
      }
      answer(exchange, 200, body);
    }
  }

  private ObjectNode instant(Map<String, String> parameters) throws BadData {
    SandboxQuery query = query(parameters);
    long at = time(parameters, "time", clock.instant());
    ObjectNode data = JSON.createObjectNode();
    List<SandboxQuery.Sample> samples = query.evaluate(metrics, at);
    if (query.scalar()) {
      data.put("resultType", "scalar");
      data.set("result", pair(at, samples.getFirst().value()));
    } else {
      data.put("resultType", "vector");
      ArrayNode result = data.putArray("result");
      for (SandboxQuery.Sample sample : samples) {
        ObjectNode series = result.addObject();
        series.set("metric", JSON.valueToTree(sample.labels()));
        series.set("value", pair(at, sample.value()));
      }
    }
    return success(data);
  }

  private ObjectNode range(Map<String, String> parameters) throws BadData {
    SandboxQuery query = query(parameters);
    long start = time(parameters, "start", null);
    long end = time(parameters, "end", null);
    long step = step(parameters.get("step"));
    if (end < start) {
      throw new BadData("end timestamp must not be before start time");
    }
    if ((end - start) / step > 11_000) {
      throw new BadData(
          "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query"
              + " resolution (?step=XX)");
    }
    Map<Map<String, String>, ArrayNode> series = new LinkedHashMap<>();
    for (long t = start; t <= end; t += step) {
      for (SandboxQuery.Sample sample : query.evaluate(metrics, t)) {
        series
            .computeIfAbsent(sample.labels(), k -> JSON.createArrayNode())
            .add(pair(t, sample.value()));
      }
    }
    ObjectNode data = JSON.createObjectNode();
    data.put("resultType", "matrix");
    ArrayNode result = data.putArray("result");
    series.forEach(
        (labels, values) -> {
          ObjectNode one = result.addObject();
          one.set("metric", JSON.valueToTree(labels));
          one.set("values", values);
        });
    return success(data);
  }

  private static SandboxQuery query(Map<String, String> parameters) throws BadData {
    String text = parameters.get("query");
    if (text == null || text.isBlank()) {
      throw new BadData("invalid parameter \"query\": the query is empty");
    }
    try {
      return SandboxQuery.parse(text);
    } catch (SandboxQuery.UnsupportedQueryException e) {
      throw new BadData("the sandbox cannot answer this query: " + e.getMessage());
    }
  }

  /** A timestamp parameter as epoch seconds: Unix seconds (with a fraction) or RFC 3339. */
  private static long time(Map<String, String> parameters, String name, Instant otherwise)
      throws BadData {
    String text = parameters.get(name);
    if (text == null || text.isBlank()) {
      if (otherwise == null) {
        throw new BadData("invalid parameter \"" + name + "\": missing");
      }
      return otherwise.getEpochSecond();
    }
    try {
      return (long) Math.floor(Double.parseDouble(text));
    } catch (NumberFormatException e) {
      try {
        return Instant.parse(text).getEpochSecond();
      } catch (java.time.format.DateTimeParseException again) {
        throw new BadData("invalid parameter \"" + name + "\": cannot parse \"" + text + "\"");
      }
    }
  }

  /** A step in whole seconds, at least one: a number of seconds or a duration ({@code 15s}). */
  private static long step(String text) throws BadData {
    if (text == null || text.isBlank()) {
      throw new BadData("invalid parameter \"step\": missing");
    }
    try {
      return Math.max(1, (long) Math.floor(Double.parseDouble(text)));
    } catch (NumberFormatException e) {
      var matcher = java.util.regex.Pattern.compile("(\\d+)([smh])").matcher(text);
      if (!matcher.matches()) {
        throw new BadData("invalid parameter \"step\": cannot parse \"" + text + "\"");
      }
      long value = Long.parseLong(matcher.group(1));
      return Math.max(
          1,
          switch (matcher.group(2)) {
            case "s" -> value;
            case "m" -> value * 60;
            default -> value * 3600;
          });
    }
  }

  private boolean authorized(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    byte[] given = authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8);
    boolean found = false;
    for (byte[] token : tokens) {
      found |= MessageDigest.isEqual(token, given);
    }
    return found;
  }

  private static void read(String encoded, Map<String, String> into) {
    if (encoded == null || encoded.isEmpty()) {
      return;
    }
    for (String pair : encoded.split("&")) {
      int equals = pair.indexOf('=');
      String key = equals < 0 ? pair : pair.substring(0, equals);
      String value = equals < 0 ? "" : pair.substring(equals + 1);
      into.put(
          URLDecoder.decode(key, StandardCharsets.UTF_8),
          URLDecoder.decode(value, StandardCharsets.UTF_8));
    }
  }

  private static ArrayNode pair(long at, double value) {
    ArrayNode pair = JSON.createArrayNode();
    pair.add(at);
    pair.add(number(value));
    return pair;
  }

  /** As Prometheus writes sample values. */
  private static String number(double value) {
    if (Double.isNaN(value)) {
      return "NaN";
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? "+Inf" : "-Inf";
    }
    return value == Math.rint(value) && Math.abs(value) < 1e15
        ? Long.toString((long) value)
        : Double.toString(value);
  }

  private static ObjectNode success(ObjectNode data) {
    ObjectNode body = JSON.createObjectNode();
    body.put("status", "success");
    body.set("data", data);
    return body;
  }

  private static ObjectNode error(String type, String message) {
    ObjectNode body = JSON.createObjectNode();
    body.put("status", "error");
    body.put("errorType", type);
    body.put("error", message);
    return body;
  }

  private static void answer(HttpExchange exchange, int status, ObjectNode body)
      throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static final class BadData extends Exception {
    BadData(String message) {
      super(message);
    }
  }

  @Override
  public String toString() {
    return "SandboxPrometheusApi[" + PATH + "]";
  }
}
