package dev.weir.sandbox.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.sandbox.Draws;
import dev.weir.sandbox.traffic.TrafficFlow;
import dev.weir.sandbox.traffic.VersionProfile;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.BiFunction;

/**
 * The sandbox's simulated request metrics: for every service and version, requests by status code,
 * a latency histogram and conversions — as counters since the start and as per-second history for
 * queries.
 *
 * <p>Design note: traffic is simulated one second at a time as aggregate draws, never per request.
 * A second of one flow is a Poisson draw of its request count, split over 404 (no route), 503 (no
 * endpoint) and the serving versions by binomial draws, and per version into errors, conversions
 * and histogram buckets likewise; the draws come from a generator seeded by (seed, second, flow),
 * so a second's traffic is the same in every run whatever happened before, and 10,000 requests per
 * second cost a few hundred draws. History is a ring of {@code retention} seconds of increments per
 * series (about 100 bytes a second); queries sum increments over their window.
 *
 * <p>Thread-safe: every method is synchronized; simulation runs on the clock's thread, queries and
 * the {@code /metrics} endpoint on request threads.
 */
public final class TrafficMetrics {
  /** The histogram's bucket bounds in seconds (le), +Inf implied. */
  public static final double[] BUCKETS = {
    0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.75, 1, 2.5, 5, 10
  };

  /** The status codes, in the order of the counters. */
  public static final List<String> CODES = List.of("200", "404", "500", "503");

  static final int OK = 0;
  static final int NOT_FOUND = 1;
  static final int ERROR = 2;
  static final int UNAVAILABLE = 3;
  static final int BUCKET_COUNT = BUCKETS.length + 1;
  private static final int SLOT_INTS = CODES.size() + BUCKET_COUNT + 1;

  /** One series: totals and a ring of per-second increments. */
  static final class Series {
    final SeriesKey key;
    long firstSecond;
    long lastActive;
    final long[] codes = new long[CODES.size()];
    final long[] buckets = new long[BUCKET_COUNT];
    double latencySum;
    long conversions;
    final long[] slotSecond;
    final int[] slots; // per slot: codes, buckets, conversions
    final double[] slotSum;

    Series(SeriesKey key, int retention, long firstSecond) {
      this.key = key;
      this.firstSecond = firstSecond;
      this.lastActive = firstSecond;
      this.slotSecond = new long[retention];
      java.util.Arrays.fill(slotSecond, Long.MIN_VALUE);
      this.slots = new int[retention * SLOT_INTS];
      this.slotSum = new double[retention];
    }

    int slotOf(long second) {
      return (int) Math.floorMod(second, (long) slotSecond.length);
    }

    void open(long second) {
      int slot = slotOf(second);
      if (slotSecond[slot] != second) {
        slotSecond[slot] = second;
        java.util.Arrays.fill(slots, slot * SLOT_INTS, (slot + 1) * SLOT_INTS, 0);
        slotSum[slot] = 0;
      }
    }

    void add(long second, int code, int count) {
      if (count == 0) {
        return;
      }
      codes[code] += count;
      slots[slotOf(second) * SLOT_INTS + code] += count;
      lastActive = second;
    }

    void addBucket(long second, int bucket, int count, double sum) {
      buckets[bucket] += count;
      slots[slotOf(second) * SLOT_INTS + CODES.size() + bucket] += count;
      latencySum += sum;
      slotSum[slotOf(second)] += sum;
    }

    void addConversions(long second, int count) {
      conversions += count;
      slots[slotOf(second) * SLOT_INTS + CODES.size() + BUCKET_COUNT] += count;
    }
  }

  private final long seed;
  private final int retention;
  private final TreeMap<SeriesKey, Series> series = new TreeMap<>();
  private final Map<VersionProfile, double[]> bucketShares = new HashMap<>();
  private long lastSecond = Long.MIN_VALUE;

  /**
   * @param seed the seed of every draw
   * @param retentionSeconds how many seconds of history queries can see
   */
  public TrafficMetrics(long seed, int retentionSeconds) {
    if (retentionSeconds < 60) {
      throw new IllegalArgumentException("retention must be at least 60 s");
    }
    this.seed = seed;
    this.retention = retentionSeconds;
  }

  /** The last second simulated (epoch seconds), or {@code Long.MIN_VALUE} before the first. */
  public synchronized long lastSecond() {
    return lastSecond;
  }

