package dev.weir.engine.analysis;

import dev.weir.engine.model.Manifest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an AnalysisTemplate {@link Manifest} into an {@link AnalysisTemplateSpec}, or into every
 * problem found, each naming the document's {@code file:line:column} and the field ({@code
 * spec.metrics[1].failureLimit}). Pure and thread-safe.
 *
 * <p>Accepted fields (Argo Rollouts' names and meaning): {@code spec.args[].name/value} and {@code
 * valueFrom.secretKeyRef.{name, key}}; {@code spec.metrics[].name, interval, count, initialDelay,
 * successCondition, failureCondition, failureLimit, inconclusiveLimit, consecutiveErrorLimit,
 * provider.prometheus.{address, query, timeout, headers, insecure, rangeQuery.{start, end,
 * step}, authentication.{basicAuth.{username, password}, oauth2.{tokenUrl, clientId,
 * clientSecret, scopes}}}}; {@code spec.dryRun}, {@code spec.measurementRetention};
 * Weir's {@code spec.metrics[].compare.{direction, effectSize, confidence, minSamples, weight,
 * critical, window, step, unit}} with {@code provider.prometheus.{canaryQuery, stableQuery}}, and
 * {@code spec.scoring.{marginal, pass}}. Durations use Go's form: {@code 30s}, {@code 1m}, {@code
 * 1h30m}, {@code 500ms}.
 */
public final class AnalysisTemplateParser {
  /** Weir's own apiVersion. */
  public static final String API_VERSION = "weir.dev/v1alpha1";

  /** Argo Rollouts' apiVersion, read by the same parser (decision 0026). */
  public static final String ARGO_API_VERSION = "argoproj.io/v1alpha1";

  /** The kinds read: a {@code ClusterAnalysisTemplate} is read as an AnalysisTemplate. */
  public static final Set<String> KINDS = Set.of("AnalysisTemplate", "ClusterAnalysisTemplate");

  /** Argo Rollouts' AnalysisTemplate fields Weir does not implement, refused by name. */
  private static final Set<String> ARGO_SPEC_REFUSED = Set.of();

  private static final Set<String> ARGO_METRIC =
      Set.of(
          "name",
          "interval",
          "count",
          "initialDelay",
          "successCondition",
          "failureCondition",
          "failureLimit",
          "inconclusiveLimit",
          "consecutiveErrorLimit",
          "provider");

  private static final Set<String> ARGO_METRIC_REFUSED = Set.of("consecutiveSuccessLimit");

  private static final Set<String> ARGO_PROVIDERS_REFUSED =
      Set.of(
          "web",
          "job",
          "datadog",
          "newRelic",
          "wavefront",
          "kayenta",
          "cloudWatch",
          "graphite",
          "influxdb",
          "skywalking",
          "plugin");

  private static final Set<String> ARGO_PROMETHEUS =
      Set.of("address", "query", "timeout", "headers", "insecure", "rangeQuery", "authentication");

  private static final Set<String> ARGO_PROMETHEUS_REFUSED = Set.of();

  /** An HTTP header name (RFC 9110's token). */
  private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

  private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");

  private AnalysisTemplateParser() {}

  /** The outcome: a spec, or at least one error. */
  public sealed interface Result permits Result.Parsed, Result.Invalid {
    /** The template is valid. */
    record Parsed(AnalysisTemplateSpec spec) implements Result {}

    /** The template has problems; all of them are listed. */
    record Invalid(List<AnalysisSpecError> errors) implements Result {
      public Invalid {
        errors = List.copyOf(errors);
      }
    }
  }

  /** Parses {@code manifest}, which must be a {@code weir.dev/v1alpha1} AnalysisTemplate. */
  public static Result parse(Manifest manifest) {
    return new Reading(manifest).read();
  }

  /** Go-style duration ({@code 1m30s}), or empty when malformed. */
  public static Optional<Duration> parseDuration(String text) {
    if (text == null || text.isBlank()) {
      return Optional.empty();
    }
    Matcher matcher = DURATION.matcher(text.trim());
    int end = 0;
    Duration total = Duration.ZERO;
    while (matcher.find() && matcher.start() == end) {
      double amount = Double.parseDouble(matcher.group(1));
      long millis =
          switch (matcher.group(2)) {
            case "ms" -> Math.round(amount);
            case "s" -> Math.round(amount * 1000);
            case "m" -> Math.round(amount * 60_000);
            default -> Math.round(amount * 3_600_000);
          };
      total = total.plusMillis(millis);
      end = matcher.end();
    }
    return end == text.trim().length() && end > 0 ? Optional.of(total) : Optional.empty();
  }

