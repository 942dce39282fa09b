package dev.weir.engine.diff;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.model.ResourceKey;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RevisionDifferTest {
  static Map<String, Object> configMap(String level) {
    return Map.of(
        "apiVersion", "v1",
        "kind", "ConfigMap",
        "metadata", Map.of("name", "settings", "namespace", "shop"),
        "data", Map.of("level", level, "region", "eu"));
  }

  static Map<String, Object> secret(String password) {
    return Map.of(
        "apiVersion", "v1",
        "kind", "Secret",
        "metadata", Map.of("name", "db", "namespace", "shop"),
        "data", Map.of("password", password, "user", "YXBw"));
  }

  @Test
  void aChangedObjectIsAUnifiedDiffFromTheFirstRevisionToTheSecond() {
    ResourceKey key = new ResourceKey("", "ConfigMap", "shop", "settings");
    String text = RevisionDiffer.unified(key, configMap("info"), configMap("debug"), "9c8d7e6", "3f2a1c9");
    assertThat(text.lines())
        .startsWith("--- a/9c8d7e6/ConfigMap.shop.settings", "+++ b/3f2a1c9/ConfigMap.shop.settings")
        .contains("-  level: info", "+  level: debug", "   region: eu");
    assertThat(RevisionDiffer.unified(key, configMap("info"), configMap("info"), "a", "b")).isEmpty();
  }

  @Test
  void anAddedObjectComesFromNothingAndARemovedOneGoesToNothing() {
    ResourceKey key = new ResourceKey("", "ConfigMap", "shop", "settings");
    assertThat(RevisionDiffer.unified(key, null, configMap("info"), "9c8d7e6", "3f2a1c9").lines())
        .startsWith("--- /dev/null", "+++ b/3f2a1c9/ConfigMap.shop.settings");
    assertThat(RevisionDiffer.unified(key, configMap("info"), null, "9c8d7e6", "3f2a1c9").lines())
        .startsWith("--- a/9c8d7e6/ConfigMap.shop.settings", "+++ /dev/null");
  }

  @Test
  void secretValuesAreRedactedOnBothSidesAndAChangeIsStillVisible() {
    ResourceKey key = new ResourceKey("", "Secret", "shop", "db");
    String text = RevisionDiffer.unified(key, secret("b2xk"), secret("bmV3"), "9c8d7e6", "3f2a1c9");
    assertThat(text).doesNotContain("b2xk").doesNotContain("bmV3").doesNotContain("YXBw");
    assertThat(text.lines())
        .contains("-  password: " + Redaction.REDACTED, "+  password: " + Redaction.REDACTED_CHANGED);
  }
}
