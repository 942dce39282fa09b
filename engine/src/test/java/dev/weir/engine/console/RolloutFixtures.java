package dev.weir.engine.console;

import dev.weir.engine.analysis.AnalysisPhase;
import dev.weir.engine.analysis.MetricSeries;
import dev.weir.engine.cluster.ClusterStatus;
import dev.weir.engine.model.Health;
import dev.weir.engine.model.HealthStatus;
import dev.weir.engine.model.SyncStatus;
import dev.weir.engine.rollout.RolloutPhase;
import dev.weir.engine.rollout.RolloutStatus;
import dev.weir.engine.rollout.RolloutView;
import dev.weir.engine.rollout.RolloutView.Outcome;
import dev.weir.engine.rollout.RolloutView.StepState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * A rollout as the engine would show it — checkout's canary paused at step 4 of 7 with 25% of the
 * traffic, its steps, three metric rows (success rate, p99 latency, request rate), two series over
 * the last 15 minutes and its events — for both faces' rollout screens (the terminal's rollout page, the desktop's rollout panel).
 */
public final class RolloutFixtures {
  public static final Instant AT = FakeConsole.AT;

  private RolloutFixtures() {}

  /** checkout, its canary Paused at step 4/7 with {@code weight}% of the traffic. */
  public static ApplicationView checkout(int weight) {
    return application("checkout", RolloutPhase.PAUSED, weight, "step 4/7 waits for promote");
  }

  public static ApplicationView application(String name, RolloutPhase phase, int weight, String message) {
    ApplicationView a = FakeConsole.application(name);
    RolloutStatus status =
        new RolloutStatus(
            name, name, "canary", phase, message, 4, 7, weight, "v2.4.0", Optional.of("v2.4.1"),
            Optional.empty(), Optional.empty(), Optional.of(a.revision()));
    HealthStatus health =
        switch (phase) {
          case DEGRADED, ABORTED -> HealthStatus.Degraded;
          case PROGRESSING -> HealthStatus.Progressing;
          case PAUSED -> HealthStatus.Suspended;
          case HEALTHY -> HealthStatus.Healthy;
        };
    return new ApplicationView(
        a.name(), a.namespace(), a.revision(), SyncStatus.Synced, Health.of(health, message),
        a.resources(), a.diff(), a.render(), a.problems(), a.lastSync(), a.freeze(), a.pin(),
        a.hotfixes(), a.lease(), a.automated(), List.of(status), null, List.of(view(status)));
  }

  /**
   * {@code name}, its canary aborted before the console opened: its analysis' success-rate row has
   * no value and its series no point (nothing measured in the charts' 15 minutes).
   */
  public static ApplicationView abortedBeforeOpening(String name) {
    ApplicationView a = application(name, RolloutPhase.ABORTED, 0, "aborted: success-rate failed");
    RolloutView measured = a.rolloutViews().getFirst();
    RolloutView unmeasured =
        new RolloutView(
            measured.status(),
            measured.strategy(),
            measured.router(),
            measured.steps(),
            measured.versions(),
            List.of(new RolloutView.Analysis("step 3", "success-rate", Outcome.FAILED, "")),
            List.of(
                new RolloutView.MetricRow(
                    "step 3", "success-rate", OptionalDouble.empty(), OptionalDouble.empty(),
                    "result[0] >= 0.99", Outcome.FAILED, OptionalDouble.empty(), "")),
            List.of(
                new MetricSeries(
                    "success-rate", "", List.of(),
                    List.of(new MetricSeries.Threshold(MetricSeries.Threshold.Kind.SUCCESS_BOUND, 0.99, "result >= 0.99")))),
            measured.phaseSince(),
            measured.blocked());
    return new ApplicationView(
        a.name(), a.namespace(), a.revision(), a.sync(), a.health(),
        a.resources(), a.diff(), a.render(), a.problems(), a.lastSync(), a.freeze(), a.pin(),
        a.hotfixes(), a.lease(), a.automated(), a.rollouts(), null, List.of(unmeasured));
  }

  /**
   * checkout with two rollouts: its own canary Paused at {@code weight}% and a worker's canary
   * Progressing at 50%.
   */
  public static ApplicationView twoRollouts(int weight) {
    ApplicationView one = checkout(weight);
    RolloutStatus worker =
        new RolloutStatus(
            "checkout-worker", "checkout", "canary", RolloutPhase.PROGRESSING, "step 4/7 setWeight 50",
            4, 7, 50, "v1.8.0", Optional.of("v1.9.0"), Optional.empty(), Optional.empty(),
            Optional.of(one.revision()));
    List<RolloutStatus> statuses = List.of(one.rollouts().getFirst(), worker);
    return new ApplicationView(
        one.name(), one.namespace(), one.revision(), one.sync(), one.health(), one.resources(),
        one.diff(), one.render(), one.problems(), one.lastSync(), one.freeze(), one.pin(),
        one.hotfixes(), one.lease(), one.automated(), statuses, null,
        List.of(one.rolloutViews().getFirst(), view(worker)));
  }

