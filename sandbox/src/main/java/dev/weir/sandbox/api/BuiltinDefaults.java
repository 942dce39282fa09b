package dev.weir.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The defaults a real API server fills into the built-in kinds on create, update and dry run, after
 * Kubernetes' defaulting functions ({@code SetDefaults_Deployment}, {@code SetDefaults_PodSpec},
 * {@code SetDefaults_Container} …) and the few registry strategies whose results every client sees
 * (a Job's generated selector, a Service's IP families and node ports, a Namespace's name label).
 * With them a server-side dry run returns what a real cluster would store, so that defaults are
 * never drift.
 *
 * <p>Only absent fields are filled, as the defaulting functions do. Admission plugins (a Pod's
 * service account and token volume, default tolerations, priority) are not modelled.
 *
 * <p>Stateless and thread-safe.
 */
final class BuiltinDefaults {
  private static final int DEFAULT_MODE = 0644;

  private BuiltinDefaults() {}

  /** Fills the defaults of {@code kind} into {@code object}; other kinds are left alone. */
  static void apply(KindInfo kind, ObjectNode object) {
    switch (kind.group() + "/" + kind.kind()) {
      case "apps/Deployment" -> deployment(child(object, "spec"));
      case "apps/ReplicaSet" -> podTemplate(child(object, "spec"));
      case "apps/StatefulSet" -> statefulSet(child(object, "spec"));
      case "apps/DaemonSet" -> daemonSet(child(object, "spec"));
      case "batch/Job" -> job(object);
      case "/Pod" -> pod(child(object, "spec"));
      case "/Service" -> service(object);
      case "apiextensions.k8s.io/CustomResourceDefinition" -> {
        ObjectNode spec = child(object, "spec");
        ObjectNode names = child(spec, "names");
        String kindName = names.path("kind").asText("");
        if (!kindName.isEmpty()) {
          putIfAbsent(names, "singular", kindName.toLowerCase(java.util.Locale.ROOT));
          putIfAbsent(names, "listKind", kindName + "List");
        }
        if (!spec.has("conversion")) {
          spec.putObject("conversion").put("strategy", "None");
        }
      }
      case "/Namespace" -> {
        String name = Json.meta(object, "name");
        if (!name.isEmpty()) {
          child(Json.metadata(object), "labels").put("kubernetes.io/metadata.name", name);
        }
      }
      default -> {}
    }
  }

  private static void deployment(ObjectNode spec) {
    ObjectNode strategy = child(spec, "strategy");
    putIfAbsent(strategy, "type", "RollingUpdate");
    if (strategy.path("type").asText().equals("RollingUpdate")) {
      ObjectNode rollingUpdate = child(strategy, "rollingUpdate");
      putIfAbsent(rollingUpdate, "maxUnavailable", "25%");
      putIfAbsent(rollingUpdate, "maxSurge", "25%");
    }
    putIfAbsent(spec, "revisionHistoryLimit", 10);
    putIfAbsent(spec, "progressDeadlineSeconds", 600);
    podTemplate(spec);
  }

  private static void statefulSet(ObjectNode spec) {
    putIfAbsent(spec, "podManagementPolicy", "OrderedReady");
    ObjectNode strategy = child(spec, "updateStrategy");
    putIfAbsent(strategy, "type", "RollingUpdate");
    if (strategy.path("type").asText().equals("RollingUpdate")) {
      putIfAbsent(child(strategy, "rollingUpdate"), "partition", 0);
    }
    putIfAbsent(spec, "revisionHistoryLimit", 10);
    ObjectNode retention = child(spec, "persistentVolumeClaimRetentionPolicy");
    putIfAbsent(retention, "whenDeleted", "Retain");
    putIfAbsent(retention, "whenScaled", "Retain");
    for (JsonNode claim : spec.path("volumeClaimTemplates")) {
      if (claim.get("spec") instanceof ObjectNode claimSpec) {
        putIfAbsent(claimSpec, "volumeMode", "Filesystem");
      }
    }
    podTemplate(spec);
  }

  private static void daemonSet(ObjectNode spec) {
    ObjectNode strategy = child(spec, "updateStrategy");
    putIfAbsent(strategy, "type", "RollingUpdate");
    if (strategy.path("type").asText().equals("RollingUpdate")) {
      ObjectNode rollingUpdate = child(strategy, "rollingUpdate");
      putIfAbsent(rollingUpdate, "maxUnavailable", 1);
      putIfAbsent(rollingUpdate, "maxSurge", 0);
    }
    putIfAbsent(spec, "revisionHistoryLimit", 10);
    podTemplate(spec);
  }

  private static void job(ObjectNode object) {
    ObjectNode spec = child(object, "spec");
    if (!spec.has("completions") && !spec.has("parallelism")) {
      spec.put("completions", 1);
    }
    putIfAbsent(spec, "parallelism", 1);
    putIfAbsent(spec, "backoffLimit", spec.has("backoffLimitPerIndex") ? Integer.MAX_VALUE : 6);
    putIfAbsent(spec, "completionMode", "NonIndexed");
    putIfAbsent(spec, "suspend", false);
    putIfAbsent(
        spec,
        "podReplacementPolicy",
        spec.has("podFailurePolicy") ? "Failed" : "TerminatingOrFailed");
    // the Job strategy's generated selector, unless the client chose its own
    String uid = Json.meta(object, "uid");
    if (!spec.path("manualSelector").asBoolean(false) && !spec.has("selector") && !uid.isEmpty()) {
      String name = Json.meta(object, "name");
      spec.putObject("selector")
          .putObject("matchLabels")
          .put("batch.kubernetes.io/controller-uid", uid);
      ObjectNode labels = child(child(child(spec, "template"), "metadata"), "labels");
      putIfAbsent(labels, "batch.kubernetes.io/controller-uid", uid);
      putIfAbsent(labels, "batch.kubernetes.io/job-name", name);
      putIfAbsent(labels, "controller-uid", uid);
      putIfAbsent(labels, "job-name", name);
    }
    podTemplate(spec);
  }

  private static void podTemplate(ObjectNode workloadSpec) {
    if (workloadSpec.path("template").get("spec") instanceof ObjectNode podSpec) {
      podSpec(podSpec);
    }
  }

  private static void pod(ObjectNode spec) {
    podSpec(spec);
    putIfAbsent(spec, "enableServiceLinks", true);
    for (String list : List.of("containers", "initContainers")) {
      for (JsonNode container : spec.path(list)) {
        // a limit without a request requests the limit (SetDefaults_Pod)
        if (container.path("resources").get("limits") instanceof ObjectNode limits) {
          ObjectNode requests = child((ObjectNode) container.get("resources"), "requests");
          limits.properties().forEach(e -> requests.putIfAbsent(e.getKey(), e.getValue()));
        }
      }
    }
  }

  private static void podSpec(ObjectNode spec) {
    putIfAbsent(spec, "restartPolicy", "Always");
    putIfAbsent(spec, "terminationGracePeriodSeconds", 30);
    putIfAbsent(spec, "dnsPolicy", "ClusterFirst");
    if (!spec.has("securityContext")) {
      spec.putObject("securityContext");
    }
    putIfAbsent(spec, "schedulerName", "default-scheduler");
    for (String list : List.of("containers", "initContainers", "ephemeralContainers")) {
      for (JsonNode container : spec.path(list)) {
        if (container instanceof ObjectNode c) {
          container(c);
        }
      }
    }
    for (JsonNode volume : spec.path("volumes")) {
      if (volume instanceof ObjectNode v) {
        volume(v);
      }
    }
  }

  private static void container(ObjectNode container) {
    putIfAbsent(container, "terminationMessagePath", "/dev/termination-log");
    putIfAbsent(container, "terminationMessagePolicy", "File");
    putIfAbsent(container, "imagePullPolicy", pullPolicy(container.path("image").asText("")));
    for (JsonNode port : container.path("ports")) {
      if (port instanceof ObjectNode p) {
        putIfAbsent(p, "protocol", "TCP");
      }
    }
    for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
      if (container.get(probe) instanceof ObjectNode p) {
        putIfAbsent(p, "timeoutSeconds", 1);
        putIfAbsent(p, "periodSeconds", 10);
        putIfAbsent(p, "successThreshold", 1);
        putIfAbsent(p, "failureThreshold", 3);
        handler(p);
      }
    }
    if (container.get("lifecycle") instanceof ObjectNode lifecycle) {
      for (JsonNode handler : lifecycle) {
        if (handler instanceof ObjectNode h) {
          handler(h);
        }
      }
    }
    for (JsonNode env : container.path("env")) {
      if (env.path("valueFrom").get("fieldRef") instanceof ObjectNode fieldRef) {
        putIfAbsent(fieldRef, "apiVersion", "v1");
      }
    }
  }

  private static void handler(ObjectNode handler) {
    if (handler.get("httpGet") instanceof ObjectNode httpGet) {
      putIfAbsent(httpGet, "path", "/");
      putIfAbsent(httpGet, "scheme", "HTTP");
    }
  }

  /**
   * {@code Always} for an image without a tag or tagged {@code latest}, else {@code IfNotPresent}
   * (an image by digest too), as {@code SetDefaults_Container}.
   */
  static String pullPolicy(String image) {
    if (image.contains("@")) {
      return "IfNotPresent";
    }
    int colon = image.lastIndexOf(':');
    String tag = colon > image.lastIndexOf('/') ? image.substring(colon + 1) : "";
    return tag.isEmpty() || tag.equals("latest") ? "Always" : "IfNotPresent";
  }

  private static void volume(ObjectNode volume) {
    boolean hasSource = false;
    for (var field : volume.properties()) {
      if (!field.getKey().equals("name")) {
        hasSource = true;
      }
    }
    if (!hasSource) {
      volume.putObject("emptyDir");
      return;
    }
    for (String source : List.of("secret", "configMap", "downwardAPI", "projected")) {
      if (volume.get(source) instanceof ObjectNode s) {
        putIfAbsent(s, "defaultMode", DEFAULT_MODE);
      }
    }
    if (volume.get("hostPath") instanceof ObjectNode hostPath) {
      putIfAbsent(hostPath, "type", "");
    }
    for (JsonNode projection : volume.path("projected").path("sources")) {
      if (projection.path("downwardAPI") instanceof ObjectNode downward) {
        for (JsonNode item : downward.path("items")) {
          if (item.get("fieldRef") instanceof ObjectNode fieldRef) {
            putIfAbsent(fieldRef, "apiVersion", "v1");
          }
        }
      }
    }
  }

  private static void service(ObjectNode object) {
    ObjectNode spec = child(object, "spec");
    String type = spec.path("type").asText("ClusterIP");
    if (type.equals("ExternalName")) {
      return;
    }
    if (!spec.has("ipFamilies")) {
      spec.putArray("ipFamilies").add("IPv4");
    }
    putIfAbsent(spec, "ipFamilyPolicy", "SingleStack");
    putIfAbsent(spec, "internalTrafficPolicy", "Cluster");
    if (spec.path("sessionAffinity").asText().equals("ClientIP")) {
      ObjectNode clientIp = child(child(spec, "sessionAffinityConfig"), "clientIP");
      putIfAbsent(clientIp, "timeoutSeconds", 10800);
    }
    if (type.equals("NodePort") || type.equals("LoadBalancer")) {
      putIfAbsent(spec, "externalTrafficPolicy", "Cluster");
      if (type.equals("LoadBalancer")) {
        putIfAbsent(spec, "allocateLoadBalancerNodePorts", true);
      }
      if (spec.get("ports") instanceof ArrayNode ports) {
        String key = Json.meta(object, "namespace") + "/" + Json.meta(object, "name");
        for (JsonNode port : ports) {
          if (port instanceof ObjectNode p && !p.has("nodePort")) {
            // derived, not allocated: collisions are not checked (docs/sandbox-fidelity.md)
            int hash = (key + ":" + p.path("port").asText()).hashCode() & 0x7fffffff;
            p.put("nodePort", 30000 + hash % 2768);
          }
        }
      }
    }
  }

  private static ObjectNode child(ObjectNode parent, String field) {
    return parent.get(field) instanceof ObjectNode existing ? existing : parent.putObject(field);
  }

  private static void putIfAbsent(ObjectNode object, String field, String value) {
    if (!object.hasNonNull(field)) {
      object.put(field, value);
    }
  }

  private static void putIfAbsent(ObjectNode object, String field, int value) {
    if (!object.hasNonNull(field)) {
      object.put(field, value);
    }
  }

  private static void putIfAbsent(ObjectNode object, String field, boolean value) {
    if (!object.hasNonNull(field)) {
      object.put(field, value);
    }
  }
}