  private static final class Reading {
    private final Manifest manifest;
    private final List<AnalysisSpecError> errors = new ArrayList<>();

    private final boolean argo;

    Reading(Manifest manifest) {
      this.manifest = manifest;
      this.argo = ARGO_API_VERSION.equals(manifest.apiVersion());
    }

    /**
     * Argo's fields: {@code known} read, {@code refused} named as not supported by Weir ({@code
     * prometheus.timeout is not supported by Weir}), any other unknown.
     */
    private void fields(Map<String, Object> body, Set<String> known, Set<String> refused, String at) {
      for (String key : body.keySet()) {
        if (known.contains(key)) {
          continue;
        }
        String parent = at.substring(at.lastIndexOf('.') + 1).replaceAll("\\[\\d+]$", "");
        if (refused.contains(key)) {
          error(at + "." + key, parent + "." + key + " is not supported by Weir");
        } else {
          error(
              at + "." + key,
              "unknown field; known fields here: " + String.join(", ", new java.util.TreeSet<>(known)));
        }
      }
    }

    Result read() {
      if (!KINDS.contains(manifest.kind())) {
        error("kind", "expected AnalysisTemplate, got " + manifest.kind());
      }
      if (!API_VERSION.equals(manifest.apiVersion()) && !argo) {
        error(
            "apiVersion",
            "expected "
                + API_VERSION
                + " or "
                + ARGO_API_VERSION
                + ", got "
                + manifest.apiVersion());
      }
      if (!argo && !"AnalysisTemplate".equals(manifest.kind())) {
        error("kind", manifest.kind() + " is Argo Rollouts' (apiVersion " + ARGO_API_VERSION + ")");
      }
      Map<String, Object> spec = map(manifest.object().get("spec"), "spec");
      if (spec == null) {
        return new Result.Invalid(errors.isEmpty() ? List.of(err("spec", "missing")) : errors);
      }
      if (argo) {
        fields(
            spec,
            Set.of("args", "metrics", "dryRun", "measurementRetention"),
            ARGO_SPEC_REFUSED,
            "spec");
      }
      List<ArgSpec> args = args(spec.get("args"));
      Set<String> argNames = new HashSet<>();
      args.forEach(a -> argNames.add(a.name()));
      ScoringSpec scoring = scoring(spec.get("scoring"));
      List<MetricSpec> metrics = new ArrayList<>();
      Set<String> metricNames = new java.util.LinkedHashSet<>();
      Object rawMetrics = spec.get("metrics");
      if (!(rawMetrics instanceof List<?> list) || list.isEmpty()) {
        error(
            "spec.metrics",
            rawMetrics == null
                ? "missing: a template needs at least one metric"
                : "must be a non-empty list of metrics");
      } else {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
          String field = "spec.metrics[" + i + "]";
          Map<String, Object> metric = map(list.get(i), field);
          if (metric != null) {
            MetricSpec parsed = metric(field, metric, argNames);
            Object name = metric.get("name");
            if (name != null) {
              metricNames.add(String.valueOf(name));
            }
            if (name != null && !names.add(String.valueOf(name))) {
              error(field + ".name", "duplicate metric name \"" + name + "\"");
            }
            if (parsed != null) {
              metrics.add(parsed);
            }
          }
        }
      }
      Set<String> dryRun = new java.util.TreeSet<>();
      Map<String, Integer> retention = new java.util.TreeMap<>();
      selectors(spec.get("dryRun"), "spec.dryRun", metricNames, false)
          .forEach((names, limit) -> dryRun.addAll(names));
      selectors(spec.get("measurementRetention"), "spec.measurementRetention", metricNames, true)
          .forEach((names, limit) -> names.forEach(n -> retention.put(n, limit)));
      if (!errors.isEmpty()) {
        return new Result.Invalid(errors);
      }
      return new Result.Parsed(
          new AnalysisTemplateSpec(
              manifest.name(), args, metrics, scoring, manifest.source(), dryRun, retention));
    }

