package dev.weir.engine.reconcile;

import dev.weir.engine.cluster.ClusterGateway;
import dev.weir.engine.cluster.Informer;
import dev.weir.engine.cluster.ResourceType;
import dev.weir.engine.model.LiveObject;
import dev.weir.engine.model.ResourceKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Live objects from informers: one cluster-wide informer per kind, started the first time the kind
 * is asked for; reads come from the store once it has synced, and from the API server before that.
 * Every change is also handed to {@code onChange}, so that the console can refresh the applications
 * it concerns.
 *
 * <p>Thread-safe. {@link #close()} stops every informer.
 */
public final class InformerLiveSource implements LiveSource, AutoCloseable {
  private final ClusterGateway gateway;
  private final Consumer<LiveObject> onChange;
  private final Map<String, Informer> informers = new ConcurrentHashMap<>();

  public InformerLiveSource(ClusterGateway gateway, Consumer<LiveObject> onChange) {
    this.gateway = gateway;
    this.onChange = onChange;
  }

  private Informer informer(ResourceType type) {
    return informers.computeIfAbsent(
        type.group() + "/" + type.kind(),
        k ->
            gateway.inform(
                type,
                "",
                "",
                new Informer.Listener() {
                  @Override
                  public void onUpsert(LiveObject object) {
                    onChange.accept(object);
                  }

                  @Override
                  public void onDelete(LiveObject object) {
                    onChange.accept(object);
                  }
                }));
  }

  /**
   * Watches {@code type} from now on even when no application has objects of it: changes of
   * objects made beside the applications (a rollout's state ConfigMap, written by another console)
   * reach {@code onChange} too.
   */
  public void watch(ResourceType type) {
    informer(type);
  }

  @Override
  public Optional<LiveObject> get(ResourceKey key) {
    Informer informer = informer(gateway.resourceType(key));
    return informer.hasSynced() ? informer.get(key) : gateway.get(key);
  }

  @Override
  public List<LiveObject> tracked(String application, Collection<ResourceType> types) {
    List<LiveObject> result = new ArrayList<>();
    for (ResourceType type : types) {
      Informer informer = informer(type);
      Collection<LiveObject> objects =
          informer.hasSynced() ? informer.objects() : gateway.list(type, "", Tracking.SELECTOR);
      for (LiveObject object : objects) {
        if (Tracking.isTrackedBy(object, application)) {
          result.add(object);
        }
      }
    }
    return result;
  }

  /** How many objects the informers hold. */
  public int size() {
    return informers.values().stream().mapToInt(Informer::size).sum();
  }

  @Override
  public void close() {
    informers.values().forEach(Informer::close);
    informers.clear();
  }
}
