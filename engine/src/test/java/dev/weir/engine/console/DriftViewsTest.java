package dev.weir.engine.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.diff.ApplicationDiff;
import dev.weir.engine.diff.DiffPrinter;
import dev.weir.engine.diff.IgnoreRules;
import dev.weir.engine.diff.ResourceDiff;
import dev.weir.engine.diff.ResourceDiffer;
import dev.weir.engine.model.Health;
import dev.weir.engine.model.LiveObject;
import dev.weir.engine.model.ResourceKey;
import dev.weir.engine.model.SyncStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The plain drift values the faces draw ({@link DriftObject}, {@link DriftField}) and the hotfix
 * preview: the engine's own text and redaction, who changed a field and when.
 */
class DriftViewsTest {
  static final ResourceKey DEPLOYMENT = new ResourceKey("apps", "Deployment", "shop", "inventory");
  static final ResourceKey SECRET = new ResourceKey("", "Secret", "shop", "inventory-db");

  @SuppressWarnings("unchecked")
  static Map<String, Object> yaml(String text) {
    return new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
  }

  static String deployment(int replicas, String managed) {
    return """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: inventory, namespace: shop%s}
        spec: {replicas: %d}
        """
        .formatted(managed, replicas);
  }

  static String secret(String password, String managed) {
    return """
        apiVersion: v1
        kind: Secret
        metadata: {name: inventory-db, namespace: shop%s}
        data: {password: %s}
        """
        .formatted(managed, password);
  }

  static String managed(String manager, String time, String fields) {
    return ", managedFields: [{manager: %s, operation: Update, time: \"%s\", fieldsV1: %s}]"
        .formatted(manager, time, fields);
  }

  static ApplicationView inventory() {
    ResourceDiff deployment =
        ResourceDiffer.compare(
            DEPLOYMENT,
            yaml(deployment(3, "")),
            false,
            new LiveObject(
                DEPLOYMENT,
                "apps/v1",
                yaml(deployment(5, managed("kubectl-edit", "2026-01-01T10:42:00Z", "{f:spec: {f:replicas: {}}}")))),
            IgnoreRules.none(),
            "");
    ResourceDiff secret =
        ResourceDiffer.compare(
            SECRET,
            yaml(secret("aHVudGVyMg==", "")),
            false,
            new LiveObject(
                SECRET,
                "v1",
                yaml(secret("czNjcjN0", managed("hand-edit", "2026-01-01T10:43:00Z", "{f:data: {f:password: {}}}")))),
            IgnoreRules.none(),
            "");
    ApplicationView base = FakeConsole.application("inventory");
    return new ApplicationView(
        "inventory", "shop", base.revision(), SyncStatus.OutOfSync, Health.healthy(),
        List.of(
            new ResourceView(DEPLOYMENT, SyncStatus.OutOfSync, Health.healthy(), deployment, true),
            new ResourceView(SECRET, SyncStatus.OutOfSync, Health.healthy(), secret, false)),
        new ApplicationDiff("inventory", base.revision(), List.of(deployment, secret), List.of()),
        base.render(), List.of(), Optional.empty(), Optional.empty(), Optional.empty(), List.of(),
        Optional.empty(), false, List.of());
  }

