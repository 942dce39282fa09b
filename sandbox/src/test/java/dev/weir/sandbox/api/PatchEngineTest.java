package dev.weir.sandbox.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * JSON merge patch, JSON patch and strategic merge patch, as table tests of original + patch =
 * result.
 */
class PatchEngineTest {
  private static final KindInfo DEPLOYMENT =
      KindRegistry.builtin().byKind("apps/v1", "Deployment").orElseThrow();
  private static final KindInfo SERVICE =
      KindRegistry.builtin().byKind("v1", "Service").orElseThrow();
  private static final KindInfo ROUTE =
      KindRegistry.builtin().byKind("gateway.networking.k8s.io/v1", "HTTPRoute").orElseThrow();

  record Case(String name, KindInfo kind, String original, String patch, String expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static ObjectNode json(String text) {
    return Json.parseObject(text.replace('\'', '"').getBytes(StandardCharsets.UTF_8));
  }

  static JsonNode anyJson(String text) {
    try {
      return Json.MAPPER.readTree(text.replace('\'', '"'));
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  static Stream<Case> strategicCases() {
    String pod =
        "{'spec':{'template':{'spec':{'containers':[{'name':'app','image':'v1','env':[{'name':'A',"
            + "'value':'1'}]},{'name':'sidecar','image':'envoy'}]}}}}";
    return Stream.of(
        new Case(
            "containers merge by name",
            DEPLOYMENT,
            pod,
            "{'spec':{'template':{'spec':{'containers':[{'name':'app','image':'v2'}]}}}}",
            "{'spec':{'template':{'spec':{'containers':[{'name':'app','image':'v2','env':[{'name':'A',"
                + "'value':'1'}]},{'name':'sidecar','image':'envoy'}]}}}}"),
        new Case(
            "env merges by name inside a container",
            DEPLOYMENT,
            pod,
            "{'spec':{'template':{'spec':{'containers':[{'name':'app','env':[{'name':'B','value':'2'}]}]}}}}",
            "{'spec':{'template':{'spec':{'containers':[{'name':'app','image':'v1','env':[{'name':'A',"
                + "'value':'1'},{'name':'B','value':'2'}]},{'name':'sidecar','image':'envoy'}]}}}}"),
        new Case(
            "$patch delete removes a list item",
            DEPLOYMENT,
            pod,
            "{'spec':{'template':{'spec':{'containers':[{'name':'sidecar','$patch':'delete'}]}}}}",
            "{'spec':{'template':{'spec':{'containers':[{'name':'app','image':'v1','env':[{'name':'A',"
                + "'value':'1'}]}]}}}}"),
        new Case(
            "$patch replace on a list replaces it",
            DEPLOYMENT,
            pod,
            "{'spec':{'template':{'spec':{'containers':[{'name':'only','image':'x'},{'$patch':'replace'}]}}}}",
            "{'spec':{'template':{'spec':{'containers':[{'name':'only','image':'x'}]}}}}"),
        new Case(
            "$setElementOrder reorders",
            DEPLOYMENT,
            pod,
            "{'spec':{'template':{'spec':{'$setElementOrder/containers':[{'name':'sidecar'},{'name':'app'}]}}}}",
            "{'spec':{'template':{'spec':{'containers':[{'name':'sidecar','image':'envoy'},{'name':'app',"
                + "'image':'v1','env':[{'name':'A','value':'1'}]}]}}}}"),
        new Case(
            "null deletes a field",
            DEPLOYMENT,
            "{'spec':{'replicas':2,'paused':true}}",
            "{'spec':{'paused':null}}",
            "{'spec':{'replicas':2}}"),
        new Case(
            "$retainKeys drops unlisted keys",
            DEPLOYMENT,
            "{'spec':{'strategy':{'type':'RollingUpdate','rollingUpdate':{'maxSurge':1}}}}",
            "{'spec':{'strategy':{'$retainKeys':['type'],'type':'Recreate'}}}",
            "{'spec':{'strategy':{'type':'Recreate'}}}"),
        new Case(
            "service ports merge by port",
            SERVICE,
            "{'spec':{'ports':[{'port':80,'name':'http'},{'port':443,'name':'https'}]}}",
            "{'spec':{'ports':[{'port':443,'targetPort':8443}]}}",
            "{'spec':{'ports':[{'port':80,'name':'http'},{'port':443,'name':'https','targetPort':8443}]}}"),
        new Case(
            "container ports merge by containerPort",
            DEPLOYMENT,
            "{'spec':{'template':{'spec':{'containers':[{'name':'app','ports':[{'containerPort':80}]}]}}}}",
            "{'spec':{'template':{'spec':{'containers':[{'name':'app','ports':[{'containerPort':9090,"
                + "'name':'metrics'}]}]}}}}",
            "{'spec':{'template':{'spec':{'containers':[{'name':'app','ports':[{'containerPort':80},"
                + "{'containerPort':9090,'name':'metrics'}]}]}}}}"),
        new Case(
            "volumeMounts merge by mountPath",
            DEPLOYMENT,
            "{'spec':{'template':{'spec':{'containers':[{'name':'app','volumeMounts':[{'mountPath':'/a',"
                + "'name':'x'}]}]}}}}",
            "{'spec':{'template':{'spec':{'containers':[{'name':'app','volumeMounts':[{'mountPath':'/a',"
                + "'readOnly':true}]}]}}}}",
            "{'spec':{'template':{'spec':{'containers':[{'name':'app','volumeMounts':[{'mountPath':'/a',"
                + "'name':'x','readOnly':true}]}]}}}}"),
        new Case(
            "finalizers merge as a set and $deleteFromPrimitiveList removes",
            DEPLOYMENT,
            "{'metadata':{'finalizers':['a','b']}}",
            "{'metadata':{'finalizers':['c'],'$deleteFromPrimitiveList/finalizers':['a']}}",
            "{'metadata':{'finalizers':['b','c']}}"),
        new Case(
            "lists without a merge key are replaced",
            DEPLOYMENT,
            "{'spec':{'template':{'spec':{'containers':[{'name':'app','args':['a','b']}]}}}}",
            "{'spec':{'template':{'spec':{'containers':[{'name':'app','args':['c']}]}}}}",
            "{'spec':{'template':{'spec':{'containers':[{'name':'app','args':['c']}]}}}}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("strategicCases")
  void strategicMergePatch(Case c) {
    ObjectNode result = StrategicMergePatch.apply(c.kind(), json(c.original()), json(c.patch()));
    assertThat(result).isEqualTo(json(c.expected()));
  }

  @Test
  void strategicMergePatchIsRefusedForCustomKinds() {
    assertThatThrownBy(() -> StrategicMergePatch.apply(ROUTE, json("{}"), json("{}")))
        .isInstanceOfSatisfying(StatusException.class, e -> assertThat(e.code()).isEqualTo(415));
  }

  static Stream<Case> mergeCases() {
    return Stream.of(
        new Case(
            "objects merge",
            DEPLOYMENT,
            "{'a':{'b':1,'c':2}}",
            "{'a':{'b':3}}",
            "{'a':{'b':3,'c':2}}"),
        new Case(
            "null removes", DEPLOYMENT, "{'a':{'b':1,'c':2}}", "{'a':{'c':null}}", "{'a':{'b':1}}"),
        new Case("lists are replaced", DEPLOYMENT, "{'a':[1,2]}", "{'a':[3]}", "{'a':[3]}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("mergeCases")
  void jsonMergePatch(Case c) {
    assertThat(JsonMergePatch.apply(json(c.original()), json(c.patch())))
        .isEqualTo(json(c.expected()));
  }

  static Stream<Case> jsonPatchCases() {
    return Stream.of(
        new Case(
            "add to an object",
            DEPLOYMENT,
            "{'a':{}}",
            "[{'op':'add','path':'/a/b','value':1}]",
            "{'a':{'b':1}}"),
        new Case(
            "add to the end of a list",
            DEPLOYMENT,
            "{'a':[1]}",
            "[{'op':'add','path':'/a/-','value':2}]",
            "{'a':[1,2]}"),
        new Case(
            "insert into a list",
            DEPLOYMENT,
            "{'a':[1,3]}",
            "[{'op':'add','path':'/a/1','value':2}]",
            "{'a':[1,2,3]}"),
        new Case("remove", DEPLOYMENT, "{'a':1,'b':2}", "[{'op':'remove','path':'/b'}]", "{'a':1}"),
        new Case(
            "replace",
            DEPLOYMENT,
            "{'spec':{'replicas':1}}",
            "[{'op':'replace','path':'/spec/replicas','value':3}]",
            "{'spec':{'replicas':3}}"),
        new Case(
            "move", DEPLOYMENT, "{'a':1}", "[{'op':'move','from':'/a','path':'/b'}]", "{'b':1}"),
        new Case(
            "copy",
            DEPLOYMENT,
            "{'a':{'x':1}}",
            "[{'op':'copy','from':'/a','path':'/b'}]",
            "{'a':{'x':1},'b':{'x':1}}"),
        new Case(
            "escaped pointer",
            DEPLOYMENT,
            "{'metadata':{'labels':{}}}",
            "[{'op':'add','path':'/metadata/labels/app.kubernetes.io~1name','value':'web'}]",
            "{'metadata':{'labels':{'app.kubernetes.io/name':'web'}}}"),
        new Case(
            "passing test",
            DEPLOYMENT,
            "{'a':1}",
            "[{'op':'test','path':'/a','value':1},{'op':'replace','path':'/a','value':2}]",
            "{'a':2}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jsonPatchCases")
  void jsonPatch(Case c) {
    assertThat(JsonPatch.apply(json(c.original()), anyJson(c.patch())))
        .isEqualTo(json(c.expected()));
  }

  @Test
  void jsonPatchOnAMissingPathIsUnprocessable() {
    for (String patch :
        List.of(
            "[{'op':'replace','path':'/nope','value':1}]",
            "[{'op':'remove','path':'/a/b'}]",
            "[{'op':'test','path':'/a','value':2}]")) {
      assertThatThrownBy(() -> JsonPatch.apply(json("{'a':1}"), anyJson(patch)))
          .as(patch)
          .isInstanceOfSatisfying(StatusException.class, e -> assertThat(e.code()).isEqualTo(422));
    }
    assertThatThrownBy(() -> JsonPatch.apply(json("{'a':1}"), anyJson("{'op':'add'}")))
        .isInstanceOfSatisfying(StatusException.class, e -> assertThat(e.code()).isEqualTo(400));
  }

  @Test
  void copiesMayAddThreeMebibytesInAllAndTheCountStopsAtTheBudget() {
    // 19 doublings of [1] copy about 2 MiB in all; the 20th would pass 3 MiB
    ObjectNode within =
        (ObjectNode) JsonPatch.apply(json("{}"), anyJson(SandboxClientJavaIT.patchBomb(19)));
    assertThat(JsonSize.upTo(within, Long.MAX_VALUE)).isLessThan(JsonPatch.MAX_COPY_BYTES);
    assertThatThrownBy(
            () -> JsonPatch.apply(json("{}"), anyJson(SandboxClientJavaIT.patchBomb(60))))
        .as("60 doublings: 2^60 values, refused after a few megabytes")
        .isInstanceOfSatisfying(
            StatusException.class,
            e -> {
              assertThat(e.code()).isEqualTo(422);
              assertThat(e.getMessage())
                  .isEqualTo(
                      "Unable to complete the copy, the accumulated size increase of copy is more"
                          + " than 3145728, exceeding the limit 3145728");
            });
    ObjectNode big = json("{'a':'" + "x".repeat(1000) + "'}");
    assertThat(JsonSize.upTo(big, 10_000)).isEqualTo(Json.bytes(big).length);
    assertThat(JsonSize.upTo(big, 100)).isGreaterThan(100);
  }

  @Test
  void aJsonPatchOfMoreThanTenThousandOperationsIsTooLargeBeforeAnyIsApplied() {
    StringBuilder patch = new StringBuilder("[");
    for (int i = 0; i <= JsonPatch.MAX_OPERATIONS; i++) {
      patch.append(i == 0 ? "" : ",").append("{'op':'add','path':'/a','value':1}");
    }
    ObjectNode original = json("{}");
    assertThatThrownBy(() -> JsonPatch.apply(original, anyJson(patch + "]")))
        .isInstanceOfSatisfying(
            StatusException.class,
            e -> {
              assertThat(e.code()).isEqualTo(413);
              assertThat(e.toStatus().path("reason").asText()).isEqualTo("RequestEntityTooLarge");
              assertThat(e.getMessage())
                  .isEqualTo(
                      "Request entity too large: The allowed maximum operations in a JSON patch is"
                          + " 10000, got 10001");
            });
    assertThat(original).as("untouched").isEqualTo(json("{}"));
  }
}
