package dev.weir.engine.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link MetricProvider} over Prometheus' HTTP API ({@code /api/v1/query} and {@code
 * /api/v1/query_range}), reached through a {@link PrometheusTransport}: straight to an address, or
 * through the Kubernetes API server's service proxy. Jackson reads the answers.
 *
 * <p>Every failure becomes a {@link ProviderError} whose message names the server by scheme, host,
 * port and path (or by its Service) only; credentials travel only in the {@code Authorization}
 * header. Instant queries returning a range vector or a string are rejected as {@link
 * ProviderError.Reason#BAD_QUERY}. Sample values {@code NaN}, {@code +Inf} and {@code -Inf} are
 * kept as such: judging them is the analysis' business.
 *
 * <p>A metric's own settings ({@link #with}) go to the transport with each query; its {@code
 * insecure: true} is refused, naming where the template says it, unless the person running Weir
 * allowed it ({@link PrometheusAccess#insecureAllowed()}): a repository never decides on its own
 * that Weir skips TLS verification.
 *
 * <p>Thread-safe; one instance may serve every analysis run. Each call blocks for at most the
 * transport's timeout (or the metric's).
 */
public final class PrometheusMetricProvider implements MetricProvider {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final PrometheusTransport transport;
  private final String where;
  private final boolean insecureAllowed;
  private final QueryOptions options;

  /** Straight to the Prometheus of {@code settings}. */
  public PrometheusMetricProvider(PrometheusSettings settings) {
    this(new HttpPrometheusTransport(settings));
  }

  /** Through {@code transport}; a template's {@code insecure: true} is refused. */
  public PrometheusMetricProvider(PrometheusTransport transport) {
    this(transport, false);
  }

  /**
   * @param insecureAllowed whether the person running Weir allows templates' {@code insecure:
   *     true}
   */
  public PrometheusMetricProvider(PrometheusTransport transport, boolean insecureAllowed) {
    this(transport, insecureAllowed, QueryOptions.NONE);
  }

  private PrometheusMetricProvider(
      PrometheusTransport transport, boolean insecureAllowed, QueryOptions options) {
    this.transport = java.util.Objects.requireNonNull(transport, "transport");
    this.where = transport.describe();
    this.insecureAllowed = insecureAllowed;
    this.options = java.util.Objects.requireNonNull(options, "options");
  }

  @Override
  public MetricProvider with(QueryOptions value) {
    return new PrometheusMetricProvider(transport, insecureAllowed, value);
  }

  /** The server as messages name it: {@code Prometheus at …} or {@code Prometheus via …}. */
  public String describe() {
    return where;
  }

  @Override
  public QueryResult<MetricValue> instant(String query, Instant at) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("query", query);
    form.put("time", seconds(at));
    form.put("timeout", timeout().toMillis() + "ms");
    return call("api/v1/query", form).flatMapData(this::toValue);
  }

  @Override
  public QueryResult<List<TimeSeries>> range(
      String query, Instant start, Instant end, Duration step) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("query", query);
    form.put("start", seconds(start));
    form.put("end", seconds(end));
    form.put("step", Math.max(1, step.toMillis()) / 1000.0 + "");
    form.put("timeout", timeout().toMillis() + "ms");
    return call("api/v1/query_range", form).flatMapData(this::toSeries);
  }

  @Override
  public String toString() {
    return "PrometheusMetricProvider[" + transport + (options.none() ? "" : ", " + options) + "]";
  }

  private java.time.Duration timeout() {
    return options.timeout().orElse(transport.timeout());
  }

  /** The {@code data} node of a successful answer, or why there is none. */
  private record Answer(JsonNode data, ProviderError error) {
    <T> QueryResult<T> flatMapData(java.util.function.Function<JsonNode, QueryResult<T>> f) {
      return error != null ? new QueryResult.Failed<>(error) : f.apply(data);
    }
  }

  private Answer call(String path, Map<String, String> form) {
    if (options.insecure().isPresent() && !insecureAllowed) {
      return failure(
          ProviderError.Reason.TLS,
          options.insecure().get()
              + ": insecure: true asks Weir to skip TLS verification of "
              + where
              + "; Weir does so only when the person running it sets "
              + PrometheusAccess.ALLOW_INSECURE
              + "=true");
    }
    PrometheusTransport.Reply response;
    switch (transport.send(path, form, options)) {
      case QueryResult.Failed<PrometheusTransport.Reply> failed -> {
        return new Answer(null, failed.error());
      }
      case QueryResult.Ok<PrometheusTransport.Reply> ok -> response = ok.value();
    }
    int status = response.status();
    if (status == 401 || status == 403) {
      return failure(
          ProviderError.Reason.UNAUTHORIZED,
          where + " refused the credentials (HTTP " + status + ")");
    }
    JsonNode root;
    try {
      root = JSON.readTree(response.body());
    } catch (IOException e) {
      root = null;
    }
    if (root == null || !root.isObject()) {
      ProviderError.Reason reason =
          status >= 500 ? ProviderError.Reason.SERVER_ERROR : ProviderError.Reason.BAD_RESPONSE;
      return failure(
          reason, where + " answered HTTP " + status + " without a Prometheus API response");
    }
    if (!"success".equals(root.path("status").asText())) {
      String error = firstLine(root.path("error").asText("unknown error"));
      String type = root.path("errorType").asText("");
      if (status >= 500 || type.equals("internal") || type.equals("unavailable")) {
        return failure(
            ProviderError.Reason.SERVER_ERROR,
            where
                + " failed (HTTP "
                + status
                + (type.isEmpty() ? "" : ", " + type)
                + "): "
                + error);
      }
      if (type.equals("timeout") || type.equals("canceled")) {
        return failure(
            ProviderError.Reason.TIMEOUT, where + " gave up on the query (" + type + "): " + error);
      }
      return failure(
          ProviderError.Reason.BAD_QUERY,
          where
              + " rejected the query ("
              + (type.isEmpty() ? "HTTP " + status : type)
              + "): "
              + error);
    }
    return new Answer(root.path("data"), null);
  }

  private QueryResult<MetricValue> toValue(JsonNode data) {
    String type = data.path("resultType").asText();
    JsonNode result = data.path("result");
    return switch (type) {
      case "scalar" -> sample(result).map(MetricValue::scalar);
      case "vector" -> {
        List<Double> values = new ArrayList<>();
        for (JsonNode series : result) {
          var value = sample(series.path("value"));
          if (value instanceof QueryResult.Failed<Double> failed) {
            yield new QueryResult.Failed<>(failed.error());
          }
          values.add(((QueryResult.Ok<Double>) value).value());
        }
        yield QueryResult.ok(MetricValue.vector(values));
      }
      case "matrix" ->
          QueryResult.failed(
              ProviderError.Reason.BAD_QUERY,
              "the query returns a range vector; an analysis needs an instant vector or a scalar"
                  + " (wrap it in a function such as rate() or avg_over_time())");
      default ->
          QueryResult.failed(
              ProviderError.Reason.BAD_QUERY,
              "the query returns a "
                  + (type.isEmpty() ? "result of unknown type" : type)
                  + "; an analysis needs a number");
    };
  }

  private QueryResult<List<TimeSeries>> toSeries(JsonNode data) {
    if (!"matrix".equals(data.path("resultType").asText())) {
      return QueryResult.failed(
          ProviderError.Reason.BAD_RESPONSE,
          where + " answered a range query with a " + data.path("resultType").asText("?"));
    }
    List<TimeSeries> all = new ArrayList<>();
    for (JsonNode series : data.path("result")) {
      Map<String, String> labels = new LinkedHashMap<>();
      series
          .path("metric")
          .properties()
          .forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
      List<TimeSeries.Sample> samples = new ArrayList<>();
      for (JsonNode pair : series.path("values")) {
        var value = sample(pair);
        if (value instanceof QueryResult.Failed<Double> failed) {
          return new QueryResult.Failed<>(failed.error());
        }
        samples.add(
            new TimeSeries.Sample(
                instantOf(pair.path(0)), ((QueryResult.Ok<Double>) value).value()));
      }
      all.add(new TimeSeries(labels, samples));
    }
    return QueryResult.ok(all);
  }

  private QueryResult<Double> sample(JsonNode pair) {
    if (!pair.isArray() || pair.size() != 2) {
      return QueryResult.failed(
          ProviderError.Reason.BAD_RESPONSE, where + " sent a malformed sample: " + pair);
    }
    String text = pair.path(1).asText();
    return switch (text) {
      case "NaN" -> QueryResult.ok(Double.NaN);
      case "+Inf", "Inf" -> QueryResult.ok(Double.POSITIVE_INFINITY);
      case "-Inf" -> QueryResult.ok(Double.NEGATIVE_INFINITY);
      default -> {
        try {
          yield QueryResult.ok(Double.parseDouble(text));
        } catch (NumberFormatException e) {
          yield QueryResult.failed(
              ProviderError.Reason.BAD_RESPONSE,
              where + " sent a sample that is not a number: \"" + text + "\"");
        }
      }
    };
  }

  private static Instant instantOf(JsonNode seconds) {
    double value = seconds.asDouble();
    long whole = (long) Math.floor(value);
    return Instant.ofEpochSecond(whole, Math.round((value - whole) * 1e9));
  }

  private static String seconds(Instant at) {
    return at.getEpochSecond()
        + "."
        + String.format(java.util.Locale.ROOT, "%03d", at.getNano() / 1_000_000);
  }

  private static Answer failure(ProviderError.Reason reason, String message) {
    return new Answer(null, new ProviderError(reason, message));
  }

  private static String firstLine(String text) {
    if (text == null) {
      return "";
    }
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline);
  }
}
