package dev.weir.sandbox.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How an entry's requests split over versions, from the namespace's objects. */
class NamespaceTrafficTest {
  static JsonNode pod(String name, String app, String version, boolean ready, String errorRate) {
    return RouterTest.yaml(
        """
        metadata:
          name: %s
          labels: {app: %s, app.kubernetes.io/version: "%s"}
          annotations: {sandbox.weir.dev/error-rate: "%s", sandbox.weir.dev/latency-p50: 100ms}
        status:
          podIP: 10.0.0.1
          conditions: [{type: Ready, status: "%s"}]
        """
            .formatted(name, app, version, errorRate, ready ? "True" : "False"));
  }

  static JsonNode service(String name, String selectorVersion) {
    return RouterTest.yaml(
        """
        metadata: {name: %s}
        spec: {selector: {app: web%s}}
        """
            .formatted(
                name,
                selectorVersion == null
                    ? ""
                    : ", app.kubernetes.io/version: \"" + selectorVersion + "\""));
  }

  @Test
  void canaryWeightOfAnHttpRouteSplitsRequestsOverVersionsAndAnEmptyBackendAnswers503() {
    JsonNode route =
        RouterTest.yaml(
            """
            metadata:
              name: web
              annotations:
                sandbox.weir.dev/request-rate: "100"
                sandbox.weir.dev/request-classes: '[{"share": 0.1, "headers": {"x-debug": "1"}}]'
            spec:
              rules:
              - matches: [{headers: [{name: x-debug, value: "1"}]}]
                backendRefs: [{name: web-debug}]
              - backendRefs: [{name: web-stable, weight: 75}, {name: web-canary, weight: 25}]
            """);
    List<JsonNode> pods =
        List.of(
            pod("a", "web", "1.0", true, "0.01"),
            pod("b", "web", "1.0", true, "0.01"),
            pod("c", "web", "1.0", false, "0.01"),
            pod("d", "web", "2.0", true, "0.2"));
    List<String> problems = new ArrayList<>();
    NamespaceTraffic traffic =
        NamespaceTraffic.build(
            "shop",
            new NamespaceTraffic.Inputs(
                List.of(
                    service("web-stable", "1.0"),
                    service("web-canary", "2.0"),
                    service("web-debug", "9.9")),
                pods,
                List.of(route),
                List.of(),
                List.of(),
                List.of()),
            20,
            problems::add);

    assertThat(problems).isEmpty();
    assertThat(traffic.flows()).hasSize(1);
    TrafficFlow flow = traffic.flows().getFirst();
    assertThat(flow.service()).isEqualTo("web");
    assertThat(flow.router()).isEqualTo("HTTPRoute");
    assertThat(flow.rate()).isEqualTo(100);
    assertThat(flow.unavailable())
        .as("x-debug requests go to a Service without ready pods")
        .isCloseTo(0.1, within(1e-9));
    assertThat(flow.versions())
        .extracting(TrafficFlow.VersionShare::version)
        .containsExactly("1.0", "2.0");
    assertThat(flow.versions().get(0).share()).isCloseTo(0.9 * 0.75, within(1e-9));
    assertThat(flow.versions().get(1).share()).isCloseTo(0.9 * 0.25, within(1e-9));
    assertThat(flow.versions().get(1).profile().errorRate()).isEqualTo(0.2);
    assertThat(traffic.endpoints().get("web-stable"))
        .extracting(Endpoint::pod)
        .containsExactly("a", "b");
  }

  @Test
  void withoutARouterReadyReplicasShareTheTrafficAndBadAnnotationsAreReported() {
    List<JsonNode> pods =
        List.of(
            pod("a", "web", "1.0", true, "0.01"),
            pod("b", "web", "1.0", true, "0.01"),
            pod("c", "web", "1.0", true, "0.01"),
            pod("d", "web", "2.0", true, "lots"));
    List<String> problems = new ArrayList<>();
    NamespaceTraffic traffic =
        NamespaceTraffic.build(
            "shop",
            new NamespaceTraffic.Inputs(
                List.of(service("web", null)), pods, List.of(), List.of(), List.of(), List.of()),
            20,
            problems::add);

    TrafficFlow flow = traffic.flows().getFirst();
    assertThat(flow.router()).isEqualTo("Service");
    assertThat(flow.versions().get(0).share()).isCloseTo(0.75, within(1e-9));
    assertThat(flow.versions().get(1).share()).isCloseTo(0.25, within(1e-9));
    assertThat(flow.versions().get(1).profile().errorRate()).as("unreadable: the default").isZero();
    assertThat(problems)
        .containsExactly(
            "Pod shop/d: sandbox.weir.dev/error-rate: \"lots\" is not a share such as 0.08 or 8%");
  }

