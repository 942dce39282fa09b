package dev.weir.engine.reconcile;

import dev.weir.engine.model.Health;
import dev.weir.engine.model.HealthStatus;
import dev.weir.engine.model.LiveObject;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The health of one live object, as Argo CD's health checks judge it (gitops-engine {@code
 * pkg/health}), from its {@code spec} and {@code status}:
 *
 * <table>
 *   <caption>health by kind</caption>
 *   <tr><th>kind</th><th>Healthy when</th><th>Progressing / Degraded / Suspended</th></tr>
 *   <tr><td>Deployment</td><td>the controller saw the latest generation and every replica is
 *       updated and available</td><td>Progressing while rolling out, with the progress deadline
 *       ({@code progressDeadlineSeconds}, default 600 s, from the {@code Progressing} condition's
 *       last update); Degraded when {@code ProgressDeadlineExceeded}; Suspended when paused</td></tr>
 *   <tr><td>StatefulSet, DaemonSet, ReplicaSet</td><td>observed, updated and ready</td>
 *       <td>Progressing otherwise; ReplicaSet Degraded on {@code ReplicaFailure}</td></tr>
 *   <tr><td>Pod</td><td>Running and Ready, or Succeeded</td><td>Progressing while Pending;
 *       Degraded when Failed or a container waits in CrashLoopBackOff, ImagePullBackOff,
 *       ErrImagePull, CreateContainerConfigError</td></tr>
 *   <tr><td>Service</td><td>always, except a LoadBalancer without an ingress address
 *       (Progressing)</td><td></td></tr>
 *   <tr><td>Ingress</td><td>has a load-balancer address</td><td>Progressing otherwise</td></tr>
 *   <tr><td>PersistentVolumeClaim</td><td>Bound</td><td>Progressing when Pending, Degraded when
 *       Lost</td></tr>
 *   <tr><td>Job</td><td>Complete</td><td>Degraded when Failed; Suspended when suspended;
 *       Progressing otherwise</td></tr>
 *   <tr><td>CronJob</td><td>always (Suspended when suspended)</td><td></td></tr>
 *   <tr><td>HorizontalPodAutoscaler</td><td>{@code ScalingActive} not False</td><td>Degraded when
 *       {@code ScalingActive} or {@code AbleToScale} is False</td></tr>
 *   <tr><td>any other</td><td>no conditions, or {@code Ready}/{@code Available} True</td>
 *       <td>Degraded when one of them is False (with its reason and message); Progressing when
 *       Unknown</td></tr>
 * </table>
 *
 * <p>An object being deleted is Progressing ("being deleted"). Pure and thread-safe.
 */
public final class HealthAssessor {
  private static final long DEFAULT_PROGRESS_DEADLINE_SECONDS = 600;
  private static final List<String> POD_FAILURES =
      List.of(
          "CrashLoopBackOff",
          "ImagePullBackOff",
          "ErrImagePull",
          "CreateContainerConfigError",
          "InvalidImageName");

  private HealthAssessor() {}

  /** The health of {@code object} at {@code now}; {@code null} object means Missing. */
  public static Health assess(LiveObject object, Instant now) {
    if (object == null) {
      return Health.of(HealthStatus.Missing, "not in the cluster");
    }
    if (object.deleting()) {
      return Health.of(HealthStatus.Progressing, "being deleted");
    }
    String group = object.key().group();
    String kind = object.key().kind();
    return switch (group + "/" + kind) {
      case "apps/Deployment" -> deployment(object, now);
      case "apps/StatefulSet" -> statefulSet(object);
      case "apps/DaemonSet" -> daemonSet(object);
      case "apps/ReplicaSet" -> replicaSet(object);
      case "/Pod" -> pod(object);
      case "/Service" -> service(object);
      case "networking.k8s.io/Ingress" -> ingress(object);
      case "/PersistentVolumeClaim" -> claim(object);
      case "batch/Job" -> job(object);
      case "batch/CronJob" -> cronJob(object);
      case "autoscaling/HorizontalPodAutoscaler" -> autoscaler(object);
      default -> byConditions(object);
    };
  }

