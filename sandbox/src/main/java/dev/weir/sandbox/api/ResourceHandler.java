package dev.weir.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.engine.time.EngineClock;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * The verbs on resources: get, list, create, update, patch (JSON merge, JSON patch, strategic
 * merge, server-side apply), delete and deletecollection, with the metadata a real server keeps
 * (uid, the global resourceVersion, generation bumped on spec changes, creationTimestamp from the
 * {@link EngineClock}, managedFields), optimistic concurrency (409 on a stale resourceVersion),
 * {@code dryRun=All}, finalizers, namespace and owner-reference cascades.
 *
 * <p>Thread-safe: all state is in the {@link ObjectStore}; each write is one atomic store mutation.
 */
final class ResourceHandler {
  /** A JSON response. */
  record Result(int code, byte[] body) {}

  /**
   * Options common to writes.
   *
   * @param manager the field manager ({@code fieldManager}, else the User-Agent's first token)
   * @param managerGiven whether {@code fieldManager} was given explicitly
   * @param dryRun {@code dryRun=All}: compute and return, store nothing
   * @param force server-side apply's {@code force}
   */
  record WriteOptions(String manager, boolean managerGiven, boolean dryRun, boolean force) {}

  /** Patch content types. */
  enum PatchType {
    JSON_PATCH("application/json-patch+json"),
    MERGE("application/merge-patch+json"),
    STRATEGIC("application/strategic-merge-patch+json"),
    APPLY("application/apply-patch+yaml");

    final String mediaType;

    PatchType(String mediaType) {
      this.mediaType = mediaType;
    }

    static PatchType of(String contentType) {
      String base =
          contentType == null
              ? ""
              : contentType.split(";")[0].trim().toLowerCase(java.util.Locale.ROOT);
      for (PatchType type : values()) {
        if (type.mediaType.equals(base)) {
          return type;
        }
      }
      if (base.equals("application/apply-patch+json")) {
        return APPLY;
      }
      throw new StatusException(
          StatusException.Reason.UNSUPPORTED_MEDIA_TYPE,
          "the body of the request was in an unknown format - accepted media types include:"
              + " application/json-patch+json, application/merge-patch+json,"
              + " application/apply-patch+yaml, application/strategic-merge-patch+json");
    }
  }

  private static final String NAME_CHARS = "bcdfghjklmnpqrstvwxz2456789";

  private final KindRegistry registry;
  private final ObjectStore store;
  private final FieldManager fieldManager;
  private final EngineClock clock;
  private final SecureRandom random = new SecureRandom();

  ResourceHandler(
      KindRegistry registry, ObjectStore store, FieldManager fieldManager, EngineClock clock) {
    this.registry = registry;
    this.store = store;
    this.fieldManager = fieldManager;
    this.clock = clock;
  }

  Result get(KindInfo kind, String namespace, String name) {
    StoredObject object = store.get(kind, ns(kind, namespace), name);
    if (object == null) {
      throw StatusException.notFound(kind, name);
    }
    return new Result(200, object.json());
  }

  /** A list; {@code namespace} null lists every namespace. */
  Result list(
      KindInfo kind,
      String namespace,
      LabelSelector labels,
      FieldSelector fields,
      long limit,
      String continueToken) {
    String after =
        continueToken == null || continueToken.isEmpty() ? null : decodeContinue(continueToken);
    Predicate<StoredObject> filter = selectorFilter(labels, fields);
    ObjectStore.Listing listing =
        store.list(kind, kind.namespaced() ? namespace : null, filter, after, limit);
    ByteArrayOutputStream out = new ByteArrayOutputStream(256 + listing.items().size() * 1024);
    ObjectNode metadata = Json.MAPPER.createObjectNode();
    metadata.put("resourceVersion", Long.toString(listing.resourceVersion()));
    if (listing.lastKey() != null) {
      metadata.put("continue", encodeContinue(listing.resourceVersion(), listing.lastKey()));
      metadata.put("remainingItemCount", listing.remaining());
    }
    String head =
        "{\"kind\":\""
            + kind.listKind()
            + "\",\"apiVersion\":\""
            + kind.apiVersion()
            + "\",\"metadata\":"
            + metadata
            + ",\"items\":[";
    out.writeBytes(head.getBytes(StandardCharsets.UTF_8));
    boolean first = true;
    for (StoredObject item : listing.items()) {
      if (!first) {
        out.write(',');
      }
      first = false;
      out.writeBytes(item.json());
    }
    out.writeBytes("]}".getBytes(StandardCharsets.UTF_8));
    return new Result(200, out.toByteArray());
  }

