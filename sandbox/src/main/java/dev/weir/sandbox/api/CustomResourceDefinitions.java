package dev.weir.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.engine.time.EngineClock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CustomResourceDefinitions ({@code apiextensions.k8s.io/v1}): creating one serves its kind in
 * every served version — discovery, OpenAPI, CRUD, watch, the status subresource when the version
 * has one, server-side apply — with the defaults of its structural schema ({@link SchemaDefaults});
 * deleting it deletes its objects and stops serving them. Its status says, as the API server's
 * naming and establishing controllers do, {@code NamesAccepted} and {@code Established}.
 *
 * <p>Design: the store's change events drive it, on the writing thread, so a created CRD is served
 * by the time its create answers (a real server establishes it a moment later). The versions of a
 * kind share their objects (conversion {@code None}: only {@code apiVersion} differs); an object is
 * returned in the version it was last written in. A CRD that replaces a built-in kind of the same
 * group and plural (the sandbox ships HTTPRoute, VirtualService and TrafficSplit) takes it over;
 * deleting the CRD gives the built-in one back.
 *
 * <p>Thread-safe: registrations are synchronised; the registry is concurrent.
 */
final class CustomResourceDefinitions {
  private static final Logger LOG = LoggerFactory.getLogger(CustomResourceDefinitions.class);
  private static final String MANAGER = "kube-apiserver";
  private static final Pattern VERSION = Pattern.compile("v(\\d+)(?:(alpha|beta)(\\d+))?");

  private final KindRegistry registry;
  private final ObjectStore store;
  private final ResourceHandler resources;
  private final EngineClock clock;
  private final KindInfo definitions;
  private final Map<String, KindInfo> builtIn = new HashMap<>();
  private final Map<String, List<KindInfo>> served = new HashMap<>();

  CustomResourceDefinitions(
      KindRegistry registry, ObjectStore store, ResourceHandler resources, EngineClock clock) {
    this.registry = registry;
    this.store = store;
    this.resources = resources;
    this.clock = clock;
    this.definitions =
        registry.byResource("apiextensions.k8s.io", "v1", "customresourcedefinitions").orElse(null);
    for (KindInfo kind : registry.all()) {
      builtIn.put(key(kind.group(), kind.version(), kind.plural()), kind);
    }
  }

  /** Serves the kinds of the CRDs already stored, and from now on follows their changes. */
  void start() {
    if (definitions == null) {
      return;
    }
    for (StoredObject crd : store.list(definitions, null, o -> true, null, 0).items()) {
      serve(crd.tree());
    }
    store.onEvent(this::changed);
  }

  private void changed(ObjectStore.Event event) {
    if (!isDefinition(event.object().kind())) {
      return;
    }
    if (event.type() == ObjectStore.EventType.DELETED) {
      remove(event.object().tree());
      return;
    }
    ObjectNode crd = event.object().tree();
    String problem = serve(crd);
    writeStatus(crd, problem);
  }

  private boolean isDefinition(KindInfo kind) {
    return kind.group().equals(definitions.group()) && kind.plural().equals(definitions.plural());
  }

