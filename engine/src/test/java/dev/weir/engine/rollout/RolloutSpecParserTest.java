package dev.weir.engine.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.model.DesiredState;
import dev.weir.engine.traffic.HeaderRoute;
import dev.weir.engine.traffic.RouteMatch;
import dev.weir.engine.traffic.TrafficRoutingSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RolloutSpecParserTest {

  static final String DESIGN_EXAMPLE =
      """
      apiVersion: weir.dev/v1alpha1
      kind: Rollout
      metadata: {name: storefront}
      spec:
        targetRef: {kind: Deployment, name: storefront}
        strategy:
          canary:
            trafficRouting:
              gatewayAPI: {httpRoute: storefront}
            stableService: storefront-stable
            canaryService: storefront-canary
            analysis: {templates: [{templateName: latency}]}
            steps:
            - setWeight: 5
            - pause: {duration: 2m}
            - analysis: {templates: [{templateName: success-rate}], args: [{name: service, value: storefront-canary}]}
            - setWeight: 25
            - pause: {}
            - setCanaryScale: {replicas: 2}
            - setCanaryScale: {weight: 40}
            - setCanaryScale: {matchTrafficWeight: true}
            - setWeight: 50
            - pause: {duration: 300}
      """;

  private static RolloutSpec parsed(DesiredState state) {
    var all = RolloutSpecParser.parseAll(state);
    assertThat(all.errors()).isEmpty();
    return all.rollouts().getFirst();
  }

  private static List<String> errors(String rolloutYaml) {
    return RolloutSpecParser.parseAll(Apps.storefront(rolloutYaml)).errors().stream()
        .map(RolloutSpecError::toString)
        .toList();
  }

  @Test
  void readsTheDesignDocumentsCanaryWithEveryStepKind() {
    RolloutSpec spec = parsed(Apps.storefront(DESIGN_EXAMPLE));

    assertThat(spec.name()).isEqualTo("storefront");
    assertThat(spec.application()).isEqualTo("storefront");
    assertThat(spec.namespace()).isEqualTo("shop");
    assertThat(spec.targetKey().toString()).isEqualTo("apps/Deployment shop/storefront");
    assertThat(spec.secondaryKey().name()).isEqualTo("storefront-canary");
    assertThat(spec.source().toString()).isEqualTo("apps/storefront/rollout.yaml:1:1");
    CanaryStrategy canary = spec.canary();
    assertThat(canary.trafficRouting()).isEqualTo(new TrafficRoutingSpec.GatewayApi("storefront"));
    assertThat(canary.stableService()).contains("storefront-stable");
    assertThat(canary.canaryService()).contains("storefront-canary");
    assertThat(canary.analysis()).contains(AnalysisRef.of("latency"));
    assertThat(canary.steps())
        .containsExactly(
            new CanaryStep.SetWeight(5),
            new CanaryStep.Pause(Optional.of(Duration.ofMinutes(2))),
            new CanaryStep.Analysis(
                new AnalysisRef(List.of("success-rate"), Map.of("service", "storefront-canary"))),
            new CanaryStep.SetWeight(25),
            new CanaryStep.Pause(Optional.empty()),
            new CanaryStep.SetCanaryScale(OptionalInt.of(2), OptionalInt.empty(), false),
            new CanaryStep.SetCanaryScale(OptionalInt.empty(), OptionalInt.of(40), false),
            new CanaryStep.SetCanaryScale(OptionalInt.empty(), OptionalInt.empty(), true),
            new CanaryStep.SetWeight(50),
            new CanaryStep.Pause(Optional.of(Duration.ofMinutes(5))));
    assertThat(canary.steps().stream().map(CanaryStep::describe).toList())
        .startsWith(
            "setWeight 5",
            "pause 2m",
            "analysis success-rate",
            "setWeight 25",
            "pause (until promoted)");
  }

  @Test
  void anAnalysisArgumentTakesThePodTemplateHashOfTheNewOrTheStableVersion() {
    RolloutSpec spec =
        parsed(
            Apps.storefront(
                RolloutSpecParserTest.canaryWith(
                    "",
                    "[{analysis: {templates: [{templateName: success-rate}], args: [{name: canary,"
                        + " valueFrom: {podTemplateHashValue: Latest}}, {name: stable, valueFrom:"
                        + " {podTemplateHashValue: Stable}}, {name: service, value: storefront}]}}]")));
    AnalysisRef ref = ((CanaryStep.Analysis) spec.canary().steps().getFirst()).analysis();

    assertThat(ref.resolved("c0ffee1234", "5ab1e56789"))
        .containsEntry("canary", "c0ffee1234")
        .containsEntry("stable", "5ab1e56789")
        .containsEntry("service", "storefront");
  }

  @Test
  void withoutTrafficRoutingTheCanaryGetsItsShareByReplicaRatioAndNeedsNoServices() {
    RolloutSpec spec =
        parsed(
            Apps.storefront(
                """
                apiVersion: weir.dev/v1alpha1
                kind: Rollout
                metadata: {name: storefront}
                spec:
                  targetRef: {kind: Deployment, name: storefront}
                  strategy: {canary: {steps: [{setWeight: 20}, {pause: {duration: 1m}}]}}
                """));

    assertThat(spec.canary().trafficRouting()).isEqualTo(new TrafficRoutingSpec.ReplicaRatio());
    assertThat(spec.canary().stableService()).isEmpty();
  }

  record RouterCase(String name, String routing, TrafficRoutingSpec expected) {}

  static Stream<RouterCase> routers() {
    return Stream.of(
        new RouterCase(
            "gateway",
            "gatewayAPI: {httpRoute: storefront}",
            new TrafficRoutingSpec.GatewayApi("storefront")),
        new RouterCase(
            "istio",
            "istio: {virtualService: {name: storefront, routes: [primary]}}",
            new TrafficRoutingSpec.Istio("storefront", List.of("primary"))),
        new RouterCase(
            "istio subsets (Argo's subset-level splitting, decision 0040)",
            "istio: {virtualService: {name: storefront}, destinationRule: {name: storefront,"
                + " canarySubsetName: canary, stableSubsetName: stable}}",
            new TrafficRoutingSpec.Istio(
                "storefront",
                List.of(),
                Optional.of(
                    new TrafficRoutingSpec.DestinationRule("storefront", "canary", "stable")))),
        new RouterCase(
            "istio, all routes",
            "istio: {virtualService: {name: storefront}}",
            new TrafficRoutingSpec.Istio("storefront", List.of())),
        new RouterCase(
            "smi",
            "smi: {trafficSplitName: storefront, rootService: storefront}",
            new TrafficRoutingSpec.Smi("storefront", Optional.of("storefront"))),
        new RouterCase(
            "nginx",
            "nginx: {stableIngress: storefront}",
            new TrafficRoutingSpec.Nginx("storefront")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("routers")
  void readsEveryRouter(RouterCase c) {
    RolloutSpec spec =
        parsed(
            Apps.storefront(
                canaryWith("trafficRouting: {" + c.routing() + "}", "[{setWeight: 10}]")));
    assertThat(spec.canary().trafficRouting()).isEqualTo(c.expected());
  }

  @Test
  void readsAMirrorRouteAndItsRemoval() {
    // Argo Rollouts docs, features/traffic-management/mirroring.md: percentage defaults to 100,
    // a setMirrorRoute without match removes the route
    RolloutSpec spec =
        parsed(
            Apps.storefront(
                canaryWith(
                    "trafficRouting: {gatewayAPI: {httpRoute: storefront}}",
                    "[{setMirrorRoute: {name: copy, match: [{method: {exact: POST}, headers:"
                        + " {X-Tenant: {prefix: acme}}}]}}, {setMirrorRoute: {name: copy}}]")));
    var first = (CanaryStep.SetMirrorRoute) spec.canary().steps().get(0);
    var route = first.route().orElseThrow();
    assertThat(route.percentage()).isEqualTo(100);
    assertThat(route.matches().getFirst().method().orElseThrow().value()).isEqualTo("POST");
    assertThat(route.matches().getFirst().headers().get("X-Tenant").type())
        .isEqualTo(RouteMatch.MatchType.PREFIX);
    assertThat(route.matches().getFirst().path()).isEmpty();
    assertThat(spec.canary().steps().get(1))
        .isEqualTo(new CanaryStep.SetMirrorRoute("copy", Optional.empty()));
  }

  @Test
  void readsHeaderAndCookieRoutesForAbTests() {
    RolloutSpec spec =
        parsed(
            Apps.storefront(
                canaryWith(
                    "trafficRouting: {istio: {virtualService: {name: storefront}}}",
                    """
                    [{setHeaderRoute: {name: beta, match: [{headerName: X-Beta, headerValue: {exact: "yes"}},
                                                             {cookieName: beta, cookieValue: "1"}]}}]\
                    """)));

    assertThat(spec.canary().steps())
        .containsExactly(
            new CanaryStep.SetHeaderRoute(
                new HeaderRoute(
                    "beta",
                    List.of(
                        new RouteMatch.Header("X-Beta", RouteMatch.MatchType.EXACT, "yes"),
                        new RouteMatch.Cookie("beta", "1")))));
  }

  @Test
  void readsTheSampleBlueGreenWithArgoDefaults() {
    RolloutSpec spec =
        parsed(
            Apps.state(
                "payments",
                Apps.manifests(
                    """
                    apiVersion: apps/v1
                    kind: Deployment
                    metadata: {name: payments}
                    spec: {template: {spec: {containers: [{name: payments, image: "payments:3.1.0"}]}}}
                    ---
                    apiVersion: v1
                    kind: Service
                    metadata: {name: payments-active}
                    ---
                    apiVersion: v1
                    kind: Service
                    metadata: {name: payments-preview}
                    ---
                    apiVersion: weir.dev/v1alpha1
                    kind: AnalysisTemplate
                    metadata: {name: smoke}
                    spec: {metrics: [{name: ok, successCondition: result == 1, provider: {prometheus: {query: up}}}]}
                    ---
                    apiVersion: weir.dev/v1alpha1
                    kind: Rollout
                    metadata: {name: payments}
                    spec:
                      targetRef: {kind: Deployment, name: payments}
                      strategy:
                        blueGreen:
                          activeService: payments-active
                          previewService: payments-preview
                          autoPromotionSeconds: 60
                          prePromotionAnalysis: {templates: [{templateName: smoke}]}
                          postPromotionAnalysis: {templates: [{templateName: smoke}]}
                    """,
                    "apps/payments/all.yaml")));

    BlueGreenStrategy blueGreen = spec.blueGreen();
    assertThat(blueGreen.activeService()).isEqualTo("payments-active");
    assertThat(blueGreen.previewService()).contains("payments-preview");
    assertThat(blueGreen.autoPromotionEnabled()).isTrue();
    assertThat(blueGreen.autoPromotionSeconds()).contains(Duration.ofMinutes(1));
    assertThat(blueGreen.prePromotionAnalysis()).contains(AnalysisRef.of("smoke"));
    assertThat(blueGreen.postPromotionAnalysis()).contains(AnalysisRef.of("smoke"));
    assertThat(blueGreen.scaleDownDelay()).isEqualTo(Duration.ofSeconds(30));
    assertThat(spec.secondaryKey().name()).isEqualTo("payments-preview");
  }

  static String canaryWith(String extra, String steps) {
    return """
    apiVersion: weir.dev/v1alpha1
    kind: Rollout
    metadata: {name: storefront}
    spec:
      targetRef: {kind: Deployment, name: storefront}
      strategy:
        canary:
          stableService: storefront-stable
          canaryService: storefront-canary
          %s
          steps: %s
    """
        .formatted(extra, steps.replace("\n", "\n" + " ".repeat(8)));
  }

  record Invalid(String name, String rollout, String expected) {}

  static Stream<Invalid> invalidSpecs() {
    String at = "apps/storefront/rollout.yaml:1:1: ";
    return Stream.of(
        new Invalid(
            "unknown step",
            canaryWith("", "[{setWeight: 5}, {wait: 10s}]"),
            at
                + "spec.strategy.canary.steps[1]: unknown step wait; steps are analysis, experiment,"
                + " pause,"
                + " setCanaryScale, setFlag, setHeaderRoute, setMirrorRoute, setWeight"),
        new Invalid(
            "two kinds in a step",
            canaryWith("", "[{setWeight: 5, pause: {}}]"),
            at
                + "spec.strategy.canary.steps[0]: a step has exactly one kind, got setWeight,"
                + " pause; steps are analysis, experiment, pause, setCanaryScale, setFlag, setHeaderRoute,"
                + " setMirrorRoute, setWeight"),
        new Invalid(
            "weight above 100",
            canaryWith("", "[{setWeight: 120}]"),
            at + "spec.strategy.canary.steps[0].setWeight: must be within 0..100, got 120"),
        new Invalid(
            "negative weight",
            canaryWith("", "[{setWeight: -1}]"),
            at + "spec.strategy.canary.steps[0].setWeight: must be within 0..100, got -1"),
        new Invalid(
            "weight not a number",
            canaryWith("", "[{setWeight: half}]"),
            at
                + "spec.strategy.canary.steps[0].setWeight: must be a whole percentage within"
                + " 0..100, got \"half\""),
        new Invalid(
            "bad pause",
            canaryWith("", "[{pause: {duration: 2 minutes}}]"),
            at
                + "spec.strategy.canary.steps[0].pause.duration: not a duration: \"2 minutes\""
                + " (write 30s, 2m, 1h30m)"),
        new Invalid(
            "template not found",
            canaryWith("", "[{analysis: {templates: [{templateName: error-rate}]}}]"),
            at
                + "spec.strategy.canary.steps[0].analysis.templates[0].templateName: no"
                + " AnalysisTemplate error-rate in the application; known: latency, success-rate"),
        new Invalid(
            "background template not found",
            canaryWith("analysis: {templates: [{templateName: p95}]}", "[{setWeight: 5}]"),
            at
                + "spec.strategy.canary.analysis.templates[0].templateName: no AnalysisTemplate p95"
                + " in the application; known: latency, success-rate"),
        new Invalid(
            "missing service with a router",
            canaryWith("trafficRouting: {gatewayAPI: {httpRoute: storefront}}", "[{setWeight: 5}]")
                .replace("canaryService: storefront-canary", ""),
            at
                + "spec.strategy.canary.canaryService: missing: a rollout with trafficRouting needs"
                + " stableService and canaryService"),
        new Invalid(
            "service not in the application",
            canaryWith("", "[{setWeight: 5}]").replace("storefront-canary", "storefront-preview"),
            at
                + "spec.strategy.canary.canaryService: no Service storefront-preview among the"
                + " application's objects; known: storefront-canary, storefront-stable"),
        new Invalid(
            "target missing",
            canaryWith("", "[{setWeight: 5}]").replace("name: storefront}", "name: shopfront}"),
            at
                + "spec.targetRef.name: no Deployment shopfront in namespace shop among the"
                + " application's objects; known: storefront"),
        new Invalid(
            "two routers",
            canaryWith(
                "trafficRouting: {nginx: {stableIngress: storefront}, smi: {trafficSplitName: s}}",
                "[{setWeight: 5}]"),
            at + "spec.strategy.canary.trafficRouting: one router per rollout, got nginx, smi"),
        new Invalid(
            "header route with SMI",
            canaryWith(
                "trafficRouting: {smi: {trafficSplitName: s}}",
                "[{setHeaderRoute: {name: beta, match: [{headerName: X-Beta, headerValue: {exact:"
                    + " y}}]}}]"),
            at
                + "spec.strategy.canary.steps[0].setHeaderRoute: TrafficSplit s cannot route by"
                + " header or cookie; use gatewayAPI, istio or nginx trafficRouting"),
        new Invalid(
            "setCanaryScale with two sizes",
            canaryWith("", "[{setCanaryScale: {replicas: 1, weight: 5}}]"),
            at
                + "spec.strategy.canary.steps[0].setCanaryScale: give exactly one of replicas,"
                + " weight or matchTrafficWeight: true"),
        new Invalid(
            "podTemplateHashValue neither Latest nor Stable",
            canaryWith(
                "",
                "[{analysis: {templates: [{templateName: success-rate}], args: [{name: hash,"
                    + " valueFrom: {podTemplateHashValue: Canary}}]}}]"),
            at
                + "spec.strategy.canary.steps[0].analysis.args[0].valueFrom.podTemplateHashValue:"
                + " must be Latest or Stable, got Canary"),
        new Invalid(
            "background analysis starting after the last step",
            canaryWith(
                "analysis: {templates: [{templateName: latency}], startingStep: 2}",
                "[{setWeight: 5}, {pause: {}}]"),
            at
                + "spec.strategy.canary.analysis.startingStep: is 2 but the canary has 2 steps"
                + " (numbered from 0)"),
        new Invalid(
            "progressDeadlineAbort not a boolean",
            canaryWith("", "[{setWeight: 5}]")
                .replace("\n  strategy:", "\n  progressDeadlineAbort: sometimes\n  strategy:"),
            at + "spec.progressDeadlineAbort: must be true or false, got sometimes"),
        new Invalid(
            "setCanaryScale without a router",
            canaryWith("", "[{setCanaryScale: {replicas: 2}}]"),
            at
                + "spec.strategy.canary.steps[0].setCanaryScale: needs trafficRouting (gatewayAPI,"
                + " istio, smi or nginx): without a router the canary's replicas are its traffic"
                + " weight"),
        new Invalid(
            "misspelt field",
            canaryWith("stableServices: x", "[{setWeight: 5}]"),
            at
                + "spec.strategy.canary.stableServices: unknown field; known fields here: analysis,"
                + " canaryService, stableService, steps, trafficRouting"),
        new Invalid(
            "blue/green without active service",
            """
            apiVersion: weir.dev/v1alpha1
            kind: Rollout
            metadata: {name: storefront}
            spec:
              targetRef: {kind: Deployment, name: storefront}
              strategy: {blueGreen: {previewService: storefront-canary}}
            """,
            at + "spec.strategy.blueGreen.activeService: missing"),
        new Invalid(
            "no strategy",
            """
            apiVersion: weir.dev/v1alpha1
            kind: Rollout
            metadata: {name: storefront}
            spec: {targetRef: {kind: Deployment, name: storefront}}
            """,
            at + "spec.strategy: missing"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidSpecs")
  void anInvalidSpecIsOneLineNamingFileLineColumnAndField(Invalid c) {
    assertThat(errors(c.rollout())).containsExactly(c.expected());
  }

  @Test
  void everyProblemOfADocumentIsListed() {
    assertThat(errors(canaryWith("", "[{setWeight: 500}, {pause: {duration: soon}}]"))).hasSize(2);
  }

  @Test
  void anInvalidAnalysisTemplateIsReportedWithItsOwnLocation() {
    DesiredState state =
        Apps.storefront(
            """
            apiVersion: weir.dev/v1alpha1
            kind: AnalysisTemplate
            metadata: {name: broken}
            spec: {metrics: [{name: x, provider: {prometheus: {query: up}}}]}
            """);
    assertThat(RolloutSpecParser.parseAll(state).errors())
        .singleElement()
        .hasToString(
            "apps/storefront/rollout.yaml:1:1: spec.metrics[0]: needs a successCondition or a"
                + " failureCondition (or a compare block): without one no measurement could ever"
                + " fail");
  }

  @Test
  void twoRolloutsOfOneDeploymentAreRefused() {
    String second = DESIGN_EXAMPLE.replace("name: storefront}\nspec", "name: storefront-2}\nspec");
    List<String> errors = errors(DESIGN_EXAMPLE + "---\n" + second);
    assertThat(errors)
        .singleElement()
        .asString()
        .startsWith(
            "apps/storefront/rollout.yaml:25:1: spec.targetRef.name: Deployment storefront is"
                + " already the target of Rollout storefront (apps/storefront/rollout.yaml:1:1)");
  }
}