  public int retentionSeconds() {
    return retention;
  }

  /**
   * Simulates second {@code second} (epoch seconds) of {@code flows}; {@code faults} gives the
   * fault active on a (namespace, service) at that second, or null. Seconds must increase; a second
   * already simulated is ignored.
   */
  public synchronized void simulate(
      long second, List<TrafficFlow> flows, BiFunction<String, String, Fault> faults) {
    if (second <= lastSecond) {
      return;
    }
    lastSecond = second;
    for (Series s : series.values()) {
      s.open(second);
    }
    for (TrafficFlow flow : flows) {
      simulateFlow(second, flow, faults.apply(flow.namespace(), flow.service()));
    }
    series
        .values()
        .removeIf(s -> s.lastActive < second - retention && s.firstSecond < second - retention);
  }

  private void simulateFlow(long second, TrafficFlow flow, Fault fault) {
    long flowHash = Draws.hash(0, flow.namespace(), flow.service());
    SplittableRandom random = Draws.random(seed, second, flowHash);
    int requests = Draws.poisson(random, flow.rate());
    int notFound = Draws.binomial(random, requests, flow.unroutable());
    int rest = requests - notFound;
    double remaining = 1 - flow.unroutable();
    int unavailable =
        remaining <= 0
            ? rest
            : Draws.binomial(random, rest, Math.min(1, flow.unavailable() / remaining));
    rest -= unavailable;
    remaining -= flow.unavailable();
    if (notFound + unavailable > 0
        || series.containsKey(new SeriesKey(flow.namespace(), flow.service(), ""))) {
      Series none = series(new SeriesKey(flow.namespace(), flow.service(), ""), second);
      none.add(second, NOT_FOUND, notFound);
      none.add(second, UNAVAILABLE, unavailable);
    }
    List<TrafficFlow.VersionShare> versions = flow.versions();
    for (int i = 0; i < versions.size(); i++) {
      TrafficFlow.VersionShare share = versions.get(i);
      int served =
          i == versions.size() - 1 || remaining <= 0
              ? rest
              : Draws.binomial(random, rest, Math.min(1, share.share() / remaining));
      rest -= served;
      remaining -= share.share();
      VersionProfile profile =
          fault == null
              ? share.profile()
              : share.profile().degraded(fault.latencyFactor(), fault.extraErrorRate());
      Series target =
          series(
              new SeriesKey(
                  flow.namespace(),
                  flow.service(),
                  share.version(),
                  share.templateHash(),
                  share.variant()),
              second);
      target.lastActive = second;
      int errors = Draws.binomial(random, served, profile.errorRate());
      target.add(second, OK, served - errors);
      target.add(second, ERROR, errors);
      target.addConversions(
          second, Draws.binomial(random, served - errors, profile.conversionRate()));
      double[] shares = bucketShares.computeIfAbsent(profile, TrafficMetrics::bucketShares);
      int left = served;
      double leftShare = 1;
      for (int b = 0; b < BUCKET_COUNT && left > 0; b++) {
        int count =
            b == BUCKET_COUNT - 1 || leftShare <= 0
                ? left
                : Draws.binomial(random, left, Math.min(1, shares[b] / leftShare));
        left -= count;
        leftShare -= shares[b];
        if (count > 0) {
          target.addBucket(second, b, count, count * representative(b, profile));
        }
      }
    }
  }

  private Series series(SeriesKey key, long second) {
    Series s = series.get(key);
    if (s == null) {
      s = new Series(key, retention, second);
      s.open(second);
      series.put(key, s);
    }
    return s;
  }

  private static double[] bucketShares(VersionProfile profile) {
    double[] shares = new double[BUCKET_COUNT];
    double below = 0;
    for (int b = 0; b < BUCKETS.length; b++) {
      double cdf = profile.latencyCdf(BUCKETS[b]);
      shares[b] = Math.max(0, cdf - below);
      below = cdf;
    }
    shares[BUCKETS.length] = Math.max(0, 1 - below);
    return shares;
  }

  /** A latency standing for a bucket's requests (for the sum): the bucket's geometric middle. */
  private static double representative(int bucket, VersionProfile profile) {
    double upper = bucket < BUCKETS.length ? BUCKETS[bucket] : BUCKETS[BUCKETS.length - 1] * 2;
    double lower =
        bucket == 0
            ? Math.min(upper / 2, profile.latencyP50())
            : BUCKETS[Math.min(bucket, BUCKETS.length) - 1];
    return Math.sqrt(lower * upper);
  }