  /** Registers the served versions of {@code crd}; returns why its names were refused, or null. */
  private synchronized String serve(ObjectNode crd) {
    String name = Json.meta(crd, "name");
    JsonNode spec = crd.path("spec");
    String group = spec.path("group").asText("");
    JsonNode names = spec.path("names");
    List<JsonNode> versions = new ArrayList<>();
    spec.path("versions").forEach(versions::add);
    versions.sort(Comparator.comparing((JsonNode v) -> v.path("name").asText(), VERSION_ORDER));
    List<KindInfo> kinds = new ArrayList<>();
    for (JsonNode version : versions) {
      if (!version.path("served").asBoolean(false)) {
        continue;
      }
      kinds.add(
          new KindInfo(
              group,
              version.path("name").asText(),
              names.path("kind").asText(),
              names.path("plural").asText(),
              names.path("singular").asText(""),
              !spec.path("scope").asText("Namespaced").equals("Cluster"),
              strings(names.path("shortNames")),
              KindInfo.ALL_VERBS,
              version.path("subresources").has("status"),
              strings(names.path("categories"))));
    }
    List<KindInfo> before = served.getOrDefault(name, List.of());
    for (KindInfo old : before) {
      boolean kept =
          kinds.stream()
              .anyMatch(k -> k.version().equals(old.version()) && k.plural().equals(old.plural()));
      if (!kept) {
        unserve(old);
      }
    }
    List<KindInfo> registered = new ArrayList<>();
    try {
      for (int i = 0; i < kinds.size(); i++) {
        KindInfo kind = kinds.get(i);
        if (!registry
            .byResource(kind.group(), kind.version(), kind.plural())
            .equals(java.util.Optional.of(kind))) {
          registry.register(kind);
        }
        registry.schema(
            kind,
            versions.stream()
                .filter(v -> v.path("name").asText().equals(kind.version()))
                .findFirst()
                .map(v -> v.path("schema").get("openAPIV3Schema"))
                .orElse(null));
        registered.add(kind);
      }
    } catch (IllegalArgumentException e) {
      registered.forEach(this::unserve);
      served.remove(name);
      return e.getMessage();
    }
    served.put(name, registered);
    return null;
  }

  /** Stops serving a CRD: its objects go, its kinds go (a built-in one comes back). */
  private synchronized void remove(ObjectNode crd) {
    List<KindInfo> kinds = served.remove(Json.meta(crd, "name"));
    if (kinds == null || kinds.isEmpty()) {
      return;
    }
    KindInfo any = kinds.get(0);
    for (StoredObject object : store.list(any, null, o -> true, null, 0).items()) {
      try {
        resources.delete(
            any,
            object.namespace(),
            object.name(),
            null,
            null,
            new ResourceHandler.WriteOptions(MANAGER, true, false, false));
      } catch (StatusException gone) {
        // deleted meanwhile
      }
    }
    kinds.forEach(this::unserve);
  }

  private void unserve(KindInfo kind) {
    registry.unregister(kind.group(), kind.version(), kind.plural());
    KindInfo original = builtIn.get(key(kind.group(), kind.version(), kind.plural()));
    if (original != null) {
      registry.register(original);
    }
  }

  /** The status the naming and establishing controllers write; no write when it is already so. */
  private void writeStatus(ObjectNode crd, String problem) {
    ObjectNode status = Json.MAPPER.createObjectNode();
    JsonNode names = crd.path("spec").path("names");
    ObjectNode accepted = status.putObject("acceptedNames");
    for (String field : List.of("kind", "listKind", "plural", "singular")) {
      if (names.hasNonNull(field)) {
        accepted.set(field, names.get(field));
      }
    }
    for (String field : List.of("shortNames", "categories")) {
      if (names.get(field) instanceof ArrayNode list && !list.isEmpty()) {
        accepted.set(field, list);
      }
    }
    boolean ok = problem == null;
    ArrayNode conditions = status.putArray("conditions");
    JsonNode old = crd.path("status");
    condition(
        conditions,
        old,
        "NamesAccepted",
        ok,
        ok ? "NoConflicts" : "KindConflict",
        ok ? "no conflicts found" : problem);
    condition(
        conditions,
        old,
        "Established",
        ok,
        ok ? "InitialNamesAccepted" : "NotAccepted",
        ok ? "the initial names have been accepted" : "not all names are accepted");
    ArrayNode stored = status.putArray("storedVersions");
    old.path("storedVersions").forEach(stored::add);
    for (JsonNode version : crd.path("spec").path("versions")) {
      if (version.path("storage").asBoolean(false)
          && !strings(stored).contains(version.path("name").asText())) {
        stored.add(version.path("name").asText());
      }
    }
    if (status.equals(old)) {
      return;
    }
    ObjectNode update = crd.deepCopy();
    update.set("status", status);
    Json.metadata(update).remove("resourceVersion");
    try {
      resources.update(
          definitions,
          null,
          Json.meta(crd, "name"),
          true,
          update,
          new ResourceHandler.WriteOptions(MANAGER, true, false, false));
    } catch (StatusException e) {
      LOG.debug("CRD {} status: {}", Json.meta(crd, "name"), e.getMessage());
    }
  }

