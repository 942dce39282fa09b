package dev.weir.sandbox.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.reflect.TypeToken;
import com.google.protobuf.Message;
import io.kubernetes.client.ProtoClient;
import io.kubernetes.client.custom.IntOrString;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.ApiResponse;
import io.kubernetes.client.openapi.apis.ApiextensionsV1Api;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.apis.CustomObjectsApi;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1CustomResourceDefinition;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1DeploymentSpec;
import io.kubernetes.client.openapi.models.V1HTTPGetAction;
import io.kubernetes.client.openapi.models.V1LabelSelector;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1PodTemplateSpec;
import io.kubernetes.client.openapi.models.V1Probe;
import io.kubernetes.client.openapi.models.V1Scale;
import io.kubernetes.client.proto.Meta;
import io.kubernetes.client.proto.Resource;
import io.kubernetes.client.proto.Runtime;
import io.kubernetes.client.proto.V1;
import io.kubernetes.client.proto.V1Apps;
import io.kubernetes.client.util.PatchUtils;
import io.kubernetes.client.util.Watch;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * client-java 27 against the sandbox for the fidelity points of kubectl-for-real-repositories:
 * protobuf bodies, CustomResourceDefinitions, defaulting, the scale subresource's ownership and
 * pods as controllers make them. The kubectl side of each point is in {@link KubectlIT}.
 */
