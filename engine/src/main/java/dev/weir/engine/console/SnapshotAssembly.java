package dev.weir.engine.console;

import dev.weir.engine.reconcile.Freeze;
import dev.weir.engine.cluster.ClusterStatus;
import dev.weir.engine.cluster.ClusterException;
import dev.weir.engine.cluster.LeaseRecord;
import dev.weir.engine.diff.ApplicationDiff;
import dev.weir.engine.diff.ResourceDiff;
import dev.weir.engine.git.GitStatus;
import dev.weir.engine.manifest.RenderResult;
import dev.weir.engine.manifest.RenderedApplication;
import dev.weir.engine.manifest.Renderer;
import dev.weir.engine.manifest.RepositoryRender;
import dev.weir.engine.model.Application;
import dev.weir.engine.model.DesiredState;
import dev.weir.engine.model.Health;
import dev.weir.engine.model.HealthStatus;
import dev.weir.engine.model.LiveObject;
import dev.weir.engine.model.SyncStatus;
import dev.weir.engine.reconcile.ApplicationState;
import dev.weir.engine.reconcile.ApplicationStateStore;
import dev.weir.engine.reconcile.Comparison;
import dev.weir.engine.reconcile.HealthAssessor;
import dev.weir.engine.reconcile.Hotfix;
import dev.weir.engine.reconcile.LiveSource;
import dev.weir.engine.reconcile.Reconciler;
import dev.weir.engine.reconcile.SyncTarget;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Snapshot assembly: fetches and renders Git, compares each application with the cluster, keeps
 * each application's {@link ApplicationView}, and makes {@link ConsoleSnapshot}s of them.
 */
final class SnapshotAssembly {
  private final ConsoleCore core;
  private final Renderer renderer = new Renderer();
  private final ReentrantLock refreshLock = new ReentrantLock();

  SnapshotAssembly(ConsoleCore core) {
    this.core = core;
  }

  /** The current state, made now (not coalesced). */
  ConsoleSnapshot snapshot() {
    Instant at = core.clock.instant();
    var drivers = core.drivers.at(at);
    List<ApplicationView> views =
        core.entries.values().stream()
            .map(e -> e.view)
            .filter(Objects::nonNull)
            .sorted(java.util.Comparator.comparing(ApplicationView::name))
            .map(v -> v.withDriver(drivers.apply(v.name())))
            .toList();
    List<ConsoleEvent> recent = core.recentEvents();
    Optional<GitStatus> gitStatus;
    try {
      gitStatus = Optional.of(core.git.status());
    } catch (RuntimeException e) {
      gitStatus = Optional.empty();
    }
    Instant now = core.clock.instant();
    ClusterStatus cluster = core.gateway.status();
    java.util.Map<String, List<ConsoleEvent>> byApplication = core.events.log().byApplication();
    List<AttentionItem> queue = attention(views, byApplication, now);
    return new ConsoleSnapshot(
        core.version.incrementAndGet(),
        now,
        gitStatus,
        cluster,
        views,
        recent,
        Optional.empty(),
        core.git.repositoryUrl(),
        core.git.followedRef(),
        List.of(cluster.context()),
        core.globalFreeze.filter(f -> f.activeAt(now)),
        core.definitionFailures,
        queue,
        byApplication,
        core.experiments.views());
  }

  private List<AttentionItem> attention(
      List<ApplicationView> views, java.util.Map<String, List<ConsoleEvent>> recent, Instant now) {
    java.util.Map<String, Freeze> freezes = new java.util.HashMap<>();
    core.entries.values().stream()
        .filter(e -> e.rendered != null)
        .forEach(e -> e.state.freeze().ifPresent(f -> freezes.put(e.rendered.name(), f)));
    core.globalFreeze.ifPresent(f -> freezes.put("", f));
    List<AttentionItem> queue =
        Attention.of(
            new Attention.Input(now, views, freezes, definitions, recent), core.attention);
    core.attention = queue;
    return queue;
  }

  private volatile List<Attention.DefinitionProblem> definitions = List.of();