  private void condition(
      ArrayNode conditions,
      JsonNode oldStatus,
      String type,
      boolean value,
      String reason,
      String message) {
    String status = value ? "True" : "False";
    String since = Timestamps.format(clock.instant());
    for (JsonNode existing : oldStatus.path("conditions")) {
      if (existing.path("type").asText().equals(type)
          && existing.path("status").asText().equals(status)) {
        since = existing.path("lastTransitionTime").asText(since);
      }
    }
    ObjectNode condition = conditions.addObject();
    condition.put("type", type);
    condition.put("status", status);
    condition.put("lastTransitionTime", since);
    condition.put("reason", reason);
    condition.put("message", message);
  }

  /** Checks a CRD as the apiextensions validation does, for what the sandbox relies on. */
  static void validate(ObjectNode crd, List<StatusException.Cause> causes) {
    JsonNode spec = crd.path("spec");
    String group = spec.path("group").asText("");
    JsonNode names = spec.path("names");
    String plural = names.path("plural").asText("");
    if (group.isEmpty()) {
      causes.add(required("spec.group"));
    }
    if (plural.isEmpty()) {
      causes.add(required("spec.names.plural"));
    }
    if (names.path("kind").asText("").isEmpty()) {
      causes.add(required("spec.names.kind"));
    }
    String name = Json.meta(crd, "name");
    if (!group.isEmpty() && !plural.isEmpty() && !name.equals(plural + "." + group)) {
      causes.add(
          new StatusException.Cause(
              "FieldValueInvalid",
              "Invalid value: \"" + name + "\": must be spec.names.plural+\".\"+spec.group",
              "metadata.name"));
    }
    String scope = spec.path("scope").asText("");
    if (!scope.equals("Namespaced") && !scope.equals("Cluster")) {
      causes.add(
          new StatusException.Cause(
              scope.isEmpty() ? "FieldValueRequired" : "FieldValueNotSupported",
              scope.isEmpty()
                  ? "Required value"
                  : "Unsupported value: \""
                      + scope
                      + "\": supported values: \"Cluster\", \"Namespaced\"",
              "spec.scope"));
    }
    int storage = 0;
    for (JsonNode version : spec.path("versions")) {
      if (version.path("storage").asBoolean(false)) {
        storage++;
      }
    }
    if (!spec.path("versions").isArray() || spec.path("versions").isEmpty()) {
      causes.add(required("spec.versions"));
    } else if (storage != 1) {
      causes.add(
          new StatusException.Cause(
              "FieldValueInvalid",
              "Invalid value: "
                  + spec.path("versions").size()
                  + ": must have exactly one version marked as storage version",
              "spec.versions"));
    }
  }

  private static StatusException.Cause required(String field) {
    return new StatusException.Cause("FieldValueRequired", "Required value", field);
  }

  private static List<String> strings(JsonNode array) {
    List<String> result = new ArrayList<>();
    array.forEach(v -> result.add(v.asText()));
    return result;
  }

  private static String key(String group, String version, String plural) {
    return group + "/" + version + "/" + plural;
  }

  /** Kubernetes' version priority: GA before beta before alpha, higher numbers first. */
  static final Comparator<String> VERSION_ORDER =
      Comparator.comparingInt(CustomResourceDefinitions::stability)
          .thenComparing(CustomResourceDefinitions::major, Comparator.reverseOrder())
          .thenComparing(CustomResourceDefinitions::minor, Comparator.reverseOrder())
          .thenComparing(v -> v);

  private static int stability(String version) {
    Matcher m = VERSION.matcher(version);
    if (!m.matches()) {
      return 3;
    }
    return m.group(2) == null ? 0 : m.group(2).equals("beta") ? 1 : 2;
  }

  private static int major(String version) {
    Matcher m = VERSION.matcher(version);
    return m.matches() ? Integer.parseInt(m.group(1)) : 0;
  }

  private static int minor(String version) {
    Matcher m = VERSION.matcher(version.toLowerCase(Locale.ROOT));
    return m.matches() && m.group(3) != null ? Integer.parseInt(m.group(3)) : 0;
  }
}
