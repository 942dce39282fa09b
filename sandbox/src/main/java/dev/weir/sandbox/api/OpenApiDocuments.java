package dev.weir.sandbox.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * A minimal OpenAPI v3 discovery: {@code /openapi/v3} lists each group version, and each group
 * version's document holds, per kind, the item path with a {@code patch} operation tagged with
 * {@code x-kubernetes-group-version-kind} and the query parameters the server accepts ({@code
 * fieldValidation}, {@code fieldManager}, {@code dryRun}, {@code force}). That is what kubectl's
 * default {@code --validate=strict} looks for before it leaves validation to the server; without it
 * kubectl refuses to apply ("failed to download openapi"). There are no schemas: {@code kubectl
 * explain} finds nothing, and the server does not validate fields against a schema.
 *
 * <p>Stateless apart from the registry; thread-safe.
 */
final class OpenApiDocuments {
  private static final List<String> PATCH_PARAMETERS =
      List.of("dryRun", "fieldManager", "fieldValidation", "force");

  private final KindRegistry registry;

  OpenApiDocuments(KindRegistry registry) {
    this.registry = registry;
  }

  /** The {@code /openapi/v3} root: a path per group version with a content hash. */
  ObjectNode root() {
    ObjectNode root = Json.MAPPER.createObjectNode();
    ObjectNode paths = root.putObject("paths");
    addRootPath(paths, "", "v1");
    for (Map.Entry<String, List<String>> group : registry.namedGroups().entrySet()) {
      for (String version : group.getValue()) {
        addRootPath(paths, group.getKey(), version);
      }
    }
    return root;
  }

  private void addRootPath(ObjectNode paths, String group, String version) {
    ObjectNode document = groupVersion(group, version);
    if (document == null) {
      return;
    }
    String path = group.isEmpty() ? "api/" + version : "apis/" + group + "/" + version;
    paths
        .putObject(path)
        .put("serverRelativeURL", "/openapi/v3/" + path + "?hash=" + hash(document));
  }

  /** The document of one group version, or null when nothing is served there. */
  ObjectNode groupVersion(String group, String version) {
    List<KindInfo> kinds = registry.inGroupVersion(group, version);
    if (kinds.isEmpty()) {
      return null;
    }
    ObjectNode document = Json.MAPPER.createObjectNode();
    document.put("openapi", "3.0.0");
    ObjectNode info = document.putObject("info");
    info.put("title", "Kubernetes (Weir sandbox)");
    info.put("version", "v" + Discovery.MAJOR + "." + Discovery.MINOR + ".0");
    ObjectNode paths = document.putObject("paths");
    String prefix = group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version;
    for (KindInfo kind : kinds) {
      String path =
          prefix
              + (kind.namespaced() ? "/namespaces/{namespace}/" : "/")
              + kind.plural()
              + "/{name}";
      ObjectNode patch = paths.putObject(path).putObject("patch");
      patch.put("operationId", "patch" + kind.kind());
      patch.put("x-kubernetes-action", "patch");
      ObjectNode gvk = patch.putObject("x-kubernetes-group-version-kind");
      gvk.put("group", group);
      gvk.put("kind", kind.kind());
      gvk.put("version", version);
      ArrayNode parameters = patch.putArray("parameters");
      for (String name : PATCH_PARAMETERS) {
        ObjectNode parameter = parameters.addObject();
        parameter.put("name", name);
        parameter.put("in", "query");
        parameter.putObject("schema").put("type", name.equals("force") ? "boolean" : "string");
      }
      patch.putObject("responses").putObject("200").put("description", "OK");
    }
    document.putObject("components").putObject("schemas");
    return document;
  }

  private static String hash(ObjectNode document) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-512").digest(Json.bytes(document));
      return HexFormat.of().formatHex(digest).toUpperCase(java.util.Locale.ROOT).substring(0, 128);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
