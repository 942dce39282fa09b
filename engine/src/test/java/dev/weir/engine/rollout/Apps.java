package dev.weir.engine.rollout;

import dev.weir.engine.model.Application;
import dev.weir.engine.model.DesiredState;
import dev.weir.engine.model.Manifest;
import dev.weir.engine.model.ResourceKey;
import dev.weir.engine.model.SourceLocation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.yaml.snakeyaml.Yaml;

/** Rendered applications for tests, from YAML text as it would be in Git. */
final class Apps {
  static final String NAMESPACE = "shop";

  /**
   * The storefront of DESIGN.md: Deployment, two Services, HTTPRoute, Ingress and two templates.
   */
  static final String STOREFRONT_OBJECTS =
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: storefront}
      spec:
        replicas: 4
        selector: {matchLabels: {app.kubernetes.io/name: storefront}}
        template:
          metadata:
            labels: {app.kubernetes.io/name: storefront, app.kubernetes.io/version: "2.4.0"}
          spec:
            containers:
            - {name: storefront, image: "registry.example/shop/storefront:2.4.0"}
      ---
      apiVersion: v1
      kind: Service
      metadata: {name: storefront-stable}
      spec: {selector: {app.kubernetes.io/name: storefront}, ports: [{port: 80}]}
      ---
      apiVersion: v1
      kind: Service
      metadata: {name: storefront-canary}
      spec: {selector: {app.kubernetes.io/name: storefront}, ports: [{port: 80}]}
      ---
      apiVersion: networking.k8s.io/v1
      kind: Ingress
      metadata: {name: storefront}
      spec:
        rules:
        - host: shop.example
          http:
            paths:
            - {path: /, pathType: Prefix, backend: {service: {name: storefront-stable, port: {number: 80}}}}
      ---
      apiVersion: weir.dev/v1alpha1
      kind: AnalysisTemplate
      metadata: {name: success-rate}
      spec:
        args: [{name: service, value: storefront}]
        metrics:
        - name: success-rate
          interval: 1m
          count: 5
          failureLimit: 1
          successCondition: result >= 0.99
          provider: {prometheus: {query: 'rate(ok{service="{{args.service}}"}[1m])'}}
      ---
      apiVersion: weir.dev/v1alpha1
      kind: AnalysisTemplate
      metadata: {name: latency}
      spec:
        metrics:
        - name: p99-latency
          interval: 1m
          successCondition: result < 0.3
          provider: {prometheus: {query: 'p99'}}
      """;

  private Apps() {}

  /**
   * The application {@code storefront} in namespace {@code shop}: {@code objects}, then {@code
   * rollout} in rollout.yaml.
   */
  static DesiredState storefront(String rollout) {
    List<Manifest> all =
        new ArrayList<>(manifests(STOREFRONT_OBJECTS, "apps/storefront/objects.yaml"));
    all.addAll(manifests(rollout, "apps/storefront/rollout.yaml"));
    return state("storefront", all);
  }

  static DesiredState state(String app, List<Manifest> manifests) {
    TreeMap<ResourceKey, Manifest> resources = new TreeMap<>();
    List<Manifest> configuration = new ArrayList<>();
    for (Manifest m : manifests) {
      if (m.key().group().equals("weir.dev") || m.key().group().equals("argoproj.io")) {
        configuration.add(m);
      } else {
        resources.put(m.key(), m);
      }
    }
    Application application =
        new Application(
            app,
            "apps/" + app,
            NAMESPACE,
            "",
            null,
            null,
            SourceLocation.ofFile("apps/" + app + "/app.yaml"));
    return new DesiredState(
        application, "0123456789abcdef0123456789abcdef01234567", resources, configuration);
  }

  /** Every document of {@code yaml}, each located at the line where it starts. */
  @SuppressWarnings("unchecked")
  static List<Manifest> manifests(String yaml, String file) {
    List<Manifest> out = new ArrayList<>();
    List<String> lines = yaml.lines().toList();
    StringBuilder document = new StringBuilder();
    int first = -1;
    for (int i = 0; i <= lines.size(); i++) {
      boolean end = i == lines.size() || lines.get(i).strip().equals("---");
      if (!end) {
        if (first < 0 && !lines.get(i).isBlank()) {
          first = i + 1;
        }
        document.append(lines.get(i)).append('\n');
        continue;
      }
      Object loaded = new Yaml().load(document.toString());
      if (loaded instanceof Map<?, ?> map) {
        Map<String, Object> object = (Map<String, Object>) map;
        Map<String, Object> metadata =
            (Map<String, Object>) object.getOrDefault("metadata", Map.of());
        String apiVersion = String.valueOf(object.get("apiVersion"));
        String kind = String.valueOf(object.get("kind"));
        boolean weir = apiVersion.startsWith("weir.dev/");
        out.add(
            new Manifest(
                ResourceKey.of(
                    apiVersion, kind, weir ? "" : NAMESPACE, String.valueOf(metadata.get("name"))),
                apiVersion,
                object,
                new SourceLocation(file, first, 1)));
      }
      document.setLength(0);
      first = -1;
    }
    return out;
  }
}
