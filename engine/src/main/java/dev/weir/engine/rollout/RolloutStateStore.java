package dev.weir.engine.rollout;

import dev.weir.engine.model.ResourceKey;

/**
 * Where a rollout's state is recorded in the cluster: the ConfigMap {@code <rollout>-rollout} in
 * the rollout's namespace, labelled {@code app.kubernetes.io/managed-by: weir}, whose {@code state}
 * entry is the {@link RolloutStateCodec} record. Written before every action, with the
 * resourceVersion read, so a crashed console — or another SRE's — resumes at the same step, and two
 * writers never both win.
 */
public final class RolloutStateStore {
  /** The ConfigMap's name suffix. */
  public static final String SUFFIX = "-rollout";

  private RolloutStateStore() {}

  /** The ConfigMap of {@code spec}. */
  public static ResourceKey key(RolloutSpec spec) {
    return new ResourceKey("", "ConfigMap", spec.namespace(), spec.name() + SUFFIX);
  }
}
