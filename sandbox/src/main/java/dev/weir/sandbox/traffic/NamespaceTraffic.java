package dev.weir.sandbox.traffic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.sandbox.SandboxAnnotations;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The traffic of one namespace, worked out from its objects: which Services have which ready
 * endpoints, which entries receive requests (every router — HTTPRoute, VirtualService,
 * TrafficSplit, NGINX Ingress group — and every Service no router sends to), and for each entry how
 * its requests split over versions ({@link TrafficFlow}).
 *
 * <p>A pure function of the objects given; immutable once built.
 */
public final class NamespaceTraffic {
  /**
   * The label Weir's rollouts give every pod of a rolled-out workload: its pod template's hash. The
   * traffic keeps pods with different values apart, so the canary's metrics are not the stable's.
   */
  public static final String TEMPLATE_HASH_LABEL = "rollouts.weir.dev/pod-template-hash";

  private final String namespace;
  private final Map<String, List<Endpoint>> endpoints;
  private final List<Entry> entries;
  private final List<TrafficFlow> flows;

  /** One entry: its router, request rate and request classes. */
  public record Entry(Router router, double rate, List<RequestClass> classes) {}

  /**
   * The objects of one namespace that traffic depends on.
   *
   * @param configMaps the namespace's ConfigMaps; those labelled {@value FlagConfigMaps#LABEL}
   *     serve the flags that split pods' requests
   * @param destinationRules the namespace's Istio DestinationRules, whose subsets VirtualServices
   *     name
   */
  public record Inputs(
      List<? extends JsonNode> services,
      List<? extends JsonNode> pods,
      List<? extends JsonNode> httpRoutes,
      List<? extends JsonNode> virtualServices,
      List<? extends JsonNode> trafficSplits,
      List<? extends JsonNode> ingresses,
      List<? extends JsonNode> configMaps,
      List<? extends JsonNode> destinationRules) {
    /** The objects of a namespace without DestinationRules. */
    public Inputs(
        List<? extends JsonNode> services,
        List<? extends JsonNode> pods,
        List<? extends JsonNode> httpRoutes,
        List<? extends JsonNode> virtualServices,
        List<? extends JsonNode> trafficSplits,
        List<? extends JsonNode> ingresses,
        List<? extends JsonNode> configMaps) {
      this(
          services,
          pods,
          httpRoutes,
          virtualServices,
          trafficSplits,
          ingresses,
          configMaps,
          List.of());
    }

    /** The objects of a namespace without flags. */
    public Inputs(
        List<? extends JsonNode> services,
        List<? extends JsonNode> pods,
        List<? extends JsonNode> httpRoutes,
        List<? extends JsonNode> virtualServices,
        List<? extends JsonNode> trafficSplits,
        List<? extends JsonNode> ingresses) {
      this(services, pods, httpRoutes, virtualServices, trafficSplits, ingresses, List.of());
    }
  }

  private NamespaceTraffic(
      String namespace,
      Map<String, List<Endpoint>> endpoints,
      List<Entry> entries,
      List<TrafficFlow> flows) {
    this.namespace = namespace;
    this.endpoints = endpoints;
    this.entries = entries;
    this.flows = flows;
  }

