package dev.weir.engine.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.cluster.ApplyOptions;
import dev.weir.engine.cluster.ClusterGateway;
import dev.weir.engine.cluster.LeaseHolder;
import dev.weir.engine.cluster.ResourceType;
import dev.weir.engine.diff.ResourceDiff;
import dev.weir.engine.model.DesiredState;
import dev.weir.engine.model.LiveObject;
import dev.weir.engine.model.Manifest;
import dev.weir.engine.model.ResourceKey;
import dev.weir.engine.reconcile.Comparison;
import dev.weir.engine.reconcile.LiveSource;
import dev.weir.engine.reconcile.Reconciler;
import dev.weir.engine.reconcile.SyncRequest;
import dev.weir.engine.reconcile.SyncResult;
import dev.weir.engine.reconcile.SyncTarget;
import dev.weir.engine.testkit.TestCluster;
import dev.weir.engine.traffic.TrafficRouter;
import dev.weir.engine.traffic.TrafficRoutingSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reconciler and a running rollout on the sandbox API server (client-java, kubeconfig), in
 * virtual time: while the canary runs, what the rollout owns is neither drift nor synced over nor
 * pruned.
 */
class RolloutReconcileIT {
  static final String ROUTE_YAML =
      """
      ---
      apiVersion: gateway.networking.k8s.io/v1
      kind: HTTPRoute
      metadata: {name: storefront}
      spec:
        parentRefs: [{name: shop-gateway}]
        rules:
        - backendRefs:
          - {name: storefront-stable, port: 80, weight: 100}
          - {name: storefront-canary, port: 80, weight: 0}
      """;

  static final ResourceKey STABLE = new ResourceKey("apps", "Deployment", "shop", "storefront");
  static final ResourceKey CANARY =
      new ResourceKey("apps", "Deployment", "shop", "storefront-canary");
  static final ResourceKey ROUTE =
      new ResourceKey("gateway.networking.k8s.io", "HTTPRoute", "shop", "storefront");
  static final ResourceKey STATE = new ResourceKey("", "ConfigMap", "shop", "storefront-rollout");

  @TempDir Path dir;
  TestCluster cluster;
  ClusterGateway gateway;
  Reconciler reconciler;
  RolloutExecutor executor;

  /** The storefront at {@code version} with its HTTPRoute and its Rollout, Ingress left out. */
  static DesiredState storefront(String version) {
    String objects =
        Apps.STOREFRONT_OBJECTS
            .replace("2.4.0", version)
            .replaceAll("(?s)---\\napiVersion: networking.k8s.io/v1\\nkind: Ingress.*?(?=---)", "");
    List<Manifest> manifests =
        Apps.manifests(
                objects + ROUTE_YAML + "---\n" + CanaryMachineTest.STOREFRONT,
                "apps/storefront/all.yaml")
            .stream()
            .map(
                m ->
                    m.key().namespace().isEmpty()
                        ? m
                        : new Manifest(
                            m.key(),
                            m.apiVersion(),
                            RolloutExecutorIT.withNamespace(m.object()),
                            m.source()))
            .toList();
    return Apps.state("storefront", manifests);
  }

  @BeforeEach
  void start() throws Exception {
    cluster = new TestCluster(dir.resolve("cluster"));
    gateway = cluster.gateway();
    gateway.apply(
        Map.of("apiVersion", "v1", "kind", "Namespace", "metadata", Map.of("name", "shop")),
        ApplyOptions.weir());
    reconciler =
        new Reconciler(
            gateway,
            cluster.clock,
            LeaseHolder.of("alice@bastion", "test"),
            Reconciler.Options.defaults());
    executor =
        new RolloutExecutor(
            gateway,
            new ScriptedMetrics().set("rate(ok", 0.995).set("p99", 0.12),
            cluster.clock,
            Runnable::run,
            Duration.ZERO);
  }

  @AfterEach
  void stop() throws Exception {
    executor.close();
    cluster.close();
  }

  void podsReady() {
    ResourceType deployments = gateway.resourceType("apps/v1", "Deployment");
    for (LiveObject deployment : gateway.list(deployments, "shop", "")) {
      long replicas = deployment.at("spec.replicas").map(v -> ((Number) v).longValue()).orElse(1L);
      gateway.patchStatus(
          deployment.key(),
          Map.of(
              "observedGeneration", deployment.generation(),
              "replicas", replicas,
              "updatedReplicas", replicas,
              "readyReplicas", replicas,
              "availableReplicas", replicas),
          "kube-controller-manager");
    }
  }