  @Test
  void eachDriftedObjectCarriesWeirDiffsOwnLinesAndItsFieldsWithWhoAndWhen() {
    ApplicationView app = inventory();
    List<DriftObject> drift = app.drift(ZoneOffset.UTC);

    assertThat(drift).extracting(DriftObject::resource).containsExactly("apps/Deployment shop/inventory", "Secret shop/inventory-db");
    String joined =
        String.join("", drift.stream().map(o -> String.join("\n", o.lines()) + "\n").toList());
    assertThat(joined).isEqualTo(ConsoleText.diff(List.of(app), ZoneOffset.UTC, false));
    assertThat(joined).isEqualTo(DiffPrinter.text(List.of(app.diff()), ZoneOffset.UTC, false));

    DriftObject deployment = drift.getFirst();
    assertThat(deployment.status()).isEqualTo("drifted");
    assertThat(deployment.hotfixed()).isTrue();
    DriftField replicas = deployment.fields().getFirst();
    assertThat(replicas.path()).isEqualTo("spec.replicas");
    assertThat(replicas.change()).isEqualTo(DriftField.Change.CHANGED);
    assertThat(replicas.git()).isEqualTo("3");
    assertThat(replicas.live()).isEqualTo("5");
    assertThat(replicas.who()).isEqualTo("kubectl-edit");
    assertThat(replicas.at()).contains(Instant.parse("2026-01-01T10:42:00Z"));
    assertThat(replicas.line()).isEqualTo("kubectl-edit changed spec.replicas 3→5 at 10:42");
    assertThat(replicas.redacted()).isFalse();
    assertThat(deployment.lastChange()).contains(replicas);
  }

  @Test
  void aSecretsValuesAreTheEnginesRedactedOnes() {
    DriftObject secret = inventory().drift(ZoneOffset.UTC).getLast();
    DriftField password = secret.fields().getFirst();

    assertThat(password.redacted()).isTrue();
    assertThat(password.git()).isEqualTo("<redacted, changed>");
    assertThat(password.live()).isEqualTo("<redacted>");
    assertThat(password.line()).isEqualTo("data.password: <redacted, changed>, by hand-edit at 10:43");
    assertThat(String.join("\n", secret.lines()) + password)
        .doesNotContain("aHVudGVyMg==")
        .doesNotContain("czNjcjN0")
        .doesNotContain("hunter2");
  }

  @Test
  void theHotfixPreviewSaysWhichValueIsKeptUntilWhenAndThatGitWaitsForTheBackport() {
    ConsoleSnapshot snapshot = FakeConsole.loaded(List.of(inventory()));

    Preview preview =
        HotfixPreview.of(snapshot, "inventory", "apps/Deployment shop/inventory", "spec.replicas", "incident", Duration.ofHours(24));

    assertThat(preview.ok()).isTrue();
    assertThat(preview.needsConfirmation()).isTrue();
    assertThat(preview.title()).isEqualTo("Hotfix apps/Deployment shop/inventory spec.replicas of inventory");
    assertThat(preview.lines())
        .containsExactly(
            "keeps spec.replicas = 5 in the cluster (Git: 3), as kubectl-edit set it",
            "deliberately drifted until 2026-01-02T10:00:00Z: it no longer counts as drift, and self-heal leaves it alone",
            "reason: incident",
            "Git is not changed: backport pending (b writes the Git change)");

    Preview secret =
        HotfixPreview.of(snapshot, "inventory", "Secret/inventory-db", "data.password", "x", Duration.ofHours(1));
    assertThat(secret.lines().getFirst())
        .isEqualTo("keeps data.password = <redacted> in the cluster (Git: <redacted, changed>), as hand-edit set it");
  }

  @Test
  void aHotfixPreviewOfAnUnknownApplicationObjectOrPathIsRefusedWithOneLine() {
    ConsoleSnapshot snapshot = FakeConsole.loaded(List.of(inventory()));

    assertThat(HotfixPreview.of(snapshot, "nope", "Deployment/inventory", "spec.replicas", "x", Duration.ofHours(1)).lines())
        .containsExactly("no application named 'nope'");
    Preview object = HotfixPreview.of(snapshot, "inventory", "Deployment/nope", "spec.replicas", "x", Duration.ofHours(1));
    assertThat(object.status()).isEqualTo(CommandResult.Status.BAD_INPUT);
    assertThat(object.lines()).containsExactly("inventory has no object Deployment/nope");
    Preview path = HotfixPreview.of(snapshot, "inventory", "Deployment/inventory", "spec..replicas[", "x", Duration.ofHours(1));
    assertThat(path.ok()).isFalse();
  }
}
