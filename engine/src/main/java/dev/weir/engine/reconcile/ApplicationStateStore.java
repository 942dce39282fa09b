package dev.weir.engine.reconcile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.engine.cluster.ApplyOptions;
import dev.weir.engine.cluster.ClusterGateway;
import dev.weir.engine.cluster.ResourceType;
import dev.weir.engine.model.Application;
import dev.weir.engine.model.LiveObject;
import dev.weir.engine.model.ResourceKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Keeps each application's {@link ApplicationState} in the cluster, in the ConfigMap {@code
 * weir-state-NAME} of the application's namespace ({@code default} for an application without one),
 * data key {@code state.json}; and the freeze of every application in {@code weir-state} of {@code
 * default}. The ConfigMaps carry the label {@code weir.dev/state: "true"}, never Weir's tracking
 * label, so no prune can remove them. Written by server-side apply as {@code weir-state}.
 *
 * <p>The application's namespace is created (applied, untracked) when it does not exist yet.
 *
 * <p>Thread-safe; blocking.
 */
public final class ApplicationStateStore {
  static final String FIELD_MANAGER = "weir-state";
  static final String DATA_KEY = "state.json";
  static final String GLOBAL = "weir-state";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ClusterGateway gateway;

  public ApplicationStateStore(ClusterGateway gateway) {
    this.gateway = gateway;
  }

  /** The namespace holding an application's state and Lease. */
  public static String namespaceOf(Application application) {
    return application.namespace().isEmpty() ? "default" : application.namespace();
  }

  public static String configMapName(Application application) {
    return "weir-state-" + application.name();
  }

  /** The state kept for {@code application}; empty state when none is kept yet. */
  public ApplicationState load(Application application) {
    Optional<LiveObject> map =
        gateway.get(
            new ResourceKey("", "ConfigMap", namespaceOf(application), configMapName(application)));
    return map.map(ApplicationStateStore::decode).orElse(ApplicationState.EMPTY);
  }

  /** Keeps {@code state} for {@code application}. */
  public void save(Application application, ApplicationState state) {
    ensureNamespace(namespaceOf(application));
    gateway.apply(
        configMap(namespaceOf(application), configMapName(application), encode(state)),
        new ApplyOptions(FIELD_MANAGER, true, false));
  }

  /** The freeze of every application, if any. */
  public Optional<Freeze> loadGlobalFreeze() {
    return gateway
        .get(new ResourceKey("", "ConfigMap", "default", GLOBAL))
        .map(ApplicationStateStore::decode)
        .flatMap(ApplicationState::freeze);
  }

  public void saveGlobalFreeze(Optional<Freeze> freeze) {
    gateway.apply(
        configMap("default", GLOBAL, encode(ApplicationState.EMPTY.withFreeze(freeze))),
        new ApplyOptions(FIELD_MANAGER, true, false));
  }

  /**
   * Makes {@code namespace} (applied, untracked) when it does not exist yet.
   *
   * @return whether it did not exist
   */
  boolean ensureNamespace(String namespace) {
    if (gateway.get(new ResourceKey("", "Namespace", "", namespace)).isEmpty()) {
      gateway.apply(
          Map.of("apiVersion", "v1", "kind", "Namespace", "metadata", Map.of("name", namespace)),
          new ApplyOptions(FIELD_MANAGER, false, false));
      return true;
    }
    return false;
  }

  private static Map<String, Object> configMap(String namespace, String name, String json) {
    return Map.of(
        "apiVersion",
        "v1",
        "kind",
        "ConfigMap",
        "metadata",
        Map.of("name", name, "namespace", namespace, "labels", Map.of("weir.dev/state", "true")),
        "data",
        Map.of(DATA_KEY, json));
  }

