package dev.weir.engine.rollout;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.engine.cluster.ApplyOptions;
import dev.weir.engine.cluster.ClusterGateway;
import dev.weir.engine.model.LiveObject;
import dev.weir.engine.time.EngineClock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One rollout's record in the cluster (the ConfigMap of {@link RolloutStateStore}): its state, the
 * phase and message for {@code kubectl}, and the pod templates a rollback needs. Caches what it
 * wrote or read last, so that a pass does not read it again; {@link #forget} makes the next {@link
 * #load} read what other consoles may have written. Also the template cache of the rollout (by
 * hash), which the record carries.
 *
 * <p>Thread-safe; a rollout's passes use it one at a time.
 */
final class RolloutRecordStore {
  private static final Logger LOG = LoggerFactory.getLogger(RolloutRecordStore.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ApplyOptions WRITE =
      new ApplyOptions(RolloutExecutor.FIELD_MANAGER, true, false);

  /** A pass's read of the recorded state. */
  record Record(Optional<RolloutState> state, String resourceVersion) {}

  private final ClusterGateway cluster;
  private final EngineClock clock;
  private final Map<String, Map<String, Object>> templates = new ConcurrentHashMap<>();

  /** The record as this store last wrote or read it; null when it must be read from the cluster. */
  private volatile Record written;

  RolloutRecordStore(ClusterGateway cluster, EngineClock clock) {
    this.cluster = cluster;
    this.clock = clock;
  }

  /** The pod templates known by hash: Git's, the live Deployments', the recorded ones. */
  Map<String, Map<String, Object>> templates() {
    return templates;
  }

  /** The record as last written or read, or null when the next {@link #load} reads it. */
  Record cached() {
    return written;
  }

  /** Forgets the cached record. */
  void forget() {
    written = null;
  }

  @SuppressWarnings("unchecked")
  /**
   * The record: what this store wrote or read last, else read from the cluster (templates recorded
   * with it are learnt). A record that cannot be decoded is an {@link
   * RolloutRunner.ActionException}.
   */
  Record load(RolloutSpec spec) {
    Record cached = written;
    if (cached != null) {
      return cached; // what this runner wrote last; a change by anyone else makes the save conflict
    }
    Optional<LiveObject> configMap = cluster.get(RolloutStateStore.key(spec));
    if (configMap.isEmpty()) {
      return new Record(Optional.empty(), "");
    }
    Map<String, Object> data =
        (Map<String, Object>) configMap.get().object().getOrDefault("data", Map.of());
    data.forEach(
        (key, value) -> {
          if (key.startsWith("template.")) {
            try {
              templates.putIfAbsent(
                  key.substring("template.".length()),
                  JSON.readValue(String.valueOf(value), Map.class));
            } catch (JsonProcessingException e) {
              LOG.warn("rollout {}: unreadable recorded template {}", spec.qualifiedName(), key);
            }
          }
        });
    Object recorded = data.get("state");
    if (recorded == null) {
      return new Record(Optional.empty(), configMap.get().resourceVersion());
    }
    try {
      Record read =
          new Record(
              Optional.of(RolloutStateCodec.decode(String.valueOf(recorded))),
              configMap.get().resourceVersion());
      written = read; // until the next refresh; a change by anyone else makes the save conflict
      return read;
    } catch (IllegalArgumentException e) {
      throw new RolloutRunner.ActionException(
          "ConfigMap "
              + RolloutStateStore.key(spec).namespace()
              + "/"
              + RolloutStateStore.key(spec).name()
              + ": "
              + e.getMessage());
    }
  }

  /**
   * Records {@code state} with the resourceVersion it was decided on (a change by anyone else
   * meanwhile makes it a conflict), with the stable template ({@code stableLive}'s, known as {@code
   * stableLiveRef}, when not known yet) so that a rollback can restore it.
   */
  void save(
      RolloutSpec spec,
      RolloutState state,
      String resourceVersion,
      LiveObject stableLive,
      PodTemplateRef stableLiveRef) {
    RolloutStatus summary = RolloutStatus.of(state, spec, clock.instant());
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("state", RolloutStateCodec.encode(state));
    data.put("phase", summary.phase().word());
    data.put("message", summary.message());
    data.put("step", String.valueOf(summary.step()));
    data.put("weight", String.valueOf(summary.weight()));
    summary.analysis().ifPresent(a -> data.put("analysis", a.describe()));
    summary.background().ifPresent(a -> data.put("backgroundAnalysis", a.describe()));
    PodTemplateRef stable = RolloutViews.stableOf(state);
    Map<String, Object> stableTemplate = templates.get(stable.hash());
    if (stableTemplate == null
        && stableLive != null
        && stableLiveRef.hash().equals(stable.hash())) {
      stableTemplate = EffectPerformer.liveTemplate(stableLive);
      templates.put(stable.hash(), stableTemplate);
    }
    if (stableTemplate != null) {
      try {
        data.put("template." + stable.hash(), JSON.writeValueAsString(stableTemplate));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("name", RolloutStateStore.key(spec).name());
    metadata.put("namespace", spec.namespace());
    metadata.put(
        "labels",
        Map.of(RolloutOwnership.MANAGED_BY, "weir", RolloutRunner.ROLLOUT_LABEL, spec.name()));
    if (!resourceVersion.isEmpty()) {
      metadata.put("resourceVersion", resourceVersion);
    }
    Map<String, Object> configMap = new LinkedHashMap<>();
    configMap.put("apiVersion", "v1");
    configMap.put("kind", "ConfigMap");
    configMap.put("metadata", metadata);
    configMap.put("data", data);
    LiveObject stored = cluster.apply(configMap, WRITE);
    written = new Record(Optional.of(state), stored.resourceVersion());
  }
}
