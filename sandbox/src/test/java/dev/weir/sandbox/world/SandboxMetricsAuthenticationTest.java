package dev.weir.sandbox.world;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.time.ManualClock;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.KubeConfig;
import java.io.Reader;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sandbox's {@code /metrics} needs what its API needs: a token it knows or a client certificate
 * its CA signed; anything else is a 401 {@code Status}, as from the API, and no metric.
 */
class SandboxMetricsAuthenticationTest {
  @TempDir Path dir;

  @Test
  void withoutATokenMetricsAreUnauthorizedWithATokenTheyAreServed() throws Exception {
    try (WorldFixture sandbox = new WorldFixture(WorldSettings.defaults().withSeed(3))) {
      sandbox.deployShop();
      sandbox.advance(java.time.Duration.ofMinutes(2));

      for (String authorization :
          new String[] {null, "Bearer not-a-token", "Basic YWRtaW46YWRtaW4=", "Bearer "}) {
        HttpResponse<String> refused = sandbox.scrape(authorization);
        assertThat(refused.statusCode()).as("Authorization: %s", authorization).isEqualTo(401);
        assertThat(refused.body())
            .contains("\"kind\":\"Status\"")
            .contains("\"reason\":\"Unauthorized\"")
            .contains("\"code\":401")
            .doesNotContain("http_requests_total");
      }

      HttpResponse<String> viewer = sandbox.scrape("Bearer " + sandbox.server.readOnlyToken());
      assertThat(viewer.statusCode()).isEqualTo(200);
      assertThat(viewer.headers().firstValue("Content-Type"))
          .hasValue("text/plain; version=0.0.4; charset=utf-8");
      assertThat(viewer.body()).contains("http_requests_total{");
      assertThat(sandbox.scrape("Bearer " + sandbox.server.adminToken()).statusCode())
          .isEqualTo(200);

      sandbox.server.revokeToken(sandbox.server.readOnlyToken());
      assertThat(sandbox.scrape("Bearer " + sandbox.server.readOnlyToken()).statusCode())
          .as("a revoked token no longer reads metrics")
          .isEqualTo(401);
    }
  }

  @Test
  void aClientCertificateOfTheSandboxesCaReadsMetricsOverHttps() throws Exception {
    try (WorldFixture sandbox =
        new WorldFixture(WorldSettings.defaults().withSeed(3), new ManualClock(), null, true)) {
      Path kubeconfig = dir.resolve("prometheus-kubeconfig");
      sandbox.server.writeKubeconfig(
          kubeconfig, sandbox.server.issueClientCertificate("prometheus", List.of()));
      ApiClient client;
      try (Reader reader = Files.newBufferedReader(kubeconfig)) {
        client = ClientBuilder.kubeconfig(KubeConfig.loadKubeConfig(reader)).build();
      }
      Request metrics = new Request.Builder().url(sandbox.server.url() + "/metrics").build();
      try (Response response = client.getHttpClient().newCall(metrics).execute()) {
        assertThat(response.code()).isEqualTo(200);
      }

      Path anonymous =
          Files.writeString(
              dir.resolve("anonymous-kubeconfig"),
              Files.readString(kubeconfig)
                  .replaceAll("(?m)^    client-(certificate|key)-data: .*\n", "")
                  .replace("  user:\n", "  user: {}\n"));
      try (Reader reader = Files.newBufferedReader(anonymous)) {
        client = ClientBuilder.kubeconfig(KubeConfig.loadKubeConfig(reader)).build();
      }
      try (Response response = client.getHttpClient().newCall(metrics).execute()) {
        assertThat(response.code()).as("TLS alone is not authentication").isEqualTo(401);
      }
    }
  }
}
