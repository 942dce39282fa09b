package dev.weir.sandbox.world;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.diff.ApplicationDiff;
import dev.weir.engine.diff.IgnoreRules;
import dev.weir.engine.diff.ResourceDiff;
import dev.weir.engine.git.JGitSource;
import dev.weir.engine.git.WorkspaceSpec;
import dev.weir.engine.manifest.RenderedApplication;
import dev.weir.engine.manifest.Renderer;
import dev.weir.engine.manifest.RepositoryRender;
import dev.weir.engine.model.DesiredState;
import dev.weir.engine.reconcile.ApplicationComparer;
import dev.weir.engine.reconcile.LiveSource;
import dev.weir.drills.SampleCluster;
import dev.weir.drills.SampleRepository;
import dev.weir.engine.testkit.TestCluster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drift made with the real kubectl on the seeded sample: the world acts on it (pods go), and the
 * engine's comparison with the rendered desired state finds it — or, where the application ignores
 * the field, does not.
 */
class KubectlDriftIT {
  @TempDir Path dir;

  record Run(int exitCode, String out, String err) {}

  Run kubectl(Path kubeconfig, List<String> env, String... args) throws Exception {
    List<String> command =
        new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    builder.environment().put("HOME", Files.createDirectories(dir.resolve("home")).toString());
    builder.environment().remove("KUBECONFIG");
    for (String pair : env) {
      builder
          .environment()
          .put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
    }
    Process process = builder.redirectErrorStream(false).start();
    process.getOutputStream().close();
    var out =
        java.util.concurrent.CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
    var err =
        java.util.concurrent.CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("kubectl did not finish in 60 s");
    }
    return new Run(process.exitValue(), out.get(), err.get());
  }

  static String read(java.io.InputStream in) {
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  @Test
  void kubectlEditIsDriftTheEngineFindsAndKubectlScaleOfAnIgnoredFieldIsNot() throws Exception {
    Path repository = dir.resolve("shop.git");
    SampleRepository.write(repository, Instant.parse("2026-01-01T09:00:00Z"));
    try (TestCluster cluster = new TestCluster(dir.resolve("cluster"))) {
      SandboxWorld world = SandboxWorld.attach(cluster.server, WorldSettings.defaults());
      RepositoryRender render;
      try (JGitSource source =
          JGitSource.open(
              WorkspaceSpec.of(repository.toString()),
              SampleClusterTest.settings(dir),
              cluster.clock)) {
        SampleCluster.seed(cluster.server, source, "HEAD~1", repository);
        render = new Renderer().render(source.tree("HEAD~1"));
      }
      advance(cluster, Duration.ofMinutes(1));
      assertThat(world.endpoints("shop", "checkout")).hasSize(3);

      Path editor = dir.resolve("editor.sh");
      Files.writeString(editor, "#!/bin/sh\nsed -i 's/^  replicas: .*/  replicas: 1/' \"$1\"\n");
      Files.setPosixFilePermissions(editor, PosixFilePermissions.fromString("rwx------"));
      Run edit =
          kubectl(
              cluster.kubeconfig,
              List.of("EDITOR=" + editor, "KUBE_EDITOR=" + editor),
              "edit",
              "deployment/checkout",
              "-n",
              "shop");
      assertThat(edit.exitCode()).as(edit.err()).isZero();
      Run scale =
          kubectl(
              cluster.kubeconfig,
              List.of(),
              "scale",
              "deployment",
              "payments",
              "-n",
              "shop",
              "--replicas=2");
      assertThat(scale.exitCode()).as(scale.err()).isZero();
      advance(cluster, Duration.ofSeconds(10));

      assertThat(world.endpoints("shop", "checkout"))
          .as("the ReplicaSet controller deleted two pods")
          .hasSize(1);
      assertThat(world.endpoints("shop", "payments-active")).hasSize(2);

      ApplicationComparer comparer = new ApplicationComparer(cluster.gateway());
      ApplicationDiff checkout = compare(comparer, cluster, render, "checkout");
      assertThat(checkout.hasDrift()).isTrue();
      assertThat(checkout.drifted())
          .extracting(r -> r.key().toString())
          .containsExactly("apps/Deployment shop/checkout");
      ResourceDiff deployment = checkout.drifted().getFirst();
      assertThat(deployment.changes())
          .extracting(c -> c.describe(ZoneOffset.UTC))
          .anySatisfy(
              line -> assertThat(line).startsWith("kubectl-edit changed spec.replicas 3→1"));

      ApplicationDiff payments = compare(comparer, cluster, render, "payments");
      assertThat(payments.hasDrift()).as("payments ignores /spec/replicas").isFalse();
    }
  }

  static ApplicationDiff compare(
      ApplicationComparer comparer, TestCluster cluster, RepositoryRender render, String name) {
    RenderedApplication application = render.application(name).orElseThrow();
    DesiredState desired = application.lastGood().orElseThrow();
    return comparer
        .compare(
            desired,
            LiveSource.direct(cluster.gateway()),
            List.of(),
            IgnoreRules.compile(application.application().ignoreDifferences()))
        .diff();
  }

  static void advance(TestCluster cluster, Duration duration) {
    for (long s = 0; s < duration.toSeconds(); s++) {
      cluster.clock.advance(Duration.ofSeconds(1));
    }
  }
}
