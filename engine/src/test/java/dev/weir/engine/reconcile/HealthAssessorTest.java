package dev.weir.engine.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.model.Health;
import dev.weir.engine.model.HealthStatus;
import dev.weir.engine.model.LiveObject;
import dev.weir.engine.model.ResourceKey;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** Health by kind, as in HealthAssessor's table. */
class HealthAssessorTest {
  static final Instant NOW = Instant.parse("2026-01-01T10:20:00Z");

  record Case(String name, String object, HealthStatus status, String message) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case(
            "deployment rolled out",
            """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: shop, generation: 2}
            spec: {replicas: 3}
            status: {observedGeneration: 2, replicas: 3, updatedReplicas: 3, availableReplicas: 3}
            """,
            HealthStatus.Healthy,
            ""),
        new Case(
            "deployment not yet observed",
            """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: shop, generation: 3}
            spec: {replicas: 3}
            status: {observedGeneration: 2}
            """,
            HealthStatus.Progressing,
            "waiting for the rollout spec update to be observed"),
        new Case(
            "deployment rolling",
            """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: shop, generation: 2}
            spec: {replicas: 3}
            status:
              observedGeneration: 2
              replicas: 3
              updatedReplicas: 1
              conditions: [{type: Progressing, status: "True", reason: ReplicaSetUpdated, lastUpdateTime: "2026-01-01T10:15:00Z"}]
            """,
            HealthStatus.Progressing,
            "waiting for rollout to finish: 1 out of 3 new replicas have been updated"),
        new Case(
            "deployment past its progress deadline",
            """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: shop, generation: 2}
            spec: {replicas: 3}
            status:
              observedGeneration: 2
              conditions: [{type: Progressing, status: "False", reason: ProgressDeadlineExceeded}]
            """,
            HealthStatus.Degraded,
            "deployment web exceeded its progress deadline"),
        new Case(
            "deployment paused",
            """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: shop}
            spec: {paused: true}
            """,
            HealthStatus.Suspended,
            "rollout is paused"),
        new Case(
            "statefulset waiting for pods",
            """
            apiVersion: apps/v1
            kind: StatefulSet
            metadata: {name: db, namespace: shop, generation: 1}
            spec: {replicas: 3}
            status: {observedGeneration: 1, readyReplicas: 1}
            """,
            HealthStatus.Progressing,
            "waiting for 2 pods to be ready"),
        new Case(
            "daemonset rolled out",
            """
            apiVersion: apps/v1
            kind: DaemonSet
            metadata: {name: agent, namespace: shop, generation: 1}
            status: {observedGeneration: 1, desiredNumberScheduled: 2, updatedNumberScheduled: 2, numberAvailable: 2}
            """,
            HealthStatus.Healthy,
            ""),
        new Case(
            "replicaset failing",
            """
            apiVersion: apps/v1
            kind: ReplicaSet
            metadata: {name: web-1, namespace: shop}
            status: {conditions: [{type: ReplicaFailure, status: "True", message: "pods \\"web-1-x\\" is forbidden: exceeded quota"}]}
            """,
            HealthStatus.Degraded,
            "pods \"web-1-x\" is forbidden: exceeded quota"),
        new Case(
            "pod crash-looping",
            """
            apiVersion: v1
            kind: Pod
            metadata: {name: web-1, namespace: shop}
            status:
              phase: Running
              containerStatuses: [{name: app, state: {waiting: {reason: CrashLoopBackOff, message: back-off 5m0s}}}]
            """,
            HealthStatus.Degraded,
            "container app: CrashLoopBackOff: back-off 5m0s"),
        new Case(
            "pod ready",
            """
            apiVersion: v1
            kind: Pod
            metadata: {name: web-1, namespace: shop}
            status: {phase: Running, conditions: [{type: Ready, status: "True"}]}
            """,
            HealthStatus.Healthy,
            ""),
        new Case(
            "load balancer without address",
            """
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: shop}
            spec: {type: LoadBalancer}
            """,
            HealthStatus.Progressing,
            "waiting for the load balancer's address"),
        new Case(
            "cluster IP service",
            """
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: shop}
            spec: {type: ClusterIP}
            """,
            HealthStatus.Healthy,
            ""),
        new Case(
            "ingress with address",
            """
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata: {name: web, namespace: shop}
            status: {loadBalancer: {ingress: [{ip: 10.0.0.1}]}}
            """,
            HealthStatus.Healthy,
            ""),
        new Case(
            "claim pending",
            """
            apiVersion: v1
            kind: PersistentVolumeClaim
            metadata: {name: data, namespace: shop}
            status: {phase: Pending}
            """,
            HealthStatus.Progressing,
            "waiting for the claim to be bound"),
        new Case(
            "job failed",
            """
            apiVersion: batch/v1
            kind: Job
            metadata: {name: migrate, namespace: shop}
            status: {conditions: [{type: Failed, status: "True", reason: BackoffLimitExceeded, message: Job has reached the specified backoff limit}]}
            """,
            HealthStatus.Degraded,
            "job failed: BackoffLimitExceeded: Job has reached the specified backoff limit"),
        new Case(
            "job complete",
            """
            apiVersion: batch/v1
            kind: Job
            metadata: {name: migrate, namespace: shop}
            status: {conditions: [{type: Complete, status: "True"}]}
            """,
            HealthStatus.Healthy,
            "job completed"),
        new Case(
            "cronjob suspended",
            """
            apiVersion: batch/v1
            kind: CronJob
            metadata: {name: nightly, namespace: shop}
            spec: {suspend: true}
            """,
            HealthStatus.Suspended,
            "cronjob is suspended"),
        new Case(
            "autoscaler unable to scale",
            """
            apiVersion: autoscaling/v2
            kind: HorizontalPodAutoscaler
            metadata: {name: web, namespace: shop}
            status: {conditions: [{type: ScalingActive, status: "False", reason: FailedGetResourceMetric, message: no metrics}]}
            """,
            HealthStatus.Degraded,
            "ScalingActive: FailedGetResourceMetric: no metrics"),
        new Case(
            "custom resource not ready",
            """
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata: {name: tls, namespace: shop}
            status: {conditions: [{type: Ready, status: "False", reason: DoesNotExist, message: secret not found}]}
            """,
            HealthStatus.Degraded,
            "Ready is False: DoesNotExist: secret not found"),
        new Case(
            "custom resource without conditions",
            """
            apiVersion: example.com/v1
            kind: Widget
            metadata: {name: w, namespace: shop}
            """,
            HealthStatus.Healthy,
            ""),
        new Case(
            "being deleted",
            """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: c, namespace: shop, deletionTimestamp: "2026-01-01T10:00:00Z"}
            """,
            HealthStatus.Progressing,
            "being deleted"));
  }

  @SuppressWarnings("unchecked")
  static LiveObject live(String yaml) {
    Map<String, Object> object = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
    Map<String, Object> metadata = (Map<String, Object>) object.get("metadata");
    if (metadata.get("generation") instanceof Integer g) {
      metadata.put("generation", g.longValue());
    }
    return new LiveObject(
        ResourceKey.of(
            (String) object.get("apiVersion"),
            (String) object.get("kind"),
            (String) metadata.get("namespace"),
            (String) metadata.get("name")),
        (String) object.get("apiVersion"),
        object);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void assesses(Case c) {
    Health health = HealthAssessor.assess(live(c.object()), NOW);
    assertThat(health.status()).isEqualTo(c.status());
    assertThat(health.message()).isEqualTo(c.message());
  }

  @org.junit.jupiter.api.Test
  void aMissingObjectIsMissing() {
    assertThat(HealthAssessor.assess(null, NOW).status()).isEqualTo(HealthStatus.Missing);
  }
}