  String image(ResourceKey key) {
    Object containers =
        gateway.get(key).orElseThrow().at("spec.template.spec.containers").orElseThrow();
    return String.valueOf(((Map<?, ?>) ((List<?>) containers).getFirst()).get("image"));
  }

  int weight() {
    return TrafficRouter.of(
            new TrafficRoutingSpec.GatewayApi("storefront"),
            "shop",
            "storefront-stable",
            "storefront-canary")
        .weight(gateway)
        .orElseThrow();
  }

  SyncResult sync(DesiredState desired, SyncRequest request) {
    return reconciler.sync(
        SyncTarget.of(desired), request, "alice", LiveSource.direct(gateway), r -> {});
  }

  /** Git at 2.4.1 while the canary of 2.4.1 runs at 5% on the cluster. */
  DesiredState canaryRunning() {
    DesiredState v1 = storefront("2.4.0");
    assertThat(sync(v1, SyncRequest.manual()).succeeded()).isTrue();
    podsReady();
    executor.track(v1);
    executor.reconcile();
    DesiredState v2 = storefront("2.4.1");
    executor.track(v2);
    for (int i = 0; i < 5 && weight() != 5; i++) {
      executor.reconcile();
      podsReady();
    }
    assertThat(weight()).as("the canary takes 5%").isEqualTo(5);
    assertThat(image(CANARY)).isEqualTo("registry.example/shop/storefront:2.4.1");
    return v2;
  }

  @Test
  void anAutomatedSyncOfANewTemplateNeverReachesTheStableDeploymentBeforeAnyRolloutIsRecorded() {
    DesiredState v1 = storefront("2.4.0");
    assertThat(sync(v1, SyncRequest.manual()).succeeded()).isTrue();
    podsReady();
    assertThat(gateway.get(STATE)).as("no console has driven the rollout yet").isEmpty();

    DesiredState v2 = storefront("2.4.1");
    SyncResult automated = sync(v2, SyncRequest.automated(SyncRequest.Trigger.AUTOMATED));

    assertThat(automated.succeeded()).as(automated.message()).isTrue();
    assertThat(image(STABLE))
        .as("the new template reaches users through the canary, not through a sync")
        .isEqualTo("registry.example/shop/storefront:2.4.0");
    Comparison comparison =
        reconciler.compare(v2, reconciler.state(v2.application()), LiveSource.direct(gateway));
    assertThat(comparison.diff().drifted()).as("a rollout due is not drift").isEmpty();

    executor.track(v2);
    for (int i = 0; i < 5 && weight() != 5; i++) {
      executor.reconcile();
      podsReady();
    }
    assertThat(weight()).isEqualTo(5);
    assertThat(image(CANARY)).isEqualTo("registry.example/shop/storefront:2.4.1");
    assertThat(image(STABLE)).isEqualTo("registry.example/shop/storefront:2.4.0");
  }

  @Test
  void aHandEditOfTheTemplateOfARolloutAtRestIsDriftAndASyncRevertsIt() {
    DesiredState v1 = storefront("2.4.0");
    assertThat(sync(v1, SyncRequest.manual()).succeeded()).isTrue();
    Map<String, Object> container =
        Map.of("name", "storefront", "image", "registry.example/shop/storefront:9.9.9");
    gateway.apply(
        Map.of(
            "apiVersion", "apps/v1",
            "kind", "Deployment",
            "metadata", Map.of("name", "storefront", "namespace", "shop"),
            "spec",
                Map.of(
                    "selector", gateway.get(STABLE).orElseThrow().at("spec.selector").orElseThrow(),
                    "template",
                        Map.of(
                            "metadata",
                                gateway
                                    .get(STABLE)
                                    .orElseThrow()
                                    .at("spec.template.metadata")
                                    .orElseThrow(),
                            "spec", Map.of("containers", List.of(container))))),
        new dev.weir.engine.cluster.ApplyOptions("kubectl-set-image", true, false));
    assertThat(image(STABLE)).isEqualTo("registry.example/shop/storefront:9.9.9");

    Comparison comparison =
        reconciler.compare(v1, reconciler.state(v1.application()), LiveSource.direct(gateway));
    assertThat(comparison.diff().drifted())
        .extracting(ResourceDiff::key)
        .as("the stamp still names Git's template: the edit is drift, not a rollout")
        .containsExactly(STABLE);

    SyncResult healed = sync(v1, SyncRequest.automated(SyncRequest.Trigger.SELF_HEAL));
    assertThat(healed.succeeded()).as(healed.message()).isTrue();
    assertThat(image(STABLE)).isEqualTo("registry.example/shop/storefront:2.4.0");
  }