  public static RolloutView view(RolloutStatus status) {
    List<RolloutView.Step> steps =
        List.of(
            new RolloutView.Step(1, "setWeight 5", StepState.DONE, Optional.empty()),
            new RolloutView.Step(2, "pause 2m", StepState.DONE, Optional.empty()),
            new RolloutView.Step(3, "analysis success-rate", StepState.DONE, Optional.of(Outcome.SUCCESSFUL)),
            new RolloutView.Step(4, "pause (until promoted)", StepState.CURRENT, Optional.empty()),
            new RolloutView.Step(5, "setWeight 50", StepState.PENDING, Optional.empty()),
            new RolloutView.Step(6, "pause 5m", StepState.PENDING, Optional.empty()),
            new RolloutView.Step(7, "setWeight 100", StepState.PENDING, Optional.empty()));
    List<RolloutView.MetricRow> rows =
        List.of(
            new RolloutView.MetricRow(
                "step 3", "success-rate", OptionalDouble.of(0.996), OptionalDouble.of(0.997),
                "result[0] >= 0.99", Outcome.SUCCESSFUL, OptionalDouble.empty(),
                "5/5 measurements >= 0.99"),
            new RolloutView.MetricRow(
                "background", "p99-latency", OptionalDouble.of(212), OptionalDouble.of(205),
                "Mann-Whitney, effect 10%", Outcome.RUNNING, OptionalDouble.of(0.41),
                "canary median 212ms vs stable 205ms (+3%)"),
            new RolloutView.MetricRow(
                "background", "request-rate", OptionalDouble.of(50), OptionalDouble.of(150),
                "informational", Outcome.SUCCESSFUL, OptionalDouble.empty(),
                "200 req/s in all, 25% to the canary"));
    return new RolloutView(
        status,
        RolloutView.Strategy.CANARY,
        Optional.of(new RolloutView.Router("gatewayAPI", "HTTPRoute checkout/checkout")),
        steps,
        new RolloutView.Versions(status.stableVersion(), 100 - status.weight(), status.newVersion(), status.weight()),
        List.of(new RolloutView.Analysis("background", "latency", Outcome.RUNNING, "5 measured")),
        rows,
        List.of(latency(), successRate()),
        Optional.of(AT.minus(Duration.ofMinutes(9))),
        Optional.empty());
  }

  /** p99 latency: the canary climbs from 180 to 222 ms, stable stays near 205, threshold 225. */
  public static MetricSeries latency() {
    List<MetricSeries.Point> points = new ArrayList<>();
    for (int i = 0; i <= 15; i++) {
      double canary = 180 + i * 2.8;
      double stable = 205 + (i % 3) - 1;
      points.add(new MetricSeries.Point(AT.minus(Duration.ofMinutes(15 - i)), canary, stable, AnalysisPhase.RUNNING));
    }
    return new MetricSeries(
        "p99-latency", "ms", points,
        List.of(new MetricSeries.Threshold(MetricSeries.Threshold.Kind.UPPER_ALLOWED, 225, "stable +10%")));
  }

  /** Success rate: both near 0.996, the bound at 0.99. */
  public static MetricSeries successRate() {
    List<MetricSeries.Point> points = new ArrayList<>();
    for (int i = 0; i <= 15; i++) {
      points.add(
          new MetricSeries.Point(
              AT.minus(Duration.ofMinutes(15 - i)), 0.994 + (i % 4) * 0.001, 0.997, AnalysisPhase.SUCCESSFUL));
    }
    return new MetricSeries(
        "success-rate", "", points,
        List.of(new MetricSeries.Threshold(MetricSeries.Threshold.Kind.SUCCESS_BOUND, 0.99, "result >= 0.99")));
  }

  public static List<ConsoleEvent> events() {
    return List.of(
        event(12, ConsoleEvent.Kind.SYNC, Severity.INFO, "alice", "synced rev 3f2a1c9: v2.4.1"),
        event(11, ConsoleEvent.Kind.ROLLOUT, Severity.INFO, "weir", "step 1 setWeight 5"),
        event(9, ConsoleEvent.Kind.ROLLOUT, Severity.INFO, "weir", "step 2 pause 2m"),
        event(7, ConsoleEvent.Kind.ANALYSIS, Severity.INFO, "weir", "step 3 analysis success-rate Successful (5/5)"),
        event(6, ConsoleEvent.Kind.ROLLOUT, Severity.WARNING, "weir", "step 4 paused, waiting for promote"));
  }

  private static ConsoleEvent event(int minutesAgo, ConsoleEvent.Kind kind, Severity severity, String who, String message) {
    return new ConsoleEvent(AT.minus(Duration.ofMinutes(minutesAgo)), "checkout", kind, severity, who, message, Map.of());
  }

  /** A fake console showing {@code applications} and checkout's events. */
  public static FakeConsole console(ApplicationView... applications) {
    ConsoleSnapshot snapshot =
        new ConsoleSnapshot(
            0,
            AT,
            Optional.empty(),
            ClusterStatus.reachable("fake", "https://fake.example.com:6443"),
            List.of(applications),
            events(),
            Optional.empty(),
            "https://git.example.com/fake.git",
            "main",
            List.of("fake"),
            Optional.empty());
    return new FakeConsole(snapshot);
  }
}
