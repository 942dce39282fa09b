package dev.weir.engine.reconcile;

import dev.weir.engine.diff.ResourceDiff;
import dev.weir.engine.model.IgnoreDifference;
import dev.weir.engine.model.Manifest;
import dev.weir.engine.model.ResourceKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Decides a sync: a pure function from what Git wants, what the cluster has and the application's
 * policies to a {@link SyncPlan}. Nothing here talks to a cluster.
 *
 * <p>Rules, in order:
 *
 * <ol>
 *   <li>Blocked, nothing applied or pruned: the render failed; the desired state is empty and the
 *       application does not set {@code allowEmpty}; an automated sync or self-heal while frozen.
 *   <li>Each object of Git: skipped when in sync or hotfixed as a whole; otherwise applied, with
 *       hotfixed fields kept at their cluster values.
 *   <li>Each tracked object the cluster has and Git does not: pruned only when pruning is on (a
 *       person's {@code --prune}; for automated syncs the application's {@code prune}), not
 *       hotfixed and not being deleted. When the prunes would delete more than {@code
 *       maxPruneShare} of the application's tracked objects, they wait for a confirmation.
 *   <li>Order: Namespaces and CustomResourceDefinitions first, then by {@code weir.dev/sync-wave}
 *       or else Argo CD's {@code argocd.argoproj.io/sync-wave} (an integer, default 0), then by kind (Helm's install order: ServiceAccount, Secret,
 *       ConfigMap, PVC, RBAC, Service, workloads, Job, Ingress; unknown kinds last), then by key.
 *       Each distinct (first, wave) pair is a group; the executor waits for a group's health before
 *       the next. Prunes come last, in reverse kind order.
 * </ol>
 *
 * <p>Worked example: Git has Namespace shop, Deployment shop/web (wave 1) and ConfigMap
 * shop/settings; the cluster has none of them and a tracked ConfigMap shop/old; prune is on. Plan:
 * group 0 create Namespace shop; group 1 create ConfigMap shop/settings; group 2 create Deployment
 * shop/web; prune ConfigMap shop/old (1 of 1 tracked objects: 100% &gt; 50%, so unless confirmed it
 * is skipped and the plan asks for a confirmation).
 */
public final class SyncPlanner {
  private static final List<String> KIND_ORDER =
      List.of(
          "Namespace",
          "NetworkPolicy",
          "ResourceQuota",
          "LimitRange",
          "PodSecurityPolicy",
          "PodDisruptionBudget",
          "ServiceAccount",
          "Secret",
          "ConfigMap",
          "StorageClass",
          "PersistentVolume",
          "PersistentVolumeClaim",
          "CustomResourceDefinition",
          "ClusterRole",
          "ClusterRoleBinding",
          "Role",
          "RoleBinding",
          "Service",
          "DaemonSet",
          "Pod",
          "ReplicationController",
          "ReplicaSet",
          "Deployment",
          "HorizontalPodAutoscaler",
          "StatefulSet",
          "Job",
          "CronJob",
          "IngressClass",
          "Ingress",
          "APIService");

  private SyncPlanner() {}

