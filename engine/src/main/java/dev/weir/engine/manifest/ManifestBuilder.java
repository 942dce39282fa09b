package dev.weir.engine.manifest;

import dev.weir.engine.manifest.RenderProblem.Reason;
import dev.weir.engine.manifest.ToolRenderer.SourcedDocument;
import dev.weir.engine.model.Application;
import dev.weir.engine.model.Manifest;
import dev.weir.engine.model.ResourceKey;
import dev.weir.engine.model.SourceLocation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns documents into {@link Manifest}s for one application: checks apiVersion, kind and name,
 * flattens {@code kind: List}, skips Applications and gives namespaced objects the destination
 * namespace when they name none. Stateless.
 */
final class ManifestBuilder {

  private ManifestBuilder() {}

  /** Adds the manifests of {@code document} to {@code out}, or its problems to {@code problems}. */
  static void build(
      SourcedDocument document,
      Application app,
      ResourceScope scope,
      List<Manifest> out,
      List<RenderProblem> problems) {
    Map<String, Object> content = document.document().content();
    if ("List".equals(content.get("kind")) && content.get("apiVersion") instanceof String) {
      Object items = content.get("items");
      if (items == null) {
        return;
      }
      if (!(items instanceof List<?> list)) {
        problems.add(invalid(document.location("/items"), "a List's items must be a list"));
        return;
      }
      for (int i = 0; i < list.size(); i++) {
        SourceLocation location = document.location("/items/" + i);
        if (!(list.get(i) instanceof Map<?, ?> item)) {
          problems.add(
              invalid(location, "List item " + i + " is not a Kubernetes object (a mapping)"));
          continue;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> object = (Map<String, Object>) item;
        object(object, location, app, scope, out, problems);
      }
      return;
    }
    object(content, document.location(""), app, scope, out, problems);
  }

  private static void object(
      Map<String, Object> object,
      SourceLocation location,
      Application app,
      ResourceScope scope,
      List<Manifest> out,
      List<RenderProblem> problems) {
    Object apiVersion = object.get("apiVersion");
    Object kind = object.get("kind");
    boolean hasApiVersion = apiVersion instanceof String a && !a.isBlank();
    boolean hasKind = kind instanceof String k && !k.isBlank();
    if (!hasApiVersion || !hasKind) {
      String missing =
          !hasApiVersion && !hasKind
              ? "apiVersion and kind are"
              : !hasApiVersion ? "apiVersion is" : "kind is";
      problems.add(invalid(location, "not a Kubernetes object: " + missing + " missing"));
      return;
    }
    String version = (String) apiVersion;
    String kindName = (String) kind;
    String group = ResourceKey.groupOf(version);
    if ((ApplicationReader.GROUP.equals(group) || ApplicationReader.ARGO_GROUP.equals(group))
        && kindName.equals("Application")) {
      return; // console configuration, read by discovery
    }
    Object metadata = object.get("metadata");
    if (metadata != null && !(metadata instanceof Map<?, ?>)) {
      problems.add(invalid(location, kindName + ": metadata must be a mapping"));
      return;
    }
    Map<?, ?> meta = metadata == null ? Map.of() : (Map<?, ?>) metadata;
    String name;
    if (meta.get("name") instanceof String given && !given.isBlank()) {
      name = given;
    } else if (meta.get("generateName") instanceof String prefix && !prefix.isBlank()) {
      // Argo CD hooks may leave naming to the API server; Weir names them when they run
      if (!(meta.get("annotations") instanceof Map<?, ?> annotations)
          || !(annotations.get(HOOK_ANNOTATION) instanceof String)) {
        problems.add(
            invalid(
                location,
                kindName
                    + " "
                    + prefix
                    + ": metadata.generateName is only for hooks (annotation "
                    + HOOK_ANNOTATION
                    + "); give it a metadata.name"));
        return;
      }
      name = prefix;
    } else {
      problems.add(invalid(location, kindName + " has no metadata.name"));
      return;
    }
    Object declared = meta.get("namespace");
    if (declared != null && !(declared instanceof String)) {
      problems.add(
          invalid(location, kindName + " " + name + ": metadata.namespace must be a string"));
      return;
    }
    String namespace = declared == null ? "" : (String) declared;
    Map<String, Object> content = object;
    if (scope.isClusterScoped(group, kindName)) {
      namespace = "";
    } else if (namespace.isEmpty() && !app.namespace().isEmpty()) {
      namespace = app.namespace();
      content = withNamespace(object, meta, namespace);
    }
    out.add(
        new Manifest(
            new ResourceKey(group, kindName, namespace, name), version, content, location));
  }

  /**
   * A shallow copy of {@code object} whose metadata has {@code namespace} right after the name (or
   * a hook's {@code generateName}), or last when it has neither.
   */
  private static Map<String, Object> withNamespace(
      Map<String, Object> object, Map<?, ?> meta, String namespace) {
    Map<String, Object> metadata = new LinkedHashMap<>();
    boolean named = meta.containsKey("name");
    for (Map.Entry<?, ?> entry : meta.entrySet()) {
      String key = String.valueOf(entry.getKey());
      if (!key.equals("namespace")) {
        metadata.put(key, entry.getValue());
      }
      if (key.equals(named ? "name" : "generateName")) {
        metadata.put("namespace", namespace);
      }
    }
    // a generateName hook has no name: without this its Job went to the kubeconfig's namespace
    // while Weir waited for it in the destination (the hang of ArgoCdSyncIT's hook tests)
    metadata.putIfAbsent("namespace", namespace);
    Map<String, Object> copy = new LinkedHashMap<>(object);
    copy.put("metadata", metadata);
    return copy;
  }

  /** {@code group/Kind} of a CustomResourceDefinition with {@code scope: Cluster}. */
  static Optional<String> clusterScopedKindDeclared(Map<String, Object> content) {
    if (!"CustomResourceDefinition".equals(content.get("kind"))
        || !(content.get("spec") instanceof Map<?, ?> spec)
        || !"Cluster".equals(spec.get("scope"))
        || !(spec.get("group") instanceof String group)
        || !(spec.get("names") instanceof Map<?, ?> names)
        || !(names.get("kind") instanceof String kind)) {
      return Optional.empty();
    }
    return Optional.of(group + "/" + kind);
  }

  /** Argo CD's hook annotation: an object that runs in a phase of a sync. */
  static final String HOOK_ANNOTATION = "argocd.argoproj.io/hook";

  private static RenderProblem invalid(SourceLocation location, String message) {
    return new RenderProblem(location, Reason.INVALID_OBJECT, message);
  }
}
