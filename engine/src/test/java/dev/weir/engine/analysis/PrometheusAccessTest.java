package dev.weir.engine.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Credentials and trust for a Prometheus given by address, from the environment: bad combinations
 * are one line naming the variables (and file), and no secret is ever shown.
 */
class PrometheusAccessTest {
  static final String SECRET = "s3cr3t-value";

  @TempDir Path dir;

  record Case(String name, Map<String, String> environment, String expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  /**
   * {@code @FILE} and {@code @EMPTY} in a value stand for a file holding the secret, or nothing.
   */
  static Stream<Case> cases() {
    return Stream.of(
        new Case("nothing set", Map.of(), "PrometheusAccess[credentials=none, trust=default]"),
        new Case(
            "a token",
            Map.of(PrometheusAccess.TOKEN, SECRET),
            "PrometheusAccess[credentials=from WEIR_PROMETHEUS_TOKEN, trust=default]"),
        new Case(
            "a token file",
            Map.of(PrometheusAccess.TOKEN_FILE, "@FILE"),
            "PrometheusAccess[credentials=from WEIR_PROMETHEUS_TOKEN_FILE, trust=default]"),
        new Case(
            "basic auth with a password file",
            Map.of(PrometheusAccess.USERNAME, "weir", PrometheusAccess.PASSWORD_FILE, "@FILE"),
            "PrometheusAccess[credentials=from WEIR_PROMETHEUS_USERNAME and"
                + " WEIR_PROMETHEUS_PASSWORD_FILE, trust=default]"),
        new Case(
            "a token and a token file",
            Map.of(PrometheusAccess.TOKEN, SECRET, PrometheusAccess.TOKEN_FILE, "@FILE"),
            "WEIR_PROMETHEUS_TOKEN and WEIR_PROMETHEUS_TOKEN_FILE are both set; give one of them"),
        new Case(
            "a token and a user",
            Map.of(
                PrometheusAccess.TOKEN, SECRET,
                PrometheusAccess.USERNAME, "weir",
                PrometheusAccess.PASSWORD, SECRET),
            "WEIR_PROMETHEUS_TOKEN and WEIR_PROMETHEUS_USERNAME are both set; give a bearer token"
                + " or basic auth, not both"),
        new Case(
            "a user without a password",
            Map.of(PrometheusAccess.USERNAME, "weir"),
            "WEIR_PROMETHEUS_USERNAME is set without WEIR_PROMETHEUS_PASSWORD or"
                + " WEIR_PROMETHEUS_PASSWORD_FILE"),
        new Case(
            "a password without a user",
            Map.of(PrometheusAccess.PASSWORD, SECRET),
            "WEIR_PROMETHEUS_PASSWORD is set without WEIR_PROMETHEUS_USERNAME"),
        new Case(
            "an empty token file",
            Map.of(PrometheusAccess.TOKEN_FILE, "@EMPTY"),
            "WEIR_PROMETHEUS_TOKEN_FILE: @EMPTY is empty"),
        new Case(
            "a password file that is not there",
            Map.of(PrometheusAccess.USERNAME, "weir", PrometheusAccess.PASSWORD_FILE, "@MISSING"),
            "WEIR_PROMETHEUS_PASSWORD_FILE: cannot read @MISSING (NoSuchFileException)"),
        new Case(
            "a CA file that holds no certificate",
            Map.of(PrometheusAccess.CA_FILE, "@FILE"),
            "WEIR_PROMETHEUS_CA_FILE: @FILE: not a usable certificate file"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void theEnvironmentGivesCredentialsOrOneLineSayingWhatIsWrong(Case c) throws Exception {
    Path secretFile = Files.writeString(dir.resolve("secret"), SECRET + "\n");
    Path empty = Files.writeString(dir.resolve("empty"), "\n");
    Path missing = dir.resolve("missing");
    Map<String, String> environment = new HashMap<>();
    c.environment()
        .forEach(
            (k, v) ->
                environment.put(
                    k,
                    v.replace("@FILE", secretFile.toString())
                        .replace("@EMPTY", empty.toString())
                        .replace("@MISSING", missing.toString())));
    String expected =
        c.expected()
            .replace("@FILE", secretFile.toString())
            .replace("@EMPTY", empty.toString())
            .replace("@MISSING", missing.toString());

    String outcome;
    try {
      outcome = PrometheusAccess.fromEnvironment(environment, Optional.empty()).toString();
    } catch (IllegalArgumentException e) {
      outcome = e.getMessage();
    }

    assertThat(outcome).startsWith(expected).doesNotContain(SECRET).doesNotContain("\n");
  }

  @Test
  void aTokenFileIsReadAtEveryQuerySoARotatedTokenIsUsed() throws Exception {
    Path token = Files.writeString(dir.resolve("token"), "first\n");
    PrometheusSettings settings =
        PrometheusAccess.fromEnvironment(
                Map.of(PrometheusAccess.TOKEN_FILE, token.toString()), Optional.empty())
            .settings(URI.create("https://prom.example/"));
    assertThat(settings.credentials().orElseThrow().authorization()).isEqualTo("Bearer first");

    Files.writeString(token, "second\n");

    assertThat(settings.credentials().orElseThrow().authorization()).isEqualTo("Bearer second");
    assertThat(settings.toString()).doesNotContain("first").doesNotContain("second");
  }

  @Test
  void credentialsGoOverPlainHttpOnlyToLoopback() {
    PrometheusAccess access =
        PrometheusAccess.fromEnvironment(Map.of(PrometheusAccess.TOKEN, SECRET), Optional.empty());

    assertThat(access.settings(URI.create("http://127.0.0.1:9090/")).credentials()).isPresent();
    assertThat(access.settings(URI.create("http://localhost:9090/")).credentials()).isPresent();
    assertThat(access.settings(URI.create("https://prom.example/")).credentials()).isPresent();
    assertThatThrownBy(() -> access.settings(URI.create("http://prom.example:9090/")))
        .hasMessage(
            "credentials from WEIR_PROMETHEUS_TOKEN are sent only over https (or to localhost);"
                + " http://prom.example:9090/ is plain http: give its https:// address");
    assertThat(
            PrometheusAccess.none().settings(URI.create("http://prom.example:9090/")).credentials())
        .isEmpty();
  }
}
