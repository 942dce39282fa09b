package dev.weir.engine.testkit;

import dev.weir.engine.model.Application;
import dev.weir.engine.model.DesiredState;
import dev.weir.engine.model.IgnoreDifference;
import dev.weir.engine.model.Manifest;
import dev.weir.engine.model.ResourceKey;
import dev.weir.engine.model.SourceLocation;
import dev.weir.engine.model.SyncPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** Desired states written inline in tests, as if rendered from Git. */
public final class DesiredStates {
  private DesiredStates() {}

  public static Application application(
      String name, String namespace, SyncPolicy policy, List<IgnoreDifference> ignore) {
    return new Application(
        name,
        "apps/" + name,
        namespace,
        "",
        policy,
        ignore,
        SourceLocation.ofFile("apps/" + name + "/application.yaml"));
  }

  public static Application application(String name, String namespace) {
    return application(name, namespace, SyncPolicy.MANUAL, List.of());
  }

  /**
   * The objects of a multi-document YAML text, namespaced objects defaulting to the application's
   * namespace.
   */
  @SuppressWarnings("unchecked")
  public static DesiredState of(Application app, String revision, String yaml) {
    TreeMap<ResourceKey, Manifest> resources = new TreeMap<>();
    int document = 0;
    for (Object loaded : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(yaml)) {
      document++;
      if (loaded == null) {
        continue;
      }
      Map<String, Object> object = (Map<String, Object>) loaded;
      String apiVersion = (String) object.get("apiVersion");
      String kind = (String) object.get("kind");
      Map<String, Object> metadata = (Map<String, Object>) object.get("metadata");
      String namespace = (String) metadata.get("namespace");
      if (namespace == null
          && !List.of("Namespace", "CustomResourceDefinition", "ClusterRole").contains(kind)) {
        namespace = app.namespace();
        metadata.put("namespace", namespace);
      }
      ResourceKey key = ResourceKey.of(apiVersion, kind, namespace, (String) metadata.get("name"));
      resources.put(
          key,
          new Manifest(
              key,
              apiVersion,
              object,
              new SourceLocation(app.path() + "/objects.yaml", document, 1)));
    }
    return new DesiredState(app, revision, resources, new ArrayList<>());
  }
}