  // ---- reading ----

  /**
   * What one raw sample stream is: requests of a code, a bucket (non-cumulative), conversions, sum.
   */
  enum Stream {
    REQUESTS,
    BUCKET,
    CONVERSIONS,
    LATENCY_SUM
  }

  /** Every series key, in order. */
  synchronized List<SeriesKey> keys() {
    return new ArrayList<>(series.keySet());
  }

  /**
   * The increase of one stream of {@code key} over the seconds {@code (from, to]}, or NaN when the
   * series has no simulated second in that window (Prometheus would have no sample).
   *
   * @param index the code index for REQUESTS, the bucket index for BUCKET
   */
  synchronized double increase(SeriesKey key, Stream stream, int index, long from, long to) {
    Series s = series.get(key);
    if (s == null) {
      return Double.NaN;
    }
    long start = Math.max(from + 1, Math.max(s.firstSecond, lastSecond - retention + 1));
    long end = Math.min(to, lastSecond);
    if (start > end) {
      return Double.NaN;
    }
    double total = 0;
    for (long second = start; second <= end; second++) {
      int slot = s.slotOf(second);
      if (s.slotSecond[slot] != second) {
        continue;
      }
      int base = slot * SLOT_INTS;
      total +=
          switch (stream) {
            case REQUESTS -> s.slots[base + index];
            case BUCKET -> s.slots[base + CODES.size() + index];
            case CONVERSIONS -> s.slots[base + CODES.size() + BUCKET_COUNT];
            case LATENCY_SUM -> s.slotSum[slot];
          };
    }
    return total;
  }

  /**
   * The counter's value at second {@code at}, as Prometheus would have scraped it: the total so far
   * less what came after {@code at}; NaN when the series did not exist yet, when {@code at} is
   * older than the history kept, or more than five minutes after the last simulated second
   * (Prometheus' lookback).
   *
   * @param index the code index for REQUESTS, the bucket index for BUCKET (not cumulative)
   */
  synchronized double valueAt(SeriesKey key, Stream stream, int index, long at) {
    Series s = series.get(key);
    if (s == null
        || lastSecond == Long.MIN_VALUE
        || at < s.firstSecond
        || at > lastSecond + LOOKBACK_SECONDS
        || at < lastSecond - retention) {
      return Double.NaN;
    }
    double total =
        switch (stream) {
          case REQUESTS -> s.codes[index];
          case BUCKET -> s.buckets[index];
          case CONVERSIONS -> s.conversions;
          case LATENCY_SUM -> s.latencySum;
        };
    if (at >= lastSecond) {
      return total;
    }
    double later = increase(key, stream, index, at, lastSecond);
    return Double.isNaN(later) ? total : total - later;
  }

  /** How long after its last sample Prometheus still answers with it. */
  static final long LOOKBACK_SECONDS = 300;

  /** The first second of {@code key}, or {@code Long.MAX_VALUE} when unknown. */
  synchronized long firstSecond(SeriesKey key) {
    Series s = series.get(key);
    return s == null ? Long.MAX_VALUE : s.firstSecond;
  }

  /**
   * What {@code key} served in one second of the history: requests by code (in {@link #CODES}
   * order) and the sum of their latencies in seconds; null when that second is not in the history
   * (too old, not yet simulated, or the series did not exist).
   */
  public synchronized Second second(SeriesKey key, long second) {
    Series s = series.get(key);
    if (s == null || second > lastSecond || second <= lastSecond - retention) {
      return null;
    }
    int slot = s.slotOf(second);
    if (s.slotSecond[slot] != second) {
      return null;
    }
    long[] codes = new long[CODES.size()];
    for (int c = 0; c < codes.length; c++) {
      codes[c] = s.slots[slot * SLOT_INTS + c];
    }
    return new Second(codes, s.slotSum[slot]);
  }

  /**
   * One second of a series.
   *
   * @param codes requests by status code, in {@link #CODES} order
   * @param latencySum the sum of the served requests' latencies, in seconds
   */
  public record Second(long[] codes, double latencySum) {}