  /**
   * The incident timeline since {@code since}, oldest first, of one application or all: the
   * events this console kept or read back from the cluster at its first refresh ({@link
   * ClusterTimeline}: what other consoles saw, rollout transitions and measurements), and the
   * commits that touched each application's path in Git.
   */
  List<ConsoleEvent> timeline(Optional<String> application, Instant since) {
    List<ConsoleEvent> out =
        new ArrayList<>(core.events.log().since(since, application.orElse(null)));
    for (ApplicationEntry entry : core.sortedEntries()) {
      String name = entry.rendered.name();
      if (application.isPresent() && !application.get().equals(name)) {
        continue;
      }
      try {
        for (dev.weir.engine.git.CommitInfo commit :
            core.git.history(entry.rendered.application().path(), 50)) {
          ConsoleEvent seen = ConsoleEvents.ofCommit(name, commit);
          if (!commit.date().isBefore(since) && !out.contains(seen)) {
            out.add(seen);
          }
        }
      } catch (dev.weir.engine.git.GitException e) {
        // the cluster's side of the timeline still stands
      }
    }
    // within one second a commit comes first: what it set off follows it
    out.sort(
        java.util.Comparator.comparing((ConsoleEvent e) -> e.at().getEpochSecond())
            .thenComparing(e -> e.kind() != ConsoleEvent.Kind.GIT_COMMIT));
    return List.copyOf(out);
  }

  /** Keeps the freeze of every application for the snapshot's header; never throws. */
  private void readGlobalFreeze() {
    try {
      core.globalFreeze = core.reconciler.store().loadGlobalFreeze();
    } catch (ClusterException e) {
      // kept as last read; the cluster's status says it does not answer
    }
  }

  CommandResult refreshAll(boolean fetch) {
    refreshLock.lock();
    try {
      GitStatus status = fetch ? core.git.fetch() : core.git.status();
      RepositoryRender render = renderer.render(core.git.head());
      core.definitionFailures = DefinitionFailure.of(render);
      Set<String> names = new java.util.HashSet<>();
      for (RenderedApplication rendered : render.applications()) {
        names.add(rendered.name());
        ApplicationEntry entry =
            core.entries.computeIfAbsent(rendered.name(), n -> new ApplicationEntry());
        entry.rendered = rendered;
        core.events.namespace(
            rendered.name(), ApplicationStateStore.namespaceOf(rendered.application()));
        core.events.commitsSeen(
            rendered.name(), rendered.application().path(), rendered.revision(), core.git);
      }
      core.entries.keySet().retainAll(names);
      definitions = ConsoleEvents.definitions(render);
      readGlobalFreeze();
      core.drivers.readUnlessWatching();
      core.sharding.yieldBeforePass();
      core.announcements.changed();
      for (ApplicationEntry entry : core.sortedEntries()) {
        // a replica compares what it drives; the others' replicas compare theirs (Sharding
        // compares an application as soon as it is gained)
        if (core.compares(entry.rendered.name())) {
          compare(entry);
        }
      }
      if (core.gateway.status().isReachable() && !core.readBack) {
        java.util.Map<String, String> namespaces = new java.util.TreeMap<>();
        core.sortedEntries()
            .forEach(
                e ->
                    namespaces.put(
                        e.rendered.name(),
                        ApplicationStateStore.namespaceOf(e.rendered.application())));
        core.readBack =
            core.events.readBack(namespaces, core.rollouts.rolloutApplications(), Duration.ofHours(1));
      }
      try {
        core.experiments.look();
      } catch (RuntimeException e) {
        // an experiment that cannot be read shows as Unknown at the next look
      }
      core.publisher.changed();
      if (!core.gateway.status().isReachable()) {
        return CommandResult.of(
            CommandResult.Status.UNREACHABLE, core.gateway.status().describe(core.clock.instant()));
      }
      String stale =
          status.isStale() ? " (Git is stale: " + status.lastError().message() + ")" : "";
      return CommandResult.ok(
          "refreshed at " + status.shortRevision() + ": " + summaryLine() + stale);
    } finally {
      refreshLock.unlock();
    }
  }

  String summaryLine() {
    long out =
        core.entries.values().stream()
            .filter(e -> e.view != null && e.view.sync() == SyncStatus.OutOfSync)
            .count();
    long unknown =
        core.entries.values().stream()
            .filter(e -> e.view != null && e.view.sync() == SyncStatus.Unknown)
            .count();
    return core.entries.size()
        + " applications, "
        + out
        + " OutOfSync"
        + (unknown > 0 ? ", " + unknown + " Unknown" : "");
  }

