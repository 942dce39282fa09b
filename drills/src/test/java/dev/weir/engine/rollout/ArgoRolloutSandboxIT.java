package dev.weir.engine.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.cluster.ApplyOptions;
import dev.weir.engine.cluster.ClusterGateway;
import dev.weir.engine.cluster.LeaseHolder;
import dev.weir.engine.cluster.ResourceType;
import dev.weir.engine.console.CommandResult;
import dev.weir.engine.console.Console;
import dev.weir.engine.git.GitSettings;
import dev.weir.engine.git.GitSource;
import dev.weir.engine.git.JGitSource;
import dev.weir.engine.git.WorkspaceSpec;
import dev.weir.engine.model.LiveObject;
import dev.weir.engine.model.ResourceKey;
import dev.weir.engine.testkit.RepoBuilder;
import dev.weir.engine.testkit.TestCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An Argo Rollouts {@code Rollout} with an inline template, as Argo's getting-started guide writes
 * one (replicas, selector, template, canary steps without a router), played by the console on the
 * sandbox API server in virtual time: the Deployment Weir makes of the template is synced, a new
 * image in Git goes out through a canary at the Rollout's weights and becomes stable. The test plays
 * the Deployment controller (status) and moves the clock.
 */
class ArgoRolloutSandboxIT {
  static final String ROLLOUT =
      """
      apiVersion: argoproj.io/v1alpha1
      kind: Rollout
      metadata: {name: web}
      spec:
        replicas: 4
        selector: {matchLabels: {app: web}}
        template:
          metadata: {labels: {app: web}}
          spec:
            containers:
            - {name: web, image: "registry.example/web:VERSION"}
        strategy:
          canary:
            steps:
            - setWeight: 25
            - pause: {duration: 30s}
            - setWeight: 50
            - pause: {duration: 30s}
      """;

  @TempDir Path home;

  @Test
  void anInlineTemplateRolloutGoesOutThroughItsCanaryStepsOnTheSandbox() throws Exception {
    Path repo = home.resolve("web.git");
    try (RepoBuilder remote = RepoBuilder.init(repo);
        TestCluster cluster = new TestCluster(home.resolve("cluster"))) {
      remote
          .commit("web 1.0.0")
          .add(
              "weir/web.yaml",
              """
              apiVersion: weir.dev/v1alpha1
              kind: Application
              metadata: {name: web}
              spec:
                source: {path: apps/web}
                destination: {namespace: shop}
              """)
          .add("apps/web/rollout.yaml", ROLLOUT.replace("VERSION", "1.0.0"))
          .create();
      ClusterGateway gateway = cluster.gateway();
      gateway.apply(
          Map.of("apiVersion", "v1", "kind", "Namespace", "metadata", Map.of("name", "shop")),
          ApplyOptions.weir());
      try (GitSource git =
              JGitSource.open(
                  WorkspaceSpec.of(repo.toString()), GitSettings.from(Map.of(), home), cluster.clock);
          Console console =
              Console.open(
                  git,
                  gateway,
                  cluster.clock,
                  Console.Options.defaults("alice", LeaseHolder.of("alice@bastion", "weir tui")),
                  new ScriptedMetrics(),
                  Runnable::run)) {
        assertThat(console.refresh().join().ok()).isTrue();
        CommandResult synced = console.sync("web", Console.SyncOptions.plain()).join();
        assertThat(synced.ok()).as(synced.message()).isTrue();
        ResourceKey deployment = new ResourceKey("apps", "Deployment", "shop", "web");
        assertThat(gateway.get(deployment)).as("Weir made the Deployment of the template").isPresent();
        podsReady(gateway);
        console.refresh().join();
        assertThat(status(console).phase()).isEqualTo(RolloutPhase.HEALTHY);

        remote
            .commit("web 1.1.0")
            .add("apps/web/rollout.yaml", ROLLOUT.replace("VERSION", "1.1.0"))
            .create();
        console.refresh().join();
        List<Integer> weights = new java.util.ArrayList<>();
        for (int tick = 0; tick < 40 && status(console).phase() != RolloutPhase.HEALTHY; tick++) {
          podsReady(gateway);
          console.reconcileRollouts();
          weights.add(status(console).weight());
          cluster.clock.advance(Duration.ofSeconds(5));
        }
        console.refresh().join();

        assertThat(weights).as("the Rollout's steps, in order").contains(25, 50);
        assertThat(status(console).phase()).isEqualTo(RolloutPhase.HEALTHY);
        assertThat(status(console).stableVersion()).contains("1.1.0");
        Object containers =
            gateway.get(deployment).orElseThrow().at("spec.template.spec.containers").orElseThrow();
        assertThat(((Map<?, ?>) ((List<?>) containers).getFirst()).get("image"))
            .isEqualTo("registry.example/web:1.1.0");
        assertThat(gateway.get(deployment).orElseThrow().at("spec.replicas").orElseThrow())
            .isEqualTo(4L);
      }
    }
  }

