package dev.weir.engine.console;

import dev.weir.engine.model.DesiredState;
import dev.weir.engine.model.LiveObject;
import dev.weir.engine.reconcile.AutomationPolicy;
import dev.weir.engine.reconcile.InformerLiveSource;
import dev.weir.engine.rollout.RolloutExecutor;
import dev.weir.engine.time.EngineClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The automation loop (watch mode): live state from informers, Git polled, automated sync and
 * self-heal as each application's {@link AutomationPolicy} says, with backoff on the clock; and
 * {@code weir reconcile --once}'s single pass.
 */
final class AutomationLoop {
  private final ConsoleCore core;
  private volatile InformerLiveSource informers;
  private volatile EngineClock.Scheduled polling;
  private volatile boolean watching;
  private final java.util.concurrent.atomic.AtomicBoolean polls =
      new java.util.concurrent.atomic.AtomicBoolean();

  AutomationLoop(ConsoleCore core) {
    this.core = core;
  }

  boolean watching() {
    return watching;
  }

  /** Starts watching; the caller refreshes next. */
  void start() {
    watching = true;
    core.rollouts.drive();
    InformerLiveSource source = new InformerLiveSource(core.gateway, this::liveChanged);
    informers = source;
    core.live = source;
    // a rollout's record (its state ConfigMap) is in no application: without this watch a promote
    // made by another console reached this one only at its next Git poll. Off the caller's thread:
    // discovery may wait for a cluster that does not answer
    core.workers.submit(
        () -> {
          try {
            if (watching && informers == source) {
              source.watch(core.gateway.resourceType("v1", "ConfigMap"));
            }
          } catch (RuntimeException e) {
            // the cluster cannot be read yet: the refresh says so; records are read at each pass
          }
        });
    core.drivers.watchInBackground();
    core.announcements.start();
    // one pass at a time: a pass longer than the interval (a thousand applications on a loaded
    // machine) is not queued behind itself, it is followed by the next tick's
    polling =
        core.clock.every(
            core.options.refreshInterval(),
            () -> {
              if (polls.compareAndSet(false, true)) {
                core.workers.submit(
                    () -> {
                      try {
                        core.snapshots.refreshAll(true);
                      } finally {
                        polls.set(false);
                      }
                    });
              }
            });
  }

  /** Stops watching: timers cancelled, informers closed. */
  void stop() {
    watching = false;
    if (polling != null) {
      polling.cancel();
    }
    core.entries
        .values()
        .forEach(
            e -> {
              if (e.automation != null) {
                e.automation.cancel();
              }
              if (e.refresh != null) {
                e.refresh.cancel();
              }
            });
    if (informers != null) {
      informers.close();
    }
  }

  CommandResult reconcileOnce() {
    CommandResult refreshed = core.snapshots.refreshAll(true);
    if (refreshed.status() == CommandResult.Status.UNREACHABLE) {
      return refreshed;
    }
    List<String> lines = new ArrayList<>();
    boolean failed = false;
    List<ApplicationEntry> ordered = core.inSyncOrder();
    for (ApplicationEntry entry : ordered) {
      Optional<AutomationPolicy.Decision> decision = decide(entry, false);
      if (decision.isEmpty()) {
        continue;
      }
      CommandResult result = core.syncs.autoSync(entry, decision.get());
      lines.add(result.message());
      failed |= !result.ok();
    }
    String summary = core.snapshots.summaryLine();
    String message =
        lines.isEmpty()
            ? "nothing to do: " + summary
            : lines.size() + " automatic sync" + (lines.size() == 1 ? "" : "s") + ": " + summary;
    return new CommandResult(
        failed ? CommandResult.Status.FAILED : CommandResult.Status.OK, message, lines);
  }

  private Optional<AutomationPolicy.Decision> decide(
      ApplicationEntry entry, boolean respectBackoff) {
    ApplicationView view = entry.view;
    if (view == null || entry.compared == null) {
      return Optional.empty();
    }
    boolean failed = entry.state.pin().isEmpty() && entry.rendered.failed();
    return AutomationPolicy.decide(
        entry.rendered.application(),
        entry.state,
        view.sync(),
        failed,
        view.revision(),
        respectBackoff ? entry.attempts : 0,
        entry.lastAttempt,
        core.clock.instant(),
        core.options.selfHealBackoff(),
        core.options.maxBackoff());
  }

  /** In watch mode, schedules the automated sync or self-heal {@code entry} needs, if any. */
  void scheduleIfWatching(ApplicationEntry entry) {
    if (watching) {
      scheduleAutomation(entry);
    }
  }

  private synchronized void scheduleAutomation(ApplicationEntry entry) {
    if (!core.drives(entry.rendered.name())) {
      return; // another replica drives it
    }
    Optional<AutomationPolicy.Decision> decision = decide(entry, true);
    if (decision.isEmpty() || entry.automation != null || core.closed) {
      return;
    }
    Duration wait = Duration.between(core.clock.instant(), decision.get().notBefore());
    entry.automation =
        core.clock.schedule(
            wait.isNegative() ? Duration.ZERO : wait,
            () ->
                core.inTurn(
                    () -> {
                      synchronized (AutomationLoop.this) {
                        entry.automation = null;
                      }
                      entry.lock.lock();
                      try {
                        core.snapshots.compare(entry);
                        Optional<AutomationPolicy.Decision> still = decide(entry, false);
                        if (still.isPresent() && core.drives(entry.rendered.name())) {
                          core.syncs.autoSync(entry, still.get());
                        }
                      } catch (RuntimeException e) {
                        core.event(
                            ConsoleEvent.Kind.SYNC,
                            Severity.WARNING,
                            entry.rendered.name(),
                            "automated",
                            "automatic sync failed: " + e.getMessage());
                      } finally {
                        entry.lock.unlock();
                      }
                    }));
  }

  private void liveChanged(LiveObject object) {
    if (core.closed) {
      return;
    }
    for (ApplicationEntry entry : core.entries.values()) {
      if (core.compares(entry.rendered.name())
          && concerns(
          entry.rendered.name(), entry.compared, object, core.rollouts.rolloutApplications())) {
        synchronized (this) {
          if (entry.refresh == null) {
            entry.refresh =
                core.clock.schedule(
                    Duration.ofSeconds(1),
                    () ->
                        core.inTurn(
                            () -> {
                              synchronized (AutomationLoop.this) {
                                entry.refresh = null;
                              }
                              entry.lock.lock();
                              try {
                                core.snapshots.compare(entry);
                                core.rollouts.reconcile();
                              } finally {
                                entry.lock.unlock();
                              }
                            }));
          }
        }
      }
    }
  }

  /**
   * Whether a change of {@code object} concerns {@code application}: one of its objects in Git
   * ({@code compared}), an object annotated as its own, or one the rollout engine made for one of
   * its rollouts ({@code rolloutApplications}: rollout → application). The last are not in Git
   * (a canary's Deployment), and their pods becoming ready is what a rollout waits for.
   */
  static boolean concerns(
      String application,
      DesiredState compared,
      LiveObject object,
      Map<String, String> rolloutApplications) {
    if (compared != null && compared.resources().containsKey(object.key())) {
      return true;
    }
    if (application.equals(object.annotations().get("weir.dev/application"))) {
      return true;
    }
    return object.labels().get(RolloutExecutor.ROLLOUT_LABEL) instanceof String rollout
        && application.equals(rolloutApplications.get(rollout));
  }
}