  static Predicate<StoredObject> selectorFilter(LabelSelector labels, FieldSelector fields) {
    if (labels.isEverything() && fields.isEverything()) {
      return o -> true;
    }
    return o -> labels.matches(o.labels()) && fields.matches(o);
  }

  Result create(KindInfo kind, String namespace, ObjectNode object, WriteOptions options) {
    checkTypeMeta(kind, object);
    String ns = namespaceFor(kind, namespace, object);
    ObjectNode metadata = Json.metadata(object);
    String name = Json.meta(object, "name");
    if (name.isEmpty() && !Json.meta(object, "generateName").isEmpty()) {
      name = Json.meta(object, "generateName") + randomSuffix();
      metadata.put("name", name);
    }
    String finalName = name;
    KindStrategy.validate(kind, object);
    requireNamespace(kind, ns);
    ObjectStore.WriteResult result =
        store.write(
            kind,
            ns,
            finalName,
            current -> {
              if (current != null) {
                throw StatusException.alreadyExists(kind, finalName);
              }
              prepareCreate(kind, ns, object);
              fieldManager.recordUpdate(kind, null, object, options.manager(), "");
              return new ObjectStore.Put(object);
            },
            options.dryRun());
    return new Result(201, result.object().json());
  }

  Result update(
      KindInfo kind,
      String namespace,
      String name,
      boolean statusSubresource,
      ObjectNode body,
      WriteOptions options) {
    checkTypeMeta(kind, body);
    String ns = namespaceFor(kind, namespace, body);
    String bodyName = Json.meta(body, "name");
    if (!bodyName.equals(name)) {
      throw StatusException.badRequest(
          "the name of the object ("
              + bodyName
              + ") does not match the name on the URL ("
              + name
              + ")");
    }
    ObjectStore.WriteResult result =
        store.write(
            kind,
            ns,
            name,
            current -> {
              if (current == null) {
                throw StatusException.notFound(kind, name);
              }
              return finishUpdate(kind, current, body, statusSubresource, options, false);
            },
            options.dryRun());
    return new Result(200, result.object().json());
  }

  Result patch(
      KindInfo kind,
      String namespace,
      String name,
      boolean statusSubresource,
      PatchType type,
      String contentType,
      byte[] body,
      WriteOptions options) {
    String ns = ns(kind, namespace);
    JsonNode patch =
        RequestBodies.node(
            type == PatchType.APPLY ? "application/apply-patch+yaml" : contentType, body);
    if (type == PatchType.APPLY) {
      if (!options.managerGiven()) {
        throw StatusException.badRequest(
            "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required"
                + " for apply patch");
      }
      if (!(patch instanceof ObjectNode applied)) {
        throw StatusException.badRequest("the apply patch must be a single object");
      }
      checkApplyConfig(kind, ns, name, applied);
    } else if (type != PatchType.JSON_PATCH && !patch.isObject()) {
      throw StatusException.badRequest("the patch must be a JSON object");
    }
    if (type == PatchType.APPLY && !statusSubresource) {
      requireNamespace(kind, ns);
    }
    boolean[] created = {false};
    ObjectStore.WriteResult result =
        store.write(
            kind,
            ns,
            name,
            current -> {
              if (current == null) {
                if (type != PatchType.APPLY || statusSubresource) {
                  throw StatusException.notFound(kind, name);
                }
                ObjectNode object =
                    fieldManager.apply(
                        kind, null, (ObjectNode) patch, options.manager(), options.force(), false);
                Json.metadata(object).put("name", name);
                prepareCreate(kind, ns, object);
                created[0] = true;
                return new ObjectStore.Put(object);
              }
              ObjectNode live = current.tree();
              return switch (type) {
                case APPLY -> {
                  ObjectNode merged =
                      fieldManager.apply(
                          kind,
                          live,
                          (ObjectNode) patch,
                          options.manager(),
                          options.force(),
                          statusSubresource);
                  yield finishUpdate(kind, current, merged, statusSubresource, options, true);
                }
                case MERGE ->
                    finishUpdate(
                        kind,
                        current,
                        asObject(JsonMergePatch.apply(live, patch)),
                        statusSubresource,
                        options,
                        false);
                case JSON_PATCH ->
                    finishUpdate(
                        kind,
                        current,
                        asObject(JsonPatch.apply(live, patch)),
                        statusSubresource,
                        options,
                        false);
                case STRATEGIC ->
                    finishUpdate(
                        kind,
                        current,
                        StrategicMergePatch.apply(kind, live, (ObjectNode) patch),
                        statusSubresource,
                        options,
                        false);
              };
            },
            options.dryRun());
    return new Result(created[0] ? 201 : 200, result.object().json());
  }

