package dev.weir.sandbox.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.reflect.TypeToken;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1DeploymentSpec;
import io.kubernetes.client.openapi.models.V1DeploymentStatus;
import io.kubernetes.client.openapi.models.V1LabelSelector;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1OwnerReference;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1PodTemplateSpec;
import io.kubernetes.client.openapi.models.V1ReplicaSet;
import io.kubernetes.client.openapi.models.V1ReplicaSetSpec;
import io.kubernetes.client.openapi.models.V1Status;
import io.kubernetes.client.util.PatchUtils;
import io.kubernetes.client.util.Watch;
import io.kubernetes.client.util.generic.GenericKubernetesApi;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesApi;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesListObject;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesObject;
import io.kubernetes.client.util.generic.dynamic.Dynamics;
import io.kubernetes.client.util.generic.options.ListOptions;
import io.kubernetes.client.util.generic.options.PatchOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** client-java 27 against the sandbox API server over HTTPS, through the kubeconfig it writes. */
class SandboxClientJavaIT {
  @TempDir static Path dir;
  static SandboxFixture sandbox;
  static ApiClient client;
  static CoreV1Api core;
  static AppsV1Api apps;
  static final AtomicInteger namespaces = new AtomicInteger();

  @BeforeAll
  static void start() throws Exception {
    sandbox = new SandboxFixture(dir);
    client = sandbox.client();
    core = new CoreV1Api(client);
    apps = new AppsV1Api(client);
  }

  @AfterAll
  static void stop() throws Exception {
    sandbox.close();
  }

  static String freshNamespace() throws Exception {
    String name = "ns-" + namespaces.incrementAndGet();
    sandbox.namespace(name);
    return name;
  }

  static V1ConfigMap configMap(String name, Map<String, String> labels) {
    return new V1ConfigMap()
        .metadata(new V1ObjectMeta().name(name).labels(labels))
        .data(Map.of("key", name));
  }

  static V1Deployment deployment(String name, int replicas, String image) {
    Map<String, String> labels = Map.of("app", name);
    return new V1Deployment()
        .metadata(new V1ObjectMeta().name(name).labels(labels))
        .spec(
            new V1DeploymentSpec()
                .replicas(replicas)
                .selector(new V1LabelSelector().matchLabels(labels))
                .template(
                    new V1PodTemplateSpec()
                        .metadata(new V1ObjectMeta().labels(labels))
                        .spec(
                            new V1PodSpec()
                                .containers(
                                    List.of(
                                        new V1Container().name("app").image(image),
                                        new V1Container().name("sidecar").image("envoy:1.30"))))));
  }

  static <T> T patch(Class<T> type, PatchUtils.PatchCallFunc call, String format)
      throws ApiException {
    return PatchUtils.patch(type, call, format, client);
  }

  /** client-java's GenericKubernetesApi for any kind, as the reconciler uses it. */
  static GenericKubernetesApi<DynamicKubernetesObject, DynamicKubernetesListObject> dynamic(
      String group, String version, String plural) {
    return new DynamicKubernetesApi(group, version, plural, client);
  }

  /** The raw managedFields of a deployment: manager -> operation -> fieldsV1 JSON text. */
  static List<String> managedFields(String namespace, String name) {
    JsonObject raw = dynamic("apps", "v1", "deployments").get(namespace, name).getObject().getRaw();
    JsonArray entries = raw.getAsJsonObject("metadata").getAsJsonArray("managedFields");
    List<String> result = new ArrayList<>();
    for (JsonElement entry : entries) {
      JsonObject e = entry.getAsJsonObject();
      result.add(
          e.get("manager").getAsString()
              + " "
              + e.get("operation").getAsString()
              + " "
              + e.get("fieldsV1").toString());
    }
    return result;
  }

