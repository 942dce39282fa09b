package dev.weir.tui.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.cluster.ApplyOptions;
import dev.weir.engine.cluster.ClusterGateway;
import dev.weir.engine.model.LiveObject;
import dev.weir.engine.model.ResourceKey;
import dev.weir.drills.SampleRepository;
import dev.weir.engine.testkit.RepoBuilder;
import dev.weir.engine.testkit.TestCluster;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * {@code weir rollout …} against the sandbox API server on the sample repository: the cluster runs
 * storefront v2.4.0 (the bootstrap commit), Git's head wants v2.4.1.
 */
class RolloutCommandIT {
  @TempDir Path home;
  Path repo;
  TestCluster cluster;
  ClusterGateway gateway;
  final String user = System.getProperty("user.name", "someone");

  @BeforeEach
  void start() throws Exception {
    repo = home.resolve("shop.git");
    List<String> commits =
        SampleRepository.write(repo, Instant.parse("2026-11-20T10:00:00Z")).commits();
    cluster = new TestCluster(home.resolve("cluster"));
    gateway = cluster.gateway();
    gateway.apply(
        Map.of("apiVersion", "v1", "kind", "Namespace", "metadata", Map.of("name", "shop")),
        ApplyOptions.weir());
    try (RepoBuilder git = RepoBuilder.open(repo)) {
      for (String file : List.of("deployment.yaml", "services.yaml", "httproute.yaml")) {
        for (Object document :
            new Yaml().loadAll(git.read(commits.getFirst(), "apps/storefront/" + file))) {
          @SuppressWarnings("unchecked")
          Map<String, Object> object = new LinkedHashMap<>((Map<String, Object>) document);
          @SuppressWarnings("unchecked")
          Map<String, Object> metadata =
              new LinkedHashMap<>((Map<String, Object>) object.get("metadata"));
          metadata.put("namespace", "shop");
          object.put("metadata", metadata);
          gateway.apply(object, ApplyOptions.weir());
        }
      }
    }
    podsReady();
  }

  @AfterEach
  void stop() throws Exception {
    cluster.close();
  }

  void podsReady() {
    for (LiveObject deployment :
        gateway.list(gateway.resourceType("apps/v1", "Deployment"), "shop", "")) {
      long replicas = deployment.at("spec.replicas").map(v -> ((Number) v).longValue()).orElse(1L);
      gateway.patchStatus(
          deployment.key(),
          Map.of(
              "observedGeneration",
              deployment.generation(),
              "replicas",
              replicas,
              "updatedReplicas",
              replicas,
              "readyReplicas",
              replicas,
              "availableReplicas",
              replicas),
          "kube-controller-manager");
    }
  }

  CliRun weir(String... args) {
    List<String> all = new ArrayList<>(List.of("rollout"));
    all.addAll(List.of(args));
    all.addAll(List.of("--repo", repo.toString(), "--kubeconfig", cluster.kubeconfig.toString()));
    return CliRun.weir(home, all.toArray(String[]::new));
  }

  /** Output lines wrapped to 80 columns joined again (continuations are indented 4 spaces). */
  static String unwrapped(String out) {
    return out.replace("\n    ", " ");
  }

  String routeWeights() {
    return gateway
        .get(new ResourceKey("gateway.networking.k8s.io", "HTTPRoute", "shop", "storefront"))
        .orElseThrow()
        .at("spec.rules")
        .orElseThrow()
        .toString();
  }

  @Test
  void statusBeforeAnyConsoleDroveTheRolloutSaysSo() {
    CliRun run = weir("status", "storefront");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .isEqualTo(
            "storefront  no rollout recorded yet: no console has driven it on this cluster\n");
  }

  @Test
  void setWeightHoldsTheSliderRecordsWhoAndWhyAndResumeGoesOn() {
    CliRun set =
        weir("set-weight", "30", "storefront", "--reason", "more traffic for the experiment");
    assertThat(set.exitCode()).as(set.err()).isZero();
    assertThat(unwrapped(set.out()))
        .startsWith(
            "storefront: canary weight set to 30% by "
                + user
                + ", held until resume: more traffic for the experiment\nstorefront  Paused  ");

    podsReady();
    CliRun again = weir("set-weight", "30", "storefront", "--reason", "pods are up now");
    assertThat(again.exitCode()).as(again.err()).isZero();
    assertThat(routeWeights()).contains("weight=70", "weight=30");
    CliRun status = weir("status", "storefront");
    assertThat(status.out().lines()).allSatisfy(line -> assertThat(line).hasSizeLessThanOrEqualTo(80));
    assertThat(unwrapped(status.out()))
        .startsWith(
            "storefront  Paused  v2.4.1 canary at 30%, step 1/7: weight held at 30% by "
                + user
                + ": pods are up now\n"
                + "  step 1/7, canary weight 30%\n"
                + "  stable v2.4.0, new v2.4.1\n");
    assertThat(status.out())
        .contains("\n  traffic: v2.4.0 70%, v2.4.1 30% via HTTPRoute shop/storefront\n")
        .contains("\n  steps:\n    [>] 1 setWeight 5\n    [ ] 2 pause 2m\n")
        .contains("\n    [ ] 3 analysis success-rate (Pending)\n");

    List<LiveObject> audit =
        gateway.list(
            gateway.resourceType("v1", "Event"), "shop", "rollouts.weir.dev/rollout=storefront");
    assertThat(audit)
        .anySatisfy(
            event -> {
              assertThat(event.annotations()).containsEntry("rollouts.weir.dev/who", user);
              assertThat(String.valueOf(event.object().get("message")))
                  .contains("more traffic for the experiment");
            });

    CliRun resume = weir("resume", "storefront");
    assertThat(resume.exitCode()).as(resume.err()).isZero();
    assertThat(routeWeights()).contains("weight=95", "weight=5");
  }

  @Test
  void abortSendsEverythingBackAndAPromoteAfterwardsIsRefused() {
    weir("pause", "storefront");
    podsReady();
    CliRun abort = weir("abort", "storefront", "--reason", "error budget burning");
    assertThat(abort.exitCode()).as(abort.err()).isZero();
    assertThat(unwrapped(abort.out()))
        .contains(
            "storefront  Aborted  v2.4.1 aborted by "
                + user
                + " at step 1/7: error budget burning");
    assertThat(routeWeights()).contains("weight=100", "weight=0");

    CliRun promote = weir("promote", "storefront");
    assertThat(promote.exitCode()).isEqualTo(1);
    assertThat(promote.err().strip())
        .isEqualTo(
            "weir: storefront: v2.4.1 was aborted; retry to start it again, or"
                + " promote --full to make it stable anyway");

    CliRun full = weir("promote", "--full", "storefront");
    assertThat(full.exitCode()).as(full.err()).isZero();
    assertThat(full.out()).contains("v2.4.1 fully promoted by " + user);
  }

  @Test
  void badInputIsExitTwoInOneLine() {
    CliRun weight = weir("set-weight", "120", "storefront");
    assertThat(weight.exitCode()).isEqualTo(2);
    assertThat(weight.err().strip())
        .isEqualTo("weir: set-weight: N must be within 0..100, got 120");

    CliRun unknown = weir("status", "nope");
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.err()).contains("no application named 'nope'");

    CliRun noRollout = weir("promote", "inventory");
    assertThat(noRollout.exitCode()).isEqualTo(2);
    assertThat(noRollout.err().strip()).isEqualTo("weir: no rollout in application inventory");
  }
}
