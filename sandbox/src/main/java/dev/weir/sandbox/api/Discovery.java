package dev.weir.sandbox.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * The discovery documents clients read before anything else: {@code /version}, {@code /api}, {@code
 * /api/v1}, {@code /apis} and each group version's {@code APIResourceList} (names, namespaced,
 * verbs, kind, short names, categories, status subresources), all from the {@link KindRegistry}.
 * Only the legacy (unaggregated) discovery format is served; kubectl and client-java fall back to
 * it.
 *
 * <p>Stateless apart from the registry; thread-safe.
 */
final class Discovery {
  static final String MAJOR = "1";
  static final String MINOR = "33";

  private final KindRegistry registry;

  Discovery(KindRegistry registry) {
    this.registry = registry;
  }

  ObjectNode version() {
    ObjectNode version = Json.MAPPER.createObjectNode();
    version.put("major", MAJOR);
    version.put("minor", MINOR);
    version.put("gitVersion", "v" + MAJOR + "." + MINOR + ".0-weir-sandbox");
    version.put("gitCommit", "0000000000000000000000000000000000000000");
    version.put("gitTreeState", "clean");
    version.put("buildDate", "2026-01-01T00:00:00Z");
    version.put("goVersion", "go1.24.0");
    version.put("compiler", "gc");
    version.put("platform", "linux/amd64");
    return version;
  }

  ObjectNode coreVersions(String serverAddress) {
    ObjectNode versions = Json.MAPPER.createObjectNode();
    versions.put("kind", "APIVersions");
    versions.putArray("versions").add("v1");
    ObjectNode address = versions.putArray("serverAddressByClientCIDRs").addObject();
    address.put("clientCIDR", "0.0.0.0/0");
    address.put("serverAddress", serverAddress);
    return versions;
  }

  ObjectNode groups() {
    ObjectNode list = Json.MAPPER.createObjectNode();
    list.put("kind", "APIGroupList");
    list.put("apiVersion", "v1");
    ArrayNode groups = list.putArray("groups");
    for (Map.Entry<String, List<String>> group : registry.namedGroups().entrySet()) {
      groups.add(group(group.getKey(), group.getValue()));
    }
    return list;
  }

  /** The APIGroup document of one named group, or null when unknown. */
  ObjectNode group(String name) {
    List<String> versions = registry.namedGroups().get(name);
    if (versions == null) {
      return null;
    }
    ObjectNode group = group(name, versions);
    group.put("kind", "APIGroup");
    group.put("apiVersion", "v1");
    return group;
  }

  private static ObjectNode group(String name, List<String> versions) {
    ObjectNode group = Json.MAPPER.createObjectNode();
    group.put("name", name);
    ArrayNode array = group.putArray("versions");
    for (String version : versions) {
      ObjectNode entry = array.addObject();
      entry.put("groupVersion", name + "/" + version);
      entry.put("version", version);
    }
    ObjectNode preferred = group.putObject("preferredVersion");
    preferred.put("groupVersion", name + "/" + versions.get(0));
    preferred.put("version", versions.get(0));
    return group;
  }

  /** The APIResourceList of a group version, or null when nothing is served there. */
  ObjectNode resources(String group, String version) {
    List<KindInfo> kinds = registry.inGroupVersion(group, version);
    if (kinds.isEmpty()) {
      return null;
    }
    ObjectNode list = Json.MAPPER.createObjectNode();
    list.put("kind", "APIResourceList");
    list.put("apiVersion", "v1");
    list.put("groupVersion", group.isEmpty() ? version : group + "/" + version);
    ArrayNode resources = list.putArray("resources");
    for (KindInfo kind : kinds) {
      ObjectNode resource = resources.addObject();
      resource.put("name", kind.plural());
      resource.put("singularName", kind.singular());
      resource.put("namespaced", kind.namespaced());
      resource.put("kind", kind.kind());
      ArrayNode verbs = resource.putArray("verbs");
      kind.verbs().forEach(verbs::add);
      if (!kind.shortNames().isEmpty()) {
        ArrayNode shortNames = resource.putArray("shortNames");
        kind.shortNames().forEach(shortNames::add);
      }
      if (!kind.categories().isEmpty()) {
        ArrayNode categories = resource.putArray("categories");
        kind.categories().forEach(categories::add);
      }
      if (kind.statusSubresource()) {
        ObjectNode status = resources.addObject();
        status.put("name", kind.plural() + "/status");
        status.put("singularName", "");
        status.put("namespaced", kind.namespaced());
        status.put("kind", kind.kind());
        status.putArray("verbs").add("get").add("patch").add("update");
      }
      if (ResourceHandler.hasScale(kind)) {
        ObjectNode scale = resources.addObject();
        scale.put("name", kind.plural() + "/scale");
        scale.put("singularName", "");
        scale.put("namespaced", kind.namespaced());
        scale.put("group", "autoscaling");
        scale.put("version", "v1");
        scale.put("kind", "Scale");
        scale.putArray("verbs").add("get").add("patch").add("update");
      }
    }
    return list;
  }
}