  /** {@code state} without its Rollout and AnalysisTemplates: someone removed them from Git. */
  static DesiredState withoutRollout(DesiredState state) {
    return new DesiredState(
        state.application(), state.revision() + "-no-rollout", state.resources(), List.of());
  }

  @Test
  void aRolloutRemovedFromGitSendsTrafficToStableAndDeletesWhatItMade() {
    DesiredState v2 = canaryRunning();
    ResourceKey stableService = new ResourceKey("", "Service", "shop", "storefront-stable");
    assertThat(gateway.get(stableService).orElseThrow().at("spec.selector").orElseThrow())
        .asString()
        .contains(RolloutExecutor.HASH_LABEL);

    executor.track(withoutRollout(v2));

    assertThat(weight()).as("all traffic back on stable").isZero();
    assertThat(gateway.get(CANARY)).as("the canary Deployment is deleted").isEmpty();
    assertThat(gateway.get(STATE)).as("the rollout's state is deleted").isEmpty();
    assertThat(gateway.get(stableService).orElseThrow().at("spec.selector").orElseThrow())
        .asString()
        .as("the selector is Git's again")
        .doesNotContain(RolloutExecutor.HASH_LABEL);
    assertThat(gateway.get(STABLE)).as("the Deployment itself stays").isPresent();
  }

  @Test
  void aRolloutThatBecameInvalidIsStoppedButNothingIsTornDown() {
    DesiredState v2 = canaryRunning();
    Manifest rollout =
        v2.configuration().stream().filter(m -> m.kind().equals("Rollout")).findFirst().orElseThrow();
    Map<String, Object> broken = new java.util.LinkedHashMap<>(rollout.object());
    broken.put("spec", Map.of("targetRef", Map.of("kind", "Deployment", "name", "storefront")));
    List<Manifest> configuration = new java.util.ArrayList<>(v2.configuration());
    configuration.set(
        configuration.indexOf(rollout),
        new Manifest(rollout.key(), rollout.apiVersion(), broken, rollout.source()));

    executor.track(
        new DesiredState(v2.application(), v2.revision(), v2.resources(), configuration));

    assertThat(weight()).as("a typo in Git never tears a canary down").isEqualTo(5);
    assertThat(gateway.get(CANARY)).isPresent();
    assertThat(gateway.get(STATE)).isPresent();
  }

  @Test
  void anAnalysisArgumentFromThePodTemplateHashMeasuresTheCanaryPodsOnly() {
    executor.close();
    DesiredState v1 = storefront("2.4.0");
    String canaryHash =
        PodTemplateRef.ofDeployment(storefront("2.4.1").resources().get(STABLE).object()).hash();
    ScriptedMetrics metrics =
        new ScriptedMetrics().set("service=\"" + canaryHash + "\"", 0.995).set("p99", 0.12);
    executor = new RolloutExecutor(gateway, metrics, cluster.clock, Runnable::run, Duration.ZERO);
    assertThat(sync(v1, SyncRequest.manual()).succeeded()).isTrue();
    podsReady();
    executor.track(v1);
    DesiredState v2 =
        withRollout(
            storefront("2.4.1"),
            CanaryMachineTest.STOREFRONT.replace(
                "args: [{name: service, value: storefront-canary}]",
                "args: [{name: service, valueFrom: {podTemplateHashValue: Latest}}]"));
    executor.track(v2);
    for (int i = 0; i < 12 && metrics.asked("service=\"" + canaryHash + "\"").isEmpty(); i++) {
      podsReady();
      executor.reconcile();
      cluster.clock.advance(Duration.ofSeconds(30));
    }

    assertThat(metrics.asked("service=\"" + canaryHash + "\""))
        .as("the step's query names the canary's pod-template hash")
        .isNotEmpty();
    assertThat(executor.status("storefront", Optional.empty()).orElseThrow().message())
        .contains("analysis success-rate")
        .doesNotContain("error");
  }