  /**
   * The variants of every series kept of {@code key}'s namespace, service, version and template
   * hash, whatever its variant ({@code ""} for requests no flag split), in order.
   */
  public synchronized java.util.SortedSet<String> variants(SeriesKey key) {
    java.util.SortedSet<String> out = new java.util.TreeSet<>();
    SeriesKey from = new SeriesKey(key.namespace(), key.service(), key.version(), key.templateHash(), "");
    for (SeriesKey k : series.tailMap(from, true).keySet()) {
      if (!k.namespace().equals(key.namespace())
          || !k.service().equals(key.service())
          || !k.version().equals(key.version())
          || !k.templateHash().equals(key.templateHash())) {
        break;
      }
      out.add(k.variant());
    }
    return out;
  }

  /** The totals of {@code key} so far: requests by code, or null when unknown. */
  public synchronized long[] requestTotals(SeriesKey key) {
    Series s = series.get(key);
    return s == null ? null : s.codes.clone();
  }

  /**
   * The Prometheus text exposition (format 0.0.4) of every counter: {@code http_requests_total},
   * {@code http_request_duration_seconds} (a histogram) and {@code conversions_total}, labelled by
   * {@code namespace}, {@code service}, {@code version} (absent for 404s and 503s), {@code
   * rollouts_weir_dev_pod_template_hash} (absent when the pods have no {@code
   * rollouts.weir.dev/pod-template-hash} label), {@code variant} (absent when no feature flag split
   * the requests) and {@code code}. The same state gives the same bytes.
   */
  public synchronized String exposition() {
    StringBuilder out = new StringBuilder(4096 + series.size() * 2048);
    out.append(
        "# HELP http_requests_total Requests served, by service, version and status code.\n");
    out.append("# TYPE http_requests_total counter\n");
    for (Series s : series.values()) {
      for (int c = 0; c < CODES.size(); c++) {
        if (s.codes[c] > 0) {
          out.append("http_requests_total{");
          labels(out, s.key);
          out.append(",code=\"")
              .append(CODES.get(c))
              .append("\"} ")
              .append(s.codes[c])
              .append('\n');
        }
      }
    }
    out.append("# HELP http_request_duration_seconds Request latency, by service and version.\n");
    out.append("# TYPE http_request_duration_seconds histogram\n");
    for (Series s : series.values()) {
      if (s.key.version().isEmpty()) {
        continue;
      }
      long cumulative = 0;
      for (int b = 0; b < BUCKET_COUNT; b++) {
        cumulative += s.buckets[b];
        out.append("http_request_duration_seconds_bucket{");
        labels(out, s.key);
        out.append(",le=\"")
            .append(b < BUCKETS.length ? number(BUCKETS[b]) : "+Inf")
            .append("\"} ");
        out.append(cumulative).append('\n');
      }
      out.append("http_request_duration_seconds_sum{");
      labels(out, s.key);
      out.append("} ").append(number(s.latencySum)).append('\n');
      out.append("http_request_duration_seconds_count{");
      labels(out, s.key);
      out.append("} ").append(cumulative).append('\n');
    }
    out.append(
        "# HELP conversions_total Successful requests that converted, by service and version.\n");
    out.append("# TYPE conversions_total counter\n");
    for (Series s : series.values()) {
      if (!s.key.version().isEmpty()) {
        out.append("conversions_total{");
        labels(out, s.key);
        out.append("} ").append(s.conversions).append('\n');
      }
    }
    return out.toString();
  }

  private static void labels(StringBuilder out, SeriesKey key) {
    out.append("namespace=\"")
        .append(escape(key.namespace()))
        .append("\",service=\"")
        .append(escape(key.service()));
    out.append('"');
    if (!key.version().isEmpty()) {
      out.append(",version=\"").append(escape(key.version())).append('"');
    }
    if (!key.templateHash().isEmpty()) {
      out.append(',')
          .append(SeriesKey.TEMPLATE_HASH_LABEL)
          .append("=\"")
          .append(escape(key.templateHash()))
          .append('"');
    }
    if (!key.variant().isEmpty()) {
      out.append(',')
          .append(SeriesKey.VARIANT_LABEL)
          .append("=\"")
          .append(escape(key.variant()))
          .append('"');
    }
  }

  private static String escape(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  static String number(double value) {
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return Long.toString((long) value);
    }
    return String.format(Locale.ROOT, "%.6f", value).replaceAll("0+$", "");
  }

  // ---- persistence ----