  private static Health deployment(LiveObject d, Instant now) {
    if (Boolean.TRUE.equals(d.spec().get("paused"))) {
      return Health.of(HealthStatus.Suspended, "rollout is paused");
    }
    Map<String, Object> status = d.status();
    long generation = d.generation();
    long observed = number(status.get("observedGeneration"));
    if (generation > observed) {
      return progressing("waiting for the rollout spec update to be observed", deadline(d));
    }
    Optional<Map<String, Object>> progressing = condition(status, "Progressing");
    if (progressing.isPresent()
        && "ProgressDeadlineExceeded".equals(progressing.get().get("reason"))) {
      return Health.of(
          HealthStatus.Degraded,
          "deployment " + d.key().name() + " exceeded its progress deadline");
    }
    long replicas = d.spec().containsKey("replicas") ? number(d.spec().get("replicas")) : 1;
    long updated = number(status.get("updatedReplicas"));
    long total = number(status.get("replicas"));
    long available = number(status.get("availableReplicas"));
    Optional<Instant> deadline = deadline(d);
    if (updated < replicas) {
      return progressing(
          "waiting for rollout to finish: "
              + updated
              + " out of "
              + replicas
              + " new replicas have been updated",
          deadline);
    }
    if (total > updated) {
      return progressing(
          "waiting for rollout to finish: "
              + (total - updated)
              + " old replicas are pending termination",
          deadline);
    }
    if (available < updated) {
      return progressing(
          "waiting for rollout to finish: "
              + available
              + " of "
              + updated
              + " updated replicas are available",
          deadline);
    }
    if (deadline.isPresent() && now.isAfter(deadline.get()) && available < replicas) {
      return Health.of(
          HealthStatus.Degraded,
          "deployment " + d.key().name() + " exceeded its progress deadline");
    }
    return Health.healthy();
  }

  /**
   * When the Deployment's progress is due: the Progressing condition's last update plus the
   * deadline.
   */
  private static Optional<Instant> deadline(LiveObject d) {
    long seconds =
        d.spec().containsKey("progressDeadlineSeconds")
            ? number(d.spec().get("progressDeadlineSeconds"))
            : DEFAULT_PROGRESS_DEADLINE_SECONDS;
    return condition(d.status(), "Progressing")
        .flatMap(c -> time(c.get("lastUpdateTime")))
        .map(t -> t.plusSeconds(seconds));
  }

  private static Health statefulSet(LiveObject s) {
    Map<String, Object> status = s.status();
    if (s.generation() > number(status.get("observedGeneration"))) {
      return progressing(
          "waiting for the statefulset spec update to be observed", Optional.empty());
    }
    long replicas = s.spec().containsKey("replicas") ? number(s.spec().get("replicas")) : 1;
    long ready = number(status.get("readyReplicas"));
    if (ready < replicas) {
      return progressing(
          "waiting for " + (replicas - ready) + " pods to be ready", Optional.empty());
    }
    Object current = status.get("currentRevision");
    Object update = status.get("updateRevision");
    if (update != null && !update.equals(current)) {
      return progressing(
          "waiting for rolling update to complete: "
              + number(status.get("updatedReplicas"))
              + " of "
              + replicas
              + " pods updated",
          Optional.empty());
    }
    return Health.healthy();
  }

  private static Health daemonSet(LiveObject d) {
    Map<String, Object> status = d.status();
    if (d.generation() > number(status.get("observedGeneration"))) {
      return progressing("waiting for the daemonset spec update to be observed", Optional.empty());
    }
    long desired = number(status.get("desiredNumberScheduled"));
    long updated = number(status.get("updatedNumberScheduled"));
    long available = number(status.get("numberAvailable"));
    if (updated < desired) {
      return progressing(
          "waiting for daemon set rollout: " + updated + " of " + desired + " updated",
          Optional.empty());
    }
    if (available < desired) {
      return progressing(
          "waiting for daemon set rollout: " + available + " of " + desired + " available",
          Optional.empty());
    }
    return Health.healthy();
  }

  private static Health replicaSet(LiveObject r) {
    Map<String, Object> status = r.status();
    Optional<Map<String, Object>> failure = condition(status, "ReplicaFailure");
    if (failure.isPresent() && "True".equals(failure.get().get("status"))) {
      return Health.of(HealthStatus.Degraded, text(failure.get().get("message")));
    }
    if (r.generation() > number(status.get("observedGeneration"))) {
      return progressing("waiting for the replicaset spec update to be observed", Optional.empty());
    }
    long replicas = r.spec().containsKey("replicas") ? number(r.spec().get("replicas")) : 1;
    long available = number(status.get("availableReplicas"));
    if (available < replicas) {
      return progressing(
          "waiting for rollout to finish: "
              + available
              + " of "
              + replicas
              + " replicas are available",
          Optional.empty());
    }
    return Health.healthy();
  }

  @SuppressWarnings("unchecked")
  private static Health pod(LiveObject p) {
    Map<String, Object> status = p.status();
    String phase = text(status.get("phase"));
    for (String field : List.of("initContainerStatuses", "containerStatuses")) {
      if (status.get(field) instanceof List<?> statuses) {
        for (Object item : statuses) {
          if (item instanceof Map<?, ?> container
              && container.get("state") instanceof Map<?, ?> state
              && state.get("waiting") instanceof Map<?, ?> waiting
              && POD_FAILURES.contains(text(waiting.get("reason")))) {
            return Health.of(
                HealthStatus.Degraded,
                "container "
                    + container.get("name")
                    + ": "
                    + waiting.get("reason")
                    + (waiting.get("message") == null ? "" : ": " + waiting.get("message")));
          }
        }
      }
    }
    return switch (phase) {
      case "Succeeded" -> Health.of(HealthStatus.Healthy, "completed");
      case "Failed" ->
          Health.of(
              HealthStatus.Degraded,
              status.get("message") == null ? "pod failed" : text(status.get("message")));
      case "Running" ->
          condition(status, "Ready").map(c -> "True".equals(c.get("status"))).orElse(false)
              ? Health.healthy()
              : progressing("waiting for the pod to be ready", Optional.empty());
      default ->
          progressing(
              phase.isEmpty() ? "waiting for the pod to be scheduled" : "pod is " + phase,
              Optional.empty());
    };
  }

