package dev.weir.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a real server's registry strategies do to an object on its way in, for the sandbox's kinds:
 * validation of names (422 with causes), the few defaults clients notice ({@code spec.replicas: 1}
 * for workloads, a Service's {@code type}, {@code clusterIP} and port {@code protocol}/{@code
 * targetPort}, container port {@code protocol}, a Secret's {@code type} and {@code stringData}
 * folded into {@code data}, a Namespace's {@code phase} and finalizer), and the status rules of the
 * status subresource.
 *
 * <p>Stateless and thread-safe.
 */
final class KindStrategy {
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final List<String> WORKLOADS = List.of("Deployment", "ReplicaSet", "StatefulSet");

  private KindStrategy() {}

  /** 422 when the object's name (or a label) is not acceptable. */
  static void validate(KindInfo kind, ObjectNode object) {
    String name = Json.meta(object, "name");
    List<StatusException.Cause> causes = new ArrayList<>();
    if (name.isEmpty()) {
      causes.add(
          new StatusException.Cause(
              "FieldValueRequired",
              "Required value: name or generateName is required",
              "metadata.name"));
    } else {
      boolean label = kind.kind().equals("Namespace") || kind.kind().equals("Service");
      Pattern pattern = label ? DNS_LABEL : DNS_SUBDOMAIN;
      int max = label ? 63 : 253;
      if (!pattern.matcher(name).matches() || name.length() > max) {
        String rule =
            label
                ? "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or"
                    + " '-', and must start and end with an alphanumeric character"
                : "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric"
                    + " characters, '-' or '.', and must start and end with an alphanumeric"
                    + " character";
        causes.add(
            new StatusException.Cause(
                "FieldValueInvalid", "Invalid value: \"" + name + "\": " + rule, "metadata.name"));
      }
    }
    JsonNode labels = object.path("metadata").path("labels");
    if (!labels.isMissingNode() && !labels.isNull()) {
      if (!labels.isObject()) {
        causes.add(
            new StatusException.Cause(
                "FieldValueInvalid", "Invalid value: must be a map", "metadata.labels"));
      } else {
        for (Map.Entry<String, JsonNode> label : labels.properties()) {
          if (!label.getValue().isTextual()) {
            causes.add(
                new StatusException.Cause(
                    "FieldValueInvalid",
                    "Invalid value: label values must be strings",
                    "metadata.labels." + label.getKey()));
          }
        }
      }
    }
    if (WORKLOADS.contains(kind.kind()) || kind.kind().equals("DaemonSet")) {
      JsonNode replicas = object.path("spec").path("replicas");
      if (replicas.isNumber() && replicas.asLong() < 0) {
        causes.add(
            new StatusException.Cause(
                "FieldValueInvalid",
                "Invalid value: " + replicas.asLong() + ": must be greater than or equal to 0",
                "spec.replicas"));
      }
    }
    if (kind.group().equals("apiextensions.k8s.io")
        && kind.kind().equals("CustomResourceDefinition")) {
      CustomResourceDefinitions.validate(object, causes);
    }
    if (!causes.isEmpty()) {
      throw StatusException.invalid(kind, name, causes);
    }
  }

  /** Fills defaults and normalises; run on every create and update of the main resource. */
  static void applyDefaults(KindInfo kind, ObjectNode object) {
    switch (kind.kind()) {
      case "Deployment", "ReplicaSet", "StatefulSet" -> {
        ObjectNode spec = childObject(object, "spec");
        if (!spec.has("replicas")) {
          spec.put("replicas", 1);
        }
        defaultContainerPorts(spec.path("template").path("spec"));
      }
      case "DaemonSet", "Job" ->
          defaultContainerPorts(object.path("spec").path("template").path("spec"));
      case "Pod" -> defaultContainerPorts(object.path("spec"));
      case "Service" -> defaultService(object);
      case "Secret" -> foldStringData(object);
      case "Namespace" -> {
        ObjectNode spec = childObject(object, "spec");
        if (!spec.has("finalizers")) {
          spec.putArray("finalizers").add("kubernetes");
        }
        ObjectNode status = childObject(object, "status");
        if (!status.has("phase")) {
          status.put("phase", "Active");
        }
      }
      default -> {}
    }
    if (ListKeys.isBuiltIn(kind)) {
      BuiltinDefaults.apply(kind, object);
    }
  }

  /**
   * Map-typed fields (Go {@code map[string]string} with {@code omitempty}) that a real server omits
   * when empty.
   */
  private static final java.util.Set<String> MAP_FIELDS =
      java.util.Set.of(
          "labels",
          "annotations",
          "matchLabels",
          "nodeSelector",
          "data",
          "binaryData",
          "stringData",
          "selector");

