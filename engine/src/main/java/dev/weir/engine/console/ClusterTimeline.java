package dev.weir.engine.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.engine.cluster.ApplyOptions;
import dev.weir.engine.cluster.ClusterError;
import dev.weir.engine.cluster.ClusterException;
import dev.weir.engine.cluster.ClusterGateway;
import dev.weir.engine.cluster.ResourceType;
import dev.weir.engine.model.LiveObject;
import dev.weir.engine.model.ResourceKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a timeline needs, kept in the cluster so that it outlives the console that saw it (decision
 * 0017): a console opened in the middle of an incident reads the last hour back from here.
 *
 * <p>Two sources. (1) The Kubernetes {@code Event}s the rollout engine writes for every rollout
 * transition and measurement ({@code reportingComponent: weir-rollout}, labelled {@code
 * app.kubernetes.io/managed-by: weir} and {@code rollouts.weir.dev/rollout}, annotations {@code
 * rollouts.weir.dev/who|from|to|metrics|application}); a cluster drops them after its event TTL
 * (an hour by default). (2) A bounded record per application, the ConfigMap {@code
 * weir-timeline-APP} beside the application's state ({@code weir-state-APP}), labelled {@code
 * weir.dev/timeline: "true"}: its {@code events} entry holds the application's newest {@link #KEPT}
 * structured events (syncs and who started them, drift, rollout transitions, measurements,
 * commands) as JSON. Git commits are not kept: Git has them.
 *
 * <p>Writes read the record, merge, keep the newest {@link #KEPT}, and server-side apply with the
 * resourceVersion read (field manager {@code weir-timeline}), retrying on a conflict, so two
 * consoles appending at once lose nothing. Thread-safe; blocking (network I/O).
 */
public final class ClusterTimeline {
  /** How many events each application's record keeps. */
  public static final int KEPT = 200;

  static final String FIELD_MANAGER = "weir-timeline";
  static final String LABEL = "weir.dev/timeline";
  static final String APPLICATION_ANNOTATION = "rollouts.weir.dev/application";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ClusterGateway gateway;

  public ClusterTimeline(ClusterGateway gateway) {
    this.gateway = gateway;
  }

  /** {@code weir-timeline-storefront}. */
  public static String configMapName(String application) {
    return "weir-timeline-" + application;
  }

  /** Adds {@code events} of {@code application} to its record in {@code namespace}. */
  public void append(String namespace, String application, List<ConsoleEvent> events) {
    if (events.isEmpty()) {
      return;
    }
    ResourceKey key = new ResourceKey("", "ConfigMap", namespace, configMapName(application));
    for (int attempt = 1; ; attempt++) {
      Optional<LiveObject> live = gateway.get(key);
      List<ConsoleEvent> kept = new ArrayList<>(live.map(ClusterTimeline::decode).orElse(List.of()));
      for (ConsoleEvent event : events) {
        if (!kept.contains(event)) {
          kept.add(event);
        }
      }
      kept.sort(Comparator.comparing(ConsoleEvent::at));
      List<ConsoleEvent> bounded = kept.subList(Math.max(0, kept.size() - KEPT), kept.size());
      Map<String, Object> metadata = new LinkedHashMap<>();
      metadata.put("name", key.name());
      metadata.put("namespace", namespace);
      metadata.put("labels", Map.of(LABEL, "true"));
      live.ifPresent(l -> metadata.put("resourceVersion", l.resourceVersion()));
      Map<String, Object> object = new LinkedHashMap<>();
      object.put("apiVersion", "v1");
      object.put("kind", "ConfigMap");
      object.put("metadata", metadata);
      object.put("data", Map.of("events", encode(bounded)));
      try {
        gateway.apply(object, new ApplyOptions(FIELD_MANAGER, true, false));
        return;
      } catch (ClusterException e) {
        boolean raced =
            e.error().reason() == ClusterError.Reason.CONFLICT
                || e.error().reason() == ClusterError.Reason.ALREADY_EXISTS;
        if (!raced || attempt >= 5) {
          throw e;
        }
      }
    }
  }

  /** The events kept for {@code application} at or after {@code since}, oldest first. */
  public List<ConsoleEvent> read(String namespace, String application, Instant since) {
    return gateway
        .get(new ResourceKey("", "ConfigMap", namespace, configMapName(application)))
        .map(ClusterTimeline::decode)
        .orElse(List.of())
        .stream()
        .filter(e -> !e.at().isBefore(since))
        .toList();
  }

  /**
   * The rollout engine's Kubernetes Events in {@code namespaces} at or after {@code since}, as
   * console events of the application each names ({@code rolloutApplications}, rollout →
   * application, for Events written before they named it).
   */
  public List<ConsoleEvent> rolloutEvents(
      Set<String> namespaces, Map<String, String> rolloutApplications, Instant since) {
    ResourceType type = gateway.resourceType("v1", "Event");
    List<ConsoleEvent> out = new ArrayList<>();
    for (String namespace : namespaces) {
      for (LiveObject object :
          gateway.list(type, namespace, "app.kubernetes.io/managed-by=weir")) {
        fromKubernetes(object, rolloutApplications)
            .filter(e -> !e.at().isBefore(since))
            .ifPresent(out::add);
      }
    }
    out.sort(Comparator.comparing(ConsoleEvent::at));
    return out;
  }

  static Optional<ConsoleEvent> fromKubernetes(
      LiveObject object, Map<String, String> rolloutApplications) {
    Object rollout = object.labels().get("rollouts.weir.dev/rollout");
    Optional<Object> when = object.at("lastTimestamp").or(() -> object.at("firstTimestamp"));
    Optional<Object> reason = object.at("reason");
    if (!(rollout instanceof String name) || when.isEmpty() || reason.isEmpty()) {
      return Optional.empty();
    }
    Map<String, Object> annotations = object.annotations();
    String application =
        annotations.get(APPLICATION_ANNOTATION) instanceof String a
            ? a
            : rolloutApplications.getOrDefault(name, name);
    Map<String, String> metrics = new LinkedHashMap<>();
    if (annotations.get("rollouts.weir.dev/metrics") instanceof String text) {
      try {
        metrics.putAll(JSON.readValue(text, new TypeReference<Map<String, String>>() {}));
      } catch (JsonProcessingException e) {
        // a hand-edited annotation: the event is still worth showing
      }
    }
    return Optional.of(
        ConsoleEvents.ofRollout(
            Instant.parse(String.valueOf(when.get())),
            application,
            name,
            reasonName(String.valueOf(reason.get())),
            String.valueOf(annotations.getOrDefault("rollouts.weir.dev/who", "")),
            String.valueOf(object.at("message").orElse("")),
            metrics));
  }

  /** {@code RolledBack} → {@code ROLLED_BACK}. */
  static String reasonName(String word) {
    return word.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
  }

  static String encode(List<ConsoleEvent> events) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (ConsoleEvent event : events) {
      Map<String, Object> one = new LinkedHashMap<>();
      one.put("at", event.at().toString());
      one.put("application", event.application());
      one.put("kind", event.kind().name());
      one.put("severity", event.severity().name());
      one.put("who", event.who());
      one.put("what", event.message());
      one.put("values", event.values());
      out.add(one);
    }
    try {
      return JSON.writeValueAsString(out);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static List<ConsoleEvent> decode(LiveObject configMap) {
    Object text = configMap.at("data.events").orElse(null);
    if (!(text instanceof String json)) {
      return List.of();
    }
    try {
      List<Map<String, Object>> raw =
          JSON.readValue(json, new TypeReference<List<Map<String, Object>>>() {});
      List<ConsoleEvent> out = new ArrayList<>();
      for (Map<String, Object> one : raw) {
        try {
          Map<String, String> values = new LinkedHashMap<>();
          if (one.get("values") instanceof Map<?, ?> map) {
            map.forEach((k, v) -> values.put(String.valueOf(k), String.valueOf(v)));
          }
          out.add(
              new ConsoleEvent(
                  Instant.parse(String.valueOf(one.get("at"))),
                  String.valueOf(one.getOrDefault("application", "")),
                  ConsoleEvent.Kind.valueOf(String.valueOf(one.get("kind"))),
                  Severity.valueOf(String.valueOf(one.get("severity"))),
                  String.valueOf(one.getOrDefault("who", "")),
                  String.valueOf(one.getOrDefault("what", "")),
                  values));
        } catch (RuntimeException e) {
          // an entry of a newer Weir (another kind): skipped, the rest still reads
        }
      }
      return out;
    } catch (JsonProcessingException e) {
      return List.of();
    }
  }
}