  /**
   * Deletes one object. With finalizers it is only marked ({@code deletionTimestamp}) and returned;
   * otherwise a {@code Status} Success is returned. Dependents (ownerReferences) go too unless the
   * propagation policy is {@code Orphan}; deleting a namespace deletes everything in it.
   */
  Result delete(
      KindInfo kind,
      String namespace,
      String name,
      JsonNode deleteOptions,
      String policyParam,
      WriteOptions options) {
    String ns = ns(kind, namespace);
    JsonNode preconditions = deleteOptions == null ? null : deleteOptions.get("preconditions");
    String policy = policyParam;
    if (policy == null && deleteOptions != null && deleteOptions.hasNonNull("propagationPolicy")) {
      policy = deleteOptions.get("propagationPolicy").asText();
    }
    if (policy == null
        && deleteOptions != null
        && deleteOptions.path("orphanDependents").asBoolean(false)) {
      policy = "Orphan";
    }
    if (policy != null && !List.of("Orphan", "Background", "Foreground").contains(policy)) {
      throw StatusException.badRequest(
          "DeleteOptions.meta.k8s.io \"\" is invalid: propagationPolicy: Unsupported value: \""
              + policy
              + "\": supported values: \"Foreground\", \"Background\", \"Orphan\", \"nil\"");
    }
    ObjectStore.WriteResult result =
        store.write(
            kind,
            ns,
            name,
            current -> {
              if (current == null) {
                throw StatusException.notFound(kind, name);
              }
              checkPreconditions(kind, name, current, preconditions);
              ObjectNode live = current.tree();
              JsonNode finalizers = live.path("metadata").path("finalizers");
              if (finalizers.isArray() && !finalizers.isEmpty()) {
                if (!live.path("metadata").has("deletionTimestamp")) {
                  ObjectNode metadata = Json.metadata(live);
                  metadata.put("deletionTimestamp", Timestamps.format(clock.instant()));
                  metadata.put("deletionGracePeriodSeconds", 0);
                  metadata.put("generation", metadata.path("generation").asLong(0) + 1);
                  return new ObjectStore.Put(live);
                }
                return new ObjectStore.Keep();
              }
              return new ObjectStore.Remove();
            },
            options.dryRun());
    if (result.type() != ObjectStore.EventType.DELETED) {
      return new Result(200, result.object().json());
    }
    if (!options.dryRun()) {
      if (kind.kind().equals("Namespace") && kind.group().isEmpty()) {
        for (StoredObject contained : store.inNamespace(name)) {
          deleteQuietly(contained);
        }
      }
      if (!"Orphan".equals(policy)) {
        cascade(result.object().uid());
      }
    }
    if (kind.group().isEmpty() && kind.kind().equals("Pod")) {
      // the pod registry returns the deleted object (ReturnDeletedObject), as client-java expects
      return new Result(200, result.object().json());
    }
    return new Result(200, Json.bytes(successStatus(kind, name, result.object().uid())));
  }

