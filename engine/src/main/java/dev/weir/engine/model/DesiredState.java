package dev.weir.engine.model;

import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The rendered desired state of one application at one Git revision: the Kubernetes objects to
 * apply, keyed and ordered by {@link ResourceKey}, and Weir's own configuration documents
 * ({@code weir.dev/*}: Rollout, AnalysisTemplate …), which are interpreted, never applied.
 * Argo CD hooks ({@code argocd.argoproj.io/hook}) are kept apart: they run in their phase of a
 * sync and are neither compared with the cluster nor pruned. Immutable.
 */
public record DesiredState(
    Application application,
    String revision,
    SortedMap<ResourceKey, Manifest> resources,
    List<Manifest> configuration,
    List<Manifest> hooks) {

  public DesiredState(
      Application application,
      String revision,
      SortedMap<ResourceKey, Manifest> resources,
      List<Manifest> configuration) {
    this(application, revision, resources, configuration, List.of());
  }

  public DesiredState {
    Objects.requireNonNull(application, "application");
    Objects.requireNonNull(revision, "revision");
    resources = Collections.unmodifiableSortedMap(new TreeMap<>(resources));
    configuration = List.copyOf(configuration);
    hooks = List.copyOf(hooks == null ? List.of() : hooks);
  }

  public boolean isEmpty() {
    return resources.isEmpty() && hooks.isEmpty();
  }
}
