package dev.weir.tui.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.model.ResourceKey;
import dev.weir.engine.testkit.TestCluster;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code weir install} against the sandbox API server through a kubeconfig: a server-side dry run
 * by default that changes nothing, {@code --apply} that creates the reconciler's objects, and
 * {@code -o yaml} that needs no cluster.
 */
class InstallCommandIT {
  static final String REPO = "ssh://git@git.example.com/ops/prod.git";
  @TempDir Path home;
  TestCluster cluster;

  @BeforeEach
  void start() throws Exception {
    cluster = new TestCluster(home.resolve("cluster"));
  }

  @AfterEach
  void stop() throws Exception {
    cluster.close();
  }

  CliRun weir(String... args) {
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--kubeconfig";
    all[args.length + 1] = cluster.kubeconfig.toString();
    return CliRun.weir(home, all);
  }

  @Test
  void aDryRunShowsWhatWouldBeAppliedAndChangesNothing() {
    CliRun dryRun = weir("install", "--repo", REPO, "--namespace", "ops");
    assertThat(dryRun.exitCode()).as(dryRun.err()).isZero();
    assertThat(dryRun.out())
        .contains("  would create Namespace ops (server dry run)")
        .contains("  would create rbac.authorization.k8s.io/ClusterRole weir-reconciler (server dry run)")
        .contains("  would create apps/Deployment ops/weir-reconciler (not checked by the API server: namespace ops does not exist yet)")
        .contains("the repository Secret Secret ops/weir-repo does not exist")
        .contains("dry run: 9 objects would be applied to weir-sandbox; nothing changed (run again with --apply)");
    var gateway = cluster.gateway();
    assertThat(gateway.get(new ResourceKey("", "Namespace", "", "ops"))).isEmpty();
    assertThat(gateway.get(new ResourceKey("rbac.authorization.k8s.io", "ClusterRole", "", "weir-reconciler"))).isEmpty();
  }

  @Test
  void applyCreatesTheReconcilerWithTheRepositoryAndAnotherDryRunChecksEveryObject() {
    CliRun apply = weir("install", "--repo", REPO, "--branch", "main", "--apply");
    assertThat(apply.exitCode()).as(apply.err()).isZero();
    assertThat(apply.out())
        .contains("  create Namespace weir")
        .contains("  create apps/Deployment weir/weir-reconciler")
        .contains("  create policy/PodDisruptionBudget weir/weir-reconciler")
        .contains("installed Weir's reconciler in namespace weir of weir-sandbox: 9 objects applied, pulling " + REPO);
    var deployment = cluster.gateway().get(new ResourceKey("apps", "Deployment", "weir", "weir-reconciler")).orElseThrow();
    assertThat(deployment.object().toString())
        .contains("--repo, " + REPO + ", --branch, main")
        .contains("serviceAccountName=weir-reconciler");

    // now every object exists: the dry run sends each to the API server
    CliRun again = weir("install", "--repo", REPO);
    assertThat(again.exitCode()).as(again.err()).isZero();
    assertThat(again.out())
        .contains("  would configure apps/Deployment weir/weir-reconciler (server dry run)")
        .doesNotContain("not checked");
  }

  @Test
  void yamlNeedsNoClusterAndBadInputIsOneLine() {
    CliRun yaml = CliRun.weir(home, "install", "--repo", REPO, "-o", "yaml");
    assertThat(yaml.exitCode()).as(yaml.err()).isZero();
    assertThat(yaml.out()).contains("kind: Deployment").contains("- " + REPO).contains("namespace: weir");

    CliRun bad = weir("install", "--repo", REPO, "--namespace", "Not_A_Namespace");
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.err().strip()).startsWith("weir: --namespace: 'Not_A_Namespace' is not a namespace name");
  }
}