  static JsonNode podOfTemplate(String name, String version, String hash, String errorRate) {
    return RouterTest.yaml(
        """
        metadata:
          name: %s
          labels: {app: web, app.kubernetes.io/version: "%s"%s}
          annotations: {sandbox.weir.dev/error-rate: "%s"}
        status:
          podIP: 10.0.0.2
          conditions: [{type: Ready, status: "True"}]
        """
            .formatted(
                name,
                version,
                hash == null ? "" : ", rollouts.weir.dev/pod-template-hash: \"" + hash + "\"",
                errorRate));
  }

  @Test
  void podsOfTwoTemplatesWithTheSameVersionAreSeparateSharesAndUnlabelledPodsHaveNoHash() {
    List<JsonNode> pods =
        List.of(
            podOfTemplate("stable-1", "1.0", "aaaaaaaaaa", "0.01"),
            podOfTemplate("stable-2", "1.0", "aaaaaaaaaa", "0.01"),
            podOfTemplate("canary-1", "1.0", "bbbbbbbbbb", "0.01"),
            podOfTemplate("plain-1", "1.0", null, "0.01"));
    NamespaceTraffic traffic =
        NamespaceTraffic.build(
            "shop",
            new NamespaceTraffic.Inputs(
                List.of(service("web", null)), pods, List.of(), List.of(), List.of(), List.of()),
            20,
            p -> {});

    assertThat(traffic.endpoints().get("web"))
        .extracting(Endpoint::pod, Endpoint::templateHash)
        .containsExactly(
            tuple("stable-1", "aaaaaaaaaa"),
            tuple("stable-2", "aaaaaaaaaa"),
            tuple("canary-1", "bbbbbbbbbb"),
            tuple("plain-1", ""));
    TrafficFlow flow = traffic.flows().getFirst();
    assertThat(flow.versions())
        .as("same version label and behaviour, yet one share per pod template")
        .extracting(
            TrafficFlow.VersionShare::version,
            TrafficFlow.VersionShare::templateHash,
            TrafficFlow.VersionShare::share)
        .containsExactly(
            tuple("1.0", "", 0.25),
            tuple("1.0", "aaaaaaaaaa", 0.5),
            tuple("1.0", "bbbbbbbbbb", 0.25));
  }
  /**
   * Istio subset-level splitting (what Argo Rollouts' istio.md and Weir's rollouts write): the
   * VirtualService's destinations name subsets of one Service, and the DestinationRule's subset
   * labels pick the pods; a subset no DestinationRule defines has no pods (503).
   */
  @Test
  void aVirtualServiceSplitsBetweenDestinationRuleSubsetsOfOneService() {
    JsonNode virtualService =
        RouterTest.yaml(
            """
            metadata:
              name: web
              annotations: {sandbox.weir.dev/request-rate: "100"}
            spec:
              http:
              - match: [{headers: {x-debug: {exact: "1"}}}]
                route: [{destination: {host: web, subset: debug}}]
              - route:
                - {destination: {host: web.shop.svc.cluster.local, subset: stable}, weight: 80}
                - {destination: {host: web, subset: canary}, weight: 20}
            """);
    JsonNode rule =
        RouterTest.yaml(
            """
            metadata: {name: web}
            spec:
              host: web.shop.svc.cluster.local
              subsets:
              - {name: stable, labels: {app.kubernetes.io/version: "1.0"}}
              - {name: canary, labels: {app.kubernetes.io/version: "2.0"}}
            """);
    NamespaceTraffic traffic =
        NamespaceTraffic.build(
            "shop",
            new NamespaceTraffic.Inputs(
                List.of(service("web", null)),
                List.of(
                    pod("a", "web", "1.0", true, "0.01"),
                    pod("b", "web", "1.0", true, "0.01"),
                    pod("c", "web", "2.0", true, "0.2")),
                List.of(),
                List.of(virtualService),
                List.of(),
                List.of(),
                List.of(),
                List.of(rule)),
            20,
            p -> {});

    TrafficFlow flow =
        traffic.flows().stream().filter(f -> f.router().equals("VirtualService")).findFirst().orElseThrow();
    assertThat(flow.versions())
        .extracting(TrafficFlow.VersionShare::version, TrafficFlow.VersionShare::share)
        .containsExactly(tuple("1.0", 0.8), tuple("2.0", 0.2));
    assertThat(flow.unavailable()).isZero();

    NamespaceTraffic debug =
        NamespaceTraffic.build(
            "shop",
            new NamespaceTraffic.Inputs(
                List.of(service("web", null)),
                List.of(pod("a", "web", "1.0", true, "0.01")),
                List.of(),
                List.of(
                    RouterTest.yaml(
                        """
                        metadata: {name: web}
                        spec: {http: [{route: [{destination: {host: web, subset: debug}}]}]}
                        """)),
                List.of(),
                List.of(),
                List.of(),
                List.of(rule)),
            20,
            p -> {});
    TrafficFlow undefined =
        debug.flows().stream().filter(f -> f.router().equals("VirtualService")).findFirst().orElseThrow();
    assertThat(undefined.unavailable()).as("no DestinationRule defines subset debug").isEqualTo(1.0);
  }
}
