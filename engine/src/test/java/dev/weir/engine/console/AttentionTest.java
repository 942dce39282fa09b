package dev.weir.engine.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.analysis.AnalysisCheckpoint;
import dev.weir.engine.analysis.AnalysisPhase;
import dev.weir.engine.analysis.Measurement;
import dev.weir.engine.analysis.MetricValue;
import dev.weir.engine.analysis.Observation;
import dev.weir.engine.diff.ApplicationDiff;
import dev.weir.engine.model.Health;
import dev.weir.engine.model.HealthStatus;
import dev.weir.engine.model.ResourceKey;
import dev.weir.engine.model.SyncStatus;
import dev.weir.engine.reconcile.Freeze;
import dev.weir.engine.reconcile.Hotfix;
import dev.weir.engine.rollout.AnalysisCounts;
import dev.weir.engine.rollout.RolloutPhase;
import dev.weir.engine.rollout.RolloutStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The needs-attention queue: what belongs there, and its order (severity, then age, oldest first),
 * as the worked examples of {@link Attention}'s Javadoc.
 */
class AttentionTest {
  static final Instant NOW = Instant.parse("2026-01-01T10:30:00Z");

  static Instant at(String hhmm) {
    return Instant.parse("2026-01-01T" + hhmm + ":00Z");
  }

