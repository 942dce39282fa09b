package dev.weir.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One object as the store keeps it: its serialized JSON (the compact, shared form that lists and
 * watch events write out as-is) plus the few metadata fields that lookups, selectors and garbage
 * collection need without parsing.
 *
 * <p>Immutable by contract: {@link #json()} is never modified after construction. {@link #tree()}
 * returns a fresh, mutable parse.
 *
 * @param kind the kind
 * @param namespace the namespace, {@code ""} for cluster-scoped kinds
 * @param name the name
 * @param uid the uid
 * @param resourceVersion the resourceVersion written into {@code json}
 * @param labels {@code metadata.labels}
 * @param ownerUids the uids in {@code metadata.ownerReferences}
 * @param json the object, serialized
 */
record StoredObject(
    KindInfo kind,
    String namespace,
    String name,
    String uid,
    long resourceVersion,
    Map<String, String> labels,
    List<String> ownerUids,
    byte[] json) {

  /** Builds the stored form of {@code object}, whose metadata is already complete. */
  static StoredObject of(KindInfo kind, ObjectNode object) {
    JsonNode metadata = object.path("metadata");
    Map<String, String> labels = Map.of();
    JsonNode labelNode = metadata.get("labels");
    if (labelNode != null && labelNode.isObject() && !labelNode.isEmpty()) {
      Map<String, String> map = new HashMap<>();
      labelNode.properties().forEach(e -> map.put(e.getKey(), e.getValue().asText()));
      labels = Map.copyOf(map);
    }
    List<String> owners = List.of();
    JsonNode ownerNode = metadata.get("ownerReferences");
    if (ownerNode != null && ownerNode.isArray() && !ownerNode.isEmpty()) {
      List<String> uids = new ArrayList<>();
      ownerNode.forEach(o -> uids.add(o.path("uid").asText()));
      owners = List.copyOf(uids);
    }
    return new StoredObject(
        kind,
        metadata.path("namespace").asText(""),
        metadata.path("name").asText(""),
        metadata.path("uid").asText(""),
        Long.parseLong(metadata.path("resourceVersion").asText("0")),
        labels,
        owners,
        Json.bytes(object));
  }

  /** A fresh mutable parse of the object. */
  ObjectNode tree() {
    return Json.parseStored(json);
  }

  /** The store key: {@code namespace/name}, or {@code /name} for cluster-scoped objects. */
  String key() {
    return namespace + "/" + name;
  }
}