  public static SyncPlan plan(PlanInput input) {
    String app = input.application().name();
    SyncRequest request = input.request();
    List<String> blockers = new ArrayList<>();
    if (!input.renderProblems().isEmpty() || input.desired().isEmpty()) {
      blockers.add(
          "render failed at "
              + shortRev(input.revision())
              + ": "
              + (input.renderProblems().isEmpty()
                  ? "no desired state"
                  : input.renderProblems().getFirst())
              + "; nothing is applied or pruned");
    } else if (input.desired().get().isEmpty() && !input.application().syncPolicy().allowEmpty()) {
      blockers.add(
          "the desired state of "
              + app
              + " at "
              + shortRev(input.revision())
              + " is empty; refusing to sync (it would prune everything) unless"
              + " syncPolicy.allowEmpty is set");
    }
    if (blockers.isEmpty()) {
      for (Manifest manifest : input.desired().get().resources().values()) {
        if (ArgoAnnotations.hasSyncOption(manifest.annotations(), "Replace=true")) {
          blockers.add(
              manifest.key()
                  + " asks "
                  + ArgoAnnotations.SYNC_OPTIONS
                  + ": Replace=true, which Weir refuses: it applies objects server-side and never"
                  + " replaces them; remove the option ("
                  + manifest.source()
                  + ")");
        }
      }
      Set<String> missing = new TreeSet<>(input.missingNamespaces());
      if (input.application().syncOptions().createNamespace()) {
        missing.remove(input.application().namespace());
      }
      for (String namespace : missing) {
        blockers.add(
            "namespace "
                + namespace
                + " does not exist: add a Namespace "
                + namespace
                + " to Git, or set syncPolicy.syncOptions: [CreateNamespace=true]; nothing is"
                + " applied");
      }
    }
    Optional<Freeze> freeze = input.freeze().filter(f -> f.activeAt(input.now()));
    if (freeze.isPresent() && request.automatic()) {
      blockers.add(app + " is " + freeze.get().describe());
    }
    if (!blockers.isEmpty()) {
      return new SyncPlan(app, input.revision(), request, List.of(), blockers, "");
    }

    Map<ResourceKey, Manifest> desired = input.desired().get().resources();
    List<Hotfix> hotfixes = input.hotfixes().stream().filter(h -> h.activeAt(input.now())).toList();
    List<SyncStep.Apply> applies = new ArrayList<>();
    List<SyncStep.Prune> prunes = new ArrayList<>();
    List<SyncStep.Skip> skips = new ArrayList<>();
    boolean pruneOn =
        request.automatic() ? input.application().syncPolicy().prune() : request.prune();

    for (ResourceDiff resource : input.diff().resources()) {
      ResourceKey key = resource.key();
      Optional<Hotfix> whole =
          hotfixes.stream().filter(h -> h.key().equals(key) && h.wholeObject()).findFirst();
      if (whole.isPresent()) {
        skips.add(new SyncStep.Skip(key, SyncStep.Reason.HOTFIX, whole.get().describe()));
        continue;
      }
      if (input.rollouts().ownsObject(key)) {
        skips.add(new SyncStep.Skip(key, SyncStep.Reason.ROLLOUT, ""));
        continue;
      }
      Manifest manifest = desired.get(key);
      if (manifest != null) {
        if (resource.status() == ResourceDiff.Status.SYNCED) {
          skips.add(new SyncStep.Skip(key, SyncStep.Reason.IN_SYNC, ""));
          continue;
        }
        boolean create = resource.status() == ResourceDiff.Status.MISSING;
        List<String> keep = new ArrayList<>();
        hotfixes.stream()
            .filter(h -> h.key().equals(key) && !h.wholeObject())
            .map(Hotfix::pointer)
            .forEach(keep::add);
        if (!create && input.application().syncOptions().respectIgnoreDifferences()) {
          // RespectIgnoreDifferences=true: ignored fields keep their cluster values on update
          for (IgnoreDifference ignored : input.application().ignoreDifferences()) {
            if (ignored.matches(key)) {
              keep.addAll(ignored.jsonPointers());
            }
          }
        }
        if (!create) {
          // a rollout's fields (template, replicas, weights, selectors) change through the rollout
          for (IgnoreDifference owned : input.rollouts().asIgnoreDifferences()) {
            if (owned.matches(key)) {
              keep.addAll(owned.jsonPointers());
            }
          }
        }
        applies.add(
            new SyncStep.Apply(
                key,
                0,
                wave(manifest),
                create,
                Tracking.prepare(manifest, app),
                keep));
      } else if (resource.status() == ResourceDiff.Status.EXTRA
          && input.trackedLive().contains(key)) {
        if (input.deleting().contains(key)) {
          skips.add(new SyncStep.Skip(key, SyncStep.Reason.BEING_DELETED, ""));
        } else if (input.noPrune().contains(key)) {
          skips.add(new SyncStep.Skip(key, SyncStep.Reason.PRUNE_FALSE, ""));
        } else if (!pruneOn) {
          skips.add(
              new SyncStep.Skip(
                  key,
                  SyncStep.Reason.PRUNE_DISABLED,
                  "not in Git; prune is off ("
                      + (request.automatic() ? "syncPolicy.automated.prune" : "--prune")
                      + ")"));
        } else {
          prunes.add(new SyncStep.Prune(key));
        }
      }
    }

    String confirmation = "";
    int tracked = Math.max(1, input.trackedLive().size());
    double share = (double) prunes.size() / tracked;
    if (!prunes.isEmpty() && share > request.maxPruneShare() && !request.pruneConfirmed()) {
      confirmation =
          String.format(
              Locale.ROOT,
              "the prune would delete %d of the %d objects of %s (%d%%), more than %d%%; confirm it"
                  + " to prune",
              prunes.size(),
              input.trackedLive().size(),
              app,
              Math.round(share * 100),
              Math.round(request.maxPruneShare() * 100));
      for (SyncStep.Prune prune : prunes) {
        skips.add(new SyncStep.Skip(prune.key(), SyncStep.Reason.PRUNE_NEEDS_CONFIRMATION, ""));
      }
      prunes.clear();
    }

    applies.sort(
        Comparator.comparingInt((SyncStep.Apply a) -> tier(a.key()))
            .thenComparingInt(SyncStep.Apply::wave)
            .thenComparingInt(a -> kindOrder(a.key().kind()))
            .thenComparing(SyncStep.Apply::key));
    List<SyncStep> steps = new ArrayList<>();
    int group = -1;
    long previous = Long.MIN_VALUE;
    for (SyncStep.Apply apply : applies) {
      long groupKey = ((long) tier(apply.key()) << 32) + apply.wave();
      if (groupKey != previous) {
        group++;
        previous = groupKey;
      }
      steps.add(
          new SyncStep.Apply(
              apply.key(), group, apply.wave(), apply.create(), apply.object(), apply.keepLive()));
    }
    prunes.sort(
        Comparator.comparingInt((SyncStep.Prune p) -> kindOrder(p.key().kind()))
            .reversed()
            .thenComparing(SyncStep.Prune::key));
    steps.addAll(prunes);
    steps.addAll(skips);
    // CreateNamespace=true: the destination namespace first, when the cluster lacks it
    String destination = input.application().namespace();
    if (input.application().syncOptions().createNamespace()
        && input.missingNamespaces().contains(destination)) {
      ResourceKey namespaceKey = new ResourceKey("", "Namespace", "", destination);
      if (!desired.containsKey(namespaceKey)) {
        Map<String, Object> namespace = new java.util.LinkedHashMap<>();
        namespace.put("apiVersion", "v1");
        namespace.put("kind", "Namespace");
        namespace.put("metadata", Map.of("name", destination));
        steps.addFirst(new SyncStep.Apply(namespaceKey, -1, 0, true, namespace, List.of()));
      }
    }
    // hooks run only with a sync that changes something, as each would otherwise run again at
    // every automated pass
    if (steps.stream().anyMatch(s -> s instanceof SyncStep.Apply || s instanceof SyncStep.Prune)) {
      List<SyncStep.Hook> hooks = new ArrayList<>();
      for (Manifest hook : input.desired().get().hooks()) {
        for (ArgoAnnotations.HookPhase phase : ArgoAnnotations.phases(hook)) {
          hooks.add(
              new SyncStep.Hook(
                  hook.key(),
                  phase,
                  ArgoAnnotations.wave(hook.annotations()),
                  hook.object(),
                  ArgoAnnotations.deletePolicies(hook)));
        }
      }
      hooks.sort(
          Comparator.comparing(SyncStep.Hook::phase)
              .thenComparingInt(SyncStep.Hook::wave)
              .thenComparing(SyncStep.Hook::key));
      steps.addAll(hooks);
    }
    return new SyncPlan(app, input.revision(), request, steps, List.of(), confirmation);
  }

  /** Namespaces and CRDs before everything else. */
  static int tier(ResourceKey key) {
    boolean first =
        (key.group().isEmpty() && key.kind().equals("Namespace"))
            || (key.group().equals("apiextensions.k8s.io")
                && key.kind().equals("CustomResourceDefinition"));
    return first ? 0 : 1;
  }

  static int kindOrder(String kind) {
    int index = KIND_ORDER.indexOf(kind);
    return index < 0 ? KIND_ORDER.size() : index;
  }

  static int wave(Manifest manifest) {
    return ArgoAnnotations.wave(manifest.annotations());
  }

  static String shortRev(String revision) {
    return revision.length() > 7 ? revision.substring(0, 7) : revision;
  }
}
