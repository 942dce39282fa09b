package dev.weir.sandbox.world;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.drills.SandboxMetricProvider;
import dev.weir.engine.analysis.MetricValue;
import dev.weir.engine.analysis.QueryResult;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A Deployment's life in virtual time: created, Ready, rolled, serving traffic — no rollout engine.
 */
class SandboxWorldLifecycleTest {
  WorldFixture sandbox;

  @BeforeEach
  void start() throws Exception {
    sandbox = new WorldFixture(WorldSettings.defaults().withSeed(7));
    sandbox.apply(WorldFixture.NAMESPACE);
  }

  @AfterEach
  void stop() throws Exception {
    sandbox.close();
  }

  @Test
  void deploymentCreatesAReplicaSetWhosePodsBecomeReadyAfterTheirStartUpDelay() {
    sandbox.apply(WorldFixture.deployment("storefront", 4, "2.4.0", "0.002", "110ms"));
    sandbox.advance(Duration.ofSeconds(1));

    List<ObjectNode> replicaSets = sandbox.list("apps/v1", "ReplicaSet", "shop");
    assertThat(replicaSets).hasSize(1);
    ObjectNode rs = replicaSets.getFirst();
    String hash = rs.path("metadata").path("labels").path("pod-template-hash").asText();
    assertThat(rs.path("metadata").path("name").asText()).isEqualTo("storefront-" + hash);
    assertThat(
            rs.path("metadata")
                .path("annotations")
                .path("deployment.kubernetes.io/revision")
                .asText())
        .isEqualTo("1");
    assertThat(rs.path("metadata").path("annotations").path("weir.dev/application").asText())
        .isEqualTo("storefront");
    assertThat(
            rs.path("spec").path("selector").path("matchLabels").path("pod-template-hash").asText())
        .isEqualTo(hash);
    List<ObjectNode> pods = sandbox.list("v1", "Pod", "shop");
    assertThat(pods).hasSize(4);
    assertThat(pods)
        .allSatisfy(p -> assertThat(p.path("status").path("phase").asText()).isEqualTo("Pending"));
    assertThat(pods)
        .allSatisfy(
            p ->
                assertThat(p.path("metadata").path("name").asText())
                    .matches("storefront-" + hash + "-[a-z0-9]{5}"));

    sandbox.advance(Duration.ofSeconds(10)); // start-up is 5 s ± 50 %
    pods = sandbox.list("v1", "Pod", "shop");
    assertThat(pods)
        .allSatisfy(p -> assertThat(p.path("status").path("phase").asText()).isEqualTo("Running"));
    assertThat(pods).allSatisfy(p -> assertThat(Kubelet.ready(p)).isTrue());
    JsonNode status = sandbox.get("apps/v1", "Deployment", "shop", "storefront").path("status");
    assertThat(status.path("replicas").asInt()).isEqualTo(4);
    assertThat(status.path("readyReplicas").asInt()).isEqualTo(4);
    assertThat(status.path("availableReplicas").asInt()).isEqualTo(4);
    assertThat(status.path("updatedReplicas").asInt()).isEqualTo(4);
    assertThat(status.path("observedGeneration").asInt()).isEqualTo(1);
    assertThat(condition(status, "Available")).isEqualTo("True MinimumReplicasAvailable");
    assertThat(condition(status, "Progressing")).isEqualTo("True NewReplicaSetAvailable");
    assertThat(sandbox.events)
        .anySatisfy(
            e -> assertThat(e.what()).startsWith("4/4 pods available: replica set storefront-"));
  }

