package dev.weir.sandbox.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The PromQL query shapes the sandbox answers — those analysis templates use — recognised and
 * evaluated over {@link TrafficMetrics}. This is not a PromQL implementation; the grammar is:
 *
 * <pre>
 * query     := operand [ ('/' | '*' | '+' | '-') operand ]
 * operand   := aggregate | quantile | range | selector | number | '(' query ')'
 * aggregate := 'sum' [ 'by' '(' labels ')' ] '(' range | selector ')' [ 'by' '(' labels ')' ]
 * quantile  := 'histogram_quantile' '(' number ',' aggregate ')'      -- the aggregate keeps le
 * range     := ('rate' | 'increase') '(' selector '[' duration ']' ')'
 * selector  := metric [ '{' label ('=' | '!=' | '=~' | '!~') string, … '}' ]
 * </pre>
 *
 * Metrics: {@code http_requests_total}, {@code http_request_duration_seconds_bucket}, {@code _sum},
 * {@code _count}, {@code conversions_total}, with the labels of the {@code /metrics} exposition
 * ({@link TrafficMetrics#exposition()}): {@code namespace}, {@code service}, {@code version},
 * {@code rollouts_weir_dev_pod_template_hash}, {@code code}, {@code le}; a label a series lacks matches as {@code
 * ""}. Vector-to-vector operators match series with identical labels but the metric name
 * (one-to-one); a number applies to every series. {@code rate} is the increase over the window
 * divided by the part of the window the series existed (no extrapolation). A bare selector is the
 * counters' values at the instant, as Prometheus would have scraped them (its {@code __name__}
 * label included), for five minutes after the last simulated second.
 *
 * <p>Immutable and thread-safe once parsed.
 */
public final class SandboxQuery {
  /** The shapes, for error messages and documentation. */
  public static final String SHAPES =
      "sum [by (labels)] (rate|increase(metric{matchers}[window])) or sum [by (labels)]"
          + " (metric{matchers}), a ratio or product of two such sums, histogram_quantile(q, sum by"
          + " (le) (rate(..._bucket{…}[window])))";

  /** A parsed query node. */
  sealed interface Expr permits Binary, Aggregate, Quantile, RangeFunction, NumberLiteral {}

  record Binary(char op, Expr left, Expr right) implements Expr {}

  record Aggregate(List<String> by, RangeFunction inner) implements Expr {}

  record Quantile(double q, Aggregate inner) implements Expr {}

  /** {@code rate} or {@code increase} over {@code window} seconds; a bare {@code selector}: 0. */
  record RangeFunction(String function, String metric, List<Matcher> matchers, long window)
      implements Expr {}

  record NumberLiteral(double value) implements Expr {}

  record Matcher(String label, String op, String value, Pattern pattern) {
    boolean matches(Map<String, String> labels) {
      String actual = labels.getOrDefault(label, "");
      return switch (op) {
        case "=" -> actual.equals(value);
        case "!=" -> !actual.equals(value);
        case "=~" -> pattern.matcher(actual).matches();
        default -> !pattern.matcher(actual).matches();
      };
    }
  }

  /** One result series: its labels and value. */
  public record Sample(Map<String, String> labels, double value) {}

  /** A query outside the recognised shapes, with where it stopped making sense. */
  public static final class UnsupportedQueryException extends Exception {
    UnsupportedQueryException(String message) {
      super(message);
    }
  }

  private final String text;
  private final Expr root;

  private SandboxQuery(String text, Expr root) {
    this.text = text;
    this.root = root;
  }

  /** Parses {@code query}; throws, naming the column, when it is not one of the shapes. */
  public static SandboxQuery parse(String query) throws UnsupportedQueryException {
    Parser parser = new Parser(query);
    Expr root = parser.query();
    parser.skipSpace();
    if (parser.pos < query.length()) {
      throw parser.error(
          "unexpected '"
              + query.substring(parser.pos, Math.min(query.length(), parser.pos + 12))
              + "'");
    }
    return new SandboxQuery(query, root);
  }

  public String text() {
    return text;
  }

  /**
   * Evaluates the query at second {@code at} (epoch seconds). A scalar result is one sample with no
   * labels; an empty list means no data (as Prometheus's empty vector).
   */
  public List<Sample> evaluate(TrafficMetrics metrics, long at) {
    Result result = eval(root, metrics, at);
    if (result.scalar != null) {
      return List.of(new Sample(Map.of(), result.scalar));
    }
    return result.vector;
  }

  /** Whether the result is a scalar (a number literal or arithmetic on numbers only). */
  public boolean scalar() {
    return isScalar(root);
  }

  private static boolean isScalar(Expr expr) {
    return switch (expr) {
      case NumberLiteral n -> true;
      case Binary b -> isScalar(b.left()) && isScalar(b.right());
      default -> false;
    };
  }

  private record Result(Double scalar, List<Sample> vector) {}

  private static Result eval(Expr expr, TrafficMetrics metrics, long at) {
    return switch (expr) {
      case NumberLiteral n -> new Result(n.value(), null);
      case RangeFunction f -> new Result(null, raw(f, metrics, at));
      case Aggregate a -> new Result(null, sum(a.by(), raw(a.inner(), metrics, at)));
      case Quantile q ->
          new Result(
              null, quantile(q.q(), sum(q.inner().by(), raw(q.inner().inner(), metrics, at))));
      case Binary b -> binary(b.op(), eval(b.left(), metrics, at), eval(b.right(), metrics, at));
    };
  }

  private static Result binary(char op, Result left, Result right) {
    if (left.scalar != null && right.scalar != null) {
      return new Result(apply(op, left.scalar, right.scalar), null);
    }
    List<Sample> out = new ArrayList<>();
    if (left.scalar != null || right.scalar != null) {
      List<Sample> vector = left.scalar != null ? right.vector : left.vector;
      for (Sample s : vector) {
        double value =
            left.scalar != null
                ? apply(op, left.scalar, s.value())
                : apply(op, s.value(), right.scalar);
        out.add(new Sample(s.labels(), value));
      }
      return new Result(null, out);
    }
    Map<Map<String, String>, Double> rights = new LinkedHashMap<>();
    right.vector.forEach(s -> rights.put(withoutName(s.labels()), s.value()));
    for (Sample s : left.vector) {
      Map<String, String> labels = withoutName(s.labels());
      Double other = rights.get(labels);
      if (other != null) {
        out.add(new Sample(labels, apply(op, s.value(), other)));
      }
    }
    return new Result(null, out);
  }

  private static Map<String, String> withoutName(Map<String, String> labels) {
    if (!labels.containsKey("__name__")) {
      return labels;
    }
    Map<String, String> out = new TreeMap<>(labels);
    out.remove("__name__");
    return Map.copyOf(out);
  }

  private static double apply(char op, double a, double b) {
    return switch (op) {
      case '/' -> a / b;
      case '*' -> a * b;
      case '+' -> a + b;
      default -> a - b;
    };
  }

  /**
   * The per-second rate (or increase) of every raw series of the function's metric that matches.
   */
  private static List<Sample> raw(RangeFunction f, TrafficMetrics metrics, long at) {
    long last = metrics.lastSecond();
    List<Sample> out = new ArrayList<>();
    if (last == Long.MIN_VALUE) {
      return out;
    }
    boolean selector = f.function().equals("selector");
    long to = at;
    long shifted = at - f.window();
    if (!selector && to > last && to - last <= TrafficMetrics.LOOKBACK_SECONDS) {
      shifted -= to - last;
      to = last;
    }
    long from = shifted;
    long end = to;
    Reading read =
        selector
            ? (k, stream, index) -> metrics.valueAt(k, stream, index, at)
            : (k, stream, index) -> metrics.increase(k, stream, index, from, end);
    String metric = f.metric();
    for (SeriesKey key : metrics.keys()) {
      Map<String, String> base = new TreeMap<>();
      base.put("namespace", key.namespace());
      base.put("service", key.service());
      if (!key.version().isEmpty()) {
        base.put("version", key.version());
      }
      if (!key.templateHash().isEmpty()) {
        base.put(SeriesKey.TEMPLATE_HASH_LABEL, key.templateHash());
      }
      if (!key.variant().isEmpty()) {
        base.put(SeriesKey.VARIANT_LABEL, key.variant());
      }
      if (selector) {
        base.put("__name__", metric);
      }
      switch (metric) {
        case "http_requests_total" -> {
          long[] totals = metrics.requestTotals(key);
          for (int c = 0; c < TrafficMetrics.CODES.size(); c++) {
            if (totals == null || totals[c] == 0) {
              continue;
            }
            Map<String, String> labels = new TreeMap<>(base);
            labels.put("code", TrafficMetrics.CODES.get(c));
            final int code = c;
            add(
                out,
                f,
                labels,
                metrics,
                key,
                from,
                to,
                read,
                (r, k) -> r.of(k, TrafficMetrics.Stream.REQUESTS, code));
          }
        }
        case "http_request_duration_seconds_bucket" -> {
          if (key.version().isEmpty()) {
            continue;
          }
          for (int b = 0; b < TrafficMetrics.BUCKET_COUNT; b++) {
            Map<String, String> labels = new TreeMap<>(base);
            labels.put(
                "le",
                b < TrafficMetrics.BUCKETS.length
                    ? TrafficMetrics.number(TrafficMetrics.BUCKETS[b])
                    : "+Inf");
            final int upTo = b;
            add(
                out,
                f,
                labels,
                metrics,
                key,
                from,
                to,
                read,
                (r, k) -> {
                  double total = 0;
                  for (int i = 0; i <= upTo; i++) {
                    total += r.of(k, TrafficMetrics.Stream.BUCKET, i);
                  }
                  return total;
                });
          }
        }
        case "http_request_duration_seconds_count" -> {
          if (!key.version().isEmpty()) {
            add(
                out,
                f,
                base,
                metrics,
                key,
                from,
                to,
                read,
                (r, k) -> {
                  double total = 0;
                  for (int i = 0; i < TrafficMetrics.BUCKET_COUNT; i++) {
                    total += r.of(k, TrafficMetrics.Stream.BUCKET, i);
                  }
                  return total;
                });
          }
        }
        case "http_request_duration_seconds_sum" -> {
          if (!key.version().isEmpty()) {
            add(
                out,
                f,
                base,
                metrics,
                key,
                from,
                to,
                read,
                (r, k) -> r.of(k, TrafficMetrics.Stream.LATENCY_SUM, 0));
          }
        }
        case "conversions_total" -> {
          if (!key.version().isEmpty()) {
            add(
                out,
                f,
                base,
                metrics,
                key,
                from,
                to,
                read,
                (r, k) -> r.of(k, TrafficMetrics.Stream.CONVERSIONS, 0));
          }
        }
        default -> {
          // an unknown metric has no series, as in Prometheus
        }
      }
    }
    return out;
  }

  /** One stream of a series: its increase over the window, or its value at the instant. */
  private interface Reading {
    double of(SeriesKey key, TrafficMetrics.Stream stream, int index);
  }

  /** A metric's value for one series from its streams. */
  private interface Value {
    double of(Reading read, SeriesKey key);
  }

  private static void add(
      List<Sample> out,
      RangeFunction f,
      Map<String, String> labels,
      TrafficMetrics metrics,
      SeriesKey key,
      long from,
      long to,
      Reading read,
      Value metric) {
    for (Matcher matcher : f.matchers()) {
      if (!matcher.matches(labels)) {
        return;
      }
    }
    double value = metric.of(read, key);
    if (Double.isNaN(value)) {
      return;
    }
    if (f.function().equals("rate")) {
      long covered =
          Math.max(1, Math.min(f.window(), to - Math.max(from, metrics.firstSecond(key) - 1)));
      value = value / covered;
    }
    out.add(new Sample(Map.copyOf(labels), value));
  }

  private static List<Sample> sum(List<String> by, List<Sample> input) {
    Map<Map<String, String>, Double> groups = new TreeMap<>(SandboxQuery::compareLabels);
    for (Sample sample : input) {
      Map<String, String> key = new TreeMap<>();
      for (String label : by) {
        String value = sample.labels().get(label);
        if (value != null) {
          key.put(label, value);
        }
      }
      groups.merge(key, sample.value(), Double::sum);
    }
    List<Sample> out = new ArrayList<>();
    groups.forEach((labels, value) -> out.add(new Sample(Map.copyOf(labels), value)));
    return out;
  }

  private static int compareLabels(Map<String, String> a, Map<String, String> b) {
    return a.toString().compareTo(b.toString());
  }

  /** Prometheus's histogram_quantile: linear interpolation inside the bucket holding the rank. */
  private static List<Sample> quantile(double q, List<Sample> buckets) {
    Map<Map<String, String>, TreeMap<Double, Double>> groups =
        new TreeMap<>(SandboxQuery::compareLabels);
    for (Sample sample : buckets) {
      String le = sample.labels().get("le");
      if (le == null) {
        continue;
      }
      Map<String, String> key = new TreeMap<>(sample.labels());
      key.remove("le");
      double bound = le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
      groups
          .computeIfAbsent(Map.copyOf(key), k -> new TreeMap<>())
          .merge(bound, sample.value(), Double::sum);
    }
    List<Sample> out = new ArrayList<>();
    for (var group : groups.entrySet()) {
      TreeMap<Double, Double> counts = group.getValue();
      Double total = counts.get(Double.POSITIVE_INFINITY);
      double value;
      if (q < 0) {
        value = Double.NEGATIVE_INFINITY;
      } else if (q > 1) {
        value = Double.POSITIVE_INFINITY;
      } else if (total == null || counts.size() < 2 || total == 0) {
        value = Double.NaN;
      } else {
        double rank = q * total;
        double lowerBound = 0;
        double lowerCount = 0;
        value = Double.NaN;
        for (var bucket : counts.entrySet()) {
          if (bucket.getValue() >= rank) {
            if (bucket.getKey() == Double.POSITIVE_INFINITY) {
              value = lowerBound;
            } else {
              double inBucket = bucket.getValue() - lowerCount;
              value =
                  inBucket <= 0
                      ? bucket.getKey()
                      : lowerBound
                          + (bucket.getKey() - lowerBound) * (rank - lowerCount) / inBucket;
            }
            break;
          }
          lowerBound = bucket.getKey();
          lowerCount = bucket.getValue();
        }
      }
      out.add(new Sample(group.getKey(), value));
    }
    return out;
  }

  // ---- parsing ----

  private static final class Parser {
    private final String text;
    private int pos;

    Parser(String text) {
      this.text = text;
    }

    Expr query() throws UnsupportedQueryException {
      Expr left = operand();
      skipSpace();
      if (pos < text.length() && "/*+-".indexOf(text.charAt(pos)) >= 0) {
        char op = text.charAt(pos++);
        Expr right = operand();
        return new Binary(op, left, right);
      }
      return left;
    }

    private Expr operand() throws UnsupportedQueryException {
      skipSpace();
      if (peek('(')) {
        pos++;
        Expr inner = query();
        expect(')');
        return inner;
      }
      if (pos < text.length() && (Character.isDigit(text.charAt(pos)) || text.charAt(pos) == '.')) {
        return new NumberLiteral(number());
      }
      int start = pos;
      String name = identifier();
      switch (name) {
        case "sum" -> {
          return aggregate();
        }
        case "histogram_quantile" -> {
          expect('(');
          double q = number();
          expect(',');
          skipSpace();
          int at = pos;
          if (!identifier().equals("sum")) {
            pos = at;
            throw error(
                "histogram_quantile needs sum by (le) (rate(…_bucket[…])) as its second argument");
          }
          Aggregate inner = aggregate();
          if (!inner.by().contains("le")) {
            throw error("histogram_quantile needs the sum to keep le: sum by (le) (…)");
          }
          expect(')');
          return new Quantile(q, inner);
        }
        case "rate", "increase" -> {
          return range(name);
        }
        default -> {
          if (!name.isEmpty() && !followedBy('(')) {
            pos = start;
            return selector();
          }
          pos = start;
          throw error(
              (name.isEmpty() ? "a query" : "'" + name + "'")
                  + " is not one of the shapes the sandbox answers: "
                  + SHAPES);
        }
      }
    }

    private Aggregate aggregate() throws UnsupportedQueryException {
      List<String> by = List.of();
      skipSpace();
      if (lookingAt("by") || lookingAt("without")) {
        by = grouping();
      }
      expect('(');
      skipSpace();
      int start = pos;
      String function = identifier();
      RangeFunction inner;
      if (function.equals("rate") || function.equals("increase")) {
        inner = range(function);
      } else if (!function.isEmpty() && !followedBy('(')) {
        pos = start;
        inner = selector();
      } else {
        pos = start;
        throw error("sum(…) must wrap rate(…), increase(…) or a metric{…}");
      }
      expect(')');
      skipSpace();
      if (lookingAt("by") || lookingAt("without")) {
        by = grouping();
      }
      return new Aggregate(by, inner);
    }

    private List<String> grouping() throws UnsupportedQueryException {
      int start = pos;
      String word = identifier();
      if (word.equals("without")) {
        pos = start;
        throw error("'without' is not supported; use 'by'");
      }
      expect('(');
      List<String> labels = new ArrayList<>();
      skipSpace();
      while (!peek(')')) {
        labels.add(identifier());
        skipSpace();
        if (peek(',')) {
          pos++;
          skipSpace();
        }
      }
      expect(')');
      return List.copyOf(labels);
    }

    /** Whether the next character after spaces is {@code c}, without moving on. */
    private boolean followedBy(char c) {
      int at = pos;
      skipSpace();
      boolean next = peek(c);
      pos = at;
      return next;
    }

    private RangeFunction selector() throws UnsupportedQueryException {
      RangeFunction parsed = selectorParts("selector");
      skipSpace();
      if (peek('[')) {
        throw error("a range vector needs rate(…) or increase(…) around it");
      }
      return parsed;
    }

    private RangeFunction range(String function) throws UnsupportedQueryException {
      expect('(');
      skipSpace();
      RangeFunction selector = selectorParts(function);
      skipSpace();
      expect('[');
      int close = text.indexOf(']', pos);
      if (close < 0) {
        throw error("']' is expected");
      }
      long window = duration(text.substring(pos, close).trim());
      pos = close + 1;
      expect(')');
      return new RangeFunction(function, selector.metric(), selector.matchers(), window);
    }

    /** {@code metric{matchers}}, with window 0. */
    private RangeFunction selectorParts(String function) throws UnsupportedQueryException {
      skipSpace();
      String metric = identifier();
      if (metric.isEmpty()) {
        throw error("a metric name is expected");
      }
      List<Matcher> matchers = new ArrayList<>();
      skipSpace();
      if (peek('{')) {
        pos++;
        skipSpace();
        while (!peek('}')) {
          String label = identifier();
          skipSpace();
          String op;
          if (text.startsWith("=~", pos)
              || text.startsWith("!~", pos)
              || text.startsWith("!=", pos)) {
            op = text.substring(pos, pos + 2);
            pos += 2;
          } else if (peek('=')) {
            op = "=";
            pos++;
          } else {
            throw error("a label matcher (=, !=, =~, !~) is expected");
          }
          skipSpace();
          String value = string();
          Pattern pattern = null;
          if (op.endsWith("~")) {
            try {
              pattern = Pattern.compile(value);
            } catch (PatternSyntaxException e) {
              throw error("bad regular expression " + value);
            }
          }
          matchers.add(new Matcher(label, op, value, pattern));
          skipSpace();
          if (peek(',')) {
            pos++;
            skipSpace();
          }
        }
        pos++;
      }
      return new RangeFunction(function, metric, List.copyOf(matchers), 0);
    }

    private long duration(String value) throws UnsupportedQueryException {
      var m = Pattern.compile("(\\d+)(ms|s|m|h|d)").matcher(value);
      long seconds = 0;
      int end = 0;
      while (m.find() && m.start() == end) {
        long amount = Long.parseLong(m.group(1));
        seconds +=
            switch (m.group(2)) {
              case "ms" -> amount / 1000;
              case "m" -> amount * 60;
              case "h" -> amount * 3600;
              case "d" -> amount * 86400;
              default -> amount;
            };
        end = m.end();
      }
      if (end != value.length() || seconds <= 0) {
        throw error("'" + value + "' is not a range such as 1m or 30s");
      }
      return seconds;
    }

    private String string() throws UnsupportedQueryException {
      if (!peek('"') && !peek('\'')) {
        throw error("a quoted string is expected");
      }
      char quote = text.charAt(pos++);
      StringBuilder out = new StringBuilder();
      while (pos < text.length() && text.charAt(pos) != quote) {
        char c = text.charAt(pos++);
        if (c == '\\' && pos < text.length()) {
          char next = text.charAt(pos++);
          out.append(next == 'n' ? '\n' : next);
        } else {
          out.append(c);
        }
      }
      if (pos >= text.length()) {
        throw error("the string is not closed");
      }
      pos++;
      return out.toString();
    }

    private double number() throws UnsupportedQueryException {
      skipSpace();
      int start = pos;
      while (pos < text.length()
          && (Character.isDigit(text.charAt(pos)) || ".eE+-".indexOf(text.charAt(pos)) >= 0)) {
        if ((text.charAt(pos) == '+' || text.charAt(pos) == '-')
            && pos > start
            && "eE".indexOf(text.charAt(pos - 1)) < 0) {
          break;
        }
        pos++;
      }
      try {
        return Double.parseDouble(text.substring(start, pos));
      } catch (NumberFormatException e) {
        pos = start;
        throw error("a number is expected");
      }
    }

    private String identifier() {
      skipSpace();
      int start = pos;
      while (pos < text.length()) {
        char c = text.charAt(pos);
        if (Character.isLetterOrDigit(c) || c == '_' || c == ':') {
          pos++;
        } else {
          break;
        }
      }
      return text.substring(start, pos);
    }

    private boolean lookingAt(String word) {
      return text.startsWith(word, pos)
          && (pos + word.length() >= text.length()
              || !Character.isLetterOrDigit(text.charAt(pos + word.length())));
    }

    private boolean peek(char c) {
      return pos < text.length() && text.charAt(pos) == c;
    }

    private void expect(char c) throws UnsupportedQueryException {
      skipSpace();
      if (!peek(c)) {
        throw error("'" + c + "' is expected");
      }
      pos++;
    }

    void skipSpace() {
      while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
        pos++;
      }
    }

    UnsupportedQueryException error(String message) {
      return new UnsupportedQueryException(
          String.format(Locale.ROOT, "column %d: %s", pos + 1, message));
    }
  }
}
