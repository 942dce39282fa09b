package dev.weir.engine.reconcile;

import dev.weir.engine.cluster.ApplyOptions;
import dev.weir.engine.cluster.ClusterError;
import dev.weir.engine.cluster.ClusterException;
import dev.weir.engine.cluster.ClusterGateway;
import dev.weir.engine.model.Health;
import dev.weir.engine.model.HealthStatus;
import dev.weir.engine.model.LiveObject;
import dev.weir.engine.model.ResourceKey;
import dev.weir.engine.time.EngineClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * Carries out a {@link SyncPlan} against a cluster, in one place: server-side applies as {@code
 * weir} in wave-group order (waiting, between groups, until the group's objects are healthy), then
 * prunes. The first failure stops the sync: later steps are reported as not attempted, and prunes
 * never run after a failed apply. Applies are idempotent, so a sync stopped by an outage is simply
 * planned and run again: objects already applied are then in sync and skipped.
 *
 * <p>A dry run sends every apply with {@code dryRun=All} (so the API server validates it) and only
 * checks that prune targets exist.
 *
 * <p>Threading: {@link #execute} blocks the calling thread (network, health waits on the {@link
 * EngineClock}); run it on a worker thread. Thread-safe otherwise.
 */
public final class SyncExecutor {

  /**
   * @param waveTimeout how long to wait for a wave group's health before failing the sync
   * @param pollInterval how often to check health while waiting
   */
  public record Options(Duration waveTimeout, Duration pollInterval) {
    public static Options defaults() {
      return new Options(Duration.ofMinutes(5), Duration.ofSeconds(2));
    }
  }

  private final ClusterGateway gateway;
  private final EngineClock clock;
  private final Options options;

  public SyncExecutor(ClusterGateway gateway, EngineClock clock, Options options) {
    this.gateway = gateway;
    this.clock = clock;
    this.options = options;
  }

  public SyncExecutor(ClusterGateway gateway, EngineClock clock) {
    this(gateway, clock, Options.defaults());
  }