  static final String SURGING =
      """
      apiVersion: argoproj.io/v1alpha1
      kind: Rollout
      metadata: {name: web}
      spec:
        replicas: 4
        selector: {matchLabels: {app: web}}
        template:
          metadata: {labels: {app: web}}
          spec:
            containers:
            - {name: web, image: "registry.example/web:VERSION"}
        strategy:
          canary:
            maxSurge: 1
            maxUnavailable: 0
            canaryMetadata:
              labels: {role: canary}
              annotations: {example.com/side: canary}
            stableMetadata:
              labels: {role: stable}
            steps:
            - setWeight: 50
            - pause: {duration: 30s}
      """;

  /**
   * Argo's maxSurge/maxUnavailable (docs/features/canary.md) and canaryMetadata/stableMetadata
   * (docs/features/specification.md, "ephemeral metadata") on the sandbox: the pods move a few at a
   * time (never more than 5 asked for, since maxSurge is 1 and maxUnavailable 0), the canary's pods
   * carry the canary's labels and annotations, the stable ones the stable's, and the promotion's
   * rolling update of the stable Deployment moves its pods within the same bounds.
   */
  @Test
  void aBasicCanaryMovesItsPodsWithinMaxSurgeAndMarksEachSidesPods() throws Exception {
    Path repo = home.resolve("web.git");
    try (RepoBuilder remote = RepoBuilder.init(repo);
        TestCluster cluster = new TestCluster(home.resolve("cluster"))) {
      remote
          .commit("web 1.0.0")
          .add(
              "weir/web.yaml",
              """
              apiVersion: weir.dev/v1alpha1
              kind: Application
              metadata: {name: web}
              spec:
                source: {path: apps/web}
                destination: {namespace: shop}
              """)
          .add("apps/web/rollout.yaml", SURGING.replace("VERSION", "1.0.0"))
          .create();
      ClusterGateway gateway = cluster.gateway();
      gateway.apply(
          Map.of("apiVersion", "v1", "kind", "Namespace", "metadata", Map.of("name", "shop")),
          ApplyOptions.weir());
      try (GitSource git =
              JGitSource.open(
                  WorkspaceSpec.of(repo.toString()), GitSettings.from(Map.of(), home), cluster.clock);
          Console console =
              Console.open(
                  git,
                  gateway,
                  cluster.clock,
                  Console.Options.defaults("alice", LeaseHolder.of("alice@bastion", "weir tui")),
                  new ScriptedMetrics(),
                  Runnable::run)) {
        assertThat(console.refresh().join().ok()).isTrue();
        CommandResult synced = console.sync("web", Console.SyncOptions.plain()).join();
        assertThat(synced.ok()).as(synced.message()).isTrue();
        ResourceKey stable = new ResourceKey("apps", "Deployment", "shop", "web");
        ResourceKey canary = new ResourceKey("apps", "Deployment", "shop", "web-canary");
        assertThat(gateway.get(stable).orElseThrow().at("spec.strategy.rollingUpdate").orElseThrow())
            .as("the promotion's rolling update follows the Rollout")
            .isEqualTo(Map.of("maxSurge", 1L, "maxUnavailable", 0L));
        podsReady(gateway);
        console.refresh().join();

        remote
            .commit("web 1.1.0")
            .add("apps/web/rollout.yaml", SURGING.replace("VERSION", "1.1.0"))
            .create();
        console.refresh().join();
        List<Long> asked = new java.util.ArrayList<>();
        for (int tick = 0; tick < 20 && status(console).weight() != 50; tick++) {
          console.reconcileRollouts();
          asked.add(replicas(gateway, stable) + replicas(gateway, canary));
          podsReady(gateway);
          cluster.clock.advance(Duration.ofSeconds(1));
        }
        assertThat(status(console).weight()).isEqualTo(50);
        assertThat(asked).as("pods asked for at each pass").allMatch(n -> n <= 5).contains(5L);
        assertThat(replicas(gateway, canary)).isEqualTo(2L);
        assertThat(replicas(gateway, stable)).isEqualTo(2L);
        assertThat(gateway.get(canary).orElseThrow().at("spec.template.metadata").orElseThrow())
            .asString()
            .contains("role=canary", "example.com/side=canary");
        assertThat(
                gateway.get(stable).orElseThrow().at("spec.template.metadata.labels").orElseThrow())
            .asString()
            .contains("role=stable")
            .doesNotContain("canary");

        for (int tick = 0; tick < 40 && status(console).phase() != RolloutPhase.HEALTHY; tick++) {
          podsReady(gateway);
          console.reconcileRollouts();
          cluster.clock.advance(Duration.ofSeconds(5));
        }
        assertThat(status(console).phase()).isEqualTo(RolloutPhase.HEALTHY);
        assertThat(status(console).stableVersion()).contains("1.1.0");
        assertThat(replicas(gateway, stable)).isEqualTo(4L);
        assertThat(
                gateway.get(stable).orElseThrow().at("spec.template.metadata.labels").orElseThrow())
            .as("promoted pods are stable pods")
            .asString()
            .contains("role=stable");
      }
    }
  }