  /** Deletes every object matching the selectors; returns a Status Success. */
  Result deleteCollection(
      KindInfo kind,
      String namespace,
      LabelSelector labels,
      FieldSelector fields,
      WriteOptions options) {
    ObjectStore.Listing listing =
        store.list(
            kind, kind.namespaced() ? namespace : null, selectorFilter(labels, fields), null, 0);
    for (StoredObject object : listing.items()) {
      try {
        delete(kind, object.namespace(), object.name(), null, null, options);
      } catch (StatusException gone) {
        if (gone.reason() != StatusException.Reason.NOT_FOUND) {
          throw gone;
        }
      }
    }
    ObjectNode status = Json.MAPPER.createObjectNode();
    status.put("kind", "Status");
    status.put("apiVersion", "v1");
    status.putObject("metadata");
    status.put("status", "Success");
    return new Result(200, Json.bytes(status));
  }

  /** Whether the kind has the {@code scale} subresource (autoscaling/v1 Scale). */
  static boolean hasScale(KindInfo kind) {
    return kind.group().equals("apps")
        && List.of("Deployment", "ReplicaSet", "StatefulSet").contains(kind.kind());
  }

  Result getScale(KindInfo kind, String namespace, String name) {
    StoredObject object = store.get(kind, ns(kind, namespace), name);
    if (object == null) {
      throw StatusException.notFound(kind, name);
    }
    return new Result(200, Json.bytes(toScale(object.tree())));
  }

  /**
   * Writes {@code spec.replicas} through the scale subresource: {@code type} null is a PUT of a
   * Scale, otherwise a patch of the object's Scale. The manager gets {@code spec.replicas} with
   * {@code subresource: scale}, as on a real server.
   */
  Result writeScale(
      KindInfo kind,
      String namespace,
      String name,
      PatchType type,
      String contentType,
      byte[] body,
      WriteOptions options) {
    String ns = ns(kind, namespace);
    if (type == PatchType.APPLY) {
      throw new StatusException(
          StatusException.Reason.UNSUPPORTED_MEDIA_TYPE,
          "the sandbox does not support apply patches on scale");
    }
    JsonNode input = RequestBodies.node(contentType, body);
    ObjectStore.WriteResult result =
        store.write(
            kind,
            ns,
            name,
            current -> {
              if (current == null) {
                throw StatusException.notFound(kind, name);
              }
              ObjectNode live = current.tree();
              ObjectNode scale = toScale(live);
              JsonNode requested =
                  type == null
                      ? input
                      : type == PatchType.JSON_PATCH
                          ? JsonPatch.apply(scale, input)
                          : JsonMergePatch.apply(scale, input);
              String rv = requested.path("metadata").path("resourceVersion").asText("");
              if (!rv.isEmpty() && !rv.equals(Long.toString(current.resourceVersion()))) {
                throw StatusException.staleResourceVersion(kind, name);
              }
              JsonNode replicas = requested.path("spec").path("replicas");
              if (!replicas.canConvertToInt() || replicas.asInt() < 0) {
                throw new StatusException(
                    StatusException.Reason.INVALID,
                    "Scale.autoscaling \""
                        + name
                        + "\" is invalid: spec.replicas: Invalid value: "
                        + replicas
                        + ": must be greater than or equal to 0",
                    name,
                    "autoscaling",
                    "Scale",
                    List.of());
              }
              ObjectNode next = live.deepCopy();
              ObjectNode spec =
                  next.get("spec") instanceof ObjectNode existing
                      ? existing
                      : next.putObject("spec");
              if (spec.path("replicas").asInt(-1) == replicas.asInt()) {
                return new ObjectStore.Keep();
              }
              spec.put("replicas", replicas.asInt());
              Json.metadata(next)
                  .put("generation", live.path("metadata").path("generation").asLong(1) + 1);
              fieldManager.recordUpdate(kind, live, next, options.manager(), "scale");
              return new ObjectStore.Put(next);
            },
            options.dryRun());
    return new Result(200, Json.bytes(toScale(result.object().tree())));
  }

