package dev.weir.sandbox.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * One committed change of the sandbox's objects, as {@link SandboxObjects#subscribe} delivers it:
 * what happened, to which object, at which resourceVersion, and the object itself (after the
 * change; for a deletion, as it was when deleted).
 *
 * <p>Immutable; {@link #object()} parses a fresh mutable copy at each call.
 */
public final class ObjectChange {
  /** What happened. */
  public enum Type {
    ADDED,
    MODIFIED,
    DELETED
  }

  private final Type type;
  private final StoredObject stored;

  ObjectChange(Type type, StoredObject stored) {
    this.type = type;
    this.stored = stored;
  }

  public Type type() {
    return type;
  }

  /** The kind as served, e.g. {@code Deployment}. */
  public String kind() {
    return stored.kind().kind();
  }

  /** The kind's apiVersion, e.g. {@code apps/v1}. */
  public String apiVersion() {
    return stored.kind().apiVersion();
  }

  /** The namespace, {@code ""} for cluster-scoped objects. */
  public String namespace() {
    return stored.namespace();
  }

  public String name() {
    return stored.name();
  }

  public String uid() {
    return stored.uid();
  }

  public long resourceVersion() {
    return stored.resourceVersion();
  }

  /** {@code metadata.labels}, without parsing the object. */
  public Map<String, String> labels() {
    return stored.labels();
  }

  /** The uids in {@code metadata.ownerReferences}, without parsing the object. */
  public List<String> ownerUids() {
    return stored.ownerUids();
  }

  /** The object, freshly parsed. */
  public ObjectNode object() {
    return stored.tree();
  }

  @Override
  public String toString() {
    return type + " " + kind() + " " + stored.key() + "@" + stored.resourceVersion();
  }
}
