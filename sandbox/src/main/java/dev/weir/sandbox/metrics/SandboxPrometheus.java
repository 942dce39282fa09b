package dev.weir.sandbox.metrics;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.sandbox.api.SandboxApiServer;
import dev.weir.sandbox.api.ServiceBackend;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The sandbox's Prometheus: Prometheus' HTTP query API ({@code /api/v1/query}, {@code
 * /api/v1/query_range}, {@code /-/ready}, {@code /-/healthy}, {@code /api/v1/status/buildinfo})
 * answered by {@link SandboxQuery} from the simulated traffic's metrics, behind the Service {@value
 * #NAMESPACE}/{@value #NAME} port {@value #PORT}. A console reaches it through the API server's
 * service proxy ({@code /api/v1/namespaces/monitoring/services/prometheus:9090/proxy/…}) with its
 * kubeconfig's credentials, exactly as it reaches a real cluster's Prometheus; what it answers for
 * a query equals what a real Prometheus scraping the sandbox's {@code /metrics} answers (for the
 * query shapes of {@link SandboxQuery}).
 *
 * <p>Answers follow Prometheus' JSON: {@code {"status":"success","data":{"resultType":…}}}, or
 * {@code {"status":"error","errorType":"bad_data","error":…}} with HTTP 400 for a missing or bad
 * parameter and for a query outside the shapes the sandbox answers. Without {@code time} a query is
 * evaluated at the sandbox clock's now.
 *
 * <p>Thread-safe.
 */
public final class SandboxPrometheus implements ServiceBackend {
  /** The namespace of the Service. */
  public static final String NAMESPACE = "monitoring";

  /** The Service's name. */
  public static final String NAME = "prometheus";