  private static ObjectNode toScale(ObjectNode object) {
    ObjectNode scale = Json.MAPPER.createObjectNode();
    scale.put("kind", "Scale");
    scale.put("apiVersion", "autoscaling/v1");
    ObjectNode metadata = scale.putObject("metadata");
    for (String field :
        List.of("name", "namespace", "uid", "resourceVersion", "creationTimestamp")) {
      JsonNode value = object.path("metadata").get(field);
      if (value != null) {
        metadata.set(field, value.deepCopy());
      }
    }
    scale.putObject("spec").put("replicas", object.path("spec").path("replicas").asInt(0));
    ObjectNode status = scale.putObject("status");
    status.put("replicas", object.path("status").path("replicas").asInt(0));
    StringBuilder selector = new StringBuilder();
    for (var label : object.path("spec").path("selector").path("matchLabels").properties()) {
      if (!selector.isEmpty()) {
        selector.append(',');
      }
      selector.append(label.getKey()).append('=').append(label.getValue().asText());
    }
    status.put("selector", selector.toString());
    return scale;
  }

  private void cascade(String ownerUid) {
    for (StoredObject dependent : store.dependentsOf(ownerUid)) {
      deleteQuietly(dependent);
    }
  }

  private void deleteQuietly(StoredObject object) {
    try {
      delete(
          object.kind(),
          object.namespace(),
          object.name(),
          null,
          null,
          new WriteOptions("", false, false, false));
    } catch (StatusException ignored) {
      // already gone: a concurrent delete won
    }
  }

  private ObjectStore.Outcome finishUpdate(
      KindInfo kind,
      StoredObject current,
      ObjectNode requested,
      boolean statusSubresource,
      WriteOptions options,
      boolean ownershipDone) {
    ObjectNode old = current.tree();
    String rv = Json.meta(requested, "resourceVersion");
    if (!rv.isEmpty() && !rv.equals(Long.toString(current.resourceVersion()))) {
      throw StatusException.staleResourceVersion(kind, current.name());
    }
    ObjectNode next;
    if (statusSubresource) {
      next = old.deepCopy();
      JsonNode status = requested.get("status");
      if (status == null) {
        next.remove("status");
      } else {
        next.set("status", status.deepCopy());
      }
      if (ownershipDone) {
        Json.metadata(next)
            .set("managedFields", requested.path("metadata").path("managedFields").deepCopy());
      }
    } else {
      next = requested;
      if (kind.statusSubresource()) {
        JsonNode status = old.get("status");
        if (status == null) {
          next.remove("status");
        } else {
          next.set("status", status.deepCopy());
        }
      }
      next.put("apiVersion", kind.apiVersion());
      next.put("kind", kind.kind());
      ObjectNode metadata = Json.metadata(next);
      ObjectNode oldMetadata = Json.metadata(old);
      for (String field :
          List.of(
              "name",
              "namespace",
              "uid",
              "creationTimestamp",
              "deletionTimestamp",
              "deletionGracePeriodSeconds",
              "generation")) {
        JsonNode value = oldMetadata.get(field);
        if (value == null) {
          metadata.remove(field);
        } else {
          metadata.set(field, value.deepCopy());
        }
      }
      if (!ownershipDone) {
        JsonNode managed = oldMetadata.get("managedFields");
        if (managed == null) {
          metadata.remove("managedFields");
        } else {
          metadata.set("managedFields", managed.deepCopy());
        }
      }
      KindStrategy.dropEmptyCollections(kind, next);
      KindStrategy.applyDefaults(kind, next);
      SchemaDefaults.apply(registry.schema(kind), next);
      KindStrategy.validate(kind, next);
      if (KindStrategy.specChanged(old, next)) {
        metadata.put("generation", oldMetadata.path("generation").asLong(1) + 1);
      }
    }
    Json.metadata(next).put("resourceVersion", Long.toString(current.resourceVersion()));
    if (!ownershipDone) {
      fieldManager.recordUpdate(
          kind, old, next, options.manager(), statusSubresource ? "status" : "");
    }
    if (sameIgnoringManagedFieldTimes(old, next)) {
      return new ObjectStore.Keep();
    }
    JsonNode finalizers = next.path("metadata").path("finalizers");
    if (next.path("metadata").has("deletionTimestamp")
        && (!finalizers.isArray() || finalizers.isEmpty())) {
      return new ObjectStore.Remove();
    }
    return new ObjectStore.Put(next);
  }

