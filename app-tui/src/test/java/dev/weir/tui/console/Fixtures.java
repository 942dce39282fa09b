package dev.weir.tui.console;

import dev.weir.engine.console.ApplicationView;
import dev.weir.engine.console.FakeConsole;
import dev.weir.engine.model.Health;
import dev.weir.engine.model.HealthStatus;
import dev.weir.engine.model.SyncStatus;
import dev.weir.engine.rollout.RolloutPhase;
import dev.weir.engine.rollout.RolloutStatus;
import java.util.List;
import java.util.Optional;

/**
 * Applications as the engine would show them, for screen tests against the {@link FakeConsole}
 * (tests may build engine values; the console's own code may not).
 */
final class Fixtures {
  private Fixtures() {}

  static ApplicationView healthy(String name) {
    return FakeConsole.application(name);
  }

  /** An application whose canary rollout is in {@code phase} at {@code weight}%. */
  static ApplicationView withRollout(String name, RolloutPhase phase, int weight, String message) {
    ApplicationView a = FakeConsole.application(name);
    RolloutStatus status =
        new RolloutStatus(
            name, name, "canary", phase, message, 3, 7, weight, "v2.4.0", Optional.of("v2.4.1"),
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
        a.hotfixes(), a.lease(), a.automated(), List.of(status));
  }

  static FakeConsole console(ApplicationView... applications) {
    return new FakeConsole(FakeConsole.loaded(List.of(applications)));
  }
}
