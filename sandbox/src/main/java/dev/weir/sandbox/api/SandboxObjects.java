package dev.weir.sandbox.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * In-process access to the sandbox API server's objects, for the parts of the sandbox that live in
 * the same process as the server (its simulated controllers, traffic and seeding). Every write goes
 * through the same verbs as an HTTP request — validation, defaults, generation, resourceVersion
 * preconditions, field managers, owner cascades, events to watches — so what a controller does here
 * is exactly what a client would see it do over HTTP.
 *
 * <p>Objects are handed out as fresh, mutable Jackson trees; changing one changes nothing until it
 * is written. Refusals are {@link SandboxApiException}s with the status an HTTP client would get.
 *
 * <p>Thread-safe. Subscribers are called on the writing thread, after the write is committed and
 * the store's lock released; they must be quick and must not block.
 */
public final class SandboxObjects {
  private final KindRegistry registry;
  private final ObjectStore store;
  private final ResourceHandler resources;

  SandboxObjects(KindRegistry registry, ObjectStore store, ResourceHandler resources) {
    this.registry = registry;
    this.store = store;
    this.resources = resources;
  }

  /** The kinds served. */
  public KindRegistry kinds() {
    return registry;
  }

  /** The current resourceVersion of the whole store. */
  public long resourceVersion() {
    return store.resourceVersion();
  }

  /** One object, if it exists. */
  public Optional<ObjectNode> get(String apiVersion, String kind, String namespace, String name) {
    KindInfo info = kind(apiVersion, kind);
    StoredObject object = store.get(info, info.namespaced() ? namespace : "", name);
    return Optional.ofNullable(object).map(StoredObject::tree);
  }

  /**
   * Every object of a kind in {@code namespace} (null: every namespace), in namespace/name order.
   */
  public List<ObjectNode> list(String apiVersion, String kind, String namespace) {
    return list(apiVersion, kind, namespace, o -> true);
  }

  /** The objects of a kind in {@code namespace} whose labels include all of {@code matchLabels}. */
  public List<ObjectNode> listMatching(
      String apiVersion, String kind, String namespace, Map<String, String> matchLabels) {
    return list(
        apiVersion,
        kind,
        namespace,
        o -> o.labels().entrySet().containsAll(matchLabels.entrySet()));
  }

  /** The objects of a kind in {@code namespace} whose ownerReferences name {@code ownerUid}. */
  public List<ObjectNode> listOwnedBy(
      String apiVersion, String kind, String namespace, String ownerUid) {
    return list(apiVersion, kind, namespace, o -> o.ownerUids().contains(ownerUid));
  }

  private List<ObjectNode> list(
      String apiVersion, String kind, String namespace, Predicate<StoredObject> filter) {
    KindInfo info = kind(apiVersion, kind);
    ObjectStore.Listing listing =
        store.list(info, info.namespaced() ? namespace : null, filter, null, 0);
    List<ObjectNode> items = new ArrayList<>(listing.items().size());
    for (StoredObject object : listing.items()) {
      items.add(object.tree());
    }
    return items;
  }

  /** Creates {@code object} (its apiVersion and kind say where); returns it as stored. */
  public ObjectNode create(ObjectNode object, String manager) {
    KindInfo info = kindOf(object);
    return call(
        () ->
            resources.create(
                info, Json.meta(object, "namespace"), normalised(object), options(manager, false)));
  }

  /**
   * Replaces the object (a PUT). When {@code metadata.resourceVersion} is set, the write is refused
   * with 409 if the object changed since; status is kept for kinds with a status subresource.
   */
  public ObjectNode update(ObjectNode object, String manager) {
    return put(object, manager, false);
  }

  /** Replaces the object's {@code status} through the status subresource (a PUT). */
  public ObjectNode updateStatus(ObjectNode object, String manager) {
    return put(object, manager, true);
  }

  private ObjectNode put(ObjectNode object, String manager, boolean status) {
    KindInfo info = kindOf(object);
    return call(
        () ->
            resources.update(
                info,
                Json.meta(object, "namespace"),
                Json.meta(object, "name"),
                status,
                normalised(object),
                options(manager, false)));
  }

  /** A JSON merge patch (RFC 7386) of the main resource, as {@code kubectl patch --type merge}. */
  public ObjectNode mergePatch(
      String apiVersion,
      String kind,
      String namespace,
      String name,
      ObjectNode patch,
      String manager) {
    KindInfo info = kind(apiVersion, kind);
    return call(
        () ->
            resources.patch(
                info,
                namespace,
                name,
                false,
                ResourceHandler.PatchType.MERGE,
                ResourceHandler.PatchType.MERGE.mediaType,
                Json.bytes(patch),
                options(manager, false)));
  }

  /** Server-side apply of {@code object} by {@code manager}; creates it when absent. */
  public ObjectNode apply(ObjectNode object, String manager, boolean force) {
    KindInfo info = kindOf(object);
    return call(
        () ->
            resources.patch(
                info,
                Json.meta(object, "namespace"),
                Json.meta(object, "name"),
                false,
                ResourceHandler.PatchType.APPLY,
                "application/apply-patch+yaml",
                Json.bytes(object),
                new ResourceHandler.WriteOptions(manager, true, false, force)));
  }

  /**
   * Deletes an object (dependents go too, in the background, as with a real server's default
   * propagation); returns false when it did not exist.
   */
  public boolean delete(String apiVersion, String kind, String namespace, String name) {
    KindInfo info = kind(apiVersion, kind);
    try {
      resources.delete(info, namespace, name, null, null, options("", false));
      return true;
    } catch (StatusException e) {
      if (e.reason() == StatusException.Reason.NOT_FOUND) {
        return false;
      }
      throw SandboxApiException.of(e);
    }
  }

  /**
   * Hands every committed change to {@code listener} until the returned handle is closed. Changes
   * of concurrent writers may arrive out of resourceVersion order: compare {@link
   * ObjectChange#resourceVersion()} when order matters.
   */
  public AutoCloseable subscribe(Consumer<ObjectChange> listener) {
    Runnable remove =
        store.onEvent(
            event ->
                listener.accept(
                    new ObjectChange(
                        ObjectChange.Type.valueOf(event.type().name()), event.object())));
    return remove::run;
  }

  private KindInfo kindOf(ObjectNode object) {
    return kind(object.path("apiVersion").asText(""), object.path("kind").asText(""));
  }

  private KindInfo kind(String apiVersion, String kind) {
    return registry
        .byKind(apiVersion, kind)
        .orElseThrow(
            () ->
                new SandboxApiException(
                    404,
                    "NotFound",
                    "the server could not find the requested resource: "
                        + kind
                        + " in "
                        + apiVersion));
  }

  /**
   * A copy of {@code object} as the server would parse it from the wire: numbers in their smallest
   * node type, so that a value written in-process compares equal to the same value read back.
   */
  private static ObjectNode normalised(ObjectNode object) {
    return Json.parseStored(Json.bytes(object));
  }

  private static ResourceHandler.WriteOptions options(String manager, boolean force) {
    return new ResourceHandler.WriteOptions(manager, true, false, force);
  }

  private interface Call {
    ResourceHandler.Result run();
  }

  private static ObjectNode call(Call call) {
    try {
      ResourceHandler.Result result = call.run();
      return Json.parseStored(result.body());
    } catch (StatusException e) {
      throw SandboxApiException.of(e);
    }
  }
}