  /**
   * Drops what a real server's Go types omit when encoding: empty lists anywhere and empty
   * map-typed fields ({@code labels: {}}, {@code data: {}} …) in built-in kinds, and empty metadata
   * maps and lists in every kind. Clients that send them (client-java initialises every list)
   * therefore never see them back, nor own them in managedFields. Empty structs such as {@code
   * emptyDir: {}} stay.
   */
  static void dropEmptyCollections(KindInfo kind, ObjectNode object) {
    if (object.get("metadata") instanceof ObjectNode metadata) {
      for (String field :
          List.of("labels", "annotations", "finalizers", "ownerReferences", "managedFields")) {
        JsonNode value = metadata.get(field);
        if (value != null && (value.isNull() || (value.isContainerNode() && value.isEmpty()))) {
          metadata.remove(field);
        }
      }
    }
    if (ListKeys.isBuiltIn(kind)) {
      dropEmpty(object);
    }
  }

  private static void dropEmpty(JsonNode node) {
    if (node instanceof ObjectNode object) {
      object
          .properties()
          .removeIf(
              e -> {
                JsonNode value = e.getValue();
                dropEmpty(value);
                return value.isNull()
                    || (value.isArray() && value.isEmpty())
                    || (value.isObject() && value.isEmpty() && MAP_FIELDS.contains(e.getKey()));
              });
    } else if (node instanceof ArrayNode array) {
      array.forEach(KindStrategy::dropEmpty);
    }
  }

  /**
   * A create's status: kinds with a status subresource start without one (Namespace keeps phase).
   */
  static void prepareStatusForCreate(KindInfo kind, ObjectNode object) {
    if (kind.statusSubresource() && !kind.kind().equals("Namespace")) {
      object.remove("status");
    }
  }

  private static void defaultContainerPorts(JsonNode podSpec) {
    for (String list : List.of("containers", "initContainers")) {
      for (JsonNode container : podSpec.path(list)) {
        for (JsonNode port : container.path("ports")) {
          if (port instanceof ObjectNode portObject && !portObject.has("protocol")) {
            portObject.put("protocol", "TCP");
          }
        }
      }
    }
  }

  private static void defaultService(ObjectNode object) {
    ObjectNode spec = childObject(object, "spec");
    if (!spec.has("type")) {
      spec.put("type", "ClusterIP");
    }
    String type = spec.path("type").asText();
    if (!spec.has("clusterIP") && !type.equals("ExternalName")) {
      String key = Json.meta(object, "namespace") + "/" + Json.meta(object, "name");
      int hash = key.hashCode() & 0x000fffff;
      String ip = "10.96." + ((hash >> 8) & 0xff) + "." + Math.max(1, hash & 0xff);
      spec.put("clusterIP", ip);
      spec.putArray("clusterIPs").add(ip);
    }
    if (!spec.has("sessionAffinity")) {
      spec.put("sessionAffinity", "None");
    }
    if (spec.get("ports") instanceof ArrayNode ports) {
      for (JsonNode port : ports) {
        if (port instanceof ObjectNode portObject) {
          if (!portObject.has("protocol")) {
            portObject.put("protocol", "TCP");
          }
          if (!portObject.has("targetPort") && portObject.has("port")) {
            portObject.set("targetPort", portObject.get("port"));
          }
        }
      }
    }
  }

  private static void foldStringData(ObjectNode object) {
    if (!object.has("type")) {
      object.put("type", "Opaque");
    }
    if (object.get("stringData") instanceof ObjectNode stringData) {
      ObjectNode data = childObject(object, "data");
      for (Map.Entry<String, JsonNode> entry : stringData.properties()) {
        data.put(
            entry.getKey(),
            Base64.getEncoder()
                .encodeToString(entry.getValue().asText().getBytes(StandardCharsets.UTF_8)));
      }
    }
    object.remove("stringData");
  }

  /** Whether anything other than metadata and status differs: the rule for bumping generation. */
  static boolean specChanged(ObjectNode before, ObjectNode after) {
    ObjectNode a = before.deepCopy();
    ObjectNode b = after.deepCopy();
    for (ObjectNode node : List.of(a, b)) {
      node.remove("metadata");
      node.remove("status");
    }
    return !a.equals(b);
  }

  private static ObjectNode childObject(ObjectNode parent, String field) {
    JsonNode child = parent.get(field);
    if (child instanceof ObjectNode object) {
      return object;
    }
    return parent.putObject(field);
  }
}