  private void prepareCreate(KindInfo kind, String ns, ObjectNode object) {
    object.put("apiVersion", kind.apiVersion());
    object.put("kind", kind.kind());
    ObjectNode metadata = Json.metadata(object);
    if (kind.namespaced()) {
      metadata.put("namespace", ns);
    } else {
      metadata.remove("namespace");
    }
    metadata.put("uid", UUID.randomUUID().toString());
    metadata.put("creationTimestamp", Timestamps.format(clock.instant()));
    metadata.put("generation", 1);
    for (String field :
        List.of("resourceVersion", "deletionTimestamp", "deletionGracePeriodSeconds", "selfLink")) {
      metadata.remove(field);
    }
    KindStrategy.dropEmptyCollections(kind, object);
    KindStrategy.prepareStatusForCreate(kind, object);
    KindStrategy.applyDefaults(kind, object);
    SchemaDefaults.apply(registry.schema(kind), object);
    KindStrategy.validate(kind, object);
    reorderMetadataFirst(object);
  }

  /** Puts apiVersion, kind, metadata first, as a real server's encoder does. */
  private static void reorderMetadataFirst(ObjectNode object) {
    ObjectNode copy = object.deepCopy();
    object.removeAll();
    for (String field : List.of("apiVersion", "kind", "metadata")) {
      if (copy.has(field)) {
        object.set(field, copy.get(field));
      }
    }
    copy.properties()
        .forEach(
            e -> {
              if (!object.has(e.getKey())) {
                object.set(e.getKey(), e.getValue());
              }
            });
  }

  private static boolean sameIgnoringManagedFieldTimes(ObjectNode a, ObjectNode b) {
    return withoutTimes(a).equals(withoutTimes(b));
  }

  private static ObjectNode withoutTimes(ObjectNode object) {
    ObjectNode copy = object.deepCopy();
    if (copy.path("metadata").get("managedFields") instanceof ArrayNode managed) {
      for (JsonNode entry : managed) {
        ((ObjectNode) entry).remove("time");
      }
    }
    return copy;
  }

  private static ObjectNode asObject(JsonNode node) {
    if (node instanceof ObjectNode object) {
      return object;
    }
    throw new StatusException(
        StatusException.Reason.INVALID, "the patched object is not a JSON object");
  }

  private static void checkPreconditions(
      KindInfo kind, String name, StoredObject current, JsonNode preconditions) {
    if (preconditions == null || !preconditions.isObject()) {
      return;
    }
    String uid = preconditions.path("uid").asText("");
    if (!uid.isEmpty() && !uid.equals(current.uid())) {
      throw new StatusException(
          StatusException.Reason.CONFLICT,
          "Operation cannot be fulfilled on "
              + kind.qualifiedResource()
              + " \""
              + name
              + "\": Precondition failed: UID in precondition: "
              + uid
              + ", UID in object meta: "
              + current.uid(),
          name,
          kind.group(),
          kind.plural(),
          List.of());
    }
    String rv = preconditions.path("resourceVersion").asText("");
    if (!rv.isEmpty() && !rv.equals(Long.toString(current.resourceVersion()))) {
      throw new StatusException(
          StatusException.Reason.CONFLICT,
          "Operation cannot be fulfilled on "
              + kind.qualifiedResource()
              + " \""
              + name
              + "\": Precondition failed: ResourceVersion in precondition: "
              + rv
              + ", ResourceVersion in object meta: "
              + current.resourceVersion(),
          name,
          kind.group(),
          kind.plural(),
          List.of());
    }
  }