  /**
   * One row of the table.
   *
   * @param expected each item as {@code severity kind application since}
   */
  record Case(
      String name,
      List<ApplicationView> applications,
      Map<String, Freeze> freezes,
      List<Attention.DefinitionProblem> definitions,
      List<ConsoleEvent> events,
      List<String> expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static ApplicationView app(
      String name, SyncStatus sync, Health health, List<Hotfix> hotfixes, RolloutStatus... rollouts) {
    return new ApplicationView(
        name,
        "shop",
        "3f2a1c9d",
        sync,
        health,
        List.of(),
        new ApplicationDiff(name, "3f2a1c9d", List.of(), List.of()),
        "rendered rev 3f2a1c9 (3 resources)",
        List.of(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        hotfixes,
        Optional.empty(),
        true,
        List.of(rollouts));
  }

  static ApplicationView synced(String name, RolloutStatus... rollouts) {
    return app(name, SyncStatus.Synced, Health.healthy(), List.of(), rollouts);
  }

  static ApplicationView outOfSync(String name) {
    return app(name, SyncStatus.OutOfSync, Health.healthy(), List.of());
  }

  static RolloutStatus rollout(
      String name, RolloutPhase phase, String message, Optional<AnalysisCounts> analysis) {
    return new RolloutStatus(
        name,
        name,
        "canary",
        phase,
        message,
        2,
        7,
        5,
        "v2.4.0",
        Optional.of("v2.4.1"),
        analysis,
        Optional.empty(),
        phase == RolloutPhase.DEGRADED ? Optional.of("9f8e7d6c") : Optional.empty());
  }

  /** A running analysis whose latest success-rate measurement, at {@code when}, failed. */
  static Optional<AnalysisCounts> failing(Instant when) {
    Measurement failed =
        new Measurement(
            "success-rate",
            when,
            new Observation.Value(MetricValue.scalar(0.91)),
            AnalysisPhase.FAILED,
            Optional.empty(),
            "0.91 (result[0] >= 0.99 not met)");
    AnalysisCheckpoint checkpoint =
        new AnalysisCheckpoint(
            "success-rate",
            at("10:00"),
            List.of(
                new AnalysisCheckpoint.MetricCheckpoint(
                    "success-rate",
                    AnalysisPhase.RUNNING,
                    2,
                    1,
                    1,
                    0,
                    0,
                    0,
                    Optional.of(failed))));
    return Optional.of(
        new AnalysisCounts(
            AnalysisPhase.RUNNING, 2, 1, 1, 0, 0, "success-rate 0.91", List.of(checkpoint)));
  }

  static ConsoleEvent event(String application, ConsoleEvent.Kind kind, Instant when) {
    return new ConsoleEvent(
        when, application, kind, Severity.INFO, "weir", kind + " of " + application, Map.of());
  }

  static Freeze freeze(Instant since, Instant until) {
    return new Freeze("incident 4711", "alice", since, until);
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case(
            "a failed canary comes before older drift: severity first",
            List.of(
                outOfSync("inventory"),
                synced(
                    "storefront",
                    rollout(
                        "storefront",
                        RolloutPhase.DEGRADED,
                        "v2.4.1 rolled back: success-rate 0.91",
                        Optional.empty()))),
            Map.of(),
            List.of(),
            List.of(
                event("inventory", ConsoleEvent.Kind.DRIFT, at("09:00")),
                event("storefront", ConsoleEvent.Kind.ROLLOUT, at("10:05"))),
            List.of(
                "CRITICAL ROLLOUT_FAILED storefront 10:05",
                "WARNING OUT_OF_SYNC inventory 09:00")),
        new Case(
            "two drifted applications: the older first",
            List.of(outOfSync("checkout"), outOfSync("inventory")),
            Map.of(),
            List.of(),
            List.of(
                event("checkout", ConsoleEvent.Kind.DRIFT, at("09:30")),
                event("inventory", ConsoleEvent.Kind.DRIFT, at("09:00"))),
            List.of("WARNING OUT_OF_SYNC inventory 09:00", "WARNING OUT_OF_SYNC checkout 09:30")),
        new Case(
            "a canary whose latest measurement failed is critical from that measurement",
            List.of(
                synced(
                    "storefront",
                    rollout(
                        "storefront",
                        RolloutPhase.PROGRESSING,
                        "v2.4.1 canary at 5%, step 2/7: analysis",
                        failing(at("10:12")))),
                app(
                    "pricing",
                    SyncStatus.Synced,
                    Health.of(HealthStatus.Degraded, "Deployment shop/pricing: crash loop"),
                    List.of())),
            Map.of(),
            List.of(),
            List.of(),
            List.of(
                "CRITICAL ANALYSIS_FAILING storefront 10:12",
                "CRITICAL DEGRADED pricing 10:30")),
        new Case(
            "paused for promotion and inconclusive are warnings; a healthy rollout is not there",
            List.of(
                synced(
                    "payments",
                    rollout(
                        "payments",
                        RolloutPhase.PAUSED,
                        "v3.2.0 in preview, ready; waiting for promote",
                        Optional.empty())),
                synced(
                    "checkout",
                    rollout(
                        "checkout",
                        RolloutPhase.PAUSED,
                        "v1.5.1 canary at 20%, step 3/5: analysis Inconclusive, retry or abort",
                        Optional.empty())),
                synced(
                    "search",
                    rollout("search", RolloutPhase.HEALTHY, "v1 is stable", Optional.empty()))),
            Map.of(),
            List.of(),
            List.of(
                event("payments", ConsoleEvent.Kind.ROLLOUT, at("10:10")),
                event("checkout", ConsoleEvent.Kind.ROLLOUT, at("10:20"))),
            List.of(
                "WARNING ROLLOUT_PAUSED payments 10:10",
                "WARNING ROLLOUT_INCONCLUSIVE checkout 10:20")),
        new Case(
            "freezes: about to end is a warning, ended lately is info, far off or long ago is not"
                + " there",
            List.of(synced("checkout"), synced("inventory"), synced("search"), synced("pricing")),
            Map.of(
                "checkout", freeze(at("09:45"), at("10:40")),
                "inventory", freeze(at("08:00"), at("10:00")),
                "search", freeze(at("10:00"), at("12:00")),
                "pricing", freeze(at("07:00"), at("08:00")),
                "", freeze(at("09:50"), at("10:35"))),
            List.of(),
            List.of(),
            List.of(
                "WARNING FREEZE_EXPIRING checkout 09:45",
                "WARNING FREEZE_EXPIRING  09:50",
                "INFO FREEZE_EXPIRED inventory 10:00")),
        new Case(
            "a definition that does not load is critical; a pending backport is info, since its"
                + " hotfix",
            List.of(
                app(
                    "inventory",
                    SyncStatus.Synced,
                    Health.healthy(),
                    List.of(
                        new Hotfix(
                            new ResourceKey("apps", "Deployment", "shop", "inventory"),
                            "/spec/replicas",
                            "scaled for the sale",
                            "bob",
                            at("08:15"),
                            at("20:00"))))),
            Map.of(),
            List.of(
                new Attention.DefinitionProblem(
                    "", "apps/search/application.yaml:3:7", "mapping values are not allowed here")),
            List.of(),
            List.of(
                "CRITICAL DEFINITION_FAILED  10:30", "INFO BACKPORT_PENDING inventory 08:15")),
        new Case(
            "nothing wrong, nothing there",
            List.of(synced("checkout"), synced("inventory")),
            Map.of(),
            List.of(),
            List.of(),
            List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void theQueueIsSortedBySeverityThenAge(Case c) {
    List<AttentionItem> queue =
        Attention.of(
            Attention.Input.of(NOW, c.applications(), c.freezes(), c.definitions(), c.events()),
            List.of());

    List<String> shown = new ArrayList<>();
    for (AttentionItem item : queue) {
      shown.add(
          item.severity()
              + " "
              + item.kind()
              + " "
              + item.application()
              + " "
              + item.since().toString().substring(11, 16));
    }
    assertThat(shown).containsExactlyElementsOf(c.expected());
  }

  @Test
  void aFailingMeasurementNamesItsMetricOnce() {
    Measurement plain = measurement("success-rate", "0.91 (result[0] >= 0.99 not met)");
    assertThat(Attention.failing(plain)).isEqualTo("success-rate 0.91 (result[0] >= 0.99 not met)");
    Measurement named = measurement("p99-latency", "p99-latency 0.435 (result[0] < 0.3 not met)");
    assertThat(Attention.failing(named)).isEqualTo("p99-latency 0.435 (result[0] < 0.3 not met)");
  }

  private static Measurement measurement(String metric, String message) {
    return new Measurement(
        metric,
        at("10:00"),
        new Observation.Value(MetricValue.scalar(0.5)),
        AnalysisPhase.FAILED,
        Optional.empty(),
        message);
  }

  @Test
  void eachItemSaysWhatAndSuggestsAKeyAction() {
    List<AttentionItem> queue =
        Attention.of(
            Attention.Input.of(
                NOW,
                List.of(
                    synced(
                        "storefront",
                        rollout(
                            "storefront",
                            RolloutPhase.DEGRADED,
                            "v2.4.1 rolled back: success-rate 0.91",
                            Optional.empty()))),
                Map.of(),
                List.of(),
                List.of()),
            List.of());

    AttentionItem item = queue.getFirst();
    assertThat(item.message()).isEqualTo("rollout failed: v2.4.1 rolled back: success-rate 0.91");
    assertThat(item.action()).isEqualTo(AttentionItem.Action.ROLLBACK);
    assertThat(item.action().command("storefront")).isEqualTo("weir rollback storefront --to REV");
    assertThat(queue).as("the rollback explains the Degraded health: one item").hasSize(1);
  }

  @Test
  void anItemKeepsTheSinceOfThePreviousQueueWhenNothingElseSaysWhen() {
    List<ApplicationView> apps = List.of(outOfSync("inventory"));
    List<AttentionItem> first =
        Attention.of(Attention.Input.of(at("10:00"), apps, Map.of(), List.of(), List.of()), List.of());
    List<AttentionItem> later =
        Attention.of(Attention.Input.of(NOW, apps, Map.of(), List.of(), List.of()), first);

    assertThat(later.getFirst().since()).isEqualTo(at("10:00"));
    assertThat(later.getFirst().age(NOW)).isEqualTo(Duration.ofMinutes(30));
  }
}
