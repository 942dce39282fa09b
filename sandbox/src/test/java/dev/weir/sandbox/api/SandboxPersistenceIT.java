package dev.weir.sandbox.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sandbox's state file: saved on change (debounced on the engine clock) and on close, reloaded
 * on start.
 */
class SandboxPersistenceIT {
  @TempDir Path dir;

  private SandboxOptions.Builder onFile(Path state) {
    return SandboxOptions.builder().stateFile(state).saveDebounce(Duration.ofMillis(500));
  }

  @Test
  void objectsResourceVersionsAndUidsSurviveARestart() throws Exception {
    Path state = dir.resolve("data/weir/sandbox/state.json");
    String uid;
    String configMapVersion;
    String deploymentVersion;
    String listVersion;
    try (SandboxFixture first = new SandboxFixture(dir.resolve("first"), onFile(state))) {
      first.namespace("shop");
      CoreV1Api core = new CoreV1Api(first.client());
      V1ConfigMap created =
          core.createNamespacedConfigMap(
                  "shop",
                  new V1ConfigMap()
                      .metadata(new V1ObjectMeta().name("settings"))
                      .data(Map.of("a", "1")))
              .execute();
      uid = created.getMetadata().getUid();
      configMapVersion = created.getMetadata().getResourceVersion();
      deploymentVersion =
          new AppsV1Api(first.client())
              .createNamespacedDeployment(
                  "shop", SandboxClientJavaIT.deployment("web", 2, "shop:1"))
              .execute()
              .getMetadata()
              .getResourceVersion();
      listVersion =
          core.listNamespacedConfigMap("shop").execute().getMetadata().getResourceVersion();
    }
    assertThat(Files.getPosixFilePermissions(state))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));

    try (SandboxFixture second = new SandboxFixture(dir.resolve("second"), onFile(state))) {
      CoreV1Api core = new CoreV1Api(second.client());
      V1ConfigMap reloaded = core.readNamespacedConfigMap("settings", "shop").execute();
      assertThat(reloaded.getMetadata().getUid()).isEqualTo(uid);
      assertThat(reloaded.getMetadata().getResourceVersion()).isEqualTo(configMapVersion);
      assertThat(reloaded.getData()).containsEntry("a", "1");
      assertThat(
              new AppsV1Api(second.client())
                  .readNamespacedDeployment("web", "shop")
                  .execute()
                  .getMetadata()
                  .getResourceVersion())
          .isEqualTo(deploymentVersion);
      assertThat(core.listNamespacedConfigMap("shop").execute().getMetadata().getResourceVersion())
          .isEqualTo(listVersion);

      V1ConfigMap next =
          core.createNamespacedConfigMap(
                  "shop", new V1ConfigMap().metadata(new V1ObjectMeta().name("later")))
              .execute();
      assertThat(Long.parseLong(next.getMetadata().getResourceVersion()))
          .as("the resourceVersion counter carries on after a restart")
          .isGreaterThan(Long.parseLong(listVersion));
    }
  }

  @Test
  void changesAreSavedAfterTheDebounceWithoutClosing() throws Exception {
    Path state = dir.resolve("state.json");
    try (SandboxFixture sandbox = new SandboxFixture(dir, onFile(state))) {
      sandbox.clock.advance(Duration.ofSeconds(1));
      sandbox.namespace("saved-later");
      assertThat(Files.exists(state) ? Files.readString(state) : "").doesNotContain("saved-later");
      sandbox.clock.advance(Duration.ofMillis(499));
      assertThat(Files.exists(state) ? Files.readString(state) : "").doesNotContain("saved-later");
      sandbox.clock.advance(Duration.ofMillis(1));
      assertThat(Files.readString(state)).contains("saved-later");
      assertThat(dir.resolve("state.json.tmp")).doesNotExist();
    }
  }

  @Test
  void aCorruptStateFileStopsTheStartWithTheFileNamed() throws Exception {
    Path state = dir.resolve("state.json");
    Files.writeString(state, "{not json");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> SandboxApiServer.start(onFile(state).build()))
        .isInstanceOf(java.io.IOException.class)
        .hasMessageStartingWith(state + ":1:2: not a sandbox state file: ");
  }

  @Test
  void stateLivesUnderXdgDataHomeOrTheUsersLocalShare() {
    Path home = Path.of("/home/sre");
    assertThat(SandboxStateLocation.resolve(Map.of("XDG_DATA_HOME", "/data"), home).stateFile())
        .isEqualTo(Path.of("/data/weir/sandbox/state.json"));
    assertThat(SandboxStateLocation.resolve(Map.of(), home).stateFile())
        .isEqualTo(Path.of("/home/sre/.local/share/weir/sandbox/state.json"));
    assertThat(SandboxStateLocation.resolve(Map.of("XDG_DATA_HOME", "relative"), home).directory())
        .as("a relative XDG_DATA_HOME is ignored, as the XDG spec says")
        .isEqualTo(Path.of("/home/sre/.local/share/weir/sandbox"));
  }
}