  private void checkTypeMeta(KindInfo kind, ObjectNode object) {
    String apiVersion = object.path("apiVersion").asText("");
    String kindName = object.path("kind").asText("");
    if (!apiVersion.isEmpty() && !apiVersion.equals(kind.apiVersion())) {
      throw StatusException.badRequest(
          "the API version in the data ("
              + apiVersion
              + ") does not match the expected API version ("
              + kind.apiVersion()
              + ")");
    }
    if (!kindName.isEmpty() && !kindName.equals(kind.kind())) {
      throw StatusException.badRequest(
          "the kind in the data ("
              + kindName
              + ") does not match the expected kind ("
              + kind.kind()
              + ")");
    }
  }

  private void checkApplyConfig(KindInfo kind, String ns, String name, ObjectNode applied) {
    if (applied.path("apiVersion").asText("").isEmpty()
        || applied.path("kind").asText("").isEmpty()) {
      throw StatusException.badRequest(
          "invalid object type: apiVersion and kind must be set in an apply patch");
    }
    checkTypeMeta(kind, applied);
    String bodyName = Json.meta(applied, "name");
    if (!bodyName.isEmpty() && !bodyName.equals(name)) {
      throw StatusException.badRequest(
          "the name of the object ("
              + bodyName
              + ") does not match the name on the URL ("
              + name
              + ")");
    }
    String bodyNs = Json.meta(applied, "namespace");
    if (kind.namespaced() && !bodyNs.isEmpty() && !bodyNs.equals(ns)) {
      throw StatusException.badRequest(
          "the namespace of the provided object does not match the namespace sent on the request");
    }
  }

  private String namespaceFor(KindInfo kind, String namespace, ObjectNode object) {
    if (!kind.namespaced()) {
      return "";
    }
    String bodyNs = Json.meta(object, "namespace");
    if (namespace == null || namespace.isEmpty()) {
      throw StatusException.badRequest(
          "the server could not find the requested resource (a namespace is required)");
    }
    if (!bodyNs.isEmpty() && !bodyNs.equals(namespace)) {
      throw StatusException.badRequest(
          "the namespace of the provided object does not match the namespace sent on the request");
    }
    return namespace;
  }

  private void requireNamespace(KindInfo kind, String ns) {
    if (!kind.namespaced()) {
      return;
    }
    KindInfo namespaces =
        registry
            .byResource("", "v1", "namespaces")
            .orElseThrow(() -> new IllegalStateException("no namespaces kind"));
    if (store.get(namespaces, "", ns) == null) {
      throw StatusException.notFound(namespaces, ns);
    }
  }

  private static String ns(KindInfo kind, String namespace) {
    return kind.namespaced() ? (namespace == null ? "" : namespace) : "";
  }

  private static ObjectNode successStatus(KindInfo kind, String name, String uid) {
    ObjectNode status = Json.MAPPER.createObjectNode();
    status.put("kind", "Status");
    status.put("apiVersion", "v1");
    status.putObject("metadata");
    status.put("status", "Success");
    ObjectNode details = status.putObject("details");
    details.put("name", name);
    if (!kind.group().isEmpty()) {
      details.put("group", kind.group());
    }
    details.put("kind", kind.plural());
    details.put("uid", uid);
    return status;
  }

  private String randomSuffix() {
    StringBuilder suffix = new StringBuilder(5);
    for (int i = 0; i < 5; i++) {
      suffix.append(NAME_CHARS.charAt(random.nextInt(NAME_CHARS.length())));
    }
    return suffix.toString();
  }

  private static String encodeContinue(long resourceVersion, String key) {
    ObjectNode token = Json.MAPPER.createObjectNode();
    token.put("v", "meta.k8s.io/v1");
    token.put("rv", resourceVersion);
    token.put("start", key);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(Json.bytes(token));
  }

  private static String decodeContinue(String token) {
    try {
      JsonNode node = Json.MAPPER.readTree(Base64.getUrlDecoder().decode(token));
      String start = node.path("start").asText("");
      if (start.isEmpty()) {
        throw StatusException.badRequest(
            "continue key is not valid: incorrect encoded start resourceVersion");
      }
      return start;
    } catch (java.io.IOException | IllegalArgumentException e) {
      throw StatusException.badRequest(
          "continue key is not valid: " + Json.firstLine(e.getMessage()));
    }
  }
}
