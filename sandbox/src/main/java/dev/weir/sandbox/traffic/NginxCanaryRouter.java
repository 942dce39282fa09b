package dev.weir.sandbox.traffic;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An NGINX Ingress with a canary: a main Ingress and, for the same host and path, an Ingress
 * annotated {@code nginx.ingress.kubernetes.io/canary: "true"}. As ingress-nginx decides, in this
 * order: {@code canary-by-header} (value {@code always} → canary, {@code never} → main; with {@code
 * canary-by-header-value} or {@code canary-by-header-pattern}, a matching value → canary, another
 * falls through), {@code canary-by-cookie} ({@code always} / {@code never}, others fall through),
 * then {@code canary-weight} out of {@code canary-weight-total} (default 100).
 *
 * @param name the main Ingress
 * @param mainService the main Ingress's backend Service
 * @param canaryService the canary Ingress's backend Service, or null without a canary
 */
public record NginxCanaryRouter(
    String name,
    String mainService,
    String canaryService,
    String header,
    String headerValue,
    String headerPattern,
    String cookie,
    double weight,
    double weightTotal)
    implements Router {
  static final String PREFIX = "nginx.ingress.kubernetes.io/";

  /**
   * Groups Ingresses by their first rule's host and path: each group with a main Ingress is one
   * router (its first canary Ingress by name, if any).
   */
  public static List<NginxCanaryRouter> from(List<? extends JsonNode> ingresses) {
    Map<String, JsonNode> mains = new LinkedHashMap<>();
    Map<String, JsonNode> canaries = new LinkedHashMap<>();
    for (JsonNode ingress : ingresses) {
      String key = key(ingress);
      boolean canary = "true".equals(annotation(ingress, "canary"));
      (canary ? canaries : mains).putIfAbsent(key, ingress);
    }
    List<NginxCanaryRouter> routers = new ArrayList<>();
    for (var main : mains.entrySet()) {
      JsonNode canary = canaries.get(main.getKey());
      String mainService = backend(main.getValue());
      if (mainService == null) {
        continue;
      }
      if (canary == null) {
        routers.add(
            new NginxCanaryRouter(
                name(main.getValue()), mainService, null, null, null, null, null, 0, 100));
        continue;
      }
      routers.add(
          new NginxCanaryRouter(
              name(main.getValue()),
              mainService,
              backend(canary),
              annotation(canary, "canary-by-header"),
              annotation(canary, "canary-by-header-value"),
              annotation(canary, "canary-by-header-pattern"),
              annotation(canary, "canary-by-cookie"),
              number(annotation(canary, "canary-weight"), 0),
              number(annotation(canary, "canary-weight-total"), 100)));
    }
    return routers;
  }

  @Override
  public String kind() {
    return "Ingress";
  }

  @Override
  public List<BackendWeight> route(SimulatedRequest request) {
    if (canaryService == null) {
      return List.of(new BackendWeight(mainService, 1));
    }
    if (header != null) {
      String value = request.header(header);
      if (value != null) {
        if (headerValue != null || headerPattern != null) {
          boolean hit =
              headerValue != null
                  ? value.equals(headerValue)
                  : HttpRouteRouter.HeaderMatch.regex(headerPattern, value);
          if (hit) {
            return canary();
          }
        } else if (value.equals("always")) {
          return canary();
        } else if (value.equals("never")) {
          return main();
        }
      }
    }
    if (cookie != null) {
      String value = request.cookies().get(cookie);
      if ("always".equals(value)) {
        return canary();
      }
      if ("never".equals(value)) {
        return main();
      }
    }
    double share = weightTotal <= 0 ? 0 : Math.min(1, Math.max(0, weight / weightTotal));
    return Router.normalise(
        List.of(
            new BackendWeight(canaryService, share), new BackendWeight(mainService, 1 - share)));
  }

  private List<BackendWeight> canary() {
    return List.of(new BackendWeight(canaryService, 1));
  }

  private List<BackendWeight> main() {
    return List.of(new BackendWeight(mainService, 1));
  }

  @Override
  public Set<String> services() {
    Set<String> services = new LinkedHashSet<>();
    services.add(mainService);
    if (canaryService != null) {
      services.add(canaryService);
    }
    return services;
  }

  private static String key(JsonNode ingress) {
    JsonNode rule = ingress.path("spec").path("rules").path(0);
    return rule.path("host").asText("*")
        + rule.path("http").path("paths").path(0).path("path").asText("/");
  }

  private static String backend(JsonNode ingress) {
    JsonNode service =
        ingress
            .path("spec")
            .path("rules")
            .path(0)
            .path("http")
            .path("paths")
            .path(0)
            .path("backend")
            .path("service");
    if (service.isMissingNode()) {
      service = ingress.path("spec").path("defaultBackend").path("service");
    }
    String name = service.path("name").asText("");
    return name.isEmpty() ? null : name;
  }

  private static String name(JsonNode ingress) {
    return ingress.path("metadata").path("name").asText();
  }

  private static String annotation(JsonNode ingress, String name) {
    JsonNode value = ingress.path("metadata").path("annotations").get(PREFIX + name);
    return value == null ? null : value.asText();
  }

  private static double number(String text, double fallback) {
    if (text == null) {
      return fallback;
    }
    try {
      return Double.parseDouble(text.trim());
    } catch (NumberFormatException e) {
      return fallback;
    }
  }
}