  @Test
  void changingThePodTemplateRollsToANewReplicaSetWithinSurgeAndUnavailabilityLimits() {
    sandbox.apply(WorldFixture.deployment("storefront", 4, "2.4.0", "0.002", "110ms"));
    sandbox.advance(Duration.ofSeconds(30));
    String oldName =
        sandbox
            .list("apps/v1", "ReplicaSet", "shop")
            .getFirst()
            .path("metadata")
            .path("name")
            .asText();

    sandbox.apply(WorldFixture.deployment("storefront", 4, "2.4.1", "0.08", "180ms"));
    int maxPods = 0;
    int minReady = Integer.MAX_VALUE;
    for (int second = 0; second < 120; second++) {
      sandbox.advance(Duration.ofSeconds(1));
      List<ObjectNode> pods = sandbox.list("v1", "Pod", "shop");
      maxPods = Math.max(maxPods, pods.size());
      minReady = Math.min(minReady, (int) pods.stream().filter(Kubelet::ready).count());
    }
    assertThat(maxPods).as("maxSurge 25%% of 4 = 1").isLessThanOrEqualTo(5);
    assertThat(minReady).as("maxUnavailable 25%% of 4 = 1").isGreaterThanOrEqualTo(3);

    List<ObjectNode> replicaSets = sandbox.list("apps/v1", "ReplicaSet", "shop");
    assertThat(replicaSets).hasSize(2);
    ObjectNode old =
        replicaSets.stream().filter(r -> name(r).equals(oldName)).findFirst().orElseThrow();
    ObjectNode current =
        replicaSets.stream().filter(r -> !name(r).equals(oldName)).findFirst().orElseThrow();
    assertThat(old.path("spec").path("replicas").asInt()).isZero();
    assertThat(current.path("spec").path("replicas").asInt()).isEqualTo(4);
    assertThat(
            current
                .path("metadata")
                .path("annotations")
                .path("deployment.kubernetes.io/revision")
                .asText())
        .isEqualTo("2");
    assertThat(sandbox.list("v1", "Pod", "shop"))
        .hasSize(4)
        .allSatisfy(
            p ->
                assertThat(
                        p.path("metadata")
                            .path("labels")
                            .path("app.kubernetes.io/version")
                            .asText())
                    .isEqualTo("2.4.1"));
    JsonNode status = sandbox.get("apps/v1", "Deployment", "shop", "storefront").path("status");
    assertThat(status.path("observedGeneration").asInt()).isEqualTo(2);
    assertThat(status.path("updatedReplicas").asInt()).isEqualTo(4);
    assertThat(condition(status, "Progressing")).isEqualTo("True NewReplicaSetAvailable");
    assertThat(sandbox.events)
        .extracting(WorldEvent::what)
        .anySatisfy(w -> assertThat(w).startsWith("scaled down replica set " + oldName))
        .anySatisfy(w -> assertThat(w).startsWith("created replica set storefront-"));
  }

  @Test
  void rollingBackToAnOldTemplateReusesItsReplicaSetWithANewRevision() {
    sandbox.apply(WorldFixture.deployment("web", 2, "1", "0", "50ms"));
    sandbox.advance(Duration.ofSeconds(30));
    sandbox.apply(WorldFixture.deployment("web", 2, "2", "0", "50ms"));
    sandbox.advance(Duration.ofSeconds(60));
    sandbox.apply(WorldFixture.deployment("web", 2, "1", "0", "50ms"));
    sandbox.advance(Duration.ofSeconds(60));

    List<ObjectNode> replicaSets = sandbox.list("apps/v1", "ReplicaSet", "shop");
    assertThat(replicaSets).hasSize(2);
    assertThat(replicaSets)
        .extracting(
            r ->
                r.path("spec")
                        .path("template")
                        .path("metadata")
                        .path("labels")
                        .path("app.kubernetes.io/version")
                        .asText()
                    + "@"
                    + r.path("metadata")
                        .path("annotations")
                        .path("deployment.kubernetes.io/revision")
                        .asText()
                    + "x"
                    + r.path("spec").path("replicas").asInt())
        .containsExactlyInAnyOrder("1@3x2", "2@2x0");
  }