    /**
     * Argo's {@code dryRun} and {@code measurementRetention}: a list of {@code {metricName}} (a
     * name, or a regular expression such as {@code .*} matching whole names), with a {@code limit}
     * for retention. Each entry's matched metric names, with its limit (0 for dry runs). A name
     * matching no metric is an error: it would silently do nothing.
     */
    private Map<List<String>, Integer> selectors(
        Object raw, String field, Set<String> metricNames, boolean withLimit) {
      Map<List<String>, Integer> out = new java.util.LinkedHashMap<>();
      if (raw == null) {
        return out;
      }
      if (!(raw instanceof List<?> list)) {
        error(field, "must be a list of {metricName" + (withLimit ? ", limit}" : "}"));
        return out;
      }
      for (int i = 0; i < list.size(); i++) {
        String at = field + "[" + i + "]";
        Map<String, Object> entry = map(list.get(i), at);
        if (entry == null) {
          continue;
        }
        fields(
            entry,
            withLimit ? Set.of("metricName", "limit") : Set.of("metricName"),
            Set.of(),
            at);
        String pattern = string(entry, at + ".metricName", true);
        Integer limit = withLimit ? integer(entry, at + ".limit", null, 1) : Integer.valueOf(0);
        if (withLimit && entry.get("limit") == null) {
          error(at + ".limit", "missing");
        }
        if (pattern == null || limit == null) {
          continue;
        }
        java.util.regex.Pattern regex;
        try {
          regex = java.util.regex.Pattern.compile(pattern);
        } catch (java.util.regex.PatternSyntaxException e) {
          error(at + ".metricName", "is not a metric name nor a regular expression: " + pattern);
          continue;
        }
        List<String> matched =
            metricNames.stream().filter(n -> regex.matcher(n).matches()).toList();
        if (matched.isEmpty()) {
          error(
              at + ".metricName",
              pattern + " matches no metric of this template; metrics: " + String.join(", ", metricNames));
          continue;
        }
        out.put(matched, limit);
      }
      return out;
    }

    private List<ArgSpec> args(Object raw) {
      List<ArgSpec> args = new ArrayList<>();
      if (raw == null) {
        return args;
      }
      if (!(raw instanceof List<?> list)) {
        error("spec.args", "must be a list of {name, value}");
        return args;
      }
      for (int i = 0; i < list.size(); i++) {
        String field = "spec.args[" + i + "]";
        Map<String, Object> arg = map(list.get(i), field);
        if (arg == null) {
          continue;
        }
        Optional<ArgSpec.SecretKeyRef> secret = Optional.empty();
        Optional<String> fieldRef = Optional.empty();
        if (argo) {
          fields(arg, Set.of("name", "value", "valueFrom"), Set.of(), field);
          if (arg.get("valueFrom") instanceof Map<?, ?> valueFrom) {
            for (Object key : valueFrom.keySet()) {
              if (!"secretKeyRef".equals(key) && !"fieldRef".equals(key)) {
                error(
                    field + ".valueFrom." + key,
                    "unknown field; known fields here: fieldRef, secretKeyRef");
              }
            }
            if (valueFrom.containsKey("secretKeyRef") && valueFrom.containsKey("fieldRef")) {
              error(field + ".valueFrom", "give one of secretKeyRef and fieldRef, not both");
            }
            secret = secretKeyRef(valueFrom.get("secretKeyRef"), field + ".valueFrom.secretKeyRef");
            fieldRef = fieldRef(valueFrom.get("fieldRef"), field + ".valueFrom.fieldRef");
            if ((secret.isPresent() || fieldRef.isPresent()) && arg.get("value") != null) {
              error(field, "give value or valueFrom, not both");
            }
          } else if (arg.get("valueFrom") != null) {
            error(field + ".valueFrom", "must be a mapping");
          }
        }
        String name = string(arg, field + ".name", true);
        Optional<String> value =
            arg.get("value") == null
                ? Optional.empty()
                : Optional.of(String.valueOf(arg.get("value")));
        if (name != null) {
          args.add(new ArgSpec(name, value, secret, fieldRef));
        }
      }
      return args;
    }

    /**
     * Argo's {@code fieldRef: {fieldPath}}: a field of the Rollout that runs the template, read
     * with the Rollout ({@code RolloutSpecParser}), where a path the Rollout lacks is an error.
     */
    private Optional<String> fieldRef(Object raw, String field) {
      if (raw == null) {
        return Optional.empty();
      }
      Map<String, Object> ref = map(raw, field);
      if (ref == null) {
        return Optional.empty();
      }
      fields(ref, Set.of("fieldPath"), Set.of(), field);
      return Optional.ofNullable(string(ref, field + ".fieldPath", true)).map(String::strip);
    }