  /** Runs {@code plan}, telling {@code onStep} each result as it happens. */
  public SyncResult execute(SyncPlan plan, Consumer<ResourceResult> onStep) {
    Instant started = clock.instant();
    String app = plan.application();
    String rev = SyncPlanner.shortRev(plan.revision());
    if (plan.blocked()) {
      return new SyncResult(
          app,
          plan.revision(),
          SyncResult.Outcome.BLOCKED,
          List.of(),
          "sync of " + app + " refused: " + String.join("; ", plan.blockers()),
          started,
          clock.instant(),
          "");
    }
    boolean dryRun = plan.request().dryRun();
    ApplyOptions applyOptions =
        ApplyOptions.weir().withForce(plan.request().force()).withDryRun(dryRun);
    List<ResourceResult> results = new ArrayList<>();
    Consumer<ResourceResult> record =
        r -> {
          results.add(r);
          onStep.accept(r);
        };
    String failure = runHooks(plan.hooks(ArgoAnnotations.HookPhase.PRE_SYNC), applyOptions, record);
    List<SyncStep.Apply> applies = plan.applies();
    for (int i = 0; i < applies.size(); i++) {
      SyncStep.Apply step = applies.get(i);
      if (failure != null) {
        record.accept(
            new ResourceResult(
                step.key(), ResourceResult.Action.NOT_ATTEMPTED, failure, Optional.empty()));
        continue;
      }
      try {
        gateway.apply(withLiveValues(step), applyOptions);
        record.accept(
            new ResourceResult(
                step.key(),
                dryRun
                    ? ResourceResult.Action.WOULD_APPLY
                    : step.create()
                        ? ResourceResult.Action.CREATED
                        : ResourceResult.Action.CONFIGURED,
                dryRun ? (step.create() ? "create" : "update") : "",
                Optional.empty()));
      } catch (ClusterException e) {
        record.accept(
            new ResourceResult(
                step.key(), ResourceResult.Action.FAILED, e.getMessage(), Optional.of(e.error())));
        failure = "stopped after " + step.key() + " failed";
        continue;
      }
      boolean lastOfGroup = i + 1 == applies.size() || applies.get(i + 1).group() != step.group();
      boolean moreToCome = i + 1 < applies.size();
      if (lastOfGroup && moreToCome && !dryRun) {
        int group = step.group();
        List<ResourceKey> keys =
            applies.stream().filter(a -> a.group() == group).map(SyncStep.Apply::key).toList();
        Optional<String> unhealthy = awaitHealthy(keys);
        if (unhealthy.isPresent()) {
          failure = "wave " + step.wave() + " did not become healthy: " + unhealthy.get();
        }
      }
    }
    if (failure == null) {
      failure = runHooks(plan.hooks(ArgoAnnotations.HookPhase.SYNC), applyOptions, record);
    }
    List<SyncStep.Hook> postSync = plan.hooks(ArgoAnnotations.HookPhase.POST_SYNC);
    if (failure == null && !postSync.isEmpty() && !dryRun) {
      // PostSync runs once every object of the sync is healthy
      Optional<String> unhealthy =
          awaitHealthy(applies.stream().map(SyncStep.Apply::key).toList());
      if (unhealthy.isPresent()) {
        failure = "the sync did not become healthy: " + unhealthy.get();
      }
    }
    if (failure == null) {
      failure = runHooks(postSync, applyOptions, record);
    }
    for (SyncStep.Prune prune : plan.prunes()) {
      if (failure != null) {
        record.accept(
            new ResourceResult(
                prune.key(), ResourceResult.Action.NOT_ATTEMPTED, failure, Optional.empty()));
        continue;
      }
      try {
        boolean existed = gateway.delete(prune.key(), dryRun);
        record.accept(
            new ResourceResult(
                prune.key(),
                dryRun ? ResourceResult.Action.WOULD_PRUNE : ResourceResult.Action.PRUNED,
                existed ? "" : "already gone",
                Optional.empty()));
      } catch (ClusterException e) {
        record.accept(
            new ResourceResult(
                prune.key(), ResourceResult.Action.FAILED, e.getMessage(), Optional.of(e.error())));
        failure = "stopped after " + prune.key() + " failed";
      }
    }
    if (failure != null || results.stream().anyMatch(r -> r.action() == ResourceResult.Action.FAILED)) {
      runHooks(plan.hooks(ArgoAnnotations.HookPhase.SYNC_FAIL), applyOptions, record);
    }
    for (SyncStep.Skip skip : plan.skips()) {
      record.accept(
          new ResourceResult(
              skip.key(),
              ResourceResult.Action.SKIPPED,
              skip.detail().isEmpty() ? skip.reason().text() : skip.detail(),
              Optional.empty()));
    }
    return new SyncResult(
        app,
        plan.revision(),
        outcome(plan, results, failure, dryRun),
        results,
        message(plan, results, failure, rev, dryRun),
        started,
        clock.instant(),
        plan.confirmation());
  }

  private final java.util.concurrent.atomic.AtomicLong generated =
      new java.util.concurrent.atomic.AtomicLong();

