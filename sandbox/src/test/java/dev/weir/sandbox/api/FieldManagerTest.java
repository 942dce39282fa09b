package dev.weir.sandbox.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.engine.time.ManualClock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Field ownership: Update takes changed fields, Apply conflicts, forces, shares and removes. */
class FieldManagerTest {
  private static final KindInfo DEPLOYMENT =
      KindRegistry.builtin().byKind("apps/v1", "Deployment").orElseThrow();
  private final ManualClock clock = new ManualClock();
  private final FieldManager fields = new FieldManager(clock);

  private static ObjectNode json(String text) {
    return PatchEngineTest.json(text);
  }

  private static List<String> owners(ObjectNode object) {
    List<String> result = new ArrayList<>();
    for (JsonNode entry : object.path("metadata").path("managedFields")) {
      result.add(
          entry.path("manager").asText()
              + "/"
              + entry.path("operation").asText()
              + (entry.has("subresource") ? "/" + entry.path("subresource").asText() : "")
              + " "
              + entry.path("fieldsV1"));
    }
    return result;
  }

  private static final String CONFIG =
      "{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web','labels':{'app':'web'}},"
          + "'spec':{'replicas':2,'template':{'spec':{'containers':[{'name':'app','image':'v1'}]}}}}";

  @Test
  void applyOwnsExactlyTheAppliedFieldsWithListItemsByKey() {
    ObjectNode created = fields.apply(DEPLOYMENT, null, json(CONFIG), "weir", false, false);
    assertThat(owners(created))
        .containsExactly(
            "weir/Apply"
                + " {\"f:metadata\":{\"f:labels\":{\"f:app\":{}}},\"f:spec\":{\"f:replicas\":{},"
                + "\"f:template\":{\"f:spec\":{\"f:containers\":{\"k:{\\\"name\\\":\\\"app\\\"}\":{\".\":{},"
                + "\"f:image\":{},\"f:name\":{}}}}}}}");
    assertThat(created.path("metadata").path("managedFields").get(0).path("time").asText())
        .isEqualTo("2026-01-01T10:00:00Z");
  }

  @Test
  void anUpdateTakesTheFieldsItChangesFromOtherManagers() {
    ObjectNode live = fields.apply(DEPLOYMENT, null, json(CONFIG), "weir", false, false);
    ObjectNode edited = live.deepCopy();
    ((ObjectNode) edited.get("spec")).put("replicas", 5);
    fields.recordUpdate(DEPLOYMENT, live, edited, "kubectl-edit", "");
    assertThat(owners(edited))
        .anySatisfy(o -> assertThat(o).startsWith("weir/Apply ").doesNotContain("f:replicas"))
        .anySatisfy(
            o -> assertThat(o).isEqualTo("kubectl-edit/Update {\"f:spec\":{\"f:replicas\":{}}}"));
  }

  @Test
  void applyConflictsListEveryFieldOfEveryOtherManager() {
    ObjectNode live = fields.apply(DEPLOYMENT, null, json(CONFIG), "weir", false, false);
    String other =
        "{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web','labels':{'app':'api'}},"
            + "'spec':{'replicas':9,'template':{'spec':{'containers':[{'name':'app','image':'v2'}]}}}}";
    assertThatThrownBy(() -> fields.apply(DEPLOYMENT, live, json(other), "other", false, false))
        .isInstanceOfSatisfying(
            StatusException.class,
            e -> {
              assertThat(e.code()).isEqualTo(409);
              assertThat(e.getMessage())
                  .isEqualTo(
                      "Apply failed with 3 conflicts: conflicts with \"weir\":\n"
                          + "- .metadata.labels.app\n"
                          + "- .spec.replicas\n"
                          + "- .spec.template.spec.containers[name=\"app\"].image");
              assertThat(e.toStatus().path("details").path("causes"))
                  .hasSize(3)
                  .allSatisfy(
                      c -> assertThat(c.path("reason").asText()).isEqualTo("FieldManagerConflict"));
            });
  }

  @Test
  void forceMovesOwnershipAndEqualValuesAreShared() {
    ObjectNode live = fields.apply(DEPLOYMENT, null, json(CONFIG), "weir", false, false);
    String sameImageOtherReplicas =
        "{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web'},"
            + "'spec':{'replicas':4,'template':{'spec':{'containers':[{'name':'app','image':'v1'}]}}}}";
    ObjectNode forced =
        fields.apply(DEPLOYMENT, live, json(sameImageOtherReplicas), "hpa", true, false);
    assertThat(forced.path("spec").path("replicas").asInt()).isEqualTo(4);
    assertThat(owners(forced))
        .anySatisfy(
            o ->
                assertThat(o)
                    .startsWith("weir/Apply ")
                    .doesNotContain("f:replicas")
                    .contains("f:image"))
        .anySatisfy(
            o -> assertThat(o).startsWith("hpa/Apply ").contains("f:replicas").contains("f:image"));
  }

  @Test
  void fieldsNoLongerAppliedAreRemovedUnlessAnotherManagerOwnsThem() {
    String withAnnotation =
        CONFIG.replace("'labels':{'app':'web'}", "'labels':{'app':'web'},'annotations':{'a':'1'}");
    ObjectNode live = fields.apply(DEPLOYMENT, null, json(withAnnotation), "weir", false, false);
    ObjectNode removed = fields.apply(DEPLOYMENT, live, json(CONFIG), "weir", false, false);
    assertThat(removed.path("metadata").path("annotations").has("a")).isFalse();

    ObjectNode shared = fields.apply(DEPLOYMENT, live, json(withAnnotation), "other", false, false);
    ObjectNode kept = fields.apply(DEPLOYMENT, shared, json(CONFIG), "weir", false, false);
    assertThat(kept.path("metadata").path("annotations").path("a").asText())
        .as("still applied by 'other'")
        .isEqualTo("1");
  }
}