  /** {@code state} with {@code rollout} in place of its Rollout. */
  static DesiredState withRollout(DesiredState state, String rollout) {
    List<Manifest> configuration = new java.util.ArrayList<>();
    for (Manifest m : state.configuration()) {
      if (!m.kind().equals("Rollout")) {
        configuration.add(m);
      }
    }
    configuration.addAll(
        Apps.manifests(rollout, "apps/storefront/rollout.yaml").stream()
            .filter(m -> m.kind().equals("Rollout"))
            .toList());
    return new DesiredState(state.application(), state.revision(), state.resources(), configuration);
  }

  @Test
  void aCanaryDeploymentPastItsProgressDeadlineShowsInTheRolloutsStatus() {
    canaryRunning();
    gateway.patchStatus(
        CANARY,
        Map.of(
            "conditions",
            List.of(
                Map.of(
                    "type", "Progressing",
                    "status", "False",
                    "reason", "ProgressDeadlineExceeded",
                    "message", "ReplicaSet \"storefront-canary-7d9\" has timed out progressing."))),
        "kube-controller-manager");

    executor.reconcile();

    assertThat(executor.status("storefront", Optional.empty()).orElseThrow().message())
        .endsWith(
            "; blocked: Deployment shop/storefront-canary: ProgressDeadlineExceeded: ReplicaSet"
                + " \"storefront-canary-7d9\" has timed out progressing.");
  }

  @Test
  void theNewTemplateOfARolledOutDeploymentIsNotDriftWhileItsCanaryRuns() {
    DesiredState v2 = canaryRunning();

    Comparison comparison =
        reconciler.compare(v2, reconciler.state(v2.application()), LiveSource.direct(gateway));

    ResourceDiff stable =
        comparison.diff().resources().stream()
            .filter(d -> d.key().equals(STABLE))
            .findFirst()
            .orElseThrow();
    assertThat(stable.status()).isEqualTo(ResourceDiff.Status.SYNCED);
    assertThat(comparison.diff().resources())
        .filteredOn(ResourceDiff::drifted)
        .extracting(ResourceDiff::key)
        .as("neither the template, the weights, the canary nor the rollout's state is drift")
        .isEmpty();
  }

  @Test
  void aSyncWithPruneLeavesTheStableTemplateTheWeightsAndTheCanaryToTheRollout() {
    DesiredState v2 = canaryRunning();

    SyncResult result = sync(v2, SyncRequest.manual().withPrune(true).withPruneConfirmed(true));

    assertThat(result.succeeded()).as(result.message()).isTrue();
    assertThat(image(STABLE)).isEqualTo("registry.example/shop/storefront:2.4.0");
    assertThat(weight()).isEqualTo(5);
    assertThat(gateway.get(CANARY)).isPresent();
    assertThat(image(CANARY)).isEqualTo("registry.example/shop/storefront:2.4.1");
    assertThat(gateway.get(STATE)).isPresent();
  }

  @Test
  void aHandEditOfADeploymentWhoseRolloutIsAtRestIsDriftAndASyncRevertsIt() {
    DesiredState v1 = storefront("2.4.0");
    assertThat(sync(v1, SyncRequest.manual()).succeeded()).isTrue();
    podsReady();
    executor.track(v1);
    executor.reconcile();
    assertThat(executor.status("storefront", Optional.empty()).orElseThrow().phase())
        .isEqualTo(RolloutPhase.HEALTHY);
    gateway.apply(
        Map.of(
            "apiVersion", "apps/v1",
            "kind", "Deployment",
            "metadata", Map.of("name", "storefront", "namespace", "shop"),
            "spec", Map.of("replicas", 9)),
        new ApplyOptions("kubectl-edit", true, false));

    Comparison comparison =
        reconciler.compare(v1, reconciler.state(v1.application()), LiveSource.direct(gateway));

    assertThat(comparison.diff().resources())
        .filteredOn(d -> d.key().equals(STABLE))
        .singleElement()
        .satisfies(d -> assertThat(d.status()).isEqualTo(ResourceDiff.Status.MODIFIED));
    assertThat(sync(v1, SyncRequest.manual().withForce(true)).succeeded()).isTrue();
    assertThat(gateway.get(STABLE).orElseThrow().at("spec.replicas")).contains(4L);
  }

  @Test
  void aSyncStillCreatesARolledOutDeploymentFromGitWhenTheClusterHasNone() {
    DesiredState v1 = storefront("2.4.0");

    SyncResult result = sync(v1, SyncRequest.manual());

    assertThat(result.succeeded()).as(result.message()).isTrue();
    assertThat(image(STABLE)).isEqualTo("registry.example/shop/storefront:2.4.0");
    assertThat(weight()).isZero();
  }
}