  /**
   * Runs {@code hooks} (one phase, in wave order): each wave's hooks are created, then waited for
   * until healthy (a Job until it completes); then deleted as their policies say. Returns why the
   * phase failed, or null.
   */
  private String runHooks(
      List<SyncStep.Hook> hooks, ApplyOptions applyOptions, Consumer<ResourceResult> record) {
    boolean dryRun = applyOptions.dryRun();
    int i = 0;
    while (i < hooks.size()) {
      int wave = hooks.get(i).wave();
      List<SyncStep.Hook> group = new ArrayList<>();
      while (i < hooks.size() && hooks.get(i).wave() == wave) {
        group.add(hooks.get(i++));
      }
      Map<ResourceKey, SyncStep.Hook> created = new LinkedHashMap<>();
      String failure = null;
      for (SyncStep.Hook hook : group) {
        Map<String, Object> object = Tracking.deepCopy(hook.object());
        @SuppressWarnings("unchecked")
        Map<String, Object> metadata = (Map<String, Object>) object.get("metadata");
        ResourceKey key = hook.key();
        if (!(metadata.get("name") instanceof String name) || name.isBlank()) {
          String name = hook.key().name() + suffix();
          metadata.remove("generateName");
          metadata.put("name", name);
          key = new ResourceKey(key.group(), key.kind(), key.namespace(), name);
        }
        try {
          if (hook.deletePolicies().contains(ArgoAnnotations.DeletePolicy.BEFORE_HOOK_CREATION)
              && !dryRun) {
            gateway.delete(key, false);
          }
          gateway.apply(object, applyOptions);
          created.put(key, hook);
          record.accept(
              new ResourceResult(
                  key,
                  dryRun ? ResourceResult.Action.WOULD_APPLY : ResourceResult.Action.CREATED,
                  "hook " + hook.phase().word(),
                  Optional.empty()));
        } catch (ClusterException e) {
          record.accept(
              new ResourceResult(
                  key, ResourceResult.Action.FAILED, e.getMessage(), Optional.of(e.error())));
          failure = "hook " + hook.phase().word() + " " + key + " failed";
          break;
        }
      }
      if (failure == null && !dryRun && !created.isEmpty()) {
        Optional<String> unhealthy = awaitHealthy(List.copyOf(created.keySet()));
        if (unhealthy.isPresent()) {
          failure =
              "hook "
                  + group.getFirst().phase().word()
                  + " did not succeed: "
                  + unhealthy.get();
        }
      }
      if (!dryRun) {
        ArgoAnnotations.DeletePolicy policy =
            failure == null
                ? ArgoAnnotations.DeletePolicy.HOOK_SUCCEEDED
                : ArgoAnnotations.DeletePolicy.HOOK_FAILED;
        for (var entry : created.entrySet()) {
          if (entry.getValue().deletePolicies().contains(policy)) {
            try {
              gateway.delete(entry.getKey(), false);
            } catch (ClusterException e) {
              // left in the cluster; the next run's BeforeHookCreation or a person removes it
            }
          }
        }
      }
      if (failure != null) {
        return failure;
      }
    }
    return null;
  }

  /** Five characters for a {@code generateName} hook, as the API server would add. */
  private String suffix() {
    long seed = clock.instant().toEpochMilli() * 1_000 + generated.incrementAndGet();
    String alphabet = "bcdfghjklmnpqrstvwxz2456789";
    StringBuilder out = new StringBuilder();
    long n = Math.abs(seed * 0x9E3779B97F4A7C15L);
    for (int i = 0; i < 5; i++) {
      out.append(alphabet.charAt((int) Long.remainderUnsigned(n, alphabet.length())));
      n = Long.divideUnsigned(n, alphabet.length());
    }
    return out.toString();
  }

  private static SyncResult.Outcome outcome(
      SyncPlan plan, List<ResourceResult> results, String failure, boolean dryRun) {
    if (failure != null
        || results.stream().anyMatch(r -> r.action() == ResourceResult.Action.FAILED)) {
      return SyncResult.Outcome.FAILED;
    }
    if (!plan.hasWork()) {
      return SyncResult.Outcome.NOTHING_TO_DO;
    }
    return dryRun ? SyncResult.Outcome.DRY_RUN : SyncResult.Outcome.SUCCEEDED;
  }