  @SuppressWarnings("unchecked")
  private static Health service(LiveObject s) {
    if ("LoadBalancer".equals(s.spec().get("type"))) {
      Object ingress =
          s.status().get("loadBalancer") instanceof Map<?, ?> lb ? lb.get("ingress") : null;
      if (!(ingress instanceof List<?> list) || list.isEmpty()) {
        return progressing("waiting for the load balancer's address", Optional.empty());
      }
    }
    return Health.healthy();
  }

  private static Health ingress(LiveObject i) {
    Object ingress =
        i.status().get("loadBalancer") instanceof Map<?, ?> lb ? lb.get("ingress") : null;
    if (!(ingress instanceof List<?> list) || list.isEmpty()) {
      return progressing("waiting for the ingress's load balancer address", Optional.empty());
    }
    return Health.healthy();
  }

  private static Health claim(LiveObject c) {
    return switch (text(c.status().get("phase"))) {
      case "Bound" -> Health.healthy();
      case "Lost" -> Health.of(HealthStatus.Degraded, "the claim lost its volume");
      default -> progressing("waiting for the claim to be bound", Optional.empty());
    };
  }

  private static Health job(LiveObject j) {
    Map<String, Object> status = j.status();
    Optional<Map<String, Object>> failed = condition(status, "Failed");
    if (failed.isPresent() && "True".equals(failed.get().get("status"))) {
      return Health.of(
          HealthStatus.Degraded,
          "job failed: "
              + text(failed.get().get("reason"))
              + (failed.get().get("message") == null ? "" : ": " + failed.get().get("message")));
    }
    Optional<Map<String, Object>> complete = condition(status, "Complete");
    if (complete.isPresent() && "True".equals(complete.get().get("status"))) {
      return Health.of(HealthStatus.Healthy, "job completed");
    }
    if (Boolean.TRUE.equals(j.spec().get("suspend"))) {
      return Health.of(HealthStatus.Suspended, "job is suspended");
    }
    return progressing("job is running", Optional.empty());
  }

  private static Health cronJob(LiveObject c) {
    if (Boolean.TRUE.equals(c.spec().get("suspend"))) {
      return Health.of(HealthStatus.Suspended, "cronjob is suspended");
    }
    return Health.healthy();
  }

  private static Health autoscaler(LiveObject h) {
    for (String type : List.of("ScalingActive", "AbleToScale")) {
      Optional<Map<String, Object>> c = condition(h.status(), type);
      if (c.isPresent() && "False".equals(c.get().get("status"))) {
        return Health.of(
            HealthStatus.Degraded,
            type
                + ": "
                + text(c.get().get("reason"))
                + (c.get().get("message") == null ? "" : ": " + c.get().get("message")));
      }
    }
    return Health.healthy();
  }

  private static Health byConditions(LiveObject o) {
    for (String type : List.of("Ready", "Available")) {
      Optional<Map<String, Object>> c = condition(o.status(), type);
      if (c.isEmpty()) {
        continue;
      }
      String status = text(c.get().get("status"));
      String why =
          text(c.get().get("reason"))
              + (c.get().get("message") == null
                  ? ""
                  : (c.get().get("reason") == null ? "" : ": ") + c.get().get("message"));
      return switch (status) {
        case "True" -> Health.healthy();
        case "False" ->
            Health.of(
                HealthStatus.Degraded, type + " is False" + (why.isEmpty() ? "" : ": " + why));
        default ->
            progressing(
                type
                    + " is "
                    + (status.isEmpty() ? "Unknown" : status)
                    + (why.isEmpty() ? "" : ": " + why),
                Optional.empty());
      };
    }
    return Health.healthy();
  }

  private static Health progressing(String message, Optional<Instant> deadline) {
    return new Health(HealthStatus.Progressing, message, deadline);
  }

  @SuppressWarnings("unchecked")
  static Optional<Map<String, Object>> condition(Map<String, Object> status, String type) {
    if (status.get("conditions") instanceof List<?> conditions) {
      for (Object item : conditions) {
        if (item instanceof Map<?, ?> c && type.equals(c.get("type"))) {
          return Optional.of((Map<String, Object>) c);
        }
      }
    }
    return Optional.empty();
  }

  private static long number(Object value) {
    return value instanceof Number n ? n.longValue() : 0;
  }

  private static String text(Object value) {
    return value == null ? "" : String.valueOf(value);
  }

  private static Optional<Instant> time(Object value) {
    if (value instanceof String s) {
      try {
        return Optional.of(Instant.parse(s));
      } catch (DateTimeParseException e) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }
}