  @Test
  void tenMinutesOfSandboxTimeServeTrafficByReplicaRatioAndAnswerAnalysisQueries() {
    sandbox.apply(WorldFixture.deployment("checkout", 3, "1.4.2", "0.01", "80ms"));
    sandbox.apply(WorldFixture.service("checkout", "checkout"));
    long started = System.nanoTime();
    sandbox.advance(Duration.ofMinutes(10));
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));

    assertThat(sandbox.world.endpoints("shop", "checkout")).hasSize(3);
    var provider = new SandboxMetricProvider(sandbox.world.metrics());
    double rate =
        value(
            provider.instant(
                "sum(rate(http_requests_total{service=\"checkout\"}[1m]))",
                sandbox.clock.instant()));
    assertThat(rate).isBetween(15.0, 25.0); // 20 requests per second by default
    double errors =
        value(
            provider.instant(
                "sum(rate(http_requests_total{service=\"checkout\",code=~\"5..\"}[5m])) /"
                    + " sum(rate(http_requests_total{service=\"checkout\"}[5m]))",
                sandbox.clock.instant()));
    assertThat(errors).isBetween(0.002, 0.03);
    double p50 =
        value(
            provider.instant(
                "histogram_quantile(0.5,"
                    + " sum(rate(http_request_duration_seconds_bucket{service=\"checkout\"}[5m]))"
                    + " by (le))",
                sandbox.clock.instant()));
    assertThat(p50).isBetween(0.07, 0.09);
    assertThat(sandbox.world.metrics().exposition())
        .contains(
            "http_requests_total{namespace=\"shop\",service=\"checkout\",version=\"1.4.2\",code=\"200\"}"
                + " ")
        .contains(
            "http_request_duration_seconds_bucket{namespace=\"shop\",service=\"checkout\",version=\"1.4.2\",le=\"+Inf\"}"
                + " ");
  }

  @Test
  void crashloopAnnotationKeepsPodsUnreadyWithGrowingRestartsAndStallsTheRollout() {
    sandbox.apply(WorldFixture.deployment("inventory", 2, "5.0.3", "0", "40ms"));
    sandbox.advance(Duration.ofSeconds(30));
    String crashing =
        WorldFixture.deployment("inventory", 2, "5.0.4", "0", "40ms")
            .replace(
                "sandbox.weir.dev/latency-p50: 40ms",
                "sandbox.weir.dev/latency-p50: 40ms\n        sandbox.weir.dev/crashloop: \"true\"");
    sandbox.apply(crashing);
    sandbox.advance(Duration.ofMinutes(11));

    List<ObjectNode> newPods =
        sandbox.list("v1", "Pod", "shop").stream()
            .filter(
                p ->
                    p.path("metadata")
                        .path("labels")
                        .path("app.kubernetes.io/version")
                        .asText()
                        .equals("5.0.4"))
            .toList();
    assertThat(newPods).isNotEmpty().allSatisfy(p -> assertThat(Kubelet.ready(p)).isFalse());
    JsonNode container = newPods.getFirst().path("status").path("containerStatuses").path(0);
    assertThat(container.path("restartCount").asInt()).isGreaterThanOrEqualTo(4);
    assertThat(container.path("state").path("waiting").path("reason").asText())
        .isEqualTo("CrashLoopBackOff");
    JsonNode status = sandbox.get("apps/v1", "Deployment", "shop", "inventory").path("status");
    assertThat(status.path("availableReplicas").asInt())
        .as("the old pods keep serving")
        .isGreaterThanOrEqualTo(1);
    assertThat(condition(status, "Progressing")).isEqualTo("False ProgressDeadlineExceeded");
    assertThat(sandbox.events)
        .extracting(WorldEvent::what)
        .anySatisfy(w -> assertThat(w).startsWith("rollout stalled"));
  }

  @Test
  void statefulSetsDaemonSetsAndJobsRunSimply() {
    sandbox.apply(
        """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: db, namespace: shop}
        spec:
          replicas: 3
          serviceName: db
          selector: {matchLabels: {app: db}}
          template:
            metadata: {labels: {app: db}}
            spec: {containers: [{name: db, image: postgres:17}]}
        ---
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: {name: agent, namespace: shop}
        spec:
          selector: {matchLabels: {app: agent}}
          template:
            metadata: {labels: {app: agent}}
            spec: {containers: [{name: agent, image: agent:1}]}
        ---
        apiVersion: batch/v1
        kind: Job
        metadata: {name: migrate, namespace: shop}
        spec:
          completions: 2
          template:
            metadata: {labels: {app: migrate}}
            spec: {restartPolicy: Never, containers: [{name: migrate, image: migrate:1}]}
        """);
    sandbox.advance(Duration.ofMinutes(2));

    assertThat(sandbox.list("v1", "Pod", "shop"))
        .extracting(WorldFixtureNames::name)
        .contains("db-0", "db-1", "db-2");
    JsonNode db = sandbox.get("apps/v1", "StatefulSet", "shop", "db").path("status");
    assertThat(db.path("readyReplicas").asInt()).isEqualTo(3);
    JsonNode agent = sandbox.get("apps/v1", "DaemonSet", "shop", "agent").path("status");
    assertThat(agent.path("desiredNumberScheduled").asInt()).isEqualTo(3);
    assertThat(agent.path("numberReady").asInt()).isEqualTo(3);
    JsonNode job = sandbox.get("batch/v1", "Job", "shop", "migrate").path("status");
    assertThat(job.path("succeeded").asInt()).isEqualTo(2);
    assertThat(condition(job, "Complete")).startsWith("True");
  }

  private static String condition(JsonNode status, String type) {
    for (JsonNode condition : status.path("conditions")) {
      if (condition.path("type").asText().equals(type)) {
        return (condition.path("status").asText() + " " + condition.path("reason").asText()).trim();
      }
    }
    return "absent";
  }

  private static String name(JsonNode object) {
    return object.path("metadata").path("name").asText();
  }

  private static double value(QueryResult<MetricValue> result) {
    assertThat(result).isInstanceOf(QueryResult.Ok.class);
    return ((QueryResult.Ok<MetricValue>) result).value().first();
  }

  static final class WorldFixtureNames {
    static String name(JsonNode object) {
      return object.path("metadata").path("name").asText();
    }
  }
}