  private static String message(
      SyncPlan plan, List<ResourceResult> results, String failure, String rev, boolean dryRun) {
    Map<ResourceResult.Action, Integer> counts = new LinkedHashMap<>();
    results.forEach(r -> counts.merge(r.action(), 1, Integer::sum));
    List<String> parts = new ArrayList<>();
    counts.forEach((action, n) -> parts.add(n + " " + word(action, n)));
    String summary = String.join(", ", parts);
    String app = plan.application();
    if (failure != null || counts.containsKey(ResourceResult.Action.FAILED)) {
      ResourceResult first =
          results.stream()
              .filter(r -> r.action() == ResourceResult.Action.FAILED)
              .findFirst()
              .orElse(null);
      String why = first != null ? first.key() + ": " + first.message() : failure;
      return "sync of " + app + " to " + rev + " failed: " + why + " (" + summary + ")";
    }
    if (!plan.hasWork()) {
      return app
          + " is in sync with "
          + rev
          + (plan.confirmation().isEmpty() ? "" : "; " + plan.confirmation())
          + (summary.isEmpty() ? "" : " (" + summary + ")");
    }
    return (dryRun
            ? "dry run of " + app + " to " + rev + " passed: "
            : "synced " + app + " to " + rev + ": ")
        + summary
        + (plan.confirmation().isEmpty() ? "" : "; " + plan.confirmation());
  }

  private static String word(ResourceResult.Action action, int n) {
    return switch (action) {
      case CREATED -> "created";
      case CONFIGURED -> "configured";
      case PRUNED -> "pruned";
      case WOULD_APPLY -> "would apply";
      case WOULD_PRUNE -> "would prune";
      case SKIPPED -> "skipped";
      case FAILED -> "failed";
      case NOT_ATTEMPTED -> "not attempted";
    };
  }

  /**
   * Git's object with the hotfixed fields set to the cluster's values (or left out when absent).
   */
  private Map<String, Object> withLiveValues(SyncStep.Apply step) {
    if (step.keepLive().isEmpty()) {
      return step.object();
    }
    Map<String, Object> object = Tracking.deepCopy(step.object());
    LiveObject live = gateway.get(step.key()).orElse(null);
    for (String pointer : step.keepLive()) {
      JsonPointers.copy(live == null ? Map.of() : live.object(), object, pointer);
    }
    return object;
  }

  /**
   * Waits until every object is healthy; returns what is still not, when the wait times out or one
   * degrades.
   */
  private Optional<String> awaitHealthy(List<ResourceKey> keys) {
    Optional<String> first = check(keys);
    if (first.isEmpty() || first.get().startsWith("!")) {
      return first.map(s -> s.startsWith("!") ? s.substring(1) : s);
    }
    Instant deadline = clock.instant().plus(options.waveTimeout());
    CompletableFuture<Optional<String>> done = new CompletableFuture<>();
    EngineClock.Scheduled poll =
        clock.every(
            options.pollInterval(),
            () -> {
              if (done.isDone()) {
                return;
              }
              try {
                Optional<String> state = check(keys);
                if (state.isEmpty()) {
                  done.complete(Optional.empty());
                } else if (state.get().startsWith("!")) {
                  done.complete(Optional.of(state.get().substring(1)));
                } else if (!clock.instant().isBefore(deadline)) {
                  done.complete(
                      Optional.of(
                          state.get() + " after " + options.waveTimeout().toSeconds() + "s"));
                }
              } catch (RuntimeException e) {
                done.complete(Optional.of(e.getMessage()));
              }
            });
    try {
      return done.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("interrupted");
    } catch (ExecutionException e) {
      return Optional.of(String.valueOf(e.getCause().getMessage()));
    } finally {
      poll.cancel();
    }
  }

  /** Empty when all healthy; "!reason" when one is Degraded; "reason" while waiting. */
  private Optional<String> check(List<ResourceKey> keys) {
    Instant now = clock.instant();
    for (ResourceKey key : keys) {
      Health health;
      try {
        health = HealthAssessor.assess(gateway.get(key).orElse(null), now);
      } catch (ClusterException e) {
        ClusterError error = e.error();
        return Optional.of("!" + key + ": " + error.message());
      }
      if (health.status() == HealthStatus.Degraded) {
        return Optional.of("!" + key + " is " + health);
      }
      if (health.status() != HealthStatus.Healthy && health.status() != HealthStatus.Suspended) {
        return Optional.of(key + " is " + health);
      }
    }
    return Optional.empty();
  }
}