  static final String MESHED =
      """
      apiVersion: argoproj.io/v1alpha1
      kind: Rollout
      metadata: {name: web}
      spec:
        replicas: 4
        selector: {matchLabels: {app: web}}
        template:
          metadata: {labels: {app: web}}
          spec:
            containers:
            - {name: web, image: "registry.example/web:VERSION"}
        strategy:
          canary:
            dynamicStableScale: true
            antiAffinity:
              preferredDuringSchedulingIgnoredDuringExecution: {weight: 50}
            trafficRouting:
              managedRoutes: [{name: mirror-api}]
              istio:
                virtualService: {name: web-vsvc, routes: [primary]}
                destinationRule: {name: web-destrule, canarySubsetName: canary, stableSubsetName: stable}
            steps:
            - setMirrorRoute:
                name: mirror-api
                percentage: 20
                match: [{path: {prefix: /api}}]
            - setWeight: 50
            - pause: {}
      ---
      apiVersion: v1
      kind: Service
      metadata: {name: web}
      spec: {selector: {app: web}, ports: [{port: 80}]}
      ---
      apiVersion: networking.istio.io/v1alpha3
      kind: VirtualService
      metadata: {name: web-vsvc}
      spec:
        hosts: [web.example]
        http:
        - name: primary
          route:
          - destination: {host: web, subset: stable}
            weight: 100
          - destination: {host: web, subset: canary}
            weight: 0
      ---
      apiVersion: networking.istio.io/v1beta1
      kind: DestinationRule
      metadata: {name: web-destrule}
      spec:
        host: web
        subsets:
        - {name: canary, labels: {app: web}}
        - {name: stable, labels: {app: web}}
      """;