    /**
     * Argo's {@code secretKeyRef: {name, key}}: a key of a Secret in the rollout's namespace, read
     * when the run starts (decision 0037).
     */
    private Optional<ArgSpec.SecretKeyRef> secretKeyRef(Object raw, String field) {
      if (raw == null) {
        return Optional.empty();
      }
      Map<String, Object> ref = map(raw, field);
      if (ref == null) {
        return Optional.empty();
      }
      fields(ref, Set.of("name", "key"), Set.of(), field);
      String name = string(ref, field + ".name", true);
      String key = string(ref, field + ".key", true);
      if (name == null || key == null) {
        return Optional.empty();
      }
      return Optional.of(new ArgSpec.SecretKeyRef(name, key));
    }

    private ScoringSpec scoring(Object raw) {
      if (raw == null) {
        return ScoringSpec.DEFAULTS;
      }
      Map<String, Object> scoring = map(raw, "spec.scoring");
      if (scoring == null) {
        return ScoringSpec.DEFAULTS;
      }
      Double marginal =
          number(scoring, "spec.scoring.marginal", ScoringSpec.DEFAULTS.marginal(), 0, 100);
      Double pass = number(scoring, "spec.scoring.pass", ScoringSpec.DEFAULTS.pass(), 0, 100);
      if (marginal == null || pass == null) {
        return ScoringSpec.DEFAULTS;
      }
      if (marginal > pass) {
        error(
            "spec.scoring.marginal",
            "must not be above pass ("
                + Numbers.format(pass)
                + "), got "
                + Numbers.format(marginal));
        return ScoringSpec.DEFAULTS;
      }
      return new ScoringSpec(marginal, pass);
    }

    private MetricSpec metric(String field, Map<String, Object> metric, Set<String> argNames) {
      int before = errors.size();
      if (argo) {
        fields(metric, ARGO_METRIC, ARGO_METRIC_REFUSED, field);
      }
      String name = string(metric, field + ".name", true);
      Optional<Duration> interval = duration(metric, field + ".interval");
      Optional<Duration> initialDelay = duration(metric, field + ".initialDelay");
      Integer count = integer(metric, field + ".count", null, 1);
      int failureLimit = orDefault(integer(metric, field + ".failureLimit", 0, -1), 0);
      int inconclusiveLimit = orDefault(integer(metric, field + ".inconclusiveLimit", 0, -1), 0);
      int consecutiveErrorLimit =
          orDefault(
              integer(
                  metric,
                  field + ".consecutiveErrorLimit",
                  MetricSpec.DEFAULT_CONSECUTIVE_ERROR_LIMIT,
                  0),
              MetricSpec.DEFAULT_CONSECUTIVE_ERROR_LIMIT);
      if (interval.isPresent() && interval.get().isZero()) {
        error(field + ".interval", "must be longer than 0");
      }
      if (count != null && count > 1 && interval.isEmpty() && metric.get("interval") == null) {
        error(field + ".interval", "required when count is more than 1");
      }
      Optional<Condition> success = condition(metric, field + ".successCondition");
      Optional<Condition> failure = condition(metric, field + ".failureCondition");
      Optional<ComparisonSpec> compare = compare(metric.get("compare"), field + ".compare");
      PrometheusQuerySpec prometheus =
          provider(metric.get("provider"), field + ".provider", argNames);
      if (compare.isPresent()) {
        if (metric.get("successCondition") != null || metric.get("failureCondition") != null) {
          error(
              field + ".compare",
              "a comparison metric is judged statistically; remove successCondition and"
                  + " failureCondition");
        }
        if (prometheus != null && prometheus.rangeQuery().isPresent()) {
          error(
              field + ".provider.prometheus.rangeQuery",
              "a comparison metric reads its window with compare.window; remove rangeQuery");
        }
        if (prometheus != null
            && (prometheus.canaryQuery().isEmpty() || prometheus.stableQuery().isEmpty())) {
          error(
              field + ".provider.prometheus",
              "a comparison metric needs canaryQuery and stableQuery");
        }
      } else if (metric.get("compare") == null) {
        if (metric.get("successCondition") == null && metric.get("failureCondition") == null) {
          error(
              field,
              "needs a successCondition or a failureCondition (or a compare block): without one no"
                  + " measurement could ever fail");
        }
        if (prometheus != null && prometheus.query().isEmpty()) {
          error(field + ".provider.prometheus.query", "missing");
        }
      }
      if (errors.size() > before) {
        return null;
      }
      return new MetricSpec(
          name,
          interval,
          Optional.ofNullable(count),
          initialDelay.orElse(Duration.ZERO),
          success,
          failure,
          failureLimit,
          inconclusiveLimit,
          consecutiveErrorLimit,
          compare,
          prometheus);
    }

