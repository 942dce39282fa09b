package dev.weir.tui.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.weir.engine.testkit.TestTls;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code weir render --repo URL} with credentials at hand, against a loopback server that asks for
 * a login (401, {@code WWW-Authenticate: Basic}) and records the {@code Authorization} headers it
 * receives: a stand-in for a Git host that is enough to see where a credential goes and that none
 * is printed. (Real Git over https with these credentials: the engine's JGitSourceIT.)
 */
class RepoCredentialsIT {
  private static final String PASSWORD = "cli-Pa55word-31";
  private static final String TOKEN = "cliTOKENVALUE-8c7b6a";

  @TempDir Path home;

  private HttpServer server;
  private final List<String> authorizations = new CopyOnWriteArrayList<>();
  private final List<String> paths = new CopyOnWriteArrayList<>();

  private String start(HttpServer http) {
    server = http;
    server.createContext(
        "/",
        exchange -> {
          paths.add(exchange.getRequestURI().toString());
          String authorization = exchange.getRequestHeaders().getFirst("Authorization");
          if (authorization != null) {
            authorizations.add(authorization);
          }
          exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"git\"");
          exchange.sendResponseHeaders(401, -1);
          exchange.close();
        });
    server.start();
    String scheme = server instanceof HttpsServer ? "https" : "http";
    return scheme + "://127.0.0.1:" + server.getAddress().getPort() + "/git/shop.git";
  }

  private static InetSocketAddress loopback() {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  @Test
  void aTokenIsNeverSentToARepositoryOverPlainHttp() throws IOException {
    String url = start(HttpServer.create(loopback(), 0));

    CliRun run =
        CliRun.weir(
            home,
            Map.of("WEIR_GIT_TOKEN", TOKEN, "WEIR_GIT_USERNAME", "alice"),
            "render",
            "--repo",
            url);

    assertThat(run.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(run.err())
        .isEqualTo(
            "weir: clone "
                + url
                + " failed: the remote asks for credentials, and Weir sends them only over"
                + " https: use the repository's https:// URL\n");
    assertThat(paths).as("the server was asked").isNotEmpty();
    assertThat(authorizations).isEmpty();
  }

  @Test
  void aTokenGivenAsTheUrlUserNameIsNeverSentOverHttpNorPrinted() throws IOException {
    String url = start(HttpServer.create(loopback(), 0));

    CliRun run =
        CliRun.weir(home, "render", "--repo", url.replace("http://", "http://" + TOKEN + "@"));

    assertThat(run.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(run.err())
        .startsWith("weir: clone " + url.replace("http://", "http://***@") + " failed")
        .doesNotContain(TOKEN);
    assertThat(run.out()).doesNotContain(TOKEN);
    assertThat(authorizations).isEmpty();
  }

  @Test
  void aLoginInAnHttpsUrlGoesToThatHostAndIsNeverPrinted() throws Exception {
    TestTls tls = TestTls.generate();
    HttpsServer https = HttpsServer.create(loopback(), 0);
    https.setHttpsConfigurator(new HttpsConfigurator(sslContext(tls)));
    String url = start(https);

    CliRun run =
        CliRun.weir(
            home,
            Map.of("GIT_SSL_CAINFO", tls.writeCertificate(home.resolve("ca.pem")).toString()),
            "render",
            "--repo",
            url.replace("https://", "https://alice:" + PASSWORD + "@"));

    assertThat(run.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(run.err())
        .isEqualTo(
            "weir: clone "
                + url.replace("https://", "https://***@")
                + " failed: the remote refused the login in the URL\n");
    assertThat(authorizations).as("sent to the repository's own https host").isNotEmpty();
  }

  private static SSLContext sslContext(TestTls tls) throws GeneralSecurityException {
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(tls.keyStore(), TestTls.PASSWORD.toCharArray());
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), null, null);
    return context;
  }
}
