package dev.weir.engine.reconcile;

import dev.weir.engine.cluster.ClusterGateway;
import dev.weir.engine.cluster.ResourceType;
import dev.weir.engine.model.LiveObject;
import dev.weir.engine.model.ResourceKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Where the reconciler reads live objects from: straight from the API server (one-shot commands),
 * or from informers' stores (the console and {@code weir reconcile --watch}).
 *
 * <p>Implementations are thread-safe; reads may block on the network and throw {@link
 * dev.weir.engine.cluster.ClusterException}.
 */
public interface LiveSource {

  /** The object, or empty when the cluster does not have it. */
  Optional<LiveObject> get(ResourceKey key);

  /** Every object of these kinds tracked as {@code application}'s (label and annotation). */
  List<LiveObject> tracked(String application, Collection<ResourceType> types);

  /** Reads every time from the API server. */
  static LiveSource direct(ClusterGateway gateway) {
    return new LiveSource() {
      @Override
      public Optional<LiveObject> get(ResourceKey key) {
        return gateway.get(key);
      }

      @Override
      public List<LiveObject> tracked(String application, Collection<ResourceType> types) {
        List<LiveObject> result = new ArrayList<>();
        for (ResourceType type : types) {
          for (LiveObject object : gateway.list(type, "", Tracking.SELECTOR)) {
            if (Tracking.isTrackedBy(object, application)) {
              result.add(object);
            }
          }
        }
        return result;
      }
    };
  }
}
