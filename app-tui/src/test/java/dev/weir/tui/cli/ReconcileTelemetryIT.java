package dev.weir.tui.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.drills.SampleRepository;
import dev.weir.engine.testkit.PrometheusProcess;
import dev.weir.engine.testkit.TestCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code weir reconcile --once --pushgateway URL} pushes Weir's own metrics to a real Pushgateway. */
class ReconcileTelemetryIT {
  @TempDir Path home;

  @Test
  void aReconcilePassPushesDriftAndReconcileDurationPerApplication() throws Exception {
    Path repo = home.resolve("shop.git");
    SampleRepository.write(repo, Instant.parse("2026-11-20T10:00:00Z"));
    try (TestCluster cluster = new TestCluster(home.resolve("cluster"));
        PrometheusProcess pushgateway = PrometheusProcess.pushgateway(home.resolve("pushgateway"))) {
      CliRun run = CliRun.weir(home, "reconcile", "--once", "--repo", repo.toString(),
          "--kubeconfig", cluster.kubeconfig.toString(), "--pushgateway", pushgateway.address().toString());
      assertThat(run.exitCode()).as(run.err()).isZero();

      String metrics = HttpClient.newHttpClient()
          .send(HttpRequest.newBuilder(pushgateway.address().resolve("/metrics")).build(),
              HttpResponse.BodyHandlers.ofString())
          .body();
      assertThat(metrics)
          .containsPattern("weir_drift_resources\\{[^}]*application=\"storefront\"[^}]*job=\"weir\"[^}]*} 0")
          .containsPattern("weir_reconcile_duration_seconds_count\\{[^}]*application=\"inventory\"");
    }
  }
}
