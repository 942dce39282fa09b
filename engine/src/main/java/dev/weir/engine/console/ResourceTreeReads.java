package dev.weir.engine.console;

import dev.weir.engine.cluster.ClusterException;
import dev.weir.engine.cluster.ClusterGateway;
import dev.weir.engine.cluster.ResourceType;
import dev.weir.engine.model.LiveObject;
import dev.weir.engine.model.ResourceKey;
import dev.weir.engine.rollout.RolloutExecutor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The objects around an application that its {@link ResourceTree} hangs under its own: in each
 * namespace where it has a workload, the ReplicaSets and Pods; Jobs where it has a CronJob; the
 * Deployments a rollout made where it has a Rollout. Read through the {@link ClusterGateway}, one
 * list per kind and namespace.
 */
final class ResourceTreeReads {
  private static final Set<String> WORKLOADS =
      Set.of("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob", "Rollout");

  private ResourceTreeReads() {}

  /**
   * What {@code keys}' objects may own; nothing when they hold no workload.
   *
   * @throws ClusterException when the cluster cannot be read
   */
  static List<LiveObject> read(ClusterGateway gateway, Collection<ResourceKey> keys) {
    Set<String> workloads = new TreeSet<>();
    Set<String> cronJobs = new TreeSet<>();
    Set<String> rollouts = new TreeSet<>();
    for (ResourceKey key : keys) {
      if (WORKLOADS.contains(key.kind()) && !key.namespace().isEmpty()) {
        workloads.add(key.namespace());
        if (key.kind().equals("CronJob")) {
          cronJobs.add(key.namespace());
        }
        if (key.kind().equals("Rollout")) {
          rollouts.add(key.namespace());
        }
      }
    }
    List<LiveObject> objects = new ArrayList<>();
    if (workloads.isEmpty()) {
      return objects;
    }
    ResourceType replicaSets = gateway.resourceType("apps/v1", "ReplicaSet");
    ResourceType pods = gateway.resourceType("v1", "Pod");
    for (String namespace : workloads) {
      objects.addAll(gateway.list(replicaSets, namespace, ""));
      objects.addAll(gateway.list(pods, namespace, ""));
    }
    if (!cronJobs.isEmpty()) {
      ResourceType jobs = gateway.resourceType("batch/v1", "Job");
      for (String namespace : cronJobs) {
        objects.addAll(gateway.list(jobs, namespace, ""));
      }
    }
    if (!rollouts.isEmpty()) {
      ResourceType deployments = gateway.resourceType("apps/v1", "Deployment");
      for (String namespace : rollouts) {
        objects.addAll(gateway.list(deployments, namespace, RolloutExecutor.ROLLOUT_LABEL));
      }
    }
    return objects;
  }
}
