package dev.weir.tui.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.testkit.RepoBuilder;
import dev.weir.engine.testkit.TestPgpKey;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --trusted-keys}: only commits signed by a trusted key are rendered (real OpenPGP signatures). */
class TrustedKeysTest {
  private static final String APP = """
      apiVersion: weir.dev/v1alpha1
      kind: Application
      metadata: {name: web}
      spec: {source: {path: apps/web}, destination: {namespace: shop}}
      """;
  private static final String CONFIG = """
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: web}
      data: {greeting: hello}
      """;

  @TempDir Path home;

  @Test
  void aSignedHeadRendersAndAnUnsignedOneIsRefusedNamingTheCommit() {
    TestPgpKey release = TestPgpKey.generate("Release Bot <release@shop.example>");
    Path keyring = release.writePublicKeyring(home.resolve("trusted.asc"));
    Path repo = home.resolve("deploy.git");
    String unsigned;
    try (RepoBuilder remote = RepoBuilder.init(repo)) {
      remote.commit("web").add("apps/web/app.yaml", APP).add("apps/web/cm.yaml", CONFIG).signedBy(release).create();
      CliRun signed = CliRun.weir(home, "render", "--repo", repo.toString(), "--trusted-keys", keyring.toString());
      assertThat(signed.err()).isEmpty();
      assertThat(signed.out()).contains("greeting: hello");

      unsigned = remote.commit("sneaky").add("apps/web/cm.yaml", CONFIG.replace("hello", "pwned")).create();
    }
    CliRun refused = CliRun.weir(home, "render", "--repo", repo.toString(), "--trusted-keys", keyring.toString(),
        "--rev", unsigned);

    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.out()).isEmpty();
    assertThat(refused.err()).contains(unsigned.substring(0, 7)).containsIgnoringCase("not signed");
  }
}