class FidelityClientJavaIT {
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
    String name = "fidelity-" + namespaces.incrementAndGet();
    sandbox.namespace(name);
    return name;
  }

  /**
   * Kubernetes' protobuf envelope around {@code object}, as client-java's ProtoClient writes it.
   */
  static byte[] envelope(Message object, String apiVersion, String kind) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(new byte[] {'k', '8', 's', 0});
    Runtime.Unknown.newBuilder()
        .setTypeMeta(Runtime.TypeMeta.newBuilder().setApiVersion(apiVersion).setKind(kind))
        .setRaw(object.toByteString())
        .build()
        .writeTo(out);
    return out.toByteArray();
  }

  /** POSTs a protobuf body through client-java's ApiClient, accepting JSON answers. */
  static <T> ApiResponse<T> postProtobuf(String path, byte[] body, Class<T> type)
      throws ApiException {
    Map<String, String> headers = new HashMap<>();
    headers.put("Content-Type", "application/vnd.kubernetes.protobuf");
    headers.put("Accept", "application/vnd.kubernetes.protobuf, application/json");
    return client.execute(
        client.buildCall(
            null,
            path,
            "POST",
            List.of(),
            List.of(),
            body,
            headers,
            new HashMap<>(),
            new HashMap<>(),
            new String[] {"BearerToken"},
            null),
        type);
  }

  // ---- protobuf request bodies ----

  @Test
  void aDeploymentEncodedByClientJavaProtoIsCreatedFromItsProtobufBody() throws Exception {
    String ns = freshNamespace();
    V1Apps.Deployment deployment =
        V1Apps.Deployment.newBuilder()
            .setMetadata(Meta.ObjectMeta.newBuilder().setName("proto").putLabels("app", "proto"))
            .setSpec(
                V1Apps.DeploymentSpec.newBuilder()
                    .setReplicas(2)
                    .setSelector(Meta.LabelSelector.newBuilder().putMatchLabels("app", "proto"))
                    .setTemplate(
                        V1.PodTemplateSpec.newBuilder()
                            .setMetadata(Meta.ObjectMeta.newBuilder().putLabels("app", "proto"))
                            .setSpec(
                                V1.PodSpec.newBuilder()
                                    .addContainers(
                                        V1.Container.newBuilder()
                                            .setName("app")
                                            .setImage("nginx:1.27")
                                            .addArgs("--port=8080")
                                            .addPorts(
                                                V1.ContainerPort.newBuilder()
                                                    .setName("http")
                                                    .setContainerPort(8080))
                                            .addEnv(
                                                V1.EnvVar.newBuilder()
                                                    .setName("MODE")
                                                    .setValue("fast"))
                                            .setResources(
                                                V1.ResourceRequirements.newBuilder()
                                                    .putLimits(
                                                        "memory",
                                                        Resource.Quantity.newBuilder()
                                                            .setString("128Mi")
                                                            .build()))))))
            .build();

    ApiResponse<V1Deployment> created =
        postProtobuf(
            "/apis/apps/v1/namespaces/" + ns + "/deployments",
            envelope(deployment, "apps/v1", "Deployment"),
            V1Deployment.class);

    assertThat(created.getStatusCode()).isEqualTo(201);
    V1Deployment read = apps.readNamespacedDeployment("proto", ns).execute();
    assertThat(read.getSpec().getReplicas()).isEqualTo(2);
    V1Container container = read.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(container.getImage()).isEqualTo("nginx:1.27");
    assertThat(container.getArgs()).containsExactly("--port=8080");
    assertThat(container.getPorts().get(0).getContainerPort()).isEqualTo(8080);
    assertThat(container.getPorts().get(0).getProtocol()).isEqualTo("TCP");
    assertThat(container.getEnv().get(0).getValue()).isEqualTo("fast");
    assertThat(container.getResources().getLimits().get("memory").toSuffixedString())
        .isEqualTo("128Mi");
  }

  @Test
  void aClientThatAcceptsOnlyProtobufIsRefusedWith406AndNothingIsCreated() throws Exception {
    ProtoClient proto = new ProtoClient(client);
    V1.Namespace namespace =
        V1.Namespace.newBuilder()
            .setMetadata(Meta.ObjectMeta.newBuilder().setName("proto-only"))
            .build();
    assertThatThrownBy(() -> proto.create(namespace, "/api/v1/namespaces", "v1", "Namespace"))
        .as("ProtoClient cannot read a JSON answer: the server refuses before it writes");
    assertThatThrownBy(() -> core.readNamespace("proto-only").execute())
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getCode()).isEqualTo(404));
  }

  // ---- the scale subresource's field ownership ----

  static V1Deployment apply(String ns, String yaml, boolean force) throws ApiException {
    return PatchUtils.patch(
        V1Deployment.class,
        () ->
            apps.patchNamespacedDeployment("web", ns, new V1Patch(yaml))
                .fieldManager("weir")
                .force(force)
                .buildCall(null),
        V1Patch.PATCH_FORMAT_APPLY_YAML,
        client);
  }

  static final String WEB =
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web}
      spec:
        replicas: 2
        selector: {matchLabels: {app: web}}
        template:
          metadata: {labels: {app: web}}
          spec:
            containers: [{name: app, image: web:1}]
      """;

  @Test
  void aReplicaCountSetThroughTheScaleSubresourceConflictsWithALaterApply() throws Exception {
    String ns = freshNamespace();
    apply(ns, WEB, false);
    // what an autoscaler does: a merge patch of the scale subresource under its own manager
    PatchUtils.patch(
        V1Scale.class,
        () ->
            apps.patchNamespacedDeploymentScale(
                    "web", ns, new V1Patch("{\"spec\":{\"replicas\":5}}"))
                .fieldManager("autoscaler")
                .buildCall(null),
        V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH,
        client);

    assertThatThrownBy(() -> apply(ns, WEB, false))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(409);
              assertThat(e.getResponseBody())
                  .contains(
                      "Apply failed with 1 conflict: conflict with \\\"autoscaler\\\" with"
                          + " subresource \\\"scale\\\" using apps/v1: .spec.replicas")
                  .contains("\"field\":\".spec.replicas\"");
            });
    assertThat(apps.readNamespacedDeployment("web", ns).execute().getSpec().getReplicas())
        .isEqualTo(5);
    assertThat(apply(ns, WEB, true).getSpec().getReplicas()).isEqualTo(2);
  }

  // ---- defaulting ----

  @Test
  void aTypedCreateComesBackWithTheDefaultsARealServerFillsIn() throws Exception {
    String ns = freshNamespace();
    V1Deployment created =
        apps.createNamespacedDeployment(
                ns,
                new V1Deployment()
                    .metadata(new V1ObjectMeta().name("plain"))
                    .spec(
                        new V1DeploymentSpec()
                            .selector(new V1LabelSelector().matchLabels(Map.of("app", "plain")))
                            .template(
                                new V1PodTemplateSpec()
                                    .metadata(new V1ObjectMeta().labels(Map.of("app", "plain")))
                                    .spec(
                                        new V1PodSpec()
                                            .containers(
                                                List.of(
                                                    new V1Container()
                                                        .name("app")
                                                        .image("plain")
                                                        .readinessProbe(
                                                            new V1Probe()
                                                                .httpGet(
                                                                    new V1HTTPGetAction()
                                                                        .port(
                                                                            new IntOrString(
                                                                                8080))))))))))
            .execute();

    V1DeploymentSpec spec = created.getSpec();
    assertThat(spec.getReplicas()).isEqualTo(1);
    assertThat(spec.getStrategy().getType()).isEqualTo("RollingUpdate");
    assertThat(spec.getStrategy().getRollingUpdate().getMaxSurge().getStrValue()).isEqualTo("25%");
    assertThat(spec.getStrategy().getRollingUpdate().getMaxUnavailable().getStrValue())
        .isEqualTo("25%");
    assertThat(spec.getRevisionHistoryLimit()).isEqualTo(10);
    assertThat(spec.getProgressDeadlineSeconds()).isEqualTo(600);
    V1PodSpec pod = spec.getTemplate().getSpec();
    assertThat(pod.getRestartPolicy()).isEqualTo("Always");
    assertThat(pod.getDnsPolicy()).isEqualTo("ClusterFirst");
    assertThat(pod.getTerminationGracePeriodSeconds()).isEqualTo(30L);
    V1Container container = pod.getContainers().get(0);
    assertThat(container.getImagePullPolicy()).as("no tag: latest").isEqualTo("Always");
    assertThat(container.getTerminationMessagePolicy()).isEqualTo("File");
    V1Probe probe = container.getReadinessProbe();
    assertThat(
            List.of(
                probe.getTimeoutSeconds(), probe.getPeriodSeconds(), probe.getFailureThreshold()))
        .containsExactly(1, 10, 3);
    assertThat(probe.getHttpGet().getScheme()).isEqualTo("HTTP");
    assertThat(probe.getHttpGet().getPath()).isEqualTo("/");

    // a dry-run apply of the same intent returns the defaults too: nothing for a diff to see
    V1Deployment dryRun =
        PatchUtils.patch(
            V1Deployment.class,
            () ->
                apps.patchNamespacedDeployment(
                        "plain",
                        ns,
                        new V1Patch(
                            "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\","
                                + "\"metadata\":{\"name\":\"plain\"},\"spec\":{\"replicas\":1}}"))
                    .fieldManager("weir")
                    .force(true)
                    .dryRun("All")
                    .buildCall(null),
            V1Patch.PATCH_FORMAT_APPLY_YAML,
            client);
    assertThat(dryRun.getSpec()).isEqualTo(created.getSpec());
  }

  // ---- CustomResourceDefinitions ----

  static final String GADGETS =
      """
      apiVersion: apiextensions.k8s.io/v1
      kind: CustomResourceDefinition
      metadata: {name: gadgets.example.dev}
      spec:
        group: example.dev
        scope: Namespaced
        names: {kind: Gadget, plural: gadgets, shortNames: [gd]}
        versions:
        - name: v1beta1
          served: true
          storage: false
          schema:
            openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
        - name: v1
          served: true
          storage: true
          subresources: {status: {}}
          schema:
            openAPIV3Schema:
              type: object
              properties:
                spec:
                  type: object
                  properties:
                    size: {type: integer, default: 3}
                    ports:
                      type: array
                      items:
                        type: object
                        properties:
                          port: {type: integer}
                          protocol: {type: string, default: TCP}
                status:
                  type: object
                  properties:
                    phase: {type: string}
      """;

  @Test
  @SuppressWarnings("unchecked")
  void aCustomResourceDefinitionServesItsKindWithWatchStatusApplyAndSchemaDefaults()
      throws Exception {
    String ns = freshNamespace();
    ApiextensionsV1Api extensions = new ApiextensionsV1Api(client);
    PatchUtils.patch(
        V1CustomResourceDefinition.class,
        () ->
            extensions
                .patchCustomResourceDefinition("gadgets.example.dev", new V1Patch(GADGETS))
                .fieldManager("weir")
                .force(true)
                .buildCall(null),
        V1Patch.PATCH_FORMAT_APPLY_YAML,
        client);
    V1CustomResourceDefinition crd =
        extensions.readCustomResourceDefinition("gadgets.example.dev").execute();
    assertThat(crd.getStatus().getConditions())
        .anySatisfy(
            c -> {
              assertThat(c.getType()).isEqualTo("Established");
              assertThat(c.getStatus()).isEqualTo("True");
            });
    assertThat(crd.getStatus().getStoredVersions()).containsExactly("v1");
    assertThat(crd.getSpec().getNames().getSingular()).isEqualTo("gadget");
    assertThat(crd.getSpec().getConversion().getStrategy()).isEqualTo("None");

    CustomObjectsApi custom = new CustomObjectsApi(client);
    try (Watch<Object> watch =
        Watch.createWatch(
            client,
            custom
                .listNamespacedCustomObject("example.dev", "v1", ns, "gadgets")
                .watch(true)
                .buildCall(null),
            new TypeToken<Watch.Response<Object>>() {}.getType())) {
      Map<String, Object> applied =
          (Map<String, Object>)
              PatchUtils.patch(
                  Object.class,
                  () ->
                      custom
                          .patchNamespacedCustomObject(
                              "example.dev",
                              "v1",
                              ns,
                              "gadgets",
                              "g1",
                              new V1Patch(
                                  "apiVersion: example.dev/v1\nkind: Gadget\n"
                                      + "metadata: {name: g1}\nspec: {ports: [{port: 80}]}\n"))
                          .fieldManager("weir")
                          .buildCall(null),
                  V1Patch.PATCH_FORMAT_APPLY_YAML,
                  client);
      Map<String, Object> spec = (Map<String, Object>) applied.get("spec");
      assertThat(spec.get("size")).as("schema default").isEqualTo(3.0);
      assertThat(spec.get("ports"))
          .asList()
          .singleElement()
          .satisfies(p -> assertThat((Map<String, Object>) p).containsEntry("protocol", "TCP"));
      Map<String, Object> metadata = (Map<String, Object>) applied.get("metadata");
      assertThat((List<Map<String, Object>>) metadata.get("managedFields"))
          .singleElement()
          .satisfies(
              m -> {
                assertThat(m).containsEntry("manager", "weir").containsEntry("operation", "Apply");
                assertThat(m.get("fieldsV1").toString())
                    .contains("f:ports")
                    .doesNotContain("f:size");
              });

      mergePatch(
          () ->
              custom
                  .patchNamespacedCustomObjectStatus(
                      "example.dev",
                      "v1",
                      ns,
                      "gadgets",
                      "g1",
                      new V1Patch("{\"status\":{\"phase\":\"Ready\"}}"))
                  .buildCall(null));
      // the main resource ignores status, as with a status subresource
      mergePatch(
          () ->
              custom
                  .patchNamespacedCustomObject(
                      "example.dev",
                      "v1",
                      ns,
                      "gadgets",
                      "g1",
                      new V1Patch("{\"status\":{\"phase\":\"Forged\"}}"))
                  .buildCall(null));

      assertThat(watch.next().type).isEqualTo("ADDED");
      Watch.Response<Object> modified = watch.next();
      assertThat(modified.type).isEqualTo("MODIFIED");
      assertThat(((Map<String, Object>) ((Map<String, Object>) modified.object).get("status")))
          .containsEntry("phase", "Ready");
    }
    Map<String, Object> viaBeta =
        (Map<String, Object>)
            custom
                .getNamespacedCustomObject("example.dev", "v1beta1", ns, "gadgets", "g1")
                .execute();
    assertThat(((Map<String, Object>) viaBeta.get("status"))).containsEntry("phase", "Ready");

    extensions.deleteCustomResourceDefinition("gadgets.example.dev").execute();
    assertThatThrownBy(
            () ->
                custom
                    .getNamespacedCustomObject("example.dev", "v1", ns, "gadgets", "g1")
                    .execute())
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getCode()).isEqualTo(404));
  }

  static void mergePatch(PatchUtils.PatchCallFunc call) throws ApiException {
    PatchUtils.patch(Object.class, call, V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH, client);
  }
}