  static void assertApiError(ThrowingCall call, int code, String reason, String messagePart) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(code);
              assertThat(e.getResponseBody())
                  .contains("\"kind\":\"Status\"")
                  .contains("\"status\":\"Failure\"")
                  .contains("\"reason\":\"" + reason + "\"")
                  .contains("\"code\":" + code)
                  .contains(messagePart);
            });
  }

  interface ThrowingCall {
    void run() throws Exception;
  }

  @Test
  void configMapsAreCreatedReadUpdatedListedAndDeleted() throws Exception {
    String ns = freshNamespace();
    V1ConfigMap created =
        core.createNamespacedConfigMap(ns, configMap("settings", Map.of("app", "shop"))).execute();
    assertThat(created.getMetadata().getUid()).isNotBlank();
    assertThat(created.getMetadata().getCreationTimestamp()).isNotNull();
    assertThat(created.getMetadata().getNamespace()).isEqualTo(ns);

    V1ConfigMap read = core.readNamespacedConfigMap("settings", ns).execute();
    assertThat(read.getData()).containsEntry("key", "settings");
    assertThat(read.getMetadata().getResourceVersion())
        .isEqualTo(created.getMetadata().getResourceVersion());

    read.setData(Map.of("key", "changed"));
    V1ConfigMap updated = core.replaceNamespacedConfigMap("settings", ns, read).execute();
    assertThat(Long.parseLong(updated.getMetadata().getResourceVersion()))
        .isGreaterThan(Long.parseLong(created.getMetadata().getResourceVersion()));
    assertThat(updated.getMetadata().getUid()).isEqualTo(created.getMetadata().getUid());

    assertThat(core.listNamespacedConfigMap(ns).execute().getItems())
        .extracting(c -> c.getData().get("key"))
        .containsExactly("changed");

    V1Status deleted = core.deleteNamespacedConfigMap("settings", ns).execute();
    assertThat(deleted.getStatus()).isEqualTo("Success");
    assertApiError(
        () -> core.readNamespacedConfigMap("settings", ns).execute(),
        404,
        "NotFound",
        "configmaps \\\"settings\\\" not found");
  }

  @Test
  void deploymentGenerationMovesOnSpecChangesOnly() throws Exception {
    String ns = freshNamespace();
    V1Deployment created =
        apps.createNamespacedDeployment(ns, deployment("web", 2, "shop:1")).execute();
    assertThat(created.getMetadata().getGeneration()).isEqualTo(1);

    created.getMetadata().getLabels().put("tier", "front");
    V1Deployment relabelled = apps.replaceNamespacedDeployment("web", ns, created).execute();
    assertThat(relabelled.getMetadata().getGeneration()).isEqualTo(1);

    relabelled.getSpec().setReplicas(4);
    V1Deployment scaled = apps.replaceNamespacedDeployment("web", ns, relabelled).execute();
    assertThat(scaled.getMetadata().getGeneration()).isEqualTo(2);
    assertThat(scaled.getSpec().getReplicas()).isEqualTo(4);
  }

  @Test
  void staleResourceVersionIsAConflict() throws Exception {
    String ns = freshNamespace();
    V1ConfigMap first =
        core.createNamespacedConfigMap(ns, configMap("settings", Map.of())).execute();
    V1ConfigMap stale = core.readNamespacedConfigMap("settings", ns).execute();
    first.setData(Map.of("key", "one"));
    core.replaceNamespacedConfigMap("settings", ns, first).execute();

    stale.setData(Map.of("key", "two"));
    assertApiError(
        () -> core.replaceNamespacedConfigMap("settings", ns, stale).execute(),
        409,
        "Conflict",
        "the object has been modified; please apply your changes to the latest version and try"
            + " again");
    assertThat(core.readNamespacedConfigMap("settings", ns).execute().getData())
        .containsEntry("key", "one");
  }

  @Test
  void duplicatesBadNamesAndMissingNamespacesAreRefusedLikeARealServer() throws Exception {
    String ns = freshNamespace();
    core.createNamespacedConfigMap(ns, configMap("settings", Map.of())).execute();
    assertApiError(
        () -> core.createNamespacedConfigMap(ns, configMap("settings", Map.of())).execute(),
        409,
        "AlreadyExists",
        "configmaps \\\"settings\\\" already exists");
    assertApiError(
        () -> core.createNamespacedConfigMap(ns, configMap("Bad_Name", Map.of())).execute(),
        422,
        "Invalid",
        "metadata.name: Invalid value: \\\"Bad_Name\\\"");
    assertApiError(
        () -> core.createNamespacedConfigMap("nowhere", configMap("settings", Map.of())).execute(),
        404,
        "NotFound",
        "namespaces \\\"nowhere\\\" not found");
  }

  @Test
  void labelAndFieldSelectorsFilterLists() throws Exception {
    String ns = freshNamespace();
    core.createNamespacedConfigMap(ns, configMap("a", Map.of("tier", "web", "env", "prod")))
        .execute();
    core.createNamespacedConfigMap(ns, configMap("b", Map.of("tier", "db", "env", "prod")))
        .execute();
    core.createNamespacedConfigMap(ns, configMap("c", Map.of("tier", "cache"))).execute();

    record Case(String selector, List<String> names) {}
    for (Case c :
        List.of(
            new Case("tier=web", List.of("a")),
            new Case("tier==db", List.of("b")),
            new Case("tier!=web", List.of("b", "c")),
            new Case("tier in (web,cache)", List.of("a", "c")),
            new Case("tier notin (web,cache)", List.of("b")),
            new Case("env", List.of("a", "b")),
            new Case("!env", List.of("c")),
            new Case("env=prod,tier!=db", List.of("a")))) {
      assertThat(core.listNamespacedConfigMap(ns).labelSelector(c.selector()).execute().getItems())
          .as(c.selector())
          .extracting(m -> m.getMetadata().getName())
          .containsExactlyElementsOf(c.names());
    }
    assertThat(
            core.listNamespacedConfigMap(ns).fieldSelector("metadata.name=b").execute().getItems())
        .extracting(m -> m.getMetadata().getName())
        .containsExactly("b");
    assertThat(
            core.listConfigMapForAllNamespaces()
                .fieldSelector("metadata.namespace=" + ns + ",metadata.name!=a")
                .execute()
                .getItems())
        .extracting(m -> m.getMetadata().getName())
        .containsExactly("b", "c");
    assertThat(core.listConfigMapForAllNamespaces().labelSelector("tier").execute().getItems())
        .extracting(m -> m.getMetadata().getNamespace())
        .containsOnly(ns);
    assertApiError(
        () -> core.listNamespacedConfigMap(ns).fieldSelector("spec.replicas=1").execute(),
        400,
        "BadRequest",
        "field label not supported: spec.replicas");
  }

  @Test
  void listsArePagedWithLimitAndContinue() throws Exception {
    String ns = freshNamespace();
    for (String name : List.of("a", "b", "c", "d", "e")) {
      core.createNamespacedConfigMap(ns, configMap(name, Map.of())).execute();
    }
    var first = core.listNamespacedConfigMap(ns).limit(2).execute();
    assertThat(first.getItems())
        .extracting(m -> m.getMetadata().getName())
        .containsExactly("a", "b");
    assertThat(first.getMetadata().getRemainingItemCount()).isEqualTo(3);
    var second =
        core.listNamespacedConfigMap(ns)
            .limit(2)
            ._continue(first.getMetadata().getContinue())
            .execute();
    assertThat(second.getItems())
        .extracting(m -> m.getMetadata().getName())
        .containsExactly("c", "d");
    var last =
        core.listNamespacedConfigMap(ns)
            .limit(2)
            ._continue(second.getMetadata().getContinue())
            .execute();
    assertThat(last.getItems()).extracting(m -> m.getMetadata().getName()).containsExactly("e");
    assertThat(last.getMetadata().getContinue()).isNull();
  }

  private static Watch<V1ConfigMap> watchConfigMaps(
      String ns, String resourceVersion, Integer timeoutSeconds, boolean bookmarks)
      throws ApiException {
    return Watch.createWatch(
        client,
        core.listNamespacedConfigMap(ns)
            .watch(true)
            .resourceVersion(resourceVersion)
            .timeoutSeconds(timeoutSeconds)
            .allowWatchBookmarks(bookmarks)
            .buildCall(null),
        new TypeToken<Watch.Response<V1ConfigMap>>() {}.getType());
  }

  private static String describe(Watch.Response<V1ConfigMap> event) {
    return event.type + " " + event.object.getMetadata().getName();
  }

  @Test
  void watchStreamsChangesAndResumesFromAResourceVersion() throws Exception {
    String ns = freshNamespace();
    String start = core.listNamespacedConfigMap(ns).execute().getMetadata().getResourceVersion();
    core.createNamespacedConfigMap(ns, configMap("a", Map.of())).execute();
    V1ConfigMap b = core.createNamespacedConfigMap(ns, configMap("b", Map.of())).execute();
    V1ConfigMap a = core.readNamespacedConfigMap("a", ns).execute();
    a.setData(Map.of("key", "v2"));
    core.replaceNamespacedConfigMap("a", ns, a).execute();
    core.deleteNamespacedConfigMap("b", ns).execute();

    try (Watch<V1ConfigMap> watch = watchConfigMaps(ns, start, null, false)) {
      List<String> seen = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        seen.add(describe(watch.next()));
      }
      assertThat(seen).containsExactly("ADDED a", "ADDED b", "MODIFIED a", "DELETED b");
    }
    try (Watch<V1ConfigMap> resumed =
        watchConfigMaps(ns, b.getMetadata().getResourceVersion(), null, false)) {
      Watch.Response<V1ConfigMap> modified = resumed.next();
      assertThat(describe(modified)).isEqualTo("MODIFIED a");
      assertThat(modified.object.getData()).containsEntry("key", "v2");
      core.createNamespacedConfigMap(ns, configMap("live", Map.of())).execute();
      assertThat(describe(resumed.next())).isEqualTo("DELETED b");
      assertThat(describe(resumed.next())).isEqualTo("ADDED live");
    }
  }

  @Test
  void watchWithoutResourceVersionStartsWithTheCurrentObjects() throws Exception {
    String ns = freshNamespace();
    core.createNamespacedConfigMap(ns, configMap("existing", Map.of("app", "x"))).execute();
    core.createNamespacedConfigMap(ns, configMap("other", Map.of("app", "y"))).execute();
    try (Watch<V1ConfigMap> watch =
        Watch.createWatch(
            client,
            core.listNamespacedConfigMap(ns).watch(true).labelSelector("app=x").buildCall(null),
            new TypeToken<Watch.Response<V1ConfigMap>>() {}.getType())) {
      assertThat(describe(watch.next())).isEqualTo("ADDED existing");
      V1ConfigMap other = core.readNamespacedConfigMap("other", ns).execute();
      other.getMetadata().setLabels(Map.of("app", "x"));
      core.replaceNamespacedConfigMap("other", ns, other).execute();
      assertThat(describe(watch.next()))
          .as("an object that starts matching arrives as ADDED")
          .isEqualTo("ADDED other");
    }
  }

  @Test
  void watchFromAResourceVersionOutsideTheEventWindowGetsGone(@TempDir Path own) throws Exception {
    try (SandboxFixture small =
        new SandboxFixture(own, SandboxOptions.builder().ephemeral().eventWindow(3))) {
      ApiClient smallClient = small.client();
      CoreV1Api smallCore = new CoreV1Api(smallClient);
      small.namespace("shop");
      String old =
          smallCore.listNamespacedConfigMap("shop").execute().getMetadata().getResourceVersion();
      for (String name : List.of("a", "b", "c", "d", "e")) {
        smallCore.createNamespacedConfigMap("shop", configMap(name, Map.of())).execute();
      }
      try (Watch<V1ConfigMap> watch =
          Watch.createWatch(
              smallClient,
              smallCore
                  .listNamespacedConfigMap("shop")
                  .watch(true)
                  .resourceVersion(old)
                  .buildCall(null),
              new TypeToken<Watch.Response<V1ConfigMap>>() {}.getType())) {
        Watch.Response<V1ConfigMap> error = watch.next();
        assertThat(error.type).isEqualTo("ERROR");
        assertThat(error.status.getCode()).isEqualTo(410);
        assertThat(error.status.getReason()).isEqualTo("Expired");
        assertThat(error.status.getMessage()).startsWith("too old resource version: " + old);
        assertThat(watch.hasNext()).isFalse();
      }
    }
  }

  @Test
  void watchEndsAfterTimeoutSecondsOnTheEngineClockAndSendsBookmarks() throws Exception {
    String ns = freshNamespace();
    String start = core.listNamespacedConfigMap(ns).execute().getMetadata().getResourceVersion();
    try (Watch<V1ConfigMap> watch = watchConfigMaps(ns, start, 300, true)) {
      core.createNamespacedConfigMap(ns, configMap("a", Map.of())).execute();
      assertThat(describe(watch.next())).isEqualTo("ADDED a");
      sandbox.clock.advance(Duration.ofSeconds(60));
      Watch.Response<V1ConfigMap> bookmark = watch.next();
      assertThat(bookmark.type).isEqualTo("BOOKMARK");
      assertThat(Long.parseLong(bookmark.object.getMetadata().getResourceVersion()))
          .isGreaterThan(Long.parseLong(start));
      sandbox.clock.advance(Duration.ofSeconds(240));
      List<String> rest = new ArrayList<>();
      while (watch.hasNext()) {
        rest.add(watch.next().type);
      }
      assertThat(rest)
          .as("after timeoutSeconds the stream ends; bookmarks may come first")
          .containsOnly("BOOKMARK");
    }
  }

  @Test
  void everyPatchTypeChangesTheDeployment() throws Exception {
    String ns = freshNamespace();
    apps.createNamespacedDeployment(ns, deployment("web", 2, "shop:1")).execute();

    V1Deployment merged =
        patch(
            V1Deployment.class,
            () ->
                apps.patchNamespacedDeployment(
                        "web", ns, new V1Patch("{\"metadata\":{\"labels\":{\"tier\":\"front\"}}}"))
                    .buildCall(null),
            V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH);
    assertThat(merged.getMetadata().getLabels())
        .containsEntry("tier", "front")
        .containsEntry("app", "web");

    V1Deployment jsonPatched =
        patch(
            V1Deployment.class,
            () ->
                apps.patchNamespacedDeployment(
                        "web",
                        ns,
                        new V1Patch(
                            "[{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":3}]"))
                    .buildCall(null),
            V1Patch.PATCH_FORMAT_JSON_PATCH);
    assertThat(jsonPatched.getSpec().getReplicas()).isEqualTo(3);

    V1Deployment strategic =
        patch(
            V1Deployment.class,
            () ->
                apps.patchNamespacedDeployment(
                        "web",
                        ns,
                        new V1Patch(
                            "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"app\","
                                + "\"image\":\"shop:2\"}]}}}}"))
                    .buildCall(null),
            V1Patch.PATCH_FORMAT_STRATEGIC_MERGE_PATCH);
    assertThat(strategic.getSpec().getTemplate().getSpec().getContainers())
        .as("a strategic merge patch merges containers by name")
        .extracting(c -> c.getName() + "=" + c.getImage())
        .containsExactly("app=shop:2", "sidecar=envoy:1.30");

    V1Deployment sidecarRemoved =
        patch(
            V1Deployment.class,
            () ->
                apps.patchNamespacedDeployment(
                        "web",
                        ns,
                        new V1Patch(
                            "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"sidecar\","
                                + "\"$patch\":\"delete\"}]}}}}"))
                    .buildCall(null),
            V1Patch.PATCH_FORMAT_STRATEGIC_MERGE_PATCH);
    assertThat(sidecarRemoved.getSpec().getTemplate().getSpec().getContainers())
        .extracting(V1Container::getName)
        .containsExactly("app");

    V1Deployment applied =
        patch(
            V1Deployment.class,
            () ->
                apps.patchNamespacedDeployment(
                        "web",
                        ns,
                        new V1Patch(
                            """
                            apiVersion: apps/v1
                            kind: Deployment
                            metadata: {name: web}
                            spec:
                              replicas: 5
                            """))
                    .fieldManager("weir")
                    .force(true)
                    .buildCall(null),
            V1Patch.PATCH_FORMAT_APPLY_YAML);
    assertThat(applied.getSpec().getReplicas()).isEqualTo(5);
    assertThat(applied.getSpec().getTemplate().getSpec().getContainers())
        .extracting(V1Container::getImage)
        .containsExactly("shop:2");
  }

  @Test
  void failedJsonPatchTestIsUnprocessable() throws Exception {
    String ns = freshNamespace();
    apps.createNamespacedDeployment(ns, deployment("web", 2, "shop:1")).execute();
    assertApiError(
        () ->
            patch(
                V1Deployment.class,
                () ->
                    apps.patchNamespacedDeployment(
                            "web",
                            ns,
                            new V1Patch(
                                "[{\"op\":\"test\",\"path\":\"/spec/replicas\",\"value\":7}]"))
                        .buildCall(null),
                V1Patch.PATCH_FORMAT_JSON_PATCH),
        422,
        "Invalid",
        "test failed");
  }

  /**
   * The reported JSON-patch bomb: {@code add /b [1]}, then {@code copy /b -> /b/-} {@code copies}
   * times. Under 1 KB; each copy doubles {@code /b}, so 22 copies would make gigabytes.
   */
  static String patchBomb(int copies) {
    StringBuilder patch = new StringBuilder("[{\"op\":\"add\",\"path\":\"/b\",\"value\":[1]}");
    for (int i = 0; i < copies; i++) {
      patch.append(",{\"op\":\"copy\",\"from\":\"/b\",\"path\":\"/b/-\"}");
    }
    return patch.append(']').toString();
  }

  /** {@code operations} JSON-patch tests that all hold on a ConfigMap named {@code name}. */
  static String manyTests(int operations, String name) {
    StringBuilder patch = new StringBuilder("[");
    for (int i = 0; i < operations; i++) {
      patch.append(i == 0 ? "" : ",");
      patch.append("{\"op\":\"test\",\"path\":\"/metadata/name\",\"value\":\"" + name + "\"}");
    }
    return patch.append(']').toString();
  }

  private static V1ConfigMap patchConfigMap(String ns, String name, String patch, String format)
      throws ApiException {
    return patch(
        V1ConfigMap.class,
        () ->
            core.patchNamespacedConfigMap(name, ns, new V1Patch(patch))
                .fieldManager("test")
                .force(format.equals(V1Patch.PATCH_FORMAT_APPLY_YAML) ? true : null)
                .buildCall(null),
        format);
  }

  @Test
  void aJsonPatchBombIsRefusedAfterAFewMegabytesAndTheServerAnswersRightAfter() throws Exception {
    String ns = freshNamespace();
    core.createNamespacedConfigMap(ns, configMap("bomb", Map.of())).execute();
    String before =
        core.readNamespacedConfigMap("bomb", ns).execute().getMetadata().getResourceVersion();
    String bomb = patchBomb(22);
    assertThat(bomb.length()).isLessThan(1024);

    long started = System.nanoTime();
    assertApiError(
        () -> patchConfigMap(ns, "bomb", bomb, V1Patch.PATCH_FORMAT_JSON_PATCH),
        422,
        "Invalid",
        "Unable to complete the copy, the accumulated size increase of copy is more than 3145728,"
            + " exceeding the limit 3145728");
    // 79 s and 1.35 GB before the limit; a generous bound, for a shared machine
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));

    V1ConfigMap unchanged = core.readNamespacedConfigMap("bomb", ns).execute();
    assertThat(unchanged.getMetadata().getResourceVersion()).isEqualTo(before);
    V1ConfigMap patched =
        patchConfigMap(
            ns,
            "bomb",
            "[{\"op\":\"add\",\"path\":\"/data/after\",\"value\":\"fine\"}]",
            V1Patch.PATCH_FORMAT_JSON_PATCH);
    assertThat(patched.getData()).containsEntry("after", "fine");
    assertThat(
            patchConfigMap(
                    ns,
                    "bomb",
                    "[{\"op\":\"copy\",\"from\":\"/data/key\",\"path\":\"/data/copied\"}]",
                    V1Patch.PATCH_FORMAT_JSON_PATCH)
                .getData())
        .as("copies within the budget still work")
        .containsEntry("copied", "bomb");
  }

  @Test
  void aJsonPatchOfMoreThanTenThousandOperationsIsTooLarge() throws Exception {
    String ns = freshNamespace();
    core.createNamespacedConfigMap(ns, configMap("many", Map.of())).execute();

    assertApiError(
        () ->
            patchConfigMap(ns, "many", manyTests(10_001, "many"), V1Patch.PATCH_FORMAT_JSON_PATCH),
        413,
        "RequestEntityTooLarge",
        "Request entity too large: The allowed maximum operations in a JSON patch is 10000, got"
            + " 10001");
    assertThat(
            patchConfigMap(ns, "many", manyTests(10_000, "many"), V1Patch.PATCH_FORMAT_JSON_PATCH)
                .getMetadata()
                .getName())
        .isEqualTo("many");
  }

  @Test
  void noPatchOfAnyTypeMayGrowAnObjectPastThreeMebibytes() throws Exception {
    String ns = freshNamespace();
    core.createNamespacedConfigMap(ns, configMap("big", Map.of())).execute();
    String before =
        core.readNamespacedConfigMap("big", ns).execute().getMetadata().getResourceVersion();
    String large = "x".repeat(3 * 1024 * 1024);
    String tooLarge = "configmaps \\\"big\\\" would be "; // as escaped in the Status JSON

    assertApiError(
        () ->
            patchConfigMap(
                ns,
                "big",
                "{\"data\":{\"large\":\"" + large + "\"}}",
                V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH),
        413,
        "RequestEntityTooLarge",
        "Request entity too large: limit is 3145728 (" + tooLarge);
    assertApiError(
        () ->
            patchConfigMap(
                ns,
                "big",
                "{\"data\":{\"large\":\"" + large + "\"}}",
                V1Patch.PATCH_FORMAT_STRATEGIC_MERGE_PATCH),
        413,
        "RequestEntityTooLarge",
        tooLarge);
    // server-side apply: near the limit already, then a small apply tips it over (a small one, as
    // SnakeYAML reads a YAML body at some µs per character)
    core.createNamespacedConfigMap(
            ns,
            new V1ConfigMap()
                .metadata(new V1ObjectMeta().name("applied"))
                .data(Map.of("base", "x".repeat(3 * 1024 * 1024 - 100 * 1024))))
        .execute();
    assertApiError(
        () ->
            patchConfigMap(
                ns,
                "applied",
                "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: applied}\ndata: {more: "
                    + "x".repeat(200 * 1024)
                    + "}\n",
                V1Patch.PATCH_FORMAT_APPLY_YAML),
        413,
        "RequestEntityTooLarge",
        "configmaps \\\"applied\\\" would be ");
    assertThat(core.readNamespacedConfigMap("applied", ns).execute().getData())
        .containsOnlyKeys("base");
    assertApiError(
        () ->
            patchConfigMap(
                ns,
                "big",
                "[{\"op\":\"add\",\"path\":\"/data/large\",\"value\":\"" + large + "\"}]",
                V1Patch.PATCH_FORMAT_JSON_PATCH),
        413,
        "RequestEntityTooLarge",
        tooLarge);
    assertApiError(
        () ->
            core.createNamespacedConfigMap(
                    ns,
                    new V1ConfigMap()
                        .metadata(new V1ObjectMeta().name("created-big"))
                        .data(Map.of("large", large)))
                .execute(),
        413,
        "RequestEntityTooLarge",
        "configmaps \\\"created-big\\\" would be ");

    assertThat(core.readNamespacedConfigMap("big", ns).execute().getMetadata().getResourceVersion())
        .isEqualTo(before);
    assertThat(
            patchConfigMap(
                    ns,
                    "big",
                    "{\"data\":{\"large\":\"" + "x".repeat(1024 * 1024) + "\"}}",
                    V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH)
                .getData()
                .get("large"))
        .as("a large object within the limit is kept")
        .hasSize(1024 * 1024);
  }

  private static final String APPLY_THREE_REPLICAS =
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: api
      spec:
        replicas: 3
        selector: {matchLabels: {app: api}}
        template:
          metadata: {labels: {app: api}}
          spec:
            containers:
            - name: app
              image: api:1
      """;

  private static V1Deployment apply(String ns, String manager, String yaml, boolean force)
      throws ApiException {
    return patch(
        V1Deployment.class,
        () ->
            apps.patchNamespacedDeployment("api", ns, new V1Patch(yaml))
                .fieldManager(manager)
                .force(force)
                .buildCall(null),
        V1Patch.PATCH_FORMAT_APPLY_YAML);
  }

  @Test
  void serverSideApplyConflictNamesTheOtherManagerAndForceMovesOwnership() throws Exception {
    String ns = freshNamespace();
    V1Deployment created = apply(ns, "weir", APPLY_THREE_REPLICAS, false);
    assertThat(created.getSpec().getReplicas()).isEqualTo(3);
    assertThat(managedFields(ns, "api"))
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .startsWith("weir Apply ")
        .contains("\"f:replicas\":{}")
        .contains("\"k:{\\\"name\\\":\\\"app\\\"}\":{\".\":{},\"f:image\":{},\"f:name\":{}}");

    String otherReplicas =
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: api}
        spec: {replicas: 7}
        """;
    assertApiError(
        () -> apply(ns, "autoscaler", otherReplicas, false),
        409,
        "Conflict",
        "Apply failed with 1 conflict: conflict with \\\"weir\\\": .spec.replicas");
    assertThat(apps.readNamespacedDeployment("api", ns).execute().getSpec().getReplicas())
        .isEqualTo(3);

    V1Deployment forced = apply(ns, "autoscaler", otherReplicas, true);
    assertThat(forced.getSpec().getReplicas()).isEqualTo(7);
    List<String> owners = managedFields(ns, "api");
    assertThat(owners)
        .anySatisfy(
            e -> assertThat(e).startsWith("autoscaler Apply ").contains("\"f:replicas\":{}"));
    assertThat(owners)
        .anySatisfy(e -> assertThat(e).startsWith("weir Apply ").doesNotContain("f:replicas"));

    assertApiError(
        () -> apply(ns, "weir", APPLY_THREE_REPLICAS, false),
        409,
        "Conflict",
        "conflict with \\\"autoscaler\\\": .spec.replicas");
  }

  @Test
  void applyingTheSameValueSharesOwnershipWithoutConflict() throws Exception {
    String ns = freshNamespace();
    apply(ns, "weir", APPLY_THREE_REPLICAS, false);
    String before =
        apps.readNamespacedDeployment("api", ns).execute().getMetadata().getResourceVersion();
    apply(ns, "weir", APPLY_THREE_REPLICAS, false);
    assertThat(
            apps.readNamespacedDeployment("api", ns).execute().getMetadata().getResourceVersion())
        .as("re-applying the same configuration writes nothing")
        .isEqualTo(before);
    apply(
        ns,
        "second",
        APPLY_THREE_REPLICAS.replace("image: api:1", "image: api:1\n        ports: []"),
        false);
    assertThat(managedFields(ns, "api"))
        .anySatisfy(e -> assertThat(e).startsWith("second Apply ").contains("f:replicas"))
        .anySatisfy(e -> assertThat(e).startsWith("weir Apply ").contains("f:replicas"));
  }

  @Test
  void fieldsDroppedFromTheAppliedConfigurationAreRemoved() throws Exception {
    String ns = freshNamespace();
    apply(
        ns,
        "weir",
        APPLY_THREE_REPLICAS.replace(
            "image: api:1", "image: api:1\n      - name: debug\n        image: busybox"),
        false);
    assertThat(
            apps.readNamespacedDeployment("api", ns)
                .execute()
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers())
        .extracting(V1Container::getName)
        .containsExactly("app", "debug");
    apply(ns, "weir", APPLY_THREE_REPLICAS, false);
    assertThat(
            apps.readNamespacedDeployment("api", ns)
                .execute()
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers())
        .extracting(V1Container::getName)
        .containsExactly("app");
  }

  @Test
  void updatesAndPatchesRecordTheirManagerAsUpdate() throws Exception {
    String ns = freshNamespace();
    apply(ns, "weir", APPLY_THREE_REPLICAS, false);
    patch(
        V1Deployment.class,
        () ->
            apps.patchNamespacedDeployment("api", ns, new V1Patch("{\"spec\":{\"replicas\":6}}"))
                .fieldManager("kubectl-edit")
                .buildCall(null),
        V1Patch.PATCH_FORMAT_STRATEGIC_MERGE_PATCH);
    List<String> owners = managedFields(ns, "api");
    assertThat(owners)
        .anySatisfy(
            e -> assertThat(e).isEqualTo("kubectl-edit Update {\"f:spec\":{\"f:replicas\":{}}}"))
        .anySatisfy(e -> assertThat(e).startsWith("weir Apply ").doesNotContain("f:replicas"));

    V1Deployment current = apps.readNamespacedDeployment("api", ns).execute();
    current.getMetadata().setLabels(Map.of("team", "payments"));
    apps.replaceNamespacedDeployment("api", ns, current).execute();
    assertThat(managedFields(ns, "api"))
        .as("without fieldManager the manager is the User-Agent's first token")
        .anySatisfy(
            e ->
                assertThat(e)
                    .startsWith("Kubernetes Java Client Update ")
                    .contains("\"f:labels\":{\"f:team\":{}}"));

    assertApiError(
        () -> apply(ns, "weir", APPLY_THREE_REPLICAS, false),
        409,
        "Conflict",
        "conflict with \\\"kubectl-edit\\\" using apps/v1: .spec.replicas");
  }

  @Test
  void dryRunReturnsTheWouldBeObjectAndStoresNothing() throws Exception {
    String ns = freshNamespace();
    V1ConfigMap wouldBe =
        core.createNamespacedConfigMap(ns, configMap("ghost", Map.of())).dryRun("All").execute();
    assertThat(wouldBe.getMetadata().getName()).isEqualTo("ghost");
    assertThat(wouldBe.getMetadata().getUid()).isNotBlank();
    assertApiError(
        () -> core.readNamespacedConfigMap("ghost", ns).execute(), 404, "NotFound", "ghost");

    apps.createNamespacedDeployment(ns, deployment("web", 2, "shop:1")).execute();
    String rv =
        apps.readNamespacedDeployment("web", ns).execute().getMetadata().getResourceVersion();
    V1Deployment preview =
        patch(
            V1Deployment.class,
            () ->
                apps.patchNamespacedDeployment(
                        "web", ns, new V1Patch("{\"spec\":{\"replicas\":9}}"))
                    .dryRun("All")
                    .buildCall(null),
            V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH);
    assertThat(preview.getSpec().getReplicas()).isEqualTo(9);
    V1Deployment applyPreview =
        patch(
            V1Deployment.class,
            () ->
                apps.patchNamespacedDeployment(
                        "web",
                        ns,
                        new V1Patch(
                            "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\","
                                + "\"metadata\":{\"name\":\"web\"},\"spec\":{\"replicas\":8}}"))
                    .fieldManager("weir")
                    .force(true)
                    .dryRun("All")
                    .buildCall(null),
            V1Patch.PATCH_FORMAT_APPLY_YAML);
    assertThat(applyPreview.getSpec().getReplicas()).isEqualTo(8);
    apps.deleteNamespacedDeployment("web", ns).dryRun("All").execute();

    V1Deployment stored = apps.readNamespacedDeployment("web", ns).execute();
    assertThat(stored.getSpec().getReplicas()).isEqualTo(2);
    assertThat(stored.getMetadata().getResourceVersion()).isEqualTo(rv);
  }

  @Test
  void requestsWithoutAValidTokenAreUnauthorized(@TempDir Path own) throws Exception {
    String kubeconfig = java.nio.file.Files.readString(sandbox.kubeconfig);
    Path wrong = own.resolve("wrong-kubeconfig");
    java.nio.file.Files.writeString(
        wrong, kubeconfig.replace(sandbox.server.adminToken(), "not-a-token"));
    CoreV1Api stranger = new CoreV1Api(SandboxFixture.client(wrong));
    assertApiError(() -> stranger.listNamespace().execute(), 401, "Unauthorized", "Unauthorized");

    Path none = own.resolve("anonymous-kubeconfig");
    java.nio.file.Files.writeString(
        none, kubeconfig.replaceAll("(?m)^    token: .*$", "    username: \"\""));
    CoreV1Api anonymous = new CoreV1Api(SandboxFixture.client(none));
    assertApiError(() -> anonymous.listNamespace().execute(), 401, "Unauthorized", "Unauthorized");
  }

  @Test
  void theReadOnlyTokenReadsButCannotWrite() throws Exception {
    String ns = freshNamespace();
    apps.createNamespacedDeployment(ns, deployment("web", 2, "shop:1")).execute();
    ApiClient viewerClient = sandbox.viewer();
    AppsV1Api viewer = new AppsV1Api(viewerClient);
    assertThat(viewer.readNamespacedDeployment("web", ns).execute().getSpec().getReplicas())
        .isEqualTo(2);
    assertThat(viewer.listNamespacedDeployment(ns).execute().getItems()).hasSize(1);

    assertApiError(
        () ->
            PatchUtils.patch(
                V1Deployment.class,
                () ->
                    viewer
                        .patchNamespacedDeployment(
                            "web", ns, new V1Patch("{\"spec\":{\"replicas\":1}}"))
                        .buildCall(null),
                V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH,
                viewerClient),
        403,
        "Forbidden",
        "deployments.apps \\\"web\\\" is forbidden: User \\\"viewer\\\" cannot patch resource"
            + " \\\"deployments\\\" in API group \\\"apps\\\" in the namespace \\\""
            + ns
            + "\\\"");
    assertApiError(
        () -> viewer.createNamespacedDeployment(ns, deployment("other", 1, "x:1")).execute(),
        403,
        "Forbidden",
        "deployments.apps is forbidden: User \\\"viewer\\\" cannot create resource"
            + " \\\"deployments\\\"");
    assertApiError(
        () -> new CoreV1Api(viewerClient).deleteNamespace(ns).execute(),
        403,
        "Forbidden",
        "cannot delete resource \\\"namespaces\\\" in API group \\\"\\\" at the cluster scope");
  }

  @Test
  void statusSubresourceChangesOnlyStatusAndMainWritesKeepIt() throws Exception {
    String ns = freshNamespace();
    V1Deployment created =
        apps.createNamespacedDeployment(ns, deployment("web", 2, "shop:1")).execute();
    created.setStatus(new V1DeploymentStatus().replicas(2).readyReplicas(2).observedGeneration(1L));
    created.getSpec().setReplicas(9);
    V1Deployment withStatus = apps.replaceNamespacedDeploymentStatus("web", ns, created).execute();
    assertThat(withStatus.getStatus().getReadyReplicas()).isEqualTo(2);
    assertThat(withStatus.getSpec().getReplicas()).as("a status write ignores spec").isEqualTo(2);
    assertThat(withStatus.getMetadata().getGeneration()).isEqualTo(1);

    withStatus.setStatus(new V1DeploymentStatus().replicas(0));
    withStatus.getSpec().setReplicas(4);
    V1Deployment mainWrite = apps.replaceNamespacedDeployment("web", ns, withStatus).execute();
    assertThat(mainWrite.getSpec().getReplicas()).isEqualTo(4);
    assertThat(mainWrite.getStatus().getReadyReplicas())
        .as("a main-resource write keeps status")
        .isEqualTo(2);
  }

  @Test
  void deletingAnOwnerDeletesItsDependentsAndFinalizersHoldDeletion() throws Exception {
    String ns = freshNamespace();
    V1Deployment owner =
        apps.createNamespacedDeployment(ns, deployment("web", 1, "shop:1")).execute();
    V1ReplicaSet replicaSet =
        new V1ReplicaSet()
            .metadata(
                new V1ObjectMeta()
                    .name("web-abc")
                    .ownerReferences(
                        List.of(
                            new V1OwnerReference()
                                .apiVersion("apps/v1")
                                .kind("Deployment")
                                .name("web")
                                .uid(owner.getMetadata().getUid()))))
            .spec(
                new V1ReplicaSetSpec()
                    .selector(new V1LabelSelector().matchLabels(Map.of("app", "web"))));
    apps.createNamespacedReplicaSet(ns, replicaSet).execute();
    apps.deleteNamespacedDeployment("web", ns).execute();
    assertThat(apps.listNamespacedReplicaSet(ns).execute().getItems()).isEmpty();

    V1ConfigMap held = configMap("held", Map.of());
    held.getMetadata().setFinalizers(List.of("weir.dev/keep"));
    core.createNamespacedConfigMap(ns, held).execute();
    core.deleteNamespacedConfigMap("held", ns).execute();
    V1ConfigMap terminating = core.readNamespacedConfigMap("held", ns).execute();
    assertThat(terminating.getMetadata().getDeletionTimestamp()).isNotNull();
    terminating.getMetadata().setFinalizers(List.of());
    core.replaceNamespacedConfigMap("held", ns, terminating).execute();
    assertApiError(
        () -> core.readNamespacedConfigMap("held", ns).execute(), 404, "NotFound", "held");
  }

  @Test
  void deletingANamespaceDeletesWhatIsInIt() throws Exception {
    String ns = freshNamespace();
    core.createNamespacedConfigMap(ns, configMap("a", Map.of())).execute();
    apps.createNamespacedDeployment(ns, deployment("web", 1, "shop:1")).execute();
    core.deleteNamespace(ns).execute();
    assertThat(
            core.listConfigMapForAllNamespaces()
                .fieldSelector("metadata.namespace=" + ns)
                .execute()
                .getItems())
        .isEmpty();
    assertThat(apps.listDeploymentForAllNamespaces().execute().getItems())
        .noneMatch(d -> d.getMetadata().getNamespace().equals(ns));
  }

  @Test
  void secretsFoldStringDataIntoData() throws Exception {
    String ns = freshNamespace();
    var secret =
        new io.kubernetes.client.openapi.models.V1Secret()
            .metadata(new V1ObjectMeta().name("db"))
            .stringData(Map.of("password", "hunter2"));
    var stored = core.createNamespacedSecret(ns, secret).execute();
    assertThat(stored.getStringData()).isNullOrEmpty();
    assertThat(
            new String(stored.getData().get("password"), java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo("hunter2");
    assertThat(stored.getType()).isEqualTo("Opaque");
  }

  @Test
  void genericApiServesAnyRegisteredKind() throws Exception {
    String ns = freshNamespace();
    var routes = dynamic("gateway.networking.k8s.io", "v1", "httproutes");
    DynamicKubernetesObject route =
        Dynamics.newFromJson(
            """
            {"apiVersion":"gateway.networking.k8s.io/v1","kind":"HTTPRoute",
             "metadata":{"name":"shop","namespace":"%s"},
             "spec":{"rules":[{"backendRefs":[{"name":"stable","port":80,"weight":100},
                                             {"name":"canary","port":80,"weight":0}]}]}}
            """
                .formatted(ns));
    var created = routes.create(route);
    assertThat(created.isSuccess()).as(String.valueOf(created.getStatus())).isTrue();
    assertThat(created.getObject().getMetadata().getUid()).isNotBlank();

    var listed = routes.list(ns);
    assertThat(listed.getObject().getItems())
        .extracting(o -> o.getMetadata().getName())
        .containsExactly("shop");

    String weights =
        "{\"spec\":{\"rules\":[{\"backendRefs\":[{\"name\":\"stable\",\"port\":80,\"weight\":75},"
            + "{\"name\":\"canary\",\"port\":80,\"weight\":25}]}]}}";
    var patched =
        routes.patch(ns, "shop", V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH, new V1Patch(weights));
    assertThat(patched.isSuccess()).isTrue();
    assertThat(patched.getObject().getRaw().toString()).contains("\"weight\":25");

    PatchOptions applyOptions = new PatchOptions();
    applyOptions.setFieldManager("weir");
    applyOptions.setForce(true);
    var applied =
        routes.patch(
            ns,
            "shop",
            V1Patch.PATCH_FORMAT_APPLY_YAML,
            new V1Patch(
                "{\"apiVersion\":\"gateway.networking.k8s.io/v1\",\"kind\":\"HTTPRoute\","
                    + "\"metadata\":{\"name\":\"shop\"},"
                    + "\"spec\":{\"hostnames\":[\"shop.example\"]}}"),
            applyOptions);
    assertThat(applied.isSuccess()).isTrue();
    assertThat(applied.getObject().getRaw().toString())
        .contains("shop.example")
        .contains("\"weight\":25");

    var strategic =
        routes.patch(ns, "shop", V1Patch.PATCH_FORMAT_STRATEGIC_MERGE_PATCH, new V1Patch("{}"));
    assertThat(strategic.getHttpStatusCode())
        .as("custom kinds refuse strategic merge patches, as CRDs do")
        .isEqualTo(415);

    var watchOptions = new ListOptions();
    watchOptions.setResourceVersion(listed.getObject().getMetadata().getResourceVersion());
    try (var watch = routes.watch(ns, watchOptions)) {
      var event = watch.next();
      assertThat(event.type).isEqualTo("MODIFIED");
      assertThat(event.object.getMetadata().getName()).isEqualTo("shop");
    }

    var deleted = routes.delete(ns, "shop");
    assertThat(deleted.isSuccess()).isTrue();
    assertThat(routes.get(ns, "shop").getHttpStatusCode()).isEqualTo(404);
  }

  @Test
  void typedGenericApiDoesCrudAndReportsDeletionAsSuccess() throws Exception {
    String ns = freshNamespace();
    var deployments =
        new GenericKubernetesApi<>(
            V1Deployment.class,
            io.kubernetes.client.openapi.models.V1DeploymentList.class,
            "apps",
            "v1",
            "deployments",
            client);
    V1Deployment body = deployment("web", 2, "shop:1");
    body.getMetadata().setNamespace(ns);
    var created = deployments.create(body);
    assertThat(created.isSuccess()).as(String.valueOf(created.getStatus())).isTrue();
    assertThat(deployments.get(ns, "web").getObject().getSpec().getReplicas()).isEqualTo(2);
    assertThat(deployments.list(ns).getObject().getItems()).hasSize(1);
    var deleted = deployments.delete(ns, "web");
    assertThat(deleted.isSuccess()).isTrue();
    var missing = deployments.get(ns, "web");
    assertThat(missing.getHttpStatusCode()).isEqualTo(404);
    assertThat(missing.getStatus().getReason()).isEqualTo("NotFound");
  }

  @Test
  void dryRunInTheDeleteOptionsBodyDeletesNothing() throws Exception {
    String ns = freshNamespace();
    var deployments =
        new GenericKubernetesApi<>(
            V1Deployment.class,
            io.kubernetes.client.openapi.models.V1DeploymentList.class,
            "apps",
            "v1",
            "deployments",
            client);
    apps.createNamespacedDeployment(ns, deployment("web", 2, "shop:1")).execute();
    String rv =
        apps.readNamespacedDeployment("web", ns).execute().getMetadata().getResourceVersion();
    var options = new io.kubernetes.client.util.generic.options.DeleteOptions();
    options.setDryRun(List.of("All"));

    var dryRun = deployments.delete(ns, "web", options);

    assertThat(dryRun.isSuccess()).as(String.valueOf(dryRun.getStatus())).isTrue();
    V1Deployment stored = apps.readNamespacedDeployment("web", ns).execute();
    assertThat(stored.getMetadata().getResourceVersion()).isEqualTo(rv);
    assertThat(stored.getMetadata().getDeletionTimestamp()).isNull();

    options.setDryRun(List.of("Some"));
    var refused = deployments.delete(ns, "web", options);
    assertThat(refused.getHttpStatusCode()).isEqualTo(400);
    assertThat(refused.getStatus().getMessage()).contains("dryRun: Unsupported value: \"Some\"");
    assertThat(deployments.get(ns, "web").isSuccess()).isTrue();
  }

  @Test
  void discoveryListsGroupsAndResources() throws Exception {
    var versions = new io.kubernetes.client.openapi.apis.CoreApi(client).getAPIVersions().execute();
    assertThat(versions.getVersions()).containsExactly("v1");
    var groups = new io.kubernetes.client.openapi.apis.ApisApi(client).getAPIVersions().execute();
    assertThat(groups.getGroups())
        .extracting(g -> g.getName())
        .contains(
            "apps",
            "batch",
            "coordination.k8s.io",
            "networking.k8s.io",
            "gateway.networking.k8s.io",
            "networking.istio.io",
            "split.smi-spec.io");
    var resources = apps.getAPIResources().execute();
    assertThat(resources.getResources())
        .anySatisfy(
            r -> {
              assertThat(r.getName()).isEqualTo("deployments");
              assertThat(r.getKind()).isEqualTo("Deployment");
              assertThat(r.getNamespaced()).isTrue();
              assertThat(r.getShortNames()).containsExactly("deploy");
              assertThat(r.getVerbs())
                  .contains("create", "get", "list", "watch", "patch", "update", "delete");
            })
        .anySatisfy(r -> assertThat(r.getName()).isEqualTo("deployments/status"))
        .anySatisfy(r -> assertThat(r.getName()).isEqualTo("deployments/scale"));
    var version = new io.kubernetes.client.openapi.apis.VersionApi(client).getCode().execute();
    assertThat(version.getMajor()).isEqualTo("1");
  }
}