  /**
   * Works out the traffic of {@code namespace}. Annotations that cannot be read are reported to
   * {@code problems} (one line each, naming the object) and replaced by defaults.
   *
   * @param defaultRate requests per second of an entry without {@code
   *     sandbox.weir.dev/request-rate}
   */
  public static NamespaceTraffic build(
      String namespace, Inputs objects, double defaultRate, Consumer<String> problems) {
    Map<String, List<Endpoint>> endpoints = new TreeMap<>();
    Map<String, Map<String, String>> podLabels = new java.util.HashMap<>();
    FlagConfigMaps flags = new FlagConfigMaps(namespace, objects.configMaps(), problems);
    for (JsonNode service : objects.services()) {
      Map<String, String> selector = strings(service.path("spec").path("selector"));
      List<Endpoint> ready = new ArrayList<>();
      if (!selector.isEmpty()) {
        for (JsonNode pod : objects.pods()) {
          Map<String, String> labels = strings(pod.path("metadata").path("labels"));
          if (ready(pod) && labels.entrySet().containsAll(selector.entrySet())) {
            String podName = pod.path("metadata").path("name").asText();
            podLabels.put(podName, labels);
            Map<String, String> annotations = strings(pod.path("metadata").path("annotations"));
            Consumer<String> podProblems =
                p -> problems.accept("Pod " + namespace + "/" + podName + ": " + p);
            VersionProfile profile = VersionProfile.from(annotations, podProblems);
            ready.add(
                new Endpoint(
                    podName,
                    pod.path("status").path("podIP").asText(""),
                    version(pod),
                    labels.getOrDefault(TEMPLATE_HASH_LABEL, ""),
                    profile,
                    flags.variants(annotations, profile, podProblems)));
          }
        }
      }
      endpoints.put(service.path("metadata").path("name").asText(), List.copyOf(ready));
    }

    List<Entry> entries = new ArrayList<>();
    Set<String> routed = new HashSet<>();
    List<JsonNode> routerObjects = new ArrayList<>();
    List<Router> routers = new ArrayList<>();
    for (JsonNode route : objects.httpRoutes()) {
      routers.add(HttpRouteRouter.from(route));
      routerObjects.add(route);
    }
    for (JsonNode virtualService : objects.virtualServices()) {
      routers.add(VirtualServiceRouter.from(virtualService, objects.destinationRules()));
      routerObjects.add(virtualService);
    }
    for (JsonNode split : objects.trafficSplits()) {
      TrafficSplitRouter router = TrafficSplitRouter.from(split);
      routers.add(router);
      routerObjects.add(split);
      routed.add(router.rootService());
    }
    Map<String, JsonNode> ingressByName = new LinkedHashMap<>();
    objects
        .ingresses()
        .forEach(i -> ingressByName.put(i.path("metadata").path("name").asText(), i));
    for (NginxCanaryRouter router : NginxCanaryRouter.from(objects.ingresses())) {
      routers.add(router);
      routerObjects.add(ingressByName.get(router.name()));
    }
    for (int i = 0; i < routers.size(); i++) {
      Router router = routers.get(i);
      routed.addAll(router.services());
      entries.add(entry(namespace, router, routerObjects.get(i), defaultRate, problems));
    }
    for (JsonNode service : objects.services()) {
      String name = service.path("metadata").path("name").asText();
      if (!routed.contains(name) && service.path("spec").path("selector").size() > 0) {
        entries.add(entry(namespace, new ReplicaRatio(name), service, defaultRate, problems));
      }
    }
    entries.sort(
        java.util.Comparator.comparing((Entry e) -> e.router().name())
            .thenComparing(e -> e.router().kind()));

    List<TrafficFlow> flows = new ArrayList<>();
    for (Entry entry : entries) {
      flows.add(flow(namespace, entry, endpoints, podLabels));
    }
    return new NamespaceTraffic(namespace, endpoints, List.copyOf(entries), List.copyOf(flows));
  }

  private static Entry entry(
      String namespace,
      Router router,
      JsonNode object,
      double defaultRate,
      Consumer<String> problems) {
    Map<String, String> annotations = strings(object.path("metadata").path("annotations"));
    String where = router.kind() + " " + namespace + "/" + router.name() + ": ";
    double rate = defaultRate;
    String rateText = annotations.get(SandboxAnnotations.REQUEST_RATE);
    if (rateText != null) {
      var parsed = SandboxAnnotations.number(rateText);
      if (parsed.isPresent()) {
        rate = parsed.get();
      } else {
        problems.accept(
            where
                + SandboxAnnotations.REQUEST_RATE
                + ": \""
                + rateText
                + "\" is not a number of requests per second");
      }
    }
    List<RequestClass> classes =
        RequestClass.parse(
            annotations.get(SandboxAnnotations.REQUEST_CLASSES), p -> problems.accept(where + p));
    return new Entry(router, rate, classes);
  }

