package dev.weir.engine.analysis;

import dev.weir.engine.cluster.ClusterGateway;
import dev.weir.engine.cluster.ProxiedService;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Prometheus that analyses query, chosen in this order (DESIGN: metrics for real clusters):
 *
 * <ol>
 *   <li>the one given with {@code --prometheus URL}, for every metric;
 *   <li>else a metric's own {@code provider.prometheus.address} ({@link #at});
 *   <li>else the cluster's, found by {@link PrometheusDiscovery} and queried through the API
 *       server's service proxy with the kubeconfig's credentials;
 *   <li>else none: every query answers "no data", so measurements are Inconclusive and a rollout
 *       with analysis pauses for a person — it never promotes, and a missing Prometheus is never a
 *       reason to roll back.
 * </ol>
 *
 * Credentials and trust for a Prometheus given by address come from {@link PrometheusAccess}.
 *
 * <p>Design note. Discovery is lazy: it runs at the first query or {@link #source()}, blocking that
 * caller (one list of Services, one query per candidate tried). What it finds is kept for the
 * selection's life; when it finds nothing it is tried again at most once a minute of the clock, so
 * a Prometheus installed while {@code weir reconcile --watch} runs is picked up.
 *
 * <p>Thread-safe.
 */
public final class PrometheusSelection implements MetricProvider {
  /** How long discovery waits before looking again after finding nothing. */
  public static final Duration RETRY = Duration.ofMinutes(1);

  static final String INCONCLUSIVE = "analyses will be Inconclusive; give --prometheus URL";

  /** Where analyses' queries go. */
  public sealed interface Source {
    /** The line {@code weir status} prints after {@code metrics: }. */
    String describe();
  }

  /** Given with {@code --prometheus}. */
  public record Given(URI address) implements Source {
    @Override
    public String describe() {
      return "prometheus at " + address + " (--prometheus)";
    }
  }

  /** Found in the cluster, queried through the API server's service proxy. */
  public record ServiceProxy(ProxiedService service) implements Source {
    @Override
    public String describe() {
      return "prometheus via service proxy " + service;
    }
  }

  /** None found; {@code problems} says what was tried. */
  public record None(List<String> problems) implements Source {
    public None {
      problems = List.copyOf(problems);
    }

    @Override
    public String describe() {
      boolean onlyAbsent =
          problems.isEmpty()
              || problems.size() == 1 && problems.getFirst().startsWith("no Service");
      return onlyAbsent
          ? "none found (" + INCONCLUSIVE + ")"
          : "none usable: " + problems.getFirst() + " (" + INCONCLUSIVE + ")";
    }
  }

  private static final MetricProvider NO_DATA =
      new MetricProvider() {
        @Override
        public QueryResult<MetricValue> instant(String query, Instant at) {
          return QueryResult.ok(MetricValue.vector(List.of()));
        }

        @Override
        public QueryResult<List<TimeSeries>> range(
            String query, Instant start, Instant end, Duration step) {
          return QueryResult.ok(List.of());
        }

        @Override
        public String toString() {
          return "no Prometheus";
        }
      };

  private final PrometheusAccess access;
  private final ClusterGateway gateway;
  private final InstantSource clock;
  private final Duration timeout;
  private final PrometheusMetricProvider given;
  private final URI givenAddress;
  private final Map<String, MetricProvider> byAddress = new ConcurrentHashMap<>();
  private final Object discovery = new Object();
  private volatile Source source;
  private volatile MetricProvider discovered;
  private Instant lastTry;

  private PrometheusSelection(
      PrometheusAccess access,
      ClusterGateway gateway,
      InstantSource clock,
      Duration timeout,
      URI givenAddress) {
    this.access = Objects.requireNonNull(access, "access");
    this.gateway = gateway;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    if (givenAddress == null) {
      this.givenAddress = null;
      this.given = null;
    } else {
      PrometheusSettings settings = access.settings(givenAddress).withTimeout(timeout);
      this.givenAddress = settings.address();
      this.given =
          new PrometheusMetricProvider(
              new HttpPrometheusTransport(settings), access.insecureAllowed());
      this.source = new Given(settings.address());
    }
  }

  /**
   * Every metric queries the Prometheus at {@code address} ({@code --prometheus}).
   *
   * @throws IllegalArgumentException when the address cannot be used with {@code access} (one line,
   *     no secret)
   */
  public static PrometheusSelection given(
      URI address, PrometheusAccess access, InstantSource clock) {
    return new PrometheusSelection(
        access, null, clock, PrometheusSettings.DEFAULT_TIMEOUT, Objects.requireNonNull(address));
  }

  /**
   * Metrics query their template's address, or else the Prometheus discovered in the cluster of
   * {@code gateway}.
   */
  public static PrometheusSelection discovering(
      ClusterGateway gateway, PrometheusAccess access, InstantSource clock) {
    return new PrometheusSelection(
        access,
        Objects.requireNonNull(gateway, "gateway"),
        clock,
        PrometheusSettings.DEFAULT_TIMEOUT,
        null);
  }

  /** Where queries without an address of their own go; runs discovery now if it has not run. */
  public Source source() {
    current();
    return source;
  }

  /** {@link Source#describe()} of {@link #source()}. */
  public String describe() {
    return source().describe();
  }

  @Override
  public QueryResult<MetricValue> instant(String query, Instant at) {
    return current().instant(query, at);
  }

  @Override
  public QueryResult<List<TimeSeries>> range(
      String query, Instant start, Instant end, Duration step) {
    return current().range(query, start, end, step);
  }

  /** The Prometheus queries go to now, with a metric's own settings. */
  @Override
  public MetricProvider with(QueryOptions options) {
    return current().with(options);
  }

  /**
   * The Prometheus at a template's {@code address}, with this selection's credentials and trust;
   * the one given with {@code --prometheus} instead, when there is one.
   */
  @Override
  public MetricProvider at(String address) {
    if (given != null) {
      return given;
    }
    return byAddress.computeIfAbsent(address.strip(), this::addressed);
  }

  private MetricProvider addressed(String address) {
    try {
      return new PrometheusMetricProvider(
          new HttpPrometheusTransport(access.settings(URI.create(address)).withTimeout(timeout)),
          access.insecureAllowed());
    } catch (IllegalArgumentException e) {
      String why = "provider.prometheus.address: " + e.getMessage();
      return new MetricProvider() {
        @Override
        public QueryResult<MetricValue> instant(String query, Instant at) {
          return QueryResult.failed(ProviderError.Reason.BAD_QUERY, why);
        }

        @Override
        public QueryResult<List<TimeSeries>> range(
            String query, Instant start, Instant end, Duration step) {
          return QueryResult.failed(ProviderError.Reason.BAD_QUERY, why);
        }
      };
    }
  }

  private MetricProvider current() {
    if (given != null) {
      return given;
    }
    MetricProvider found = discovered;
    if (found != null) {
      return found;
    }
    synchronized (discovery) {
      if (discovered != null) {
        return discovered;
      }
      Instant now = clock.instant();
      if (lastTry == null || !now.isBefore(lastTry.plus(RETRY))) {
        lastTry = now;
        PrometheusDiscovery.Found result = PrometheusDiscovery.find(gateway, now, timeout);
        if (result.service().isPresent()) {
          ProxiedService service = result.service().get();
          source = new ServiceProxy(service);
          discovered =
              new PrometheusMetricProvider(
                  new ServiceProxyPrometheusTransport(gateway, service, timeout),
                  access.insecureAllowed());
          return discovered;
        }
        source = new None(result.problems());
      }
      return NO_DATA;
    }
  }

  @Override
  public String toString() {
    Source known = source;
    return "PrometheusSelection[" + (known == null ? "not yet discovered" : known.describe()) + "]";
  }

  /** The address given with {@code --prometheus}, if any. */
  public Optional<URI> givenAddress() {
    return Optional.ofNullable(givenAddress);
  }
}