  /**
   * The state to keep across a restart: the last second, every series' key and totals, and the last
   * {@code keptSeconds} of history (base64 of the per-second increments). A series' {@code
   * templateHash} and {@code variant} are written only when not empty, so states without them read
   * as before.
   */
  public synchronized ObjectNode save(int keptSeconds) {
    JsonNodeFactory nodes = JsonNodeFactory.instance;
    ObjectNode root = nodes.objectNode();
    root.put("lastSecond", lastSecond);
    var list = root.putArray("series");
    for (Series s : series.values()) {
      ObjectNode entry = list.addObject();
      entry.put("namespace", s.key.namespace());
      entry.put("service", s.key.service());
      entry.put("version", s.key.version());
      if (!s.key.templateHash().isEmpty()) {
        entry.put("templateHash", s.key.templateHash());
      }
      if (!s.key.variant().isEmpty()) {
        entry.put("variant", s.key.variant());
      }
      entry.put("firstSecond", s.firstSecond);
      entry.put("lastActive", s.lastActive);
      var codes = entry.putArray("codes");
      for (long c : s.codes) {
        codes.add(c);
      }
      var buckets = entry.putArray("buckets");
      for (long b : s.buckets) {
        buckets.add(b);
      }
      entry.put("latencySum", s.latencySum);
      entry.put("conversions", s.conversions);
      long from = Math.max(s.firstSecond, lastSecond - Math.min(keptSeconds, retention) + 1);
      if (lastSecond != Long.MIN_VALUE && from <= lastSecond) {
        int seconds = (int) (lastSecond - from + 1);
        ByteBuffer buffer = ByteBuffer.allocate(seconds * (SLOT_INTS * 4 + 8));
        for (long second = from; second <= lastSecond; second++) {
          int slot = s.slotOf(second);
          boolean present = s.slotSecond[slot] == second;
          for (int i = 0; i < SLOT_INTS; i++) {
            buffer.putInt(present ? s.slots[slot * SLOT_INTS + i] : 0);
          }
          buffer.putDouble(present ? s.slotSum[slot] : 0);
        }
        entry.put("historyFrom", from);
        entry.put("history", Base64.getEncoder().encodeToString(buffer.array()));
      }
    }
    return root;
  }

  /** Restores what {@link #save} kept. */
  public synchronized void restore(JsonNode state) {
    restore(state, 0);
  }

  /**
   * Restores what {@link #save} kept, every second moved by {@code shift} seconds (negative when
   * sandbox time went back since the save, e.g. after a sped-up run): totals stay, history ends
   * {@code shift} seconds earlier.
   */
  public synchronized void restore(JsonNode state, long shift) {
    series.clear();
    lastSecond = state.path("lastSecond").asLong(Long.MIN_VALUE);
    if (lastSecond == Long.MIN_VALUE) {
      return;
    }
    lastSecond += shift;
    for (JsonNode entry : state.path("series")) {
      SeriesKey key =
          new SeriesKey(
              entry.path("namespace").asText(),
              entry.path("service").asText(),
              entry.path("version").asText(),
              entry.path("templateHash").asText(""), // absent in states saved before it existed
              entry.path("variant").asText(""));
      Series s = new Series(key, retention, entry.path("firstSecond").asLong() + shift);
      s.lastActive = entry.path("lastActive").asLong(s.firstSecond - shift) + shift;
      for (int i = 0; i < s.codes.length; i++) {
        s.codes[i] = entry.path("codes").path(i).asLong();
      }
      for (int i = 0; i < s.buckets.length; i++) {
        s.buckets[i] = entry.path("buckets").path(i).asLong();
      }
      s.latencySum = entry.path("latencySum").asDouble();
      s.conversions = entry.path("conversions").asLong();
      if (entry.has("history")) {
        ByteBuffer buffer =
            ByteBuffer.wrap(Base64.getDecoder().decode(entry.path("history").asText()));
        long second = entry.path("historyFrom").asLong() + shift;
        while (buffer.remaining() >= SLOT_INTS * 4 + 8) {
          s.open(second);
          int slot = s.slotOf(second);
          for (int i = 0; i < SLOT_INTS; i++) {
            s.slots[slot * SLOT_INTS + i] = buffer.getInt();
          }
          s.slotSum[slot] = buffer.getDouble();
          second++;
        }
      }
      series.put(key, s);
    }
  }
}