    private Optional<ComparisonSpec> compare(Object raw, String field) {
      if (raw == null) {
        return Optional.empty();
      }
      Map<String, Object> compare = map(raw, field);
      if (compare == null) {
        return Optional.empty();
      }
      int before = errors.size();
      JudgeSettings defaults = JudgeSettings.DEFAULTS;
      Direction direction = defaults.direction();
      if (compare.get("direction") != null) {
        Optional<Direction> parsed = Direction.fromWord(String.valueOf(compare.get("direction")));
        if (parsed.isEmpty()) {
          error(
              field + ".direction",
              "must be increase, decrease or either, got \"" + compare.get("direction") + "\"");
        } else {
          direction = parsed.get();
        }
      }
      Double effectSize =
          number(compare, field + ".effectSize", defaults.effectSize(), 0, Double.MAX_VALUE);
      Double confidence = number(compare, field + ".confidence", defaults.confidence(), 0, 1);
      if (confidence != null && (confidence <= 0 || confidence >= 1)) {
        error(
            field + ".confidence",
            "must be between 0 and 1 (exclusive), got " + Numbers.format(confidence));
      }
      Integer minSamples = integer(compare, field + ".minSamples", defaults.minSamples(), 2);
      Double weight = number(compare, field + ".weight", 1.0, 0, Double.MAX_VALUE);
      boolean critical = Boolean.TRUE.equals(compare.get("critical"));
      if (compare.get("critical") != null && !(compare.get("critical") instanceof Boolean)) {
        error(field + ".critical", "must be true or false");
      }
      Optional<Duration> window = duration(compare, field + ".window");
      Optional<Duration> step = duration(compare, field + ".step");
      String unit = compare.get("unit") == null ? "" : String.valueOf(compare.get("unit"));
      if (errors.size() > before) {
        return Optional.empty();
      }
      return Optional.of(
          new ComparisonSpec(
              new JudgeSettings(direction, effectSize, confidence, minSamples),
              weight,
              critical,
              window.orElse(ComparisonSpec.DEFAULT_WINDOW),
              step.orElse(ComparisonSpec.DEFAULT_STEP),
              unit));
    }

    private PrometheusQuerySpec provider(Object raw, String field, Set<String> argNames) {
      Map<String, Object> provider = raw == null ? null : map(raw, field);
      if (raw == null) {
        error(field, "missing: a metric needs a provider (prometheus)");
        return null;
      }
      if (provider == null) {
        return null;
      }
      for (String key : provider.keySet()) {
        if (argo && ARGO_PROVIDERS_REFUSED.contains(key)) {
          error(field + "." + key, "provider." + key + " is not supported by Weir");
        } else if (!key.equals("prometheus")) {
          error(field + "." + key, "unsupported provider (supported: prometheus)");
        }
      }
      if (argo && provider.get("prometheus") == null) {
        return null;
      }
      if (provider.get("prometheus") == null && provider.isEmpty()) {
        error(field + ".prometheus", "missing");
      }
      Map<String, Object> prometheus = map(provider.get("prometheus"), field + ".prometheus");
      if (prometheus == null) {
        return null;
      }
      String at = field + ".prometheus";
      if (argo) {
        fields(prometheus, ARGO_PROMETHEUS, ARGO_PROMETHEUS_REFUSED, at);
      }
      Optional<String> address = query(prometheus, at + ".address", argNames);
      address.ifPresent(a -> checkAddress(a, at + ".address"));
      Optional<String> query = query(prometheus, at + ".query", argNames);
      Optional<String> canary = query(prometheus, at + ".canaryQuery", argNames);
      Optional<String> stable = query(prometheus, at + ".stableQuery", argNames);
      // Argo's analysis/prometheus.md: timeout in seconds, per query
      Optional<java.time.Duration> timeout =
          Optional.ofNullable(integer(prometheus, at + ".timeout", null, 1))
              .map(java.time.Duration::ofSeconds);
      List<PrometheusQuerySpec.Header> headers = headers(prometheus.get("headers"), at, argNames);
      Optional<String> insecure = Optional.empty();
      Object rawInsecure = prometheus.get("insecure");
      if (rawInsecure != null && !(rawInsecure instanceof Boolean)) {
        error(at + ".insecure", "must be true or false");
      } else if (Boolean.TRUE.equals(rawInsecure)) {
        insecure = Optional.of(manifest.source() + " " + at + ".insecure");
      }
      Optional<PrometheusQuerySpec.RangeQuery> range =
          rangeQuery(prometheus.get("rangeQuery"), at + ".rangeQuery", argNames);
      Optional<PrometheusQuerySpec.Authentication> authentication =
          authentication(prometheus.get("authentication"), at + ".authentication", argNames);
      if (authentication.isPresent()
          && headers.stream().anyMatch(h -> h.key().equalsIgnoreCase("Authorization"))) {
        error(
            at + ".authentication",
            "give authentication or an Authorization header, not both: each would replace the"
                + " other");
      }
      return new PrometheusQuerySpec(
          address, query, canary, stable, timeout, headers, insecure, range, authentication);
    }