  /** Re-reads the kept state and compares one application; never throws. */
  void compare(ApplicationEntry entry) {
    compare(entry, core.live);
  }

  /**
   * Compares right after this console wrote the application: informers may not have seen its own
   * writes yet (they lag under load), so the comparison reads the cluster directly.
   */
  void compareAfterWrite(ApplicationEntry entry) {
    compare(entry, LiveSource.direct(core.gateway));
  }

  private void compare(ApplicationEntry entry, LiveSource live) {
    RenderedApplication rendered = entry.rendered;
    Application app = rendered.application();
    List<String> problems =
        new ArrayList<>(rendered.errors().stream().map(Object::toString).toList());
    ApplicationState state;
    try {
      state = core.reconciler.state(app);
      state = core.pins.unpinIfGitCaughtUp(entry, state);
    } catch (ClusterException e) {
      problems.add(e.getMessage());
      entry.view =
          view(
              rendered,
              entry.state,
              rendered.revision(),
              Optional.empty(),
              problems,
              Optional.empty(),
              true);
      core.publisher.changed();
      return;
    }
    entry.state = state;
    Optional<DesiredState> desired;
    String revision;
    if (state.pin().isPresent()) {
      SyncTarget pinned = core.pins.pinnedTarget(app, state.pin().get());
      desired = pinned.desired();
      revision = pinned.revision();
      problems.addAll(pinned.renderProblems());
    } else {
      desired =
          rendered.latest() instanceof RenderResult.Rendered r
              ? Optional.of(r.state())
              : rendered.lastGood();
      revision = desired.map(DesiredState::revision).orElse(rendered.revision());
    }
    if (desired.isPresent()) {
      core.rollouts.trackWhileDriving(app, desired.get(), problems);
    }
    // what the definition and its objects ask and Weir does not honour: said, never silent
    app.warnings().forEach(w -> problems.add("warning: " + w));
    desired.ifPresent(
        d ->
            dev.weir.engine.reconcile.ArgoAnnotations.warnings(d)
                .forEach(w -> problems.add("warning: " + w)));
    Optional<Comparison> comparison = Optional.empty();
    boolean unreachable = false;
    if (desired.isPresent()) {
      Instant started = core.clock.instant();
      try {
        Comparison c = core.reconciler.compare(desired.get(), state, live);
        comparison = Optional.of(c);
        unreachable = c.unreachable();
        problems.addAll(c.problems());
        if (!unreachable) {
          core.options.telemetry().setDrift(app.name(), c.diff().drifted().size());
        }
      } catch (ClusterException e) {
        unreachable = true;
        problems.add(e.getMessage());
      }
      core.options
          .telemetry()
          .recordReconcile(app.name(), Duration.between(started, core.clock.instant()));
    }
    entry.compared = desired.orElse(null);
    Optional<LeaseRecord> lease = Optional.empty();
    if (!unreachable) {
      try {
        lease =
            core.gateway
                .readLease(ApplicationStateStore.namespaceOf(app), Reconciler.leaseName(app))
                .filter(l -> l.expiresAt().isAfter(core.clock.instant()));
      } catch (ClusterException e) {
        // the Lease is only shown; its absence is not an error
      }
    }
    ApplicationView before = entry.view;
    entry.view = view(rendered, state, revision, comparison, problems, lease, unreachable);
    core.events.compared(before, entry.view);
    if (entry.view.sync() == SyncStatus.Synced) {
      entry.attempts = 0;
    }
    core.publisher.changed();
    core.automation.scheduleIfWatching(entry);
  }

  /**
   * A rollout of {@code entry} took a pass that moved it: its statuses and views are redrawn from
   * the executor at once, keeping the last comparison (a pass's own writes to objects in Git are
   * compared when their informer events arrive). Without this the snapshot kept what the rollout
   * was at the application's last comparison — {@code waiting for canary pods} after the weight was
   * set — until an object of the application changed again or Git was polled (issue 17, §3). Reads
   * nothing from the cluster; never throws.
   */
  void rolloutsChanged(ApplicationEntry entry) {
    ApplicationView v = entry.view;
    if (v == null) {
      return;
    }
    entry.view =
        new ApplicationView(
            v.name(),
            v.namespace(),
            v.revision(),
            v.sync(),
            v.health(),
            v.resources(),
            v.diff(),
            v.render(),
            v.problems(),
            v.lastSync(),
            v.freeze(),
            v.pin(),
            v.hotfixes(),
            v.lease(),
            v.automated(),
            core.rollouts.statuses(v.name()),
            v.tree(),
            core.rollouts.views(v.name()),
            v.flags(),
            v.driver());
    core.publisher.changed();
  }

