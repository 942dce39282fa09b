package dev.weir.engine.console;

import dev.weir.engine.cluster.LeaseRecord;
import dev.weir.engine.diff.ApplicationDiff;
import dev.weir.engine.model.Health;
import dev.weir.engine.model.HealthStatus;
import dev.weir.engine.model.SyncStatus;
import dev.weir.engine.reconcile.Freeze;
import dev.weir.engine.reconcile.Hotfix;
import dev.weir.engine.reconcile.LastSync;
import dev.weir.engine.reconcile.Pin;
import dev.weir.engine.rollout.RolloutPhase;
import dev.weir.engine.rollout.RolloutStatus;
import dev.weir.engine.rollout.RolloutView;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One application as every face shows it. {@link #summary()} is the one phase line, computed here
 * once for the CLI and both consoles. Immutable.
 *
 * @param name the application
 * @param namespace its destination namespace ("" for none)
 * @param revision the revision compared (the pin's while pinned)
 * @param sync Synced, OutOfSync or Unknown
 * @param health the worst health of its objects
 * @param resources its objects
 * @param diff Git against the cluster
 * @param render one line about the latest render ({@code rendered rev 3f2a1c9 (12 resources)} or
 *     the failure)
 * @param problems what is wrong beyond drift: render errors, unusable ignore rules, read failures
 * @param lastSync the last sync kept in the cluster
 * @param freeze an active freeze
 * @param pin an active pin
 * @param hotfixes active hotfixes ("backport pending")
 * @param lease who holds the application's Lease now, if anyone
 * @param automated whether the application syncs by itself
 * @param rollouts the status of each of its rollouts (phase, step, weight, one-line message); a
 *     rollout that was rolled back or aborted makes the application Degraded, with its reason and
 *     the revert that would make Git agree ({@code weir rollback APP --to REV}) as the health
 *     message
 * @param tree its objects by owner references (Deployment → ReplicaSet → Pod …), each with its
 *     sync and health ({@link ResourceTree})
 * @param rolloutViews each rollout as the faces draw it (steps, analyses, metric rows and series),
 *     computed once in the engine; in the order of {@code rollouts}
 * @param flags the application's feature flags at {@code revision} (its flagd files), in file
 *     order; empty without flag files
 * @param driver who drives it now: the reconciler replica holding its Lease, the console, or
 *     nobody ({@link ApplicationDriver}); set when the snapshot is made ({@link #withDriver}),
 *     not known ({@code null}) before
 */
public record ApplicationView(
    String name,
    String namespace,
    String revision,
    SyncStatus sync,
    Health health,
    List<ResourceView> resources,
    ApplicationDiff diff,
    String render,
    List<String> problems,
    Optional<LastSync> lastSync,
    Optional<Freeze> freeze,
    Optional<Pin> pin,
    List<Hotfix> hotfixes,
    Optional<LeaseRecord> lease,
    boolean automated,
    List<RolloutStatus> rollouts,
    ResourceTree tree,
    List<RolloutView> rolloutViews,
    List<FlagView> flags,
    ApplicationDriver driver) {

  public ApplicationView {
    flags = flags == null ? List.of() : List.copyOf(flags);
    Objects.requireNonNull(name, "name");
    driver = driver == null ? ApplicationDriver.unknown(name, "not read yet") : driver;
    Objects.requireNonNull(sync, "sync");
    Objects.requireNonNull(health, "health");
    resources = List.copyOf(resources);
    Objects.requireNonNull(diff, "diff");
    problems = List.copyOf(problems);
    hotfixes = List.copyOf(hotfixes);
    rollouts = List.copyOf(rollouts);
    rolloutViews =
        rolloutViews == null
            ? rollouts.stream().map(RolloutView::of).toList()
            : List.copyOf(rolloutViews);
    health = withRollouts(name, health, rollouts);
    tree = tree == null ? ResourceTree.flat(resources) : tree;
  }

  /** A view whose tree is its resources alone, without what they own. */
  public ApplicationView(
      String name,
      String namespace,
      String revision,
      SyncStatus sync,
      Health health,
      List<ResourceView> resources,
      ApplicationDiff diff,
      String render,
      List<String> problems,
      Optional<LastSync> lastSync,
      Optional<Freeze> freeze,
      Optional<Pin> pin,
      List<Hotfix> hotfixes,
      Optional<LeaseRecord> lease,
      boolean automated,
      List<RolloutStatus> rollouts) {
    this(
        name, namespace, revision, sync, health, resources, diff, render, problems, lastSync,
        freeze, pin, hotfixes, lease, automated, rollouts, null, null, List.of(), null);
  }

  /**
   * A view whose rollouts are known by their status only (no steps, rows or series), with {@code
   * tree}.
   */
  public ApplicationView(
      String name,
      String namespace,
      String revision,
      SyncStatus sync,
      Health health,
      List<ResourceView> resources,
      ApplicationDiff diff,
      String render,
      List<String> problems,
      Optional<LastSync> lastSync,
      Optional<Freeze> freeze,
      Optional<Pin> pin,
      List<Hotfix> hotfixes,
      Optional<LeaseRecord> lease,
      boolean automated,
      List<RolloutStatus> rollouts,
      ResourceTree tree) {
    this(
        name, namespace, revision, sync, health, resources, diff, render, problems, lastSync,
        freeze, pin, hotfixes, lease, automated, rollouts, tree, null, List.of(), null);
  }

  /** A view without feature flags (an application without flag files). */
  public ApplicationView(
      String name,
      String namespace,
      String revision,
      SyncStatus sync,
      Health health,
      List<ResourceView> resources,
      ApplicationDiff diff,
      String render,
      List<String> problems,
      Optional<LastSync> lastSync,
      Optional<Freeze> freeze,
      Optional<Pin> pin,
      List<Hotfix> hotfixes,
      Optional<LeaseRecord> lease,
      boolean automated,
      List<RolloutStatus> rollouts,
      ResourceTree tree,
      List<RolloutView> rolloutViews) {
    this(
        name, namespace, revision, sync, health, resources, diff, render, problems, lastSync,
        freeze, pin, hotfixes, lease, automated, rollouts, tree, rolloutViews, List.of(), null);
  }

  /** This view, driven by {@code value}: everything else as it is. */
  public ApplicationView withDriver(ApplicationDriver value) {
    return new ApplicationView(
        name, namespace, revision, sync, health, resources, diff, render, problems, lastSync,
        freeze, pin, hotfixes, lease, automated, rollouts, tree, rolloutViews, flags,
        Objects.requireNonNull(value, "driver"));
  }

  /** This view with the feature flags {@code value}: everything else as it is. */
  public ApplicationView withFlags(List<FlagView> value) {
    return new ApplicationView(
        name, namespace, revision, sync, health, resources, diff, render, problems, lastSync,
        freeze, pin, hotfixes, lease, automated, rollouts, tree, rolloutViews, value, driver);
  }

  /** The flag {@code key}, if this application has it. */
  public Optional<FlagView> flag(String key) {
    return flags.stream().filter(f -> f.key().equals(key)).findFirst();
  }

  /** The view of {@code rollout}, if it is one of this application's. */
  public Optional<RolloutView> rolloutView(String rollout) {
    return rolloutViews.stream().filter(v -> v.rollout().equals(rollout)).findFirst();
  }

  private static Health withRollouts(String name, Health health, List<RolloutStatus> rollouts) {
    for (RolloutStatus rollout : rollouts) {
      boolean failed =
          rollout.phase() == RolloutPhase.DEGRADED || rollout.phase() == RolloutPhase.ABORTED;
      if (failed && health.status().worse(HealthStatus.Degraded) == HealthStatus.Degraded) {
        String revert =
            rollout
                .revertTo()
                .map(
                    rev ->
                        "; revert in Git: weir rollback "
                            + name
                            + " --to "
                            + rev.substring(0, Math.min(7, rev.length())))
                .orElse("");
        return new Health(HealthStatus.Degraded, rollout.message() + revert, Optional.empty());
      }
    }
    return health;
  }

  /**
   * The one phase line: {@code OutOfSync, Healthy: 1 drifted, 1 missing; frozen by alice until …},
   * {@code Synced, Progressing: waiting for rollout to finish …}, {@code Unknown: render failed …}.
   * It is {@code sync, health} and, when not empty, {@code : } and {@link #message()}.
   */
  public String summary() {
    String head = sync + ", " + health.status();
    String message = message();
    return message.isEmpty() ? head : head + ": " + message;
  }

  /**
   * What stands out, in one line without the sync and health: drift (the first drifted field and
   * who changed it), the health message, the first problem, pin, freeze, hotfixes, who holds the
   * Lease, rollouts that are not healthy; "" when nothing does.
   */
  public String message() {
    List<String> parts = new ArrayList<>();
    long drifted =
        diff.resources().stream()
            .filter(r -> r.status() == dev.weir.engine.diff.ResourceDiff.Status.MODIFIED)
            .count();
    long missing =
        diff.resources().stream()
            .filter(r -> r.status() == dev.weir.engine.diff.ResourceDiff.Status.MISSING)
            .count();
    long extra =
        diff.resources().stream()
            .filter(r -> r.status() == dev.weir.engine.diff.ResourceDiff.Status.EXTRA)
            .count();
    List<String> counts = new ArrayList<>();
    if (drifted > 0) {
      // the first drifted field and who changed it, as the mockups show it; weir diff has the rest
      String first =
          diff.drifted().stream()
              .filter(r -> !r.changes().isEmpty())
              .findFirst()
              .map(
                  r ->
                      " ("
                          + r.key().kind()
                          + " "
                          + r.key().name()
                          + ": "
                          + r.changes().getFirst().describe(java.time.ZoneOffset.UTC)
                          + (drifted > 1 || r.changes().size() > 1 ? ", …" : "")
                          + ")")
              .orElse("");
      counts.add(drifted + " drifted" + first);
    }
    if (missing > 0) {
      counts.add(missing + " missing");
    }
    if (extra > 0) {
      counts.add(extra + " to prune");
    }
    if (!counts.isEmpty()) {
      parts.add(String.join(", ", counts));
    } else if (health.status() != HealthStatus.Healthy && !health.message().isEmpty()) {
      parts.add(health.message());
    }
    if (!problems.isEmpty()) {
      parts.add(problems.getFirst());
    }
    failedSyncLine().ifPresent(parts::add);
    pin.ifPresent(p -> parts.add(p.describe()));
    freeze.ifPresent(f -> parts.add(f.describe()));
    if (!hotfixes.isEmpty()) {
      parts.add(
          hotfixes.size() + " hotfix" + (hotfixes.size() == 1 ? "" : "es") + ", backport pending");
    }
    lease.ifPresent(
        l ->
            parts.add(
                "being synced by "
                    + l.holderIdentity().describe()
                    + " since "
                    + l.acquiredAt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)));
    for (RolloutStatus rollout : rollouts) {
      if (rollout.phase() != RolloutPhase.HEALTHY && !health.message().contains(rollout.message())) {
        parts.add(
            "rollout " + rollout.rollout() + " " + rollout.phase().word() + ": " + rollout.message());
      }
    }
    return String.join("; ", parts);
  }

  // ------------------------------------------------------------------------------------------
  // Plain values for the faces (which use only the console and model packages)

  /** How many of its objects differ from Git: drifted, missing, or left to prune. */
  public int driftCount() {
    return (int)
        diff.resources().stream()
            .filter(r -> r.status() != dev.weir.engine.diff.ResourceDiff.Status.SYNCED)
            .count();
  }

  /**
   * While it is not in sync, its last sync if that failed: {@code last sync (automated, 16:32)
   * failed: …}. A failed sync is not tried again by itself unless {@code syncPolicy.retry} says
   * so, so this is what the person it waits for needs to read.
   */
  public Optional<String> failedSyncLine() {
    if (sync == SyncStatus.Synced) {
      return Optional.empty();
    }
    return lastSync
        .filter(l -> l.outcome() == dev.weir.engine.reconcile.SyncResult.Outcome.FAILED)
        .map(
            l ->
                "last sync ("
                    + (l.by().isEmpty() ? "" : l.by() + ", ")
                    + java.time.format.DateTimeFormatter.ofPattern("HH:mm")
                        .withZone(java.time.ZoneOffset.UTC)
                        .format(l.at())
                    + ") failed: "
                    + withoutHeading(l.message()));
  }

  /** A sync's message without its heading ({@code sync of inventory to 5128300 failed: }). */
  private String withoutHeading(String message) {
    String heading = "sync of " + name + " to ";
    int end = message.indexOf(" failed: ");
    return message.startsWith(heading) && end > 0
        ? message.substring(end + " failed: ".length())
        : message;
  }

  /** When it was last synced, if ever. */
  public Optional<java.time.Instant> lastSyncAt() {
    return lastSync.map(l -> l.at());
  }

  /** Who last synced it ({@code automated}, {@code alice}); "" when never. */
  public String lastSyncBy() {
    return lastSync.map(l -> l.by()).orElse("");
  }

  /** Its rollouts, one line each. */
  public List<RolloutLine> rolloutLines() {
    return rollouts.stream()
        .map(
            r ->
                new RolloutLine(
                    r.rollout(),
                    r.strategy(),
                    r.phase().word(),
                    r.weight(),
                    r.step(),
                    r.steps(),
                    r.message()))
        .toList();
  }

  /** Its rollouts as a rollout page draws them, in plain values; in the order of {@code rollouts}. */
  public List<RolloutPanel> rolloutPanels() {
    return rolloutViews.stream().map(RolloutPanel::of).toList();
  }

  /** The panel of {@code rollout}, if it is one of this application's. */
  public Optional<RolloutPanel> rolloutPanel(String rollout) {
    return rolloutView(rollout).map(RolloutPanel::of);
  }

  /** Whether a freeze holds it (its own or every application's). */
  public boolean frozen() {
    return freeze.isPresent();
  }

  /** The freeze, one line ({@code frozen by alice until …: why}). */
  public Optional<String> freezeLine() {
    return freeze.map(f -> f.describe());
  }

  /** The pin, one line ({@code pinned at 3f2a1c9 by alice: why}). */
  public Optional<String> pinLine() {
    return pin.map(p -> p.describe());
  }

  /** Its active hotfixes, one line each ({@code hotfix on … by alice until …: backport pending}). */
  public List<String> hotfixLines() {
    return hotfixes.stream().map(h -> h.describe()).toList();
  }

  /**
   * The objects that differ from Git, in key order, each with its drifted fields and the lines
   * {@code weir diff} prints for it, times in {@code zone}.
   */
  public List<DriftObject> drift(java.time.ZoneId zone) {
    return diff.drifted().stream()
        .map(
            r ->
                DriftObject.of(
                    name,
                    r,
                    resources.stream().anyMatch(v -> v.key().equals(r.key()) && v.hotfixed()),
                    zone))
        .toList();
  }

  /** What made the comparison with the cluster incomplete (an unusable ignore rule …). */
  public List<String> diffProblems() {
    return diff.problems();
  }
}