    /**
     * Argo's {@code authentication} (analysis/prometheus.md, "Authorization"): one of {@code
     * basicAuth: {username, password}} and {@code oauth2: {tokenUrl, clientId, clientSecret,
     * scopes}}. {@code sigv4} is refused with the reason (decision 0041).
     */
    private Optional<PrometheusQuerySpec.Authentication> authentication(
        Object raw, String at, Set<String> argNames) {
      if (raw == null) {
        return Optional.empty();
      }
      Map<String, Object> authentication = map(raw, at);
      if (authentication == null) {
        return Optional.empty();
      }
      int before = errors.size();
      for (String key : authentication.keySet()) {
        if (key.equals("sigv4")) {
          error(
              at + ".sigv4",
              "authentication.sigv4 is not supported by Weir: it signs with the AWS credentials of"
                  + " Argo's controller (IRSA), which Weir does not have; put a signing proxy"
                  + " (aws-sigv4-proxy) before Amazon Managed Prometheus and give its address");
        } else if (!key.equals("basicAuth") && !key.equals("oauth2")) {
          error(at + "." + key, "unknown field; known fields here: basicAuth, oauth2, sigv4");
        }
      }
      if (authentication.containsKey("basicAuth") && authentication.containsKey("oauth2")) {
        error(at, "give one of basicAuth and oauth2, not both");
      }
      if (errors.size() > before) {
        return Optional.empty();
      }
      if (authentication.get("basicAuth") != null) {
        String field = at + ".basicAuth";
        Map<String, Object> basic = map(authentication.get("basicAuth"), field);
        if (basic == null) {
          return Optional.empty();
        }
        fields(basic, Set.of("username", "password"), Set.of(), field);
        Optional<String> username = query(basic, field + ".username", argNames);
        Optional<String> password = query(basic, field + ".password", argNames);
        if (username.isEmpty()) {
          error(field + ".username", "missing");
        }
        if (password.isEmpty()) {
          error(field + ".password", "missing, e.g. \"{{args.password}}\" from a secretKeyRef");
        }
        if (username.isPresent() && QueryTemplate.argumentsOf(username.get()).isEmpty()
            && username.get().contains(":")) {
          error(field + ".username", "must not contain ':' (RFC 7617)");
        }
        return errors.size() > before
            ? Optional.empty()
            : Optional.of(
                new PrometheusQuerySpec.Authentication.BasicAuth(username.get(), password.get()));
      }
      if (authentication.get("oauth2") != null) {
        String field = at + ".oauth2";
        Map<String, Object> oauth = map(authentication.get("oauth2"), field);
        if (oauth == null) {
          return Optional.empty();
        }
        fields(oauth, Set.of("tokenUrl", "clientId", "clientSecret", "scopes"), Set.of(), field);
        Optional<String> tokenUrl = query(oauth, field + ".tokenUrl", argNames);
        Optional<String> clientId = query(oauth, field + ".clientId", argNames);
        Optional<String> clientSecret = query(oauth, field + ".clientSecret", argNames);
        for (var part :
            List.of(
                Map.entry("tokenUrl", tokenUrl),
                Map.entry("clientId", clientId),
                Map.entry("clientSecret", clientSecret))) {
          if (part.getValue().isEmpty()) {
            error(field + "." + part.getKey(), "missing");
          }
        }
        tokenUrl.ifPresent(url -> checkTokenUrl(url, field + ".tokenUrl"));
        List<String> scopes = new ArrayList<>();
        Object rawScopes = oauth.get("scopes");
        if (rawScopes instanceof List<?> list) {
          for (int i = 0; i < list.size(); i++) {
            Object scope = list.get(i);
            if (scope == null || scope instanceof Map<?, ?> || scope instanceof List<?>
                || String.valueOf(scope).isBlank()) {
              error(field + ".scopes[" + i + "]", "must be a scope name");
            } else {
              scopes.add(String.valueOf(scope));
            }
          }
        } else if (rawScopes != null) {
          error(field + ".scopes", "must be a list of scope names");
        }
        return errors.size() > before
            ? Optional.empty()
            : Optional.of(
                new PrometheusQuerySpec.Authentication.OAuth2(
                    tokenUrl.get(), clientId.get(), clientSecret.get(), scopes));
      }
      error(at, "give basicAuth or oauth2");
      return Optional.empty();
    }