  /**
   * Decision 0040 on the sandbox, synced from Git as a team that uses Istio writes it (Argo
   * Rollouts' istio.md, mirroring.md, canary.md "Dynamic Stable Scale", anti-affinity.md): the
   * VirtualService at v1alpha3 and the DestinationRule at v1beta1 are synced as they are; the
   * subsets get each side's pod-template hash, the route splits between them, a mirror route copies
   * 20% of /api to the canary, the stable side shrinks to its share, the canary's pods prefer other
   * nodes than the stable's; promotion removes the mirror route and both subsets end on the new
   * stable pods.
   */
  @Test
  void anIstioSubsetRolloutWithAMirrorRouteGoesOutOnTheSandbox() throws Exception {
    Path repo = home.resolve("web.git");
    try (RepoBuilder remote = RepoBuilder.init(repo);
        TestCluster cluster = new TestCluster(home.resolve("cluster"))) {
      remote
          .commit("web 1.0.0")
          .add(
              "weir/web.yaml",
              """
              apiVersion: weir.dev/v1alpha1
              kind: Application
              metadata: {name: web}
              spec:
                source: {path: apps/web}
                destination: {namespace: shop}
              """)
          .add("apps/web/rollout.yaml", MESHED.replace("VERSION", "1.0.0"))
          .create();
      ClusterGateway gateway = cluster.gateway();
      gateway.apply(
          Map.of("apiVersion", "v1", "kind", "Namespace", "metadata", Map.of("name", "shop")),
          ApplyOptions.weir());
      try (GitSource git =
              JGitSource.open(
                  WorkspaceSpec.of(repo.toString()), GitSettings.from(Map.of(), home), cluster.clock);
          Console console =
              Console.open(
                  git,
                  gateway,
                  cluster.clock,
                  Console.Options.defaults("alice", LeaseHolder.of("alice@bastion", "weir tui")),
                  new ScriptedMetrics(),
                  Runnable::run)) {
        assertThat(console.refresh().join().ok()).isTrue();
        CommandResult synced = console.sync("web", Console.SyncOptions.plain()).join();
        assertThat(synced.ok()).as(synced.message()).isTrue();
        ResourceKey stable = new ResourceKey("apps", "Deployment", "shop", "web");
        ResourceKey canary = new ResourceKey("apps", "Deployment", "shop", "web-canary");
        ResourceKey virtualService =
            new ResourceKey("networking.istio.io", "VirtualService", "shop", "web-vsvc");
        ResourceKey destinationRule =
            new ResourceKey("networking.istio.io", "DestinationRule", "shop", "web-destrule");
        assertThat(gateway.get(virtualService)).as("synced from Git at v1alpha3").isPresent();
        assertThat(gateway.get(destinationRule)).as("synced from Git at v1beta1").isPresent();
        podsReady(gateway);
        console.refresh().join();

        remote
            .commit("web 1.1.0")
            .add("apps/web/rollout.yaml", MESHED.replace("VERSION", "1.1.0"))
            .create();
        console.refresh().join();
        for (int tick = 0;
            tick < 40 && !status(console).message().endsWith("paused until promoted");
            tick++) {
          podsReady(gateway);
          console.reconcileRollouts();
          cluster.clock.advance(Duration.ofSeconds(5));
        }
        podsReady(gateway);
        console.reconcileRollouts();

        assertThat(status(console).weight()).isEqualTo(50);
        String stableHash = label(gateway, stable);
        String canaryHash = label(gateway, canary);
        assertThat(canaryHash).isNotEqualTo(stableHash);
        assertThat(subsetLabels(gateway, destinationRule))
            .containsEntry("stable", Map.of("app", "web", RolloutExecutor.HASH_LABEL, stableHash))
            .containsEntry("canary", Map.of("app", "web", RolloutExecutor.HASH_LABEL, canaryHash));
        List<?> http = (List<?>) gateway.get(virtualService).orElseThrow().at("spec.http").orElseThrow();
        Map<?, ?> mirror = (Map<?, ?>) http.getFirst();
        assertThat(mirror.get("name")).isEqualTo("weir-mirror-api");
        assertThat(mirror.get("mirror")).isEqualTo(Map.of("host", "web", "subset", "canary"));
        assertThat(((Number) ((Map<?, ?>) mirror.get("mirrorPercentage")).get("value")).doubleValue())
            .isEqualTo(20.0);
        assertThat(subsetWeights(http.get(1))).containsExactly(Map.entry("stable", 50), Map.entry("canary", 50));
        assertThat(replicas(gateway, stable)).as("dynamicStableScale: 50% of 4").isEqualTo(2L);
        assertThat(replicas(gateway, canary)).isEqualTo(2L);
        assertThat(
                gateway
                    .get(canary)
                    .orElseThrow()
                    .at("spec.template.spec.affinity.podAntiAffinity")
                    .orElseThrow()
                    .toString())
            .contains("weight=50", "values=[" + stableHash + "]", "kubernetes.io/hostname");

        console.promote("web", java.util.Optional.empty(), "alice looked at the mirror").join();
        for (int tick = 0; tick < 40 && status(console).phase() != RolloutPhase.HEALTHY; tick++) {
          podsReady(gateway);
          console.reconcileRollouts();
          cluster.clock.advance(Duration.ofSeconds(5));
        }
        podsReady(gateway);
        console.reconcileRollouts();

        assertThat(status(console).phase()).isEqualTo(RolloutPhase.HEALTHY);
        assertThat(replicas(gateway, stable)).isEqualTo(4L);
        String promoted = label(gateway, stable);
        assertThat(promoted).isEqualTo(canaryHash);
        assertThat(subsetLabels(gateway, destinationRule))
            .containsEntry("stable", Map.of("app", "web", RolloutExecutor.HASH_LABEL, promoted))
            .containsEntry("canary", Map.of("app", "web", RolloutExecutor.HASH_LABEL, promoted));
        List<?> after = (List<?>) gateway.get(virtualService).orElseThrow().at("spec.http").orElseThrow();
        assertThat(after).as("the mirror route is removed at the end of the rollout").hasSize(1);
        assertThat(subsetWeights(after.getFirst()))
            .containsExactly(Map.entry("stable", 100), Map.entry("canary", 0));
      }
    }
  }

