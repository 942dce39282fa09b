package dev.weir.engine.cluster;

import dev.weir.engine.model.LiveObject;
import dev.weir.engine.model.ResourceKey;
import java.util.Collection;
import java.util.Optional;

/**
 * The live objects of one kind, kept current by a watch: a local store that is listed first, then
 * updated by every event, and listed again after any reconnect. Level-based: a listener should
 * re-read the store, not accumulate deltas.
 *
 * <p>Threading: the store is safe to read from any thread at any time; listener callbacks come on
 * the informer's own thread, one at a time, and must not block for long.
 */
public interface Informer extends AutoCloseable {

  /** The kind this informer watches. */
  ResourceType type();

  /** Whether the first list has completed, so the store is complete. */
  boolean hasSynced();

  /** The stored object. */
  Optional<LiveObject> get(ResourceKey key);

  /** Every stored object, a point-in-time copy. */
  Collection<LiveObject> objects();

  /** How many objects the store holds. */
  int size();

  /** Stops watching; idempotent. */
  @Override
  void close();

  /** What an informer tells its user. */
  interface Listener {

    /** An object was added or changed ({@code object} is the new state). */
    default void onUpsert(LiveObject object) {}

    /** An object was deleted ({@code object} is its last state). */
    default void onDelete(LiveObject object) {}

    /** A full list completed (the first one, and every resync after a reconnect). */
    default void onSynced(ResourceType type) {}

    /** The watch broke; the informer will reconnect after a backoff. */
    default void onError(ClusterError error) {}
  }
}
