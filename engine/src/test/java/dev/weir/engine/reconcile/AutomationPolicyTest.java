package dev.weir.engine.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.model.Application;
import dev.weir.engine.model.SyncPolicy;
import dev.weir.engine.model.SyncRetry;
import dev.weir.engine.model.SyncStatus;
import dev.weir.engine.testkit.DesiredStates;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** When an application syncs by itself. */
class AutomationPolicyTest {
  static final Instant NOW = Instant.parse("2026-01-01T10:00:00Z");
  static final String REV = "3f2a1c9aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
  static final Application AUTO =
      DesiredStates.application("web", "shop", new SyncPolicy(true, true, true, false), List.of());
  static final Duration BASE = Duration.ofSeconds(5);
  static final Duration MAX = Duration.ofMinutes(3);

  static ApplicationState synced(String revision) {
    return ApplicationState.EMPTY.withLastSync(
        new LastSync(revision, SyncResult.Outcome.SUCCEEDED, "ok", NOW.minusSeconds(60), "x"));
  }

  static Optional<AutomationPolicy.Decision> decide(
      Application app, ApplicationState state, SyncStatus sync, int attempts, Instant last) {
    return AutomationPolicy.decide(app, state, sync, false, REV, attempts, last, NOW, BASE, MAX);
  }

  @Test
  void aNewRevisionSyncsAtOnceAndDriftHealsAfterTheBackoff() {
    var moved = decide(AUTO, synced("0000000"), SyncStatus.OutOfSync, 0, null).orElseThrow();
    assertThat(moved.trigger()).isEqualTo(SyncRequest.Trigger.AUTOMATED);
    assertThat(moved.notBefore()).isEqualTo(NOW);
    assertThat(moved.why()).isEqualTo("Git moved to 3f2a1c9");

    var drift = decide(AUTO, synced(REV), SyncStatus.OutOfSync, 0, null).orElseThrow();
    assertThat(drift.trigger()).isEqualTo(SyncRequest.Trigger.SELF_HEAL);
    assertThat(drift.notBefore()).isEqualTo(NOW.plus(BASE));
  }

  @Test
  void repeatedAttemptsBackOffExponentiallyUpToTheMaximum() {
    Instant last = NOW.minusSeconds(1);
    assertThat(decide(AUTO, synced(REV), SyncStatus.OutOfSync, 1, last).orElseThrow().notBefore())
        .isEqualTo(last.plus(BASE));
    assertThat(decide(AUTO, synced(REV), SyncStatus.OutOfSync, 3, last).orElseThrow().notBefore())
        .isEqualTo(last.plusSeconds(20));
    assertThat(decide(AUTO, synced(REV), SyncStatus.OutOfSync, 12, last).orElseThrow().notBefore())
        .isEqualTo(last.plus(MAX));
  }

  @Test
  void nothingHappensWhenManualInSyncFrozenOrWithoutSelfHeal() {
    Application manual = DesiredStates.application("web", "shop", SyncPolicy.MANUAL, List.of());
    Application noHeal =
        DesiredStates.application(
            "web", "shop", new SyncPolicy(true, false, false, false), List.of());
    assertThat(decide(manual, synced("0000000"), SyncStatus.OutOfSync, 0, null)).isEmpty();
    assertThat(decide(AUTO, synced("0000000"), SyncStatus.Synced, 0, null)).isEmpty();
    assertThat(decide(AUTO, synced("0000000"), SyncStatus.Unknown, 0, null)).isEmpty();
    assertThat(decide(noHeal, synced(REV), SyncStatus.OutOfSync, 0, null)).isEmpty();
    ApplicationState frozen =
        synced("0000000")
            .withFreeze(Optional.of(new Freeze("x", "alice", NOW, NOW.plusSeconds(60))));
    assertThat(decide(AUTO, frozen, SyncStatus.OutOfSync, 0, null)).isEmpty();
    assertThat(
            AutomationPolicy.decide(
                AUTO, synced("0000000"), SyncStatus.OutOfSync, true, REV, 0, null, NOW, BASE, MAX))
        .as("a failed render never syncs")
        .isEmpty();
  }

  static ApplicationState failed(String revision) {
    return ApplicationState.EMPTY.withLastSync(
        new LastSync(
            revision,
            SyncResult.Outcome.FAILED,
            "conflict with kubectl-edit",
            NOW.minusSeconds(60),
            "automated"));
  }

  @Test
  void aRevisionThatFailedIsNotTriedAgainWithoutARetryPolicyAsInArgoCd() {
    // https://argo-cd.readthedocs.io/en/stable/user-guide/auto_sync/#automatic-retry: "automatic
    // sync will not reattempt a sync if the previous sync attempt against the same commit-SHA
    // and parameters had failed" unless syncPolicy.retry is set
    assertThat(decide(AUTO, failed(REV), SyncStatus.OutOfSync, 0, null))
        .as("a console that just started: the failure kept in the cluster counts")
        .isEmpty();
    assertThat(decide(AUTO, failed(REV), SyncStatus.OutOfSync, 3, NOW.minusSeconds(1))).isEmpty();
    var moved = decide(AUTO, failed("0000000"), SyncStatus.OutOfSync, 0, null).orElseThrow();
    assertThat(moved.why()).as("a new commit is tried at once").isEqualTo("Git moved to 3f2a1c9");
    assertThat(moved.notBefore()).isEqualTo(NOW);
  }

  @Test
  void withARetryPolicyAFailedRevisionIsRetriedUpToItsLimitWithItsBackoff() {
    Application retrying =
        DesiredStates.application(
            "web",
            "shop",
            new SyncPolicy(
                true,
                false,
                false,
                false,
                new SyncRetry(2, Duration.ofSeconds(5), 2, Duration.ofMinutes(3))),
            List.of());
    Instant failedAt = NOW.minusSeconds(60);
    var first = decide(retrying, failed(REV), SyncStatus.OutOfSync, 0, null).orElseThrow();
    assertThat(first.trigger()).isEqualTo(SyncRequest.Trigger.AUTOMATED);
    assertThat(first.why()).isEqualTo("retry 1 of 2 of 3f2a1c9");
    assertThat(first.notBefore()).isEqualTo(failedAt.plusSeconds(5));
    Instant last = NOW.minusSeconds(1);
    var second = decide(retrying, failed(REV), SyncStatus.OutOfSync, 2, last).orElseThrow();
    assertThat(second.why()).isEqualTo("retry 2 of 2 of 3f2a1c9");
    assertThat(second.notBefore()).isEqualTo(last.plusSeconds(10));
    assertThat(decide(retrying, failed(REV), SyncStatus.OutOfSync, 3, last))
        .as("the limit reached: it waits for a person")
        .isEmpty();

    Application unlimited =
        DesiredStates.application(
            "web",
            "shop",
            new SyncPolicy(
                true, false, false, false, new SyncRetry(-1, Duration.ofSeconds(5), 2, MAX)),
            List.of());
    var late = decide(unlimited, failed(REV), SyncStatus.OutOfSync, 40, last).orElseThrow();
    assertThat(late.notBefore()).isEqualTo(last.plus(MAX));
    assertThat(late.why()).isEqualTo("retry 40 of 3f2a1c9");
  }
}