  /** An Istio http route's weights by destination subset, in order. */
  static Map<String, Integer> subsetWeights(Object httpRoute) {
    Map<String, Integer> out = new java.util.LinkedHashMap<>();
    for (Object route : (List<?>) ((Map<?, ?>) httpRoute).get("route")) {
      Map<?, ?> destination = (Map<?, ?>) ((Map<?, ?>) route).get("destination");
      out.put(
          String.valueOf(destination.get("subset")),
          ((Number) ((Map<?, ?>) route).get("weight")).intValue());
    }
    return out;
  }

  static String label(ClusterGateway gateway, ResourceKey deployment) {
    return String.valueOf(
        ((Map<?, ?>)
                gateway.get(deployment).orElseThrow().at("spec.template.metadata.labels").orElseThrow())
            .get(RolloutExecutor.HASH_LABEL));
  }

  static Map<String, Object> subsetLabels(ClusterGateway gateway, ResourceKey rule) {
    Map<String, Object> out = new java.util.LinkedHashMap<>();
    for (Object subset : (List<?>) gateway.get(rule).orElseThrow().at("spec.subsets").orElseThrow()) {
      out.put(String.valueOf(((Map<?, ?>) subset).get("name")), ((Map<?, ?>) subset).get("labels"));
    }
    return out;
  }

  static final String EXPERIMENTING =
      """
      apiVersion: argoproj.io/v1alpha1
      kind: Rollout
      metadata: {name: web}
      spec:
        replicas: 4
        selector: {matchLabels: {app: web}}
        template:
          metadata: {labels: {app: web}}
          spec:
            containers:
            - {name: web, image: "registry.example/web:VERSION"}
        strategy:
          canary:
            steps:
            - setWeight: 25
            - experiment:
                duration: 2m
                templates:
                - {name: baseline, specRef: stable}
                - {name: canary, specRef: canary}
                analyses:
                - name: compare
                  templateName: canary-vs-baseline
                  args:
                  - {name: canary-hash, value: "{{templates.canary.podTemplateHash}}"}
                  - {name: baseline-hash, value: "{{templates.baseline.podTemplateHash}}"}
            - setWeight: 50
            - pause: {duration: 30s}
      ---
      apiVersion: argoproj.io/v1alpha1
      kind: AnalysisTemplate
      metadata: {name: canary-vs-baseline}
      spec:
        args: [{name: canary-hash}, {name: baseline-hash}]
        metrics:
        - name: error-ratio
          interval: 30s
          count: 3
          successCondition: result < 0.02
          provider:
            prometheus:
              query: 'errors{rollouts_weir_dev_pod_template_hash="{{args.canary-hash}}",vs="{{args.baseline-hash}}"}'
      """;

