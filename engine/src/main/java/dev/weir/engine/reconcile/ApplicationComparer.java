package dev.weir.engine.reconcile;

import dev.weir.engine.cluster.ApplyOptions;
import dev.weir.engine.cluster.ClusterException;
import dev.weir.engine.cluster.ClusterGateway;
import dev.weir.engine.cluster.ResourceType;
import dev.weir.engine.diff.ApplicationDiff;
import dev.weir.engine.diff.IgnoreRules;
import dev.weir.engine.diff.ResourceDiff;
import dev.weir.engine.diff.ResourceDiffer;
import dev.weir.engine.model.DesiredState;
import dev.weir.engine.model.LiveObject;
import dev.weir.engine.model.Manifest;
import dev.weir.engine.rollout.RolloutOwnership;
import dev.weir.engine.model.ResourceKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Compares an application's desired state with the cluster.
 *
 * <p>Design note. Git's side of each object is what the API server makes of it: a server-side
 * dry-run apply as {@code weir}, forced (so a field another manager took still shows as drift
 * rather than failing the comparison). The dry run keeps fields others own and fills in defaults,
 * so neither counts as drift. Results are cached per object by (what Weir would apply, the live
 * resourceVersion): a refresh of an unchanged application costs reads only. When a dry run is not
 * possible (a read-only user, a namespace that does not exist yet, an invalid object) Git's object
 * itself is compared and only the fields it sets count; the diff says so.
 *
 * <p>Leftovers: objects of the kinds Git has, or of {@code extraTypes} (the kinds Weir applied
 * before, from the application's persisted inventory), that carry Weir's tracking label and name
 * this application.
 *
 * <p>Thread-safe.
 */
public final class ApplicationComparer {
  private record Prediction(int desiredHash, String liveVersion, LiveObject predicted) {}

  private final ClusterGateway gateway;
  private final Map<ResourceKey, Prediction> predictions = new ConcurrentHashMap<>();

  public ApplicationComparer(ClusterGateway gateway) {
    this.gateway = gateway;
  }

  /**
   * @param desired the desired state (its application names the rules)
   * @param live where to read live objects
   * @param extraTypes kinds to look for leftovers in, besides Git's
   * @param rules the application's ignore rules, hotfixed fields included
   */
  public Comparison compare(
      DesiredState desired,
      LiveSource live,
      Collection<ResourceType> extraTypes,
      IgnoreRules rules) {
    return compare(desired, live, extraTypes, rules, key -> false);
  }

  /**
   * As {@link #compare(DesiredState, LiveSource, Collection, IgnoreRules)}, leaving out the
   * leftovers {@code madeByRollout} names: objects a rollout made (its {@code -canary}
   * Deployment, its state), which are neither drift nor anything a sync may prune.
   */
  public Comparison compare(
      DesiredState desired,
      LiveSource live,
      Collection<ResourceType> extraTypes,
      IgnoreRules rules,
      Predicate<ResourceKey> madeByRollout) {
    // a sync stamps rollout targets with Git's template (RolloutOwnership.stamped): compare what
    // it would apply
    desired = RolloutOwnership.stamped(desired);
    String app = desired.application().name();
    List<String> problems = new ArrayList<>(rules.problems());
    Map<ResourceKey, LiveObject> liveObjects = new HashMap<>();
    Set<ResourceKey> tracked = new HashSet<>();
    Set<ResourceKey> deleting = new HashSet<>();
    Map<String, ResourceType> types = new LinkedHashMap<>();
    TreeMap<ResourceKey, ResourceDiff> diffs = new TreeMap<>();
    boolean unreachable = false;

    try {
      for (ResourceType type : extraTypes) {
        types.put(type.group() + "/" + type.kind(), type);
      }
      for (Manifest manifest : desired.resources().values()) {
        ResourceKey key = manifest.key();
        ResourceType type;
        try {
          type = gateway.resourceType(manifest.apiVersion(), key.kind());
        } catch (ClusterException e) {
          if (e.error().unreachable()) {
            throw e;
          }
          problems.add(key + ": " + e.getMessage());
          diffs.put(
              key,
              ResourceDiffer.compare(key, manifest.object(), false, null, rules, e.getMessage()));
          continue;
        }
        types.putIfAbsent(type.group() + "/" + type.kind(), type);
        Optional<LiveObject> current = live.get(key);
        current.ifPresent(o -> remember(o, app, liveObjects, tracked, deleting));
        Map<String, Object> prepared = Tracking.prepare(manifest, app);
        String note = "";
        Map<String, Object> gitSide;
        boolean predicted;
        try {
          gitSide = predict(key, prepared, current.orElse(null)).object();
          predicted = true;
        } catch (ClusterException e) {
          if (e.error().unreachable()) {
            throw e;
          }
          gitSide = prepared;
          predicted = false;
          note = "compared Git's fields only: the dry run failed: " + e.getMessage();
        }
        diffs.put(
            key,
            ResourceDiffer.compare(key, gitSide, predicted, current.orElse(null), rules, note));
      }
      for (LiveObject leftover : live.tracked(app, types.values())) {
        if (desired.resources().containsKey(leftover.key())
            || madeByRollout.test(leftover.key())
            || ArgoAnnotations.ignoreExtraneous(leftover)) {
          // compare-options: IgnoreExtraneous — left out of Git on purpose: not drift, not pruned
          continue;
        }
        remember(leftover, app, liveObjects, tracked, deleting);
        diffs.put(
            leftover.key(),
            ResourceDiffer.compare(leftover.key(), null, true, leftover, rules, ""));
      }
    } catch (ClusterException e) {
      unreachable = true;
      problems.add(e.getMessage());
    }
    ApplicationDiff diff =
        new ApplicationDiff(app, desired.revision(), List.copyOf(diffs.values()), problems);
    return new Comparison(diff, liveObjects, tracked, deleting, unreachable, problems);
  }

  private static void remember(
      LiveObject object,
      String app,
      Map<ResourceKey, LiveObject> live,
      Set<ResourceKey> tracked,
      Set<ResourceKey> deleting) {
    live.put(object.key(), object);
    if (Tracking.isTrackedBy(object, app)) {
      tracked.add(object.key());
    }
    if (object.deleting()) {
      deleting.add(object.key());
    }
  }

  private LiveObject predict(ResourceKey key, Map<String, Object> prepared, LiveObject current) {
    int hash = prepared.hashCode();
    String version = current == null ? "" : current.resourceVersion();
    Prediction cached = predictions.get(key);
    if (cached != null && cached.desiredHash == hash && cached.liveVersion.equals(version)) {
      return cached.predicted;
    }
    LiveObject predicted =
        gateway.apply(prepared, ApplyOptions.weir().withForce(true).withDryRun(true));
    predictions.put(key, new Prediction(hash, version, predicted));
    return predicted;
  }

  /** Forgets cached dry runs (after a context switch, say). */
  public void invalidate() {
    predictions.clear();
  }
}