  /** Re-reads only the kept state (freeze, pin, hotfix marks), keeping the last comparison. */
  void restate(ApplicationEntry entry) {
    if (entry.view == null) {
      return;
    }
    try {
      ApplicationState state = core.reconciler.state(entry.rendered.application());
      entry.state = state;
      ApplicationView v = entry.view;
      entry.view =
          new ApplicationView(
              v.name(),
              v.namespace(),
              v.revision(),
              v.sync(),
              v.health(),
              v.resources(),
              v.diff(),
              v.render(),
              v.problems(),
              state.lastSync(),
              state.activeFreeze(core.clock.instant()),
              state.pin(),
              state.activeHotfixes(core.clock.instant()),
              v.lease(),
              v.automated(),
              core.rollouts.statuses(v.name()),
              v.tree(),
              core.rollouts.views(v.name()),
              v.flags(),
              v.driver());
      core.publisher.changed();
    } catch (ClusterException e) {
      // shown at the next refresh
    }
  }

  private ApplicationView view(
      RenderedApplication rendered,
      ApplicationState state,
      String revision,
      Optional<Comparison> comparison,
      List<String> problems,
      Optional<LeaseRecord> lease,
      boolean unreachable) {
    Application app = rendered.application();
    Instant now = core.clock.instant();
    ApplicationDiff diff =
        comparison
            .map(Comparison::diff)
            .orElse(new ApplicationDiff(app.name(), revision, List.of(), List.of()));
    List<Hotfix> hotfixes = state.activeHotfixes(now);
    List<ResourceView> resources = new ArrayList<>();
    HealthStatus worst = HealthStatus.Healthy;
    Health worstHealth = Health.healthy();
    for (ResourceDiff resource : diff.resources()) {
      LiveObject object = comparison.get().live().get(resource.key());
      Health health =
          resource.status() == ResourceDiff.Status.EXTRA
              ? HealthAssessor.assess(object, now)
              : HealthAssessor.assess(
                  resource.status() == ResourceDiff.Status.MISSING ? null : object, now);
      if (resource.status() != ResourceDiff.Status.EXTRA && health.status().worse(worst) != worst) {
        worst = health.status();
        worstHealth =
            new Health(worst, resource.key() + ": " + health.message(), health.deadline());
      }
      boolean hotfixed = hotfixes.stream().anyMatch(h -> h.key().equals(resource.key()));
      resources.add(
          new ResourceView(
              resource.key(),
              resource.drifted() ? SyncStatus.OutOfSync : SyncStatus.Synced,
              health,
              resource,
              hotfixed));
    }
    SyncStatus sync;
    if (unreachable || comparison.isEmpty()) {
      sync = SyncStatus.Unknown;
      worstHealth =
          Health.of(
              HealthStatus.Unknown,
              unreachable ? "the cluster could not be read" : "no desired state");
    } else {
      sync = diff.hasDrift() ? SyncStatus.OutOfSync : SyncStatus.Synced;
    }
    return new ApplicationView(
        app.name(),
        app.namespace(),
        revision,
        sync,
        worstHealth,
        resources,
        diff,
        rendered.summary(),
        problems,
        state.lastSync(),
        state.activeFreeze(now),
        state.pin(),
        hotfixes,
        lease,
        app.syncPolicy().automated(),
        core.rollouts.statuses(app.name()),
        unreachable || comparison.isEmpty()
            ? ResourceTree.flat(resources)
            : tree(resources, comparison.get(), now),
        core.rollouts.views(app.name()),
        core.flags.views(app, revision),
        null);
  }

  /** The resource tree: what the application's objects own, read around them; never throws. */
  private ResourceTree tree(List<ResourceView> resources, Comparison comparison, Instant now) {
    try {
      List<LiveObject> around =
          ResourceTreeReads.read(core.gateway, resources.stream().map(ResourceView::key).toList());
      return ResourceTree.of(resources, comparison.live(), around, now);
    } catch (ClusterException e) {
      return ResourceTree.flat(resources); // the next comparison reads again
    }
  }
}
