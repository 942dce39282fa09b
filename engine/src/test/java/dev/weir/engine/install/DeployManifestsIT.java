package dev.weir.engine.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weir.engine.model.LiveObject;
import dev.weir.engine.model.ResourceKey;
import dev.weir.engine.testkit.TestCluster;
import dev.weir.engine.time.ManualClock;
import dev.weir.sandbox.api.SandboxOptions;
import dev.weir.sandbox.world.SandboxWorld;
import dev.weir.sandbox.world.WorldSettings;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The deployment manifests in {@code deploy/}: the kustomize base and the namespaced variant render
 * with the real {@code kubectl kustomize}, the base the same as {@code weir install} renders it
 * (from the copy in the engine's jar), the Helm chart with {@code helm template} where helm is
 * installed; and the rendered base applies cleanly to the sandbox's API server with kubectl, where
 * the sandbox's simulated controllers make the Deployment Available.
 */
class DeployManifestsIT {
  static final Path DEPLOY = Path.of("..", "deploy").toAbsolutePath().normalize();

  @TempDir Path dir;

  record Run(int code, String out, String err) {}

  @Test
  void theBaseRendersWithKubectlKustomizeAsWeirInstallRendersIt() throws Exception {
    Run render = tool("kubectl", "kustomize", DEPLOY.resolve("kustomize/base").toString());
    assertThat(render.code()).as(render.err()).isZero();
    Map<String, Map<String, Object>> kubectl = byKey(render.out());
    assertThat(kubectl.keySet())
        .containsExactlyInAnyOrder(
            "Namespace//weir",
            "ServiceAccount/weir/weir-reconciler",
            "ClusterRole//weir-reconciler",
            "ClusterRoleBinding//weir-reconciler",
            "Role/weir/weir-leases",
            "RoleBinding/weir/weir-leases",
            "Deployment/weir/weir-reconciler",
            "Service/weir/weir-reconciler",
            "PodDisruptionBudget/weir/weir-reconciler");

    var spec =
        new ReconcilerManifests.Spec(
            "https://git.example.com/ops/cluster.git", Optional.empty(), "weir");
    Map<String, Map<String, Object>> weir = byKey(ReconcilerManifests.yaml(ReconcilerManifests.render(spec)));
    assertThat(weir).isEqualTo(kubectl);

    Map<String, Object> deployment = kubectl.get("Deployment/weir/weir-reconciler");
    assertThat(path(deployment, "spec", "replicas")).isEqualTo(2);
    Map<String, Object> container = container(deployment);
    assertThat(container.get("command")).isEqualTo(List.of("weir"));
    assertThat(container.get("args"))
        .isEqualTo(
            List.of("reconcile", "--watch", "--in-cluster", "--repo", "https://git.example.com/ops/cluster.git",
                "--repo-credentials", "/etc/weir/repo", "--listen", "0.0.0.0:8080", "--log-format", "json"));
    assertThat(path(container, "livenessProbe", "httpGet", "path")).isEqualTo("/healthz");
    assertThat(path(container, "readinessProbe", "httpGet", "path")).isEqualTo("/readyz");
    assertThat(path(container, "securityContext", "readOnlyRootFilesystem")).isEqualTo(true);
    assertThat(path(container, "securityContext", "capabilities", "drop")).isEqualTo(List.of("ALL"));
    assertThat(path(deployment, "spec", "template", "spec", "securityContext", "runAsNonRoot")).isEqualTo(true);
    assertThat(path(deployment, "spec", "template", "spec", "securityContext", "runAsUser")).isEqualTo(65532);
    assertThat(path(kubectl.get("ClusterRoleBinding//weir-reconciler"), "subjects").toString())
        .contains("namespace=weir");
  }

  @Test
  void weirInstallsRenderFillsInTheRepositoryBranchAndNamespace() {
    var spec = new ReconcilerManifests.Spec("ssh://git@git.example.com/ops/prod.git", Optional.of("main"), "ops");
    Map<String, Map<String, Object>> objects = byKey(ReconcilerManifests.yaml(ReconcilerManifests.render(spec)));
    assertThat(objects).containsKeys("Namespace//ops", "Deployment/ops/weir-reconciler", "Role/ops/weir-leases");
    assertThat(objects.keySet()).noneMatch(key -> key.contains("/weir/"));
    assertThat(container(objects.get("Deployment/ops/weir-reconciler")).get("args").toString())
        .contains("--repo, ssh://git@git.example.com/ops/prod.git, --branch, main, --repo-credentials");
    assertThat(path(objects.get("RoleBinding/ops/weir-leases"), "subjects").toString()).contains("namespace=ops");
  }

  @Test
  void theNamespacedVariantReadsEverywhereAndWritesOnlyInItsNamespaces() throws Exception {
    Run render = tool("kubectl", "kustomize", DEPLOY.resolve("kustomize/namespaced").toString());
    assertThat(render.code()).as(render.err()).isZero();
    Map<String, Map<String, Object>> objects = byKey(render.out());
    assertThat(objects).doesNotContainKeys("ClusterRole//weir-reconciler", "ClusterRoleBinding//weir-reconciler");
    assertThat(path(objects.get("ClusterRole//weir-read"), "rules").toString())
        .contains("verbs=[get, list, watch]");
    assertThat(path(objects.get("ClusterRole//weir-write"), "rules").toString())
        .contains("verbs=[create, patch, update, delete]");
    assertThat(objects).containsKeys("RoleBinding/shop/weir-write", "RoleBinding/default/weir-write");
    assertThat(objects.keySet()).noneMatch(key -> key.startsWith("ClusterRoleBinding//weir-write"));
  }

  @Test
  void theHelmChartRendersWhereHelmIsInstalled() throws Exception {
    assumeTrue(onPath("helm").isPresent(),
        "helm is not installed (no Debian package; the machines building Weir reach no helm download):"
            + " the chart in deploy/helm/weir is not rendered here");
    Run render = tool("helm", "template", "weir", DEPLOY.resolve("helm/weir").toString(),
        "--namespace", "weir", "--set", "repo.url=https://git.example.com/ops/cluster.git");
    assertThat(render.code()).as(render.err()).isZero();
    Map<String, Map<String, Object>> objects = byKey(render.out());
    assertThat(objects).containsKeys("Deployment/weir/weir-reconciler", "PodDisruptionBudget/weir/weir-reconciler",
        "ClusterRole//weir-reconciler", "Role/weir/weir-leases");
    Run missing = tool("helm", "template", "weir", DEPLOY.resolve("helm/weir").toString());
    assertThat(missing.code()).isNotZero();
    assertThat(missing.err()).contains("repo.url is required");
  }

  @Test
  void theRenderedBaseAppliesToTheSandboxAndTheDeploymentBecomesAvailable() throws Exception {
    Run render = tool("kubectl", "kustomize", DEPLOY.resolve("kustomize/base").toString());
    assertThat(render.code()).as(render.err()).isZero();
    Path manifests = Files.writeString(dir.resolve("weir.yaml"), render.out());
    ManualClock clock = new ManualClock();
    try (TestCluster cluster = new TestCluster(dir.resolve("cluster"), clock, SandboxOptions.builder().ephemeral())) {
      SandboxWorld.attach(cluster.server, WorldSettings.defaults().withSeed(16));
      Run apply = tool("kubectl", "--kubeconfig", cluster.kubeconfig.toString(), "apply", "--server-side",
          "--field-manager", "weir-install", "-f", manifests.toString());
      assertThat(apply.code()).as(apply.err()).isZero();
      assertThat(apply.out())
          .contains("namespace/weir serverside-applied")
          .contains("clusterrole.rbac.authorization.k8s.io/weir-reconciler serverside-applied")
          .contains("deployment.apps/weir-reconciler serverside-applied")
          .contains("poddisruptionbudget.policy/weir-reconciler serverside-applied");

      var gateway = cluster.gateway();
      ResourceKey deployment = new ResourceKey("apps", "Deployment", "weir", "weir-reconciler");
      // The world's controllers run on their own threads as objects change: sandbox time moves on
      // one second per look until the Deployment says Available (or two minutes of wall time pass,
      // a bound for a stuck world, not a wait for an outcome).
      Optional<String> available = Optional.empty();
      long giveUp = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      while (!available.equals(Optional.of("True")) && System.nanoTime() < giveUp) {
        clock.advance(Duration.ofSeconds(1));
        java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        available = gateway.get(deployment).flatMap(DeployManifestsIT::availableCondition);
      }
      Run seen = tool("kubectl", "--kubeconfig", cluster.kubeconfig.toString(), "-n", "weir", "get",
          "deployment,replicaset,pod", "-o", "wide");
      assertThat(available)
          .as("the Deployment's Available condition within two minutes; the sandbox shows:\n"
              + seen.out() + seen.err() + "\n" + gateway.get(deployment).map(LiveObject::object).orElse(Map.of()))
          .contains("True");
      Run rollout = tool("kubectl", "--kubeconfig", cluster.kubeconfig.toString(), "-n", "weir", "get",
          "deployment", "weir-reconciler");
      assertThat(rollout.code()).as(rollout.err()).isZero();
      assertThat(rollout.out()).containsPattern("weir-reconciler\\s+2/2\\s+2\\s+2");
    }
  }

  @SuppressWarnings("unchecked")
  static Optional<String> availableCondition(LiveObject object) {
    Object status = object.object().get("status");
    if (!(status instanceof Map<?, ?> map) || !(map.get("conditions") instanceof List<?> conditions)) {
      return Optional.empty();
    }
    for (Object condition : conditions) {
      Map<String, Object> c = (Map<String, Object>) condition;
      if ("Available".equals(c.get("type"))) {
        return Optional.of(String.valueOf(c.get("status")));
      }
    }
    return Optional.empty();
  }

  // --- helpers ---------------------------------------------------------------------------------

  @SuppressWarnings("unchecked")
  static Map<String, Map<String, Object>> byKey(String yaml) {
    Map<String, Map<String, Object>> objects = new LinkedHashMap<>();
    for (Object document : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(yaml)) {
      if (document instanceof Map<?, ?> map) {
        Map<String, Object> object = (Map<String, Object>) map;
        Map<String, Object> metadata = (Map<String, Object>) object.get("metadata");
        Object namespace = metadata.get("namespace");
        objects.put(object.get("kind") + "/" + (namespace == null ? "" : namespace) + "/" + metadata.get("name"), object);
      }
    }
    return objects;
  }

  @SuppressWarnings("unchecked")
  static Object path(Map<String, Object> object, String... keys) {
    Object at = object;
    for (String key : keys) {
      at = ((Map<String, Object>) at).get(key);
    }
    return at;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> container(Map<String, Object> deployment) {
    return ((List<Map<String, Object>>) path(deployment, "spec", "template", "spec", "containers")).getFirst();
  }

  Run tool(String name, String... args) throws Exception {
    Optional<Path> program = onPath(name);
    assumeTrue(program.isPresent(), name + " is not on PATH (bin/test-tools.sh installs kubectl)");
    List<String> command = new ArrayList<>(List.of(program.get().toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    builder.environment().put("HOME", Files.createDirectories(dir.resolve("home")).toString());
    builder.environment().remove("KUBECONFIG");
    Process process = builder.start();
    process.getOutputStream().close();
    CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not finish in 120 s");
    }
    return new Run(process.exitValue(), out.get(), err.get());
  }

  static String read(java.io.InputStream stream) {
    try {
      return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      return "";
    }
  }

  static Optional<Path> onPath(String name) {
    for (String entry : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path candidate = Path.of(entry, name);
      if (!entry.isEmpty() && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
