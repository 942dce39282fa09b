package dev.weir.desktop.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;

/** The palette's fuzzy match and the side-by-side layout of the engine's unified diff (JavaFX started for its Text nodes). */
@ExtendWith(ApplicationExtension.class)
class FuzzyAndDiffRowsTest {
  @Test
  void fuzzyMatchesInOrderAndPrefersWordStartsAndRuns() {
    assertThat(Fuzzy.score("rb", "Roll back")).isPresent();
    assertThat(Fuzzy.score("br", "Roll back")).isEmpty();
    assertThat(Fuzzy.score("sync al", "Sync all").getAsInt()).isGreaterThan(Fuzzy.score("sync al", "Switch to context alpha").orElse(Integer.MIN_VALUE));
    assertThat(Fuzzy.score("", "anything")).hasValue(0);
  }

  @Test
  void removedThenAddedLinesPairUpAndHeadersSpanBothSides() {
    List<DiffViewer.Row> rows = DiffViewer.sideBySide(List.of(
        "# inventory: apps/Deployment shop/inventory drifted",
        "--- live/x", "+++ git/x", "@@ -1,3 +1,3 @@",
        " spec:", "-  replicas: 5", "+  replicas: 3", "+  paused: false", "   template: {}"));
    assertThat(rows).containsExactly(
        new DiffViewer.Row("# inventory: apps/Deployment shop/inventory drifted", "# inventory: apps/Deployment shop/inventory drifted", DiffViewer.Kind.HEADER),
        new DiffViewer.Row("--- live/x", "--- live/x", DiffViewer.Kind.HEADER),
        new DiffViewer.Row("+++ git/x", "+++ git/x", DiffViewer.Kind.HEADER),
        new DiffViewer.Row("@@ -1,3 +1,3 @@", "@@ -1,3 +1,3 @@", DiffViewer.Kind.HEADER),
        new DiffViewer.Row("spec:", "spec:", DiffViewer.Kind.SAME),
        new DiffViewer.Row("  replicas: 5", "  replicas: 3", DiffViewer.Kind.CHANGED),
        new DiffViewer.Row("", "  paused: false", DiffViewer.Kind.ADDED),
        new DiffViewer.Row("  template: {}", "  template: {}", DiffViewer.Kind.SAME));
  }

  @Test
  void yamlKeysValuesCommentsAndRedactedValuesAreTold() {
    var parts = DiffViewer.highlight("  password: <redacted, changed> # by hand-edit");
    assertThat(parts).extracting(t -> t.getText()).containsExactly("  ", "password", ":", " <redacted, changed>", " # by hand-edit");
    assertThat(parts.get(3).getStyleClass()).contains("yaml-redacted");
    assertThat(parts.get(1).getStyleClass()).contains("yaml-key");
  }
}
