package dev.weir.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ManifestTest {
  private static Manifest secret(Map<String, Object> object) {
    return new Manifest(new ResourceKey("", "Secret", "shop", "db"), "v1", object, new SourceLocation("apps/db/secret.yaml", 3, 1));
  }

  @Test
  void toStringNamesTheObjectAndItsPlaceButNeverItsContent() {
    Manifest manifest = secret(Map.of("kind", "Secret", "data", Map.of("password", "aHVudGVyMg==")));
    assertThat(manifest.toString())
        .isEqualTo("Secret shop/db (apps/db/secret.yaml:3:1)")
        .doesNotContain("aHVudGVyMg==");
  }

  @Test
  void theObjectIsADeepImmutableCopy() {
    Map<String, Object> data = new LinkedHashMap<>(Map.of("password", "x"));
    List<Object> items = new ArrayList<>(List.of("a"));
    Map<String, Object> object = new LinkedHashMap<>(Map.of("data", data, "items", items));
    Manifest manifest = secret(object);

    data.put("password", "changed");
    items.add("b");

    assertThat(manifest.object()).containsEntry("data", Map.of("password", "x")).containsEntry("items", List.of("a"));
    assertThatThrownBy(() -> manifest.object().put("kind", "ConfigMap")).isInstanceOf(UnsupportedOperationException.class);
  }
}