    /** A token URL without placeholders must be an http(s) URL without credentials in it. */
    private void checkTokenUrl(String url, String field) {
      if (!QueryTemplate.argumentsOf(url).isEmpty()) {
        return;
      }
      java.net.URI uri;
      try {
        uri = new java.net.URI(url.strip());
      } catch (java.net.URISyntaxException e) {
        error(field, "not a URL: " + e.getReason());
        return;
      }
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())
          || uri.getHost() == null) {
        error(field, "must be an http:// or https:// URL, e.g. https://idp.example.com/oauth2/token");
      } else if (uri.getRawUserInfo() != null) {
        error(field, "must not carry credentials; give them in clientId and clientSecret");
      }
    }

    /** Argo's {@code headers: [{key, value}]}, sent with every query of the metric. */
    private List<PrometheusQuerySpec.Header> headers(
        Object raw, String at, Set<String> argNames) {
      List<PrometheusQuerySpec.Header> headers = new ArrayList<>();
      if (raw == null) {
        return headers;
      }
      if (!(raw instanceof List<?> list)) {
        error(at + ".headers", "must be a list of {key, value}");
        return headers;
      }
      for (int i = 0; i < list.size(); i++) {
        String field = at + ".headers[" + i + "]";
        Map<String, Object> header = map(list.get(i), field);
        if (header == null) {
          continue;
        }
        fields(header, Set.of("key", "value"), Set.of(), field);
        String key = string(header, field + ".key", true);
        Optional<String> value = query(header, field + ".value", argNames);
        if (key != null && !HEADER_NAME.matcher(key).matches()) {
          error(field + ".key", "not an HTTP header name: \"" + key + "\"");
        } else if (key != null && value.isEmpty()) {
          error(field + ".value", "missing");
        } else if (key != null) {
          headers.add(new PrometheusQuerySpec.Header(key, value.get()));
        }
      }
      return headers;
    }

    /** Argo's {@code rangeQuery: {start, end, step}} (analysis/prometheus.md, "Range queries"). */
    private Optional<PrometheusQuerySpec.RangeQuery> rangeQuery(
        Object raw, String at, Set<String> argNames) {
      if (raw == null) {
        return Optional.empty();
      }
      Map<String, Object> range = map(raw, at);
      if (range == null) {
        return Optional.empty();
      }
      int before = errors.size();
      fields(range, Set.of("start", "end", "step"), Set.of(), at);
      Optional<String> start = query(range, at + ".start", argNames);
      Optional<String> end = query(range, at + ".end", argNames);
      Optional<java.time.Duration> step = duration(range, at + ".step");
      for (var part : List.of(Map.entry("start", start), Map.entry("end", end))) {
        if (part.getValue().isEmpty()) {
          error(at + "." + part.getKey(), "missing, e.g. now() - duration(\"5m\")");
        } else {
          RangeTime.problem(part.getValue().get()).ifPresent(p -> error(at + "." + part.getKey(), p));
        }
      }
      if (range.get("step") == null) {
        error(at + ".step", "missing, e.g. 1m");
      } else if (step.isPresent() && step.get().isZero()) {
        error(at + ".step", "must be longer than 0");
      }
      if (errors.size() > before) {
        return Optional.empty();
      }
      return Optional.of(new PrometheusQuerySpec.RangeQuery(start.get(), end.get(), step.get()));
    }

    /** An address without placeholders must be a URL Weir can query; credentials never go in it. */
    private void checkAddress(String address, String field) {
      if (!QueryTemplate.argumentsOf(address).isEmpty()) {
        return;
      }
      java.net.URI uri;
      try {
        uri = new java.net.URI(address.strip());
      } catch (java.net.URISyntaxException e) {
        error(field, "not a URL: " + e.getReason());
        return;
      }
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())
          || uri.getHost() == null) {
        error(field, "must be an http:// or https:// URL, e.g. http://prometheus.monitoring:9090");
      } else if (uri.getRawUserInfo() != null) {
        error(
            field,
            "must not carry credentials; give them in WEIR_PROMETHEUS_TOKEN(_FILE) or"
                + " WEIR_PROMETHEUS_USERNAME and WEIR_PROMETHEUS_PASSWORD(_FILE)");
      }
    }

    private Optional<String> query(
        Map<String, Object> prometheus, String field, Set<String> argNames) {
      String query = string(prometheus, field, false);
      if (query == null) {
        return Optional.empty();
      }
      for (String arg : QueryTemplate.argumentsOf(query)) {
        if (!argNames.contains(arg)) {
          error(
              field,
              "uses {{args." + arg + "}} but spec.args declares no argument \"" + arg + "\"");
        }
      }
      return Optional.of(query);
    }

    private Optional<Condition> condition(Map<String, Object> metric, String field) {
      Object raw = metric.get(field.substring(field.lastIndexOf('.') + 1));
      if (raw == null) {
        return Optional.empty();
      }
      return switch (Condition.compile(String.valueOf(raw))) {
        case Condition.Compiled.Ok ok -> Optional.of(ok.condition());
        case Condition.Compiled.Invalid invalid -> {
          error(field, "invalid condition `" + raw + "`: " + invalid.message());
          yield Optional.empty();
        }
      };
    }

    private Optional<Duration> duration(Map<String, Object> map, String field) {
      Object raw = map.get(key(field));
      if (raw == null) {
        return Optional.empty();
      }
      Optional<Duration> parsed = parseDuration(String.valueOf(raw));
      if (parsed.isEmpty()) {
        error(field, "not a duration: \"" + raw + "\" (use e.g. 30s, 1m, 1h30m)");
      }
      return parsed;
    }

    private Integer integer(Map<String, Object> map, String field, Integer fallback, int minimum) {
      Object raw = map.get(key(field));
      if (raw == null) {
        return fallback;
      }
      if (!(raw instanceof Integer || raw instanceof Long)
          || ((Number) raw).longValue() > Integer.MAX_VALUE) {
        error(field, "must be a whole number, got \"" + raw + "\"");
        return fallback;
      }
      int value = ((Number) raw).intValue();
      if (value < minimum) {
        error(field, "must be at least " + minimum + ", got " + value);
        return fallback;
      }
      return value;
    }

    private Double number(
        Map<String, Object> map, String field, double fallback, double minimum, double maximum) {
      Object raw = map.get(key(field));
      if (raw == null) {
        return fallback;
      }
      if (!(raw instanceof Number number) || !Double.isFinite(number.doubleValue())) {
        error(field, "must be a number, got \"" + raw + "\"");
        return null;
      }
      double value = number.doubleValue();
      if (value < minimum || value > maximum) {
        error(
            field,
            "must be between "
                + Numbers.format(minimum)
                + " and "
                + Numbers.format(maximum)
                + ", got "
                + Numbers.format(value));
        return null;
      }
      return value;
    }

    private String string(Map<String, Object> map, String field, boolean required) {
      Object raw = map.get(key(field));
      if (raw == null || String.valueOf(raw).isBlank()) {
        if (required) {
          error(field, "missing");
        }
        return null;
      }
      if (raw instanceof Map<?, ?> || raw instanceof List<?>) {
        error(field, "must be a string");
        return null;
      }
      return String.valueOf(raw);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> map(Object raw, String field) {
      if (raw instanceof Map<?, ?> map) {
        return (Map<String, Object>) map;
      }
      if (raw == null) {
        return null;
      }
      error(field, "must be a mapping");
      return null;
    }

    private static String key(String field) {
      return field.substring(field.lastIndexOf('.') + 1);
    }

    private static int orDefault(Integer value, int fallback) {
      return value == null ? fallback : value;
    }

    private void error(String field, String message) {
      errors.add(err(field, message));
    }

    private AnalysisSpecError err(String field, String message) {
      return new AnalysisSpecError(manifest.source(), field, message);
    }
  }
}
