package dev.weir.sandbox.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** Which Services serve a request, for every kind of router: one table per kind. */
class RouterTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  record Case(String name, Router router, SimulatedRequest request, Map<String, Double> expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static JsonNode yaml(String text) {
    return JSON.valueToTree(new Yaml(new SafeConstructor(new LoaderOptions())).load(text));
  }

  static List<JsonNode> yamlAll(String text) {
    List<JsonNode> documents = new java.util.ArrayList<>();
    new Yaml(new SafeConstructor(new LoaderOptions()))
        .loadAll(text)
        .forEach(d -> documents.add(JSON.valueToTree(d)));
    return documents;
  }

  static SimulatedRequest request(
      String path, Map<String, String> headers, Map<String, String> cookies) {
    return new SimulatedRequest(path, headers, cookies);
  }

  static final SimulatedRequest PLAIN = SimulatedRequest.plain();

  static final Router HTTP_ROUTE =
      HttpRouteRouter.from(
          yaml(
              """
              metadata: {name: storefront}
              spec:
                rules:
                - matches:
                  - headers: [{name: X-Canary, value: "true"}]
                  backendRefs: [{name: storefront-canary, port: 80}]
                - matches:
                  - path: {type: PathPrefix, value: /api}
                    headers: [{type: RegularExpression, name: cookie, value: ".*beta=1.*"}]
                  backendRefs: [{name: storefront-canary, port: 80}]
                - backendRefs:
                  - {name: storefront-stable, port: 80, weight: 95}
                  - {name: storefront-canary, port: 80, weight: 5}
                - matches:
                  - path: {type: Exact, value: /admin}
                  backendRefs: [{name: admin, port: 80}]
              """));

  static final Router VIRTUAL_SERVICE =
      VirtualServiceRouter.from(
          yaml(
              """
              metadata: {name: checkout}
              spec:
                hosts: [checkout]
                http:
                - match:
                  - headers: {x-user-group: {exact: beta}}
                  - headers: {cookie: {regex: ".*canary=always.*"}}
                  route:
                  - destination: {host: checkout-canary.shop.svc.cluster.local}
                - match:
                  - uri: {prefix: /legacy}
                  route:
                  - destination: {host: checkout-legacy}
                - route:
                  - {destination: {host: checkout-stable}, weight: 80}
                  - {destination: {host: checkout-canary}, weight: 20}
              """));

  static final Router TRAFFIC_SPLIT =
      TrafficSplitRouter.from(
          yaml(
              """
              metadata: {name: payments}
              spec:
                service: payments
                backends:
                - {service: payments-v1, weight: 750}
                - {service: payments-v2, weight: 250}
              """));

  static Router nginx(String canaryAnnotations) {
    return NginxCanaryRouter.from(
            yamlAll(
                """
                metadata: {name: search}
                spec:
                  rules:
                  - host: shop.example
                    http: {paths: [{path: /search, pathType: Prefix, backend: {service: {name: search, port: {number: 80}}}}]}
                ---
                metadata:
                  name: search-canary
                  annotations:
                    nginx.ingress.kubernetes.io/canary: "true"
                %s
                spec:
                  rules:
                  - host: shop.example
                    http: {paths: [{path: /search, pathType: Prefix, backend: {service: {name: search-canary, port: {number: 80}}}}]}
                """
                    .formatted(canaryAnnotations)))
        .getFirst();
  }

  static Stream<Case> cases() {
    Router weightOnly = nginx("    nginx.ingress.kubernetes.io/canary-weight: \"30\"");
    Router byHeader =
        nginx(
            "    nginx.ingress.kubernetes.io/canary-by-header: X-Canary\n"
                + "    nginx.ingress.kubernetes.io/canary-by-cookie: canary\n"
                + "    nginx.ingress.kubernetes.io/canary-weight: \"10\"");
    Router byHeaderValue =
        nginx(
            "    nginx.ingress.kubernetes.io/canary-by-header: X-Region\n"
                + "    nginx.ingress.kubernetes.io/canary-by-header-value: eu-west\n"
                + "    nginx.ingress.kubernetes.io/canary-weight: \"500\"\n"
                + "    nginx.ingress.kubernetes.io/canary-weight-total: \"1000\"");
    return Stream.of(
        new Case(
            "HTTPRoute: plain request splits by weight",
            HTTP_ROUTE,
            PLAIN,
            Map.of("storefront-stable", 0.95, "storefront-canary", 0.05)),
        new Case(
            "HTTPRoute: header match wins over the catch-all",
            HTTP_ROUTE,
            request("/", Map.of("x-canary", "true"), Map.of()),
            Map.of("storefront-canary", 1.0)),
        new Case(
            "HTTPRoute: header value must match exactly",
            HTTP_ROUTE,
            request("/", Map.of("X-Canary", "yes"), Map.of()),
            Map.of("storefront-stable", 0.95, "storefront-canary", 0.05)),
        new Case(
            "HTTPRoute: longer prefix plus cookie regex",
            HTTP_ROUTE,
            request("/api/cart", Map.of(), Map.of("beta", "1")),
            Map.of("storefront-canary", 1.0)),
        new Case(
            "HTTPRoute: cookie without the prefix does not match",
            HTTP_ROUTE,
            request("/cart", Map.of(), Map.of("beta", "1")),
            Map.of("storefront-stable", 0.95, "storefront-canary", 0.05)),
        new Case(
            "HTTPRoute: exact path beats prefixes",
            HTTP_ROUTE,
            request("/admin", Map.of(), Map.of()),
            Map.of("admin", 1.0)),
        new Case(
            "VirtualService: weighted default route",
            VIRTUAL_SERVICE,
            PLAIN,
            Map.of("checkout-stable", 0.8, "checkout-canary", 0.2)),
        new Case(
            "VirtualService: header match, FQDN host",
            VIRTUAL_SERVICE,
            request("/", Map.of("x-user-group", "beta"), Map.of()),
            Map.of("checkout-canary", 1.0)),
        new Case(
            "VirtualService: cookie through the cookie header",
            VIRTUAL_SERVICE,
            request("/", Map.of(), Map.of("canary", "always")),
            Map.of("checkout-canary", 1.0)),
        new Case(
            "VirtualService: uri prefix",
            VIRTUAL_SERVICE,
            request("/legacy/orders", Map.of(), Map.of()),
            Map.of("checkout-legacy", 1.0)),
        new Case(
            "TrafficSplit: weights are relative",
            TRAFFIC_SPLIT,
            PLAIN,
            Map.of("payments-v1", 0.75, "payments-v2", 0.25)),
        new Case(
            "NGINX: canary-weight out of 100",
            weightOnly,
            PLAIN,
            Map.of("search-canary", 0.3, "search", 0.7)),
        new Case(
            "NGINX: header always",
            byHeader,
            request("/search", Map.of("X-Canary", "always"), Map.of()),
            Map.of("search-canary", 1.0)),
        new Case(
            "NGINX: header never beats the cookie",
            byHeader,
            request("/search", Map.of("X-Canary", "never"), Map.of("canary", "always")),
            Map.of("search", 1.0)),
        new Case(
            "NGINX: other header values fall through to the cookie",
            byHeader,
            request("/search", Map.of("X-Canary", "maybe"), Map.of("canary", "always")),
            Map.of("search-canary", 1.0)),
        new Case(
            "NGINX: cookie never",
            byHeader,
            request("/search", Map.of(), Map.of("canary", "never")),
            Map.of("search", 1.0)),
        new Case(
            "NGINX: neither header nor cookie: weight",
            byHeader,
            PLAIN,
            Map.of("search-canary", 0.1, "search", 0.9)),
        new Case(
            "NGINX: header value match",
            byHeaderValue,
            request("/search", Map.of("X-Region", "eu-west"), Map.of()),
            Map.of("search-canary", 1.0)),
        new Case(
            "NGINX: header value mismatch falls through to weight of total",
            byHeaderValue,
            request("/search", Map.of("X-Region", "us-east"), Map.of()),
            Map.of("search-canary", 0.5, "search", 0.5)),
        new Case(
            "no router: the Service itself",
            new ReplicaRatio("inventory"),
            PLAIN,
            Map.of("inventory", 1.0)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void routesRequestsToTheExpectedServices(Case c) {
    Map<String, Double> actual = new TreeMap<>();
    for (BackendWeight weight : c.router().route(c.request())) {
      actual.merge(weight.service(), weight.weight(), Double::sum);
    }
    assertThat(actual.keySet()).isEqualTo(new TreeMap<>(c.expected()).keySet());
    c.expected()
        .forEach(
            (service, share) ->
                assertThat(actual.get(service))
                    .isCloseTo(share, org.assertj.core.data.Offset.offset(1e-9)));
  }
}