  /**
   * Argo's experiment step (docs/features/experiment.md, "Integration With Rollouts"; decision
   * 0045) through the console, from a Git repository in Argo's format, on the sandbox API server in
   * virtual time: during step 2 a baseline of the stable pod spec and the canary's run as
   * Deployments of their own, which a sync with prune leaves alone; the analysis measures the
   * experiment canary's pods by their own hash; a good canary is promoted, a bad one rolled back,
   * and the experiment's Deployments are gone either way.
   */
  void playExperiment(double canaryErrors, RolloutPhase end) throws Exception {
    Path repo = home.resolve("web.git");
    try (RepoBuilder remote = RepoBuilder.init(repo);
        TestCluster cluster = new TestCluster(home.resolve("cluster"))) {
      remote
          .commit("web 1.0.0")
          .add(
              "weir/web.yaml",
              """
              apiVersion: weir.dev/v1alpha1
              kind: Application
              metadata: {name: web}
              spec:
                source: {path: apps/web}
                destination: {namespace: shop}
              """)
          .add("apps/web/rollout.yaml", EXPERIMENTING.replace("VERSION", "1.0.0"))
          .create();
      ClusterGateway gateway = cluster.gateway();
      gateway.apply(
          Map.of("apiVersion", "v1", "kind", "Namespace", "metadata", Map.of("name", "shop")),
          ApplyOptions.weir());
      ScriptedMetrics metrics = new ScriptedMetrics();
      try (GitSource git =
              JGitSource.open(
                  WorkspaceSpec.of(repo.toString()), GitSettings.from(Map.of(), home), cluster.clock);
          Console console =
              Console.open(
                  git,
                  gateway,
                  cluster.clock,
                  Console.Options.defaults("alice", LeaseHolder.of("alice@bastion", "weir tui")),
                  metrics,
                  Runnable::run)) {
        assertThat(console.refresh().join().ok()).isTrue();
        assertThat(console.sync("web", Console.SyncOptions.plain()).join().ok()).isTrue();
        podsReady(gateway);
        console.refresh().join();
        assertThat(status(console).phase()).isEqualTo(RolloutPhase.HEALTHY);

        remote
            .commit("web 1.1.0")
            .add("apps/web/rollout.yaml", EXPERIMENTING.replace("VERSION", "1.1.0"))
            .create();
        console.refresh().join();
        ResourceKey baseline = new ResourceKey("apps", "Deployment", "shop", "web-exp2-baseline");
        ResourceKey experimentCanary =
            new ResourceKey("apps", "Deployment", "shop", "web-exp2-canary");
        List<String> images = new java.util.ArrayList<>();
        boolean pruned = false;
        String query = "(none yet)";
        for (int tick = 0;
            tick < 80
                && !(status(console).phase() == end
                    && (end != RolloutPhase.HEALTHY
                        || status(console).stableVersion().contains("1.1.0")));
            tick++) {
          if (gateway.get(experimentCanary).isPresent()) {
            LiveObject live = gateway.get(experimentCanary).orElseThrow();
            query =
                "rollouts_weir_dev_pod_template_hash=\""
                    + ((Map<?, ?>) live.at("spec.template.metadata.labels").orElseThrow())
                        .get("rollouts.weir.dev/pod-template-hash")
                    + "\"";
            metrics.set(query, canaryErrors);
            images.add(image(gateway, experimentCanary) + " beside " + image(gateway, baseline));
            if (!pruned) {
              CommandResult sync =
                  console.sync("web", new Console.SyncOptions(false, true, false, true)).join();
              assertThat(sync.ok()).as(sync.message()).isTrue();
              assertThat(gateway.get(experimentCanary))
                  .as("a sync with prune leaves the experiment's workloads alone")
                  .isPresent();
              pruned = true;
            }
          }
          podsReady(gateway);
          console.reconcileRollouts();
          cluster.clock.advance(Duration.ofSeconds(10));
        }
        console.refresh().join();

        assertThat(images)
            .as("the canary's pods beside a fresh baseline of the stable pod spec")
            .contains("registry.example/web:1.1.0 beside registry.example/web:1.0.0");
        assertThat(metrics.asked(query)).as("measured on the experiment canary's own pods").isNotEmpty();
        assertThat(status(console).phase()).isEqualTo(end);
        assertThat(gateway.get(baseline)).as("the baseline deleted after the step").isEmpty();
        assertThat(gateway.get(experimentCanary)).as("the experiment canary deleted").isEmpty();
      }
    }
  }

  @Test
  void aGoodCanaryPassesItsExperimentStepOnTheSandboxAndIsPromoted() throws Exception {
    playExperiment(0.001, RolloutPhase.HEALTHY);
  }

  @Test
  void aBadCanaryFailsItsExperimentStepOnTheSandboxAndIsRolledBack() throws Exception {
    playExperiment(0.08, RolloutPhase.DEGRADED);
  }

  static String image(ClusterGateway gateway, ResourceKey key) {
    Object containers =
        gateway.get(key).orElseThrow().at("spec.template.spec.containers").orElseThrow();
    return String.valueOf(((Map<?, ?>) ((List<?>) containers).getFirst()).get("image"));
  }

  static long replicas(ClusterGateway gateway, ResourceKey key) {
    return gateway
        .get(key)
        .flatMap(d -> d.at("spec.replicas"))
        .map(v -> ((Number) v).longValue())
        .orElse(0L);
  }

  static RolloutStatus status(Console console) {
    return console.snapshot().application("web").orElseThrow().rollouts().getFirst();
  }

  static void podsReady(ClusterGateway gateway) {
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
}