  /** Where an entry's requests end up: a pure function of its router and the endpoints. */
  static TrafficFlow flow(
      String namespace,
      Entry entry,
      Map<String, List<Endpoint>> endpoints,
      Map<String, Map<String, String>> podLabels) {
    Map<String, TrafficFlow.VersionShare> shares = new LinkedHashMap<>();
    double unroutable = 0;
    double unavailable = 0;
    for (RequestClass requestClass : entry.classes()) {
      List<BackendWeight> backends = entry.router().route(requestClass.request());
      if (backends.isEmpty()) {
        unroutable += requestClass.share();
        continue;
      }
      for (BackendWeight backend : backends) {
        double share = requestClass.share() * backend.weight();
        List<Endpoint> ready = endpoints.getOrDefault(backend.service(), List.of());
        if (!backend.subset().isEmpty()) {
          ready =
              ready.stream()
                  .filter(
                      e ->
                          podLabels
                              .getOrDefault(e.pod(), Map.of())
                              .entrySet()
                              .containsAll(backend.subset().entrySet()))
                  .toList();
        }
        if (ready.isEmpty()) {
          unavailable += share;
          continue;
        }
        for (Endpoint endpoint : ready) {
          List<Endpoint.VariantBehaviour> behaviours =
              endpoint.variants().isEmpty()
                  ? List.of(new Endpoint.VariantBehaviour("", 1, endpoint.profile()))
                  : endpoint.variants();
          for (Endpoint.VariantBehaviour behaviour : behaviours) {
            String key =
                endpoint.version()
                    + "\u0000"
                    + endpoint.templateHash()
                    + "\u0000"
                    + behaviour.variant()
                    + "\u0000"
                    + behaviour.profile();
            double add = share / ready.size() * behaviour.share();
            shares.merge(
                key,
                new TrafficFlow.VersionShare(
                    endpoint.version(),
                    endpoint.templateHash(),
                    behaviour.variant(),
                    behaviour.profile(),
                    add),
                (a, b) ->
                    new TrafficFlow.VersionShare(
                        a.version(),
                        a.templateHash(),
                        a.variant(),
                        a.profile(),
                        a.share() + b.share()));
          }
        }
      }
    }
    List<TrafficFlow.VersionShare> ordered = new ArrayList<>(shares.values());
    ordered.sort(
        java.util.Comparator.comparing(TrafficFlow.VersionShare::version)
            .thenComparing(TrafficFlow.VersionShare::templateHash)
            .thenComparing(TrafficFlow.VersionShare::variant)
            .thenComparing(s -> s.profile().toString()));
    return new TrafficFlow(
        namespace,
        entry.router().name(),
        entry.router().kind(),
        entry.rate(),
        ordered,
        unroutable,
        unavailable);
  }

  public String namespace() {
    return namespace;
  }

  /** The ready endpoints of every Service, by Service name. */
  public Map<String, List<Endpoint>> endpoints() {
    return endpoints;
  }

  public List<Entry> entries() {
    return entries;
  }

  public List<TrafficFlow> flows() {
    return flows;
  }

  /**
   * A pod's version: {@code app.kubernetes.io/version}, else {@code version}, else its template
   * hash.
   */
  public static String version(JsonNode pod) {
    JsonNode labels = pod.path("metadata").path("labels");
    for (String label :
        List.of(
            "app.kubernetes.io/version",
            "version",
            "pod-template-hash",
            "controller-revision-hash")) {
      if (labels.hasNonNull(label)) {
        return labels.path(label).asText();
      }
    }
    return "unknown";
  }

  private static boolean ready(JsonNode pod) {
    if (pod.path("metadata").has("deletionTimestamp")) {
      return false;
    }
    for (JsonNode condition : pod.path("status").path("conditions")) {
      if (condition.path("type").asText().equals("Ready")) {
        return condition.path("status").asText().equals("True");
      }
    }
    return false;
  }

  private static Map<String, String> strings(JsonNode map) {
    Map<String, String> result = new LinkedHashMap<>();
    map.properties().forEach(e -> result.put(e.getKey(), e.getValue().asText()));
    return result;
  }
}
