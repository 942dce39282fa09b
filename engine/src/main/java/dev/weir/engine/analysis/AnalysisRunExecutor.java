package dev.weir.engine.analysis;

import dev.weir.engine.time.EngineClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out one analysis run: feeds events to the pure {@link AnalysisRun#next}, performs its
 * effects, and keeps the chart series.
 *
 * <p>Design note. Time only comes from the {@link EngineClock}: ticks are scheduled on it at the
 * transition's {@code wakeAt}, and the instant of each query is the clock's. Measurements (blocking
 * provider calls) run on the given {@link Executor}, never on the clock's thread, and come back as
 * {@link AnalysisEvent.Measured} events. Events are processed one at a time, in arrival order, by
 * whichever thread delivers one while no other is processing (a trampoline), so a direct executor
 * (tests) and a thread pool (production) behave the same and no thread ever waits on a lock while a
 * provider is being queried. Many runs may share one executor.
 *
 * <p>Thread-safe. Listeners are called on the processing thread after each transition with the new
 * state; they must be quick.
 */
public final class AnalysisRunExecutor {
  private static final Logger LOG = LoggerFactory.getLogger(AnalysisRunExecutor.class);

  /** Chart points kept per metric. */
  public static final int SERIES_CAPACITY = 720;

  private final AnalysisTemplateSpec spec;
  private final AnalysisArgs resolved;
  private final Map<String, String> args;
  private final MetricProvider provider;
  private final EngineClock clock;
  private final Executor measurements;
  private final OAuth2Tokens tokens;
  private final Map<String, MetricSeriesBuffer> series = new LinkedHashMap<>();
  private final List<Consumer<AnalysisRunState>> listeners = new CopyOnWriteArrayList<>();
  private final CompletableFuture<AnalysisRunState> completion = new CompletableFuture<>();
  private final Queue<AnalysisEvent> inbox = new ArrayDeque<>();
  private boolean draining;
  private EngineClock.Scheduled timer;
  private volatile AnalysisRunState state;

  /**
   * A run without a cluster to read Secrets from: an argument from a {@code secretKeyRef} that the
   * rollout does not give ends the run in Error at its start.
   *
   * @param args argument values; each overrides the template's default of the same name
   * @param measurements where provider queries run (a pool or virtual threads in production)
   */
  public AnalysisRunExecutor(
      AnalysisTemplateSpec spec,
      Map<String, String> args,
      MetricProvider provider,
      EngineClock clock,
      Executor measurements) {
    this(spec, AnalysisArgs.resolve(spec, args, SecretSource.NONE), provider, clock, measurements);
  }

  /**
   * @param args the run's argument values, Secrets read ({@link AnalysisArgs#resolve}); their
   *     values are masked in every measurement message
   * @param measurements where provider queries run (a pool or virtual threads in production)
   */
  public AnalysisRunExecutor(
      AnalysisTemplateSpec spec,
      AnalysisArgs args,
      MetricProvider provider,
      EngineClock clock,
      Executor measurements) {
    this.spec = Objects.requireNonNull(spec, "spec");
    this.resolved = Objects.requireNonNull(args, "args");
    this.args = args.values();
    this.provider = Objects.requireNonNull(provider, "provider");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.measurements = Objects.requireNonNull(measurements, "measurements");
    this.tokens = new OAuth2Tokens(clock);
    spec.metrics().forEach(m -> series.put(m.name(), new MetricSeriesBuffer(m, SERIES_CAPACITY)));
    this.state = AnalysisRunState.pending(spec);
  }

  /** Starts the run; an argument without a value ends it in Error at once. Idempotent. */
  public void start() {
    Optional<String> missing = missingArgument();
    submit(new AnalysisEvent.Start());
    missing.ifPresent(reason -> submit(new AnalysisEvent.Abandon(reason)));
  }

  /**
   * Starts the run where {@code checkpoint} left off (see {@link AnalysisEvent.Resume}): the counts
   * go on from the recorded ones and each metric is next measured at its latest measurement plus
   * its interval, on this executor's clock. Instead of {@link #start}; idempotent.
   */
  public void resume(AnalysisCheckpoint checkpoint) {
    Optional<String> missing = missingArgument();
    submit(new AnalysisEvent.Resume(checkpoint));
    missing.ifPresent(reason -> submit(new AnalysisEvent.Abandon(reason)));
  }

  /** Ends a run whose metrics have no count (see {@link AnalysisEvent.Terminate}). Idempotent. */
  public void terminate(String reason) {
    submit(new AnalysisEvent.Terminate(reason));
  }

  /** The latest state. */
  public AnalysisRunState state() {
    return state;
  }

  /** Completes with the final state when the run ends. */
  public CompletableFuture<AnalysisRunState> completion() {
    return completion.copy();
  }

  /** Calls {@code listener} with every new state. */
  public void addListener(Consumer<AnalysisRunState> listener) {
    listeners.add(listener);
  }

  /** The chart series of every metric, as immutable snapshots, in template order. */
  public List<MetricSeries> series() {
    List<MetricSeries> all = new ArrayList<>();
    series.values().forEach(b -> all.add(b.snapshot()));
    return all;
  }

  /** The run so far (or finished), for {@link WhatIf#rejudge}. */
  public RecordedRun recorded() {
    return new RecordedRun(spec, state);
  }

  /**
   * Takes one observation of {@code metric} at {@code at}: an instant query for a threshold metric
   * (a range query with Argo's {@code rangeQuery}, whose values over the range are the result), or
   * two range queries over the comparison window for a comparison metric, each with the metric's
   * own {@link QueryOptions}. Blocks for up to the provider's (or the metric's) timeout; never
   * throws for a provider failure.
   */
  public static Observation observe(
      MetricSpec metric, Map<String, String> args, MetricProvider provider, Instant at) {
    return observe(metric, args, provider, at, new OAuth2Tokens(() -> at));
  }

  /**
   * As {@link #observe(MetricSpec, Map, MetricProvider, Instant)}, with Argo's {@code
   * authentication.oauth2} tokens kept in {@code tokens} (a run's, on its engine clock).
   */
  static Observation observe(
      MetricSpec metric,
      Map<String, String> args,
      MetricProvider provider,
      Instant at,
      OAuth2Tokens tokens) {
    PrometheusQuerySpec queries = metric.prometheus();
    if (queries.address().isPresent()) {
      provider = provider.at(QueryTemplate.render(queries.address().get(), args));
    }
    QueryOptions options = QueryOptions.of(queries, args);
    // a provider that sends nothing over HTTP (the sandbox's) returns itself from with(): no token
    // is asked for then, so a drill never reaches a real identity provider
    boolean overHttp = provider.with(options) != provider;
    if (queries.authentication().orElse(null)
            instanceof PrometheusQuerySpec.Authentication.OAuth2 oauth
        && overHttp) {
      switch (tokens.authorization(OAuth2Tokens.Grant.of(oauth, args), options.timeout())) {
        case QueryResult.Ok<String> ok ->
            options = options.withHeader("Authorization", ok.value());
        case QueryResult.Failed<String> failed -> {
          return new Observation.Failed(failed.error());
        }
      }
    }
    if (!options.none()) {
      provider = provider.with(options);
    }
    if (queries.rangeQuery().isPresent() && metric.compare().isEmpty()) {
      PrometheusQuerySpec.RangeQuery range = queries.rangeQuery().get();
      Instant start;
      Instant end;
      try {
        start = RangeTime.at(QueryTemplate.render(range.start(), args), at);
        end = RangeTime.at(QueryTemplate.render(range.end(), args), at);
      } catch (IllegalArgumentException e) {
        return new Observation.Failed(
            new ProviderError(
                ProviderError.Reason.BAD_QUERY, "provider.prometheus.rangeQuery: " + e.getMessage()));
      }
      if (!start.isBefore(end)) {
        return new Observation.Failed(
            new ProviderError(
                ProviderError.Reason.BAD_QUERY,
                "provider.prometheus.rangeQuery: start must be before end"));
      }
      return switch (provider.range(
          QueryTemplate.render(queries.query().orElseThrow(), args), start, end, range.step())) {
        case QueryResult.Ok<List<TimeSeries>> ok ->
            new Observation.Value(
                MetricValue.vector(
                    java.util.Arrays.stream(flatten(ok.value())).boxed().toList()));
        case QueryResult.Failed<List<TimeSeries>> failed -> new Observation.Failed(failed.error());
      };
    }
    if (metric.compare().isPresent()) {
      ComparisonSpec compare = metric.compare().get();
      Instant from = at.minus(compare.window());
      var canary =
          provider.range(
              QueryTemplate.render(queries.canaryQuery().orElseThrow(), args),
              from,
              at,
              compare.step());
      if (canary instanceof QueryResult.Failed<?> failed) {
        return new Observation.Failed(failed.error());
      }
      var stable =
          provider.range(
              QueryTemplate.render(queries.stableQuery().orElseThrow(), args),
              from,
              at,
              compare.step());
      if (stable instanceof QueryResult.Failed<?> failed) {
        return new Observation.Failed(failed.error());
      }
      return new Observation.Samples(
          flatten(((QueryResult.Ok<List<TimeSeries>>) stable).value()),
          flatten(((QueryResult.Ok<List<TimeSeries>>) canary).value()));
    }
    return switch (provider.instant(
        QueryTemplate.render(queries.query().orElseThrow(), args), at)) {
      case QueryResult.Ok<MetricValue> ok -> new Observation.Value(ok.value());
      case QueryResult.Failed<MetricValue> failed -> new Observation.Failed(failed.error());
    };
  }

  private static double[] flatten(List<TimeSeries> all) {
    return all.stream().flatMapToDouble(s -> java.util.Arrays.stream(s.values())).toArray();
  }

  private Optional<String> missingArgument() {
    if (resolved.problem().isPresent()) {
      return resolved.problem();
    }
    for (MetricSpec metric : spec.metrics()) {
      for (String query : metric.prometheus().templated()) {
        try {
          QueryTemplate.render(query, args);
        } catch (IllegalArgumentException e) {
          return Optional.of(
              metric.name()
                  + ": "
                  + e.getMessage()
                  + "; give it in the rollout's analysis args or"
                  + " as a default in the template");
        }
      }
    }
    return Optional.empty();
  }

  private void submit(AnalysisEvent event) {
    synchronized (this) {
      inbox.add(event);
      if (draining) {
        return;
      }
      draining = true;
    }
    while (true) {
      AnalysisEvent next;
      synchronized (this) {
        next = inbox.poll();
        if (next == null) {
          draining = false;
          return;
        }
      }
      process(next);
    }
  }

  /** Runs on one thread at a time (the trampoline's). */
  private void process(AnalysisEvent event) {
    Instant now = clock.instant();
    AnalysisRunState before = state;
    AnalysisTransition transition = AnalysisRun.next(before, spec, event, now);
    state = transition.state();
    if (event instanceof AnalysisEvent.Measured measured
        && before
            .metric(measured.measurement().metric())
            .map(m -> m.phase() == AnalysisPhase.RUNNING)
            .orElse(false)) {
      MetricSeriesBuffer buffer = series.get(measured.measurement().metric());
      if (buffer != null) {
        buffer.add(measured.measurement());
      }
    }
    AnalysisEffect.Completed completed = null;
    for (AnalysisEffect effect : transition.effects()) {
      switch (effect) {
        case AnalysisEffect.Measure measure -> dispatch(measure.metric());
        case AnalysisEffect.Completed c -> {
          cancelTimer();
          completed = c;
        }
      }
    }
    if (!state.phase().completed()) {
      transition.wakeAt().ifPresent(at -> arm(Duration.between(now, at)));
    }
    for (Consumer<AnalysisRunState> listener : listeners) {
      try {
        listener.accept(state);
      } catch (RuntimeException e) {
        LOG.warn("analysis listener failed: {}", e.toString());
      }
    }
    if (completed != null) {
      // after the listeners: a rollout acting on the verdict does not wait for the log
      LOG.info("analysis {} {}: {}", spec.name(), completed.phase().word(), completed.message());
    }
    if (state.phase().completed()) {
      completion.complete(state);
    }
  }

  private void dispatch(String metricName) {
    MetricSpec metric = spec.metric(metricName).orElseThrow();
    Runnable task =
        () -> {
          Instant at = clock.instant();
          Observation observation;
          try {
            observation = observe(metric, args, provider, at, tokens);
          } catch (RuntimeException e) {
            observation =
                new Observation.Failed(
                    new ProviderError(
                        ProviderError.Reason.BAD_RESPONSE,
                        "measuring "
                            + metricName
                            + " failed: "
                            + e.getClass().getSimpleName()
                            + (e.getMessage() == null ? "" : ": " + e.getMessage())));
          }
          if (observation instanceof Observation.Failed failed) {
            // a Prometheus error may quote the query, which may hold a value from a Secret
            observation =
                new Observation.Failed(
                    new ProviderError(
                        failed.error().reason(), resolved.redact(failed.error().message())));
          }
          Measurement measurement = MeasurementAssessor.assess(metric, observation, at);
          submit(
              new AnalysisEvent.Measured(
                  new Measurement(
                      measurement.metric(),
                      measurement.at(),
                      measurement.observation(),
                      measurement.phase(),
                      measurement.verdict(),
                      resolved.redact(measurement.message()))));
        };
    try {
      measurements.execute(task);
    } catch (RejectedExecutionException e) {
      Instant at = clock.instant();
      submit(
          new AnalysisEvent.Measured(
              MeasurementAssessor.assess(
                  metric,
                  new Observation.Failed(
                      new ProviderError(
                          ProviderError.Reason.SERVER_ERROR,
                          "no capacity to measure " + metricName)),
                  at)));
    }
  }

  private synchronized void arm(Duration delay) {
    cancelTimer();
    timer =
        clock.schedule(
            delay.isNegative() ? Duration.ZERO : delay, () -> submit(new AnalysisEvent.Tick()));
  }

  private synchronized void cancelTimer() {
    if (timer != null) {
      timer.cancel();
      timer = null;
    }
  }
}