  static String encode(ApplicationState state) {
    Map<String, Object> root = new LinkedHashMap<>();
    state
        .freeze()
        .ifPresent(
            f ->
                root.put(
                    "freeze",
                    Map.of(
                        "reason",
                        f.reason(),
                        "by",
                        f.by(),
                        "since",
                        f.since().toString(),
                        "until",
                        f.until().toString())));
    state
        .pin()
        .ifPresent(
            p ->
                root.put(
                    "pin",
                    Map.of(
                        "revision",
                        p.revision(),
                        "reason",
                        p.reason(),
                        "by",
                        p.by(),
                        "since",
                        p.since().toString(),
                        "localCommit",
                        p.localCommit())));
    List<Object> hotfixes = new ArrayList<>();
    for (Hotfix h : state.hotfixes()) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("group", h.key().group());
      entry.put("kind", h.key().kind());
      entry.put("namespace", h.key().namespace());
      entry.put("name", h.key().name());
      entry.put("pointer", h.pointer());
      entry.put("reason", h.reason());
      entry.put("by", h.by());
      entry.put("since", h.since().toString());
      entry.put("until", h.until().toString());
      hotfixes.add(entry);
    }
    root.put("hotfixes", hotfixes);
    state
        .lastSync()
        .ifPresent(
            s ->
                root.put(
                    "lastSync",
                    Map.of(
                        "revision",
                        s.revision(),
                        "outcome",
                        s.outcome().name(),
                        "message",
                        s.message(),
                        "at",
                        s.at().toString(),
                        "by",
                        s.by())));
    List<Object> inventory = new ArrayList<>();
    for (ResourceType t : state.inventory()) {
      inventory.add(
          Map.of(
              "group",
              t.group(),
              "version",
              t.version(),
              "kind",
              t.kind(),
              "plural",
              t.plural(),
              "namespaced",
              t.namespaced()));
    }
    root.put("inventory", inventory);
    try {
      return JSON.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  @SuppressWarnings("unchecked")
  static ApplicationState decode(LiveObject configMap) {
    Object data = configMap.object().get("data");
    if (!(data instanceof Map<?, ?> map) || !(map.get(DATA_KEY) instanceof String text)) {
      return ApplicationState.EMPTY;
    }
    Map<String, Object> root;
    try {
      root = JSON.readValue(text, Map.class);
    } catch (JsonProcessingException e) {
      return ApplicationState
          .EMPTY; // a state nobody can read is no state; the next save replaces it
    }
    Optional<Freeze> freeze =
        Optional.ofNullable((Map<String, Object>) root.get("freeze"))
            .map(
                f ->
                    new Freeze(
                        s(f, "reason"),
                        s(f, "by"),
                        Instant.parse(s(f, "since")),
                        Instant.parse(s(f, "until"))));
    Optional<Pin> pin =
        Optional.ofNullable((Map<String, Object>) root.get("pin"))
            .map(
                p ->
                    new Pin(
                        s(p, "revision"),
                        s(p, "reason"),
                        s(p, "by"),
                        Instant.parse(s(p, "since")),
                        s(p, "localCommit")));
    List<Hotfix> hotfixes = new ArrayList<>();
    for (Object item : (List<Object>) root.getOrDefault("hotfixes", List.of())) {
      Map<String, Object> h = (Map<String, Object>) item;
      hotfixes.add(
          new Hotfix(
              new ResourceKey(s(h, "group"), s(h, "kind"), s(h, "namespace"), s(h, "name")),
              s(h, "pointer"),
              s(h, "reason"),
              s(h, "by"),
              Instant.parse(s(h, "since")),
              Instant.parse(s(h, "until"))));
    }
    Optional<LastSync> lastSync =
        Optional.ofNullable((Map<String, Object>) root.get("lastSync"))
            .map(
                l ->
                    new LastSync(
                        s(l, "revision"),
                        SyncResult.Outcome.valueOf(s(l, "outcome")),
                        s(l, "message"),
                        Instant.parse(s(l, "at")),
                        s(l, "by")));
    List<ResourceType> inventory = new ArrayList<>();
    for (Object item : (List<Object>) root.getOrDefault("inventory", List.of())) {
      Map<String, Object> t = (Map<String, Object>) item;
      inventory.add(
          new ResourceType(
              s(t, "group"),
              s(t, "version"),
              s(t, "kind"),
              s(t, "plural"),
              Boolean.TRUE.equals(t.get("namespaced")),
              List.of(),
              List.of()));
    }
    return new ApplicationState(freeze, pin, hotfixes, lastSync, inventory);
  }

  private static String s(Map<String, Object> map, String key) {
    Object value = map.get(key);
    return value == null ? "" : String.valueOf(value);
  }
}