  /** Its port, named {@code web} as the Prometheus Operator names it. */
  public static final int PORT = 9090;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MANAGER = "weir-sandbox";
  private static final long MAX_POINTS = 11_000;
  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d|w|y)");

  private final TrafficMetrics metrics;
  private final InstantSource clock;
  private final Map<String, Object> parsed = new java.util.concurrent.ConcurrentHashMap<>();

  public SandboxPrometheus(TrafficMetrics metrics, InstantSource clock) {
    this.metrics = metrics;
    this.clock = clock;
  }

  /**
   * Puts the sandbox's Prometheus in {@code server}'s cluster: the Namespace {@value #NAMESPACE}
   * and the Service {@value #NAME} (created when missing, as an add-on manager would), and this API
   * behind its port.
   */
  public static void install(SandboxApiServer server, TrafficMetrics metrics) {
    ObjectNode namespace = JSON.createObjectNode();
    namespace.put("apiVersion", "v1");
    namespace.put("kind", "Namespace");
    namespace.putObject("metadata").put("name", NAMESPACE);
    ObjectNode service = JSON.createObjectNode();
    service.put("apiVersion", "v1");
    service.put("kind", "Service");
    ObjectNode metadata = service.putObject("metadata");
    metadata.put("name", NAME);
    metadata.put("namespace", NAMESPACE);
    ObjectNode labels = metadata.putObject("labels");
    labels.put("app.kubernetes.io/name", "prometheus");
    labels.put("app.kubernetes.io/part-of", "weir-sandbox");
    metadata
        .putObject("annotations")
        .put(
            "sandbox.weir.dev/served-by",
            "the sandbox's simulated metrics through the service proxy (Prometheus HTTP API)");
    ObjectNode port = service.putObject("spec").putArray("ports").addObject();
    port.put("name", "web");
    port.put("port", PORT);
    port.put("targetPort", PORT);
    port.put("protocol", "TCP");
    if (server.objects().get("v1", "Namespace", "", NAMESPACE).isEmpty()) {
      server.objects().apply(namespace, MANAGER, true);
    }
    if (server.objects().get("v1", "Service", NAMESPACE, NAME).isEmpty()) {
      server.objects().apply(service, MANAGER, true);
    }
    server.serveService(NAMESPACE, NAME, PORT, new SandboxPrometheus(metrics, server.clock()));
  }

  @Override
  public Response serve(Request request) {
    String path = request.path();
    return switch (path) {
      case "/-/ready" -> text(200, "Prometheus Server is Ready.\n");
      case "/-/healthy" -> text(200, "Prometheus Server is Healthy.\n");
      case "/api/v1/status/buildinfo" -> {
        ObjectNode data = JSON.createObjectNode();
        data.put("version", "sandbox");
        data.put("revision", "");
        data.put("branch", "");
        yield success(data);
      }
      case "/api/v1/query", "/api/v1/query_range" -> {
        if (!request.method().equals("GET") && !request.method().equals("POST")) {
          yield text(405, "Method Not Allowed\n");
        }
        Map<String, String> parameters = parameters(request);
        try {
          yield path.endsWith("_range") ? range(parameters) : instant(parameters);
        } catch (BadData e) {
          yield error(e.getMessage());
        }
      }
      default -> text(404, "404 page not found\n");
    };
  }

  private Response instant(Map<String, String> parameters) throws BadData {
    SandboxQuery query = compile(parameters.get("query"));
    Instant at =
        parameters.containsKey("time") ? time(parameters.get("time"), "time") : clock.instant();
    List<SandboxQuery.Sample> samples = query.evaluate(metrics, at.getEpochSecond());
    ObjectNode data = JSON.createObjectNode();
    if (query.scalar()) {
      data.put("resultType", "scalar");
      data.set("result", pair(at, samples.getFirst().value()));
    } else {
      data.put("resultType", "vector");
      ArrayNode result = data.putArray("result");
      for (SandboxQuery.Sample sample : samples) {
        ObjectNode series = result.addObject();
        series.set("metric", labels(sample.labels()));
        series.set("value", pair(at, sample.value()));
      }
    }
    return success(data);
  }

  private Response range(Map<String, String> parameters) throws BadData {
    SandboxQuery query = compile(parameters.get("query"));
    Instant start = time(parameters.get("start"), "start");
    Instant end = time(parameters.get("end"), "end");
    if (end.isBefore(start)) {
      throw new BadData("end timestamp must not be before start time");
    }
    Duration step = step(parameters.get("step"));
    if (step.isZero() || step.isNegative()) {
      throw new BadData(
          "zero or negative query resolution step widths are not accepted. Try a positive integer");
    }
    if (Duration.between(start, end).dividedBy(step) > MAX_POINTS) {
      throw new BadData(
          "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query"
              + " resolution (?step=XX)");
    }
    Map<Map<String, String>, ArrayNode> series = new LinkedHashMap<>();
    for (Instant t = start; !t.isAfter(end); t = t.plus(step)) {
      for (SandboxQuery.Sample sample : query.evaluate(metrics, t.getEpochSecond())) {
        series
            .computeIfAbsent(new TreeMap<>(sample.labels()), k -> JSON.createArrayNode())
            .add(pair(t, sample.value()));
      }
    }
    ObjectNode data = JSON.createObjectNode();
    data.put("resultType", "matrix");
    ArrayNode result = data.putArray("result");
    series.forEach(
        (labels, values) -> {
          ObjectNode entry = result.addObject();
          entry.set("metric", labels(labels));
          entry.set("values", values);
        });
    return success(data);
  }

  private SandboxQuery compile(String text) throws BadData {
    if (text == null || text.isBlank()) {
      throw new BadData(
          "invalid parameter \"query\": unknown position: parse error: no expression found in"
              + " input");
    }
    if (parsed.size() > 1000) {
      parsed.clear();
    }
    Object compiled =
        parsed.computeIfAbsent(
            text,
            t -> {
              try {
                return SandboxQuery.parse(t);
              } catch (SandboxQuery.UnsupportedQueryException e) {
                return "the sandbox cannot answer this query: " + e.getMessage();
              }
            });
    if (compiled instanceof String problem) {
      throw new BadData("invalid parameter \"query\": " + problem);
    }
    return (SandboxQuery) compiled;
  }

  /** Prometheus' time parameter: Unix seconds (with a fraction) or RFC 3339. */
  private static Instant time(String text, String name) throws BadData {
    if (text == null || text.isBlank()) {
      throw new BadData(
          "invalid parameter \"" + name + "\": cannot parse \"\" to a valid timestamp");
    }
    try {
      BigDecimal seconds = new BigDecimal(text.strip());
      return Instant.ofEpochSecond(
          seconds.longValue(), seconds.remainder(BigDecimal.ONE).movePointRight(9).longValue());
    } catch (NumberFormatException | ArithmeticException notNumber) {
      try {
        return Instant.parse(text.strip());
      } catch (DateTimeParseException e) {
        throw new BadData(
            "invalid parameter \""
                + name
                + "\": cannot parse \""
                + text
                + "\" to a valid timestamp");
      }
    }
  }

  /**
   * Prometheus' step: seconds (with a fraction) or a duration such as {@code 30s} or {@code 1m}.
   */
  private static Duration step(String text) throws BadData {
    if (text == null || text.isBlank()) {
      throw new BadData("invalid parameter \"step\": cannot parse \"\" to a valid duration");
    }
    try {
      return Duration.ofNanos(new BigDecimal(text.strip()).movePointRight(9).longValueExact());
    } catch (NumberFormatException | ArithmeticException notNumber) {
      Matcher m = DURATION.matcher(text.strip());
      Duration total = Duration.ZERO;
      int end = 0;
      while (m.find() && m.start() == end) {
        long amount = Long.parseLong(m.group(1));
        total =
            total.plus(
                switch (m.group(2)) {
                  case "ms" -> Duration.ofMillis(amount);
                  case "s" -> Duration.ofSeconds(amount);
                  case "m" -> Duration.ofMinutes(amount);
                  case "h" -> Duration.ofHours(amount);
                  case "d" -> Duration.ofDays(amount);
                  case "w" -> Duration.ofDays(7 * amount);
                  default -> Duration.ofDays(365 * amount);
                });
        end = m.end();
      }
      if (end == 0 || end != text.strip().length()) {
        throw new BadData(
            "invalid parameter \"step\": cannot parse \"" + text + "\" to a valid duration");
      }
      return total;
    }
  }

  private static Map<String, String> parameters(Request request) {
    Map<String, String> out = new HashMap<>();
    decodeInto(request.rawQuery(), out);
    if (request.method().equals("POST")
        && request.contentType().startsWith("application/x-www-form-urlencoded")) {
      decodeInto(new String(request.body(), StandardCharsets.UTF_8), out);
    }
    return out;
  }

  private static void decodeInto(String raw, Map<String, String> out) {
    if (raw == null || raw.isEmpty()) {
      return;
    }
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int equals = pair.indexOf('=');
      String key =
          URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
      String value =
          equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
      out.putIfAbsent(key, value);
    }
  }

  private static ObjectNode labels(Map<String, String> labels) {
    ObjectNode out = JSON.createObjectNode();
    new TreeMap<>(labels).forEach(out::put);
    return out;
  }

  /** {@code [unix seconds, "value"]}, as Prometheus writes a sample. */
  private static ArrayNode pair(Instant at, double value) {
    ArrayNode pair = JSON.createArrayNode();
    long millis = at.toEpochMilli();
    if (millis % 1000 == 0) {
      pair.add(millis / 1000);
    } else {
      pair.add(BigDecimal.valueOf(millis, 3).stripTrailingZeros());
    }
    pair.add(format(value));
    return pair;
  }

  /** A sample value as Prometheus formats it (Go's {@code strconv.FormatFloat(v, 'f', -1, 64)}). */
  static String format(double value) {
    if (Double.isNaN(value)) {
      return "NaN";
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? "+Inf" : "-Inf";
    }
    if (value == 0) {
      return "0";
    }
    return new BigDecimal(Double.toString(value)).stripTrailingZeros().toPlainString();
  }

  private static Response success(ObjectNode data) {
    ObjectNode root = JSON.createObjectNode();
    root.put("status", "success");
    root.set("data", data);
    return json(200, root);
  }

  private static Response error(String message) {
    ObjectNode root = JSON.createObjectNode();
    root.put("status", "error");
    root.put("errorType", "bad_data");
    root.put("error", message);
    return json(400, root);
  }

  private static Response json(int status, ObjectNode body) {
    try {
      return new Response(status, "application/json", JSON.writeValueAsBytes(body));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Response text(int status, String body) {
    return new Response(status, "text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
  }

  /** A bad parameter: Prometheus' {@code bad_data}. */
  private static final class BadData extends Exception {
    BadData(String message) {
      super(message, null, false, false);
    }
  }
}
