package dev.weir.engine.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.manifest.RenderResult;
import dev.weir.engine.manifest.RenderedApplication;
import dev.weir.engine.manifest.Renderer;
import dev.weir.engine.model.DesiredState;
import dev.weir.engine.model.Manifest;
import dev.weir.engine.model.ResourceKey;
import dev.weir.engine.testkit.DirectoryTree;
import dev.weir.engine.traffic.TrafficRoutingSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The team's corpus of Argo Rollouts documents ({@code src/test/resources/argo-corpus}, written for
 * Weir in Argo's formats as Argo's documentation shows them; each file cites the page it follows):
 * each rendered beside {@code base.yaml} in an application through the real {@link Renderer}, then
 * read as the engine reads it. A file says what it expects on its first lines: {@code # expect:
 * accepted}, or one {@code # expect: FIELD: MESSAGE} line per problem, exactly.
 */
class ArgoRolloutCorpusTest {
  static final List<String> FILES =
      List.of(
          "accepted-inline-template.yaml",
          "accepted-gateway-plugin.yaml",
          "accepted-smi-default-split.yaml",
          "accepted-workload-ref.yaml",
          "accepted-max-surge.yaml",
          "accepted-canary-pods.yaml",
          "accepted-analysis-fields.yaml",
          "accepted-analysis-auth-and-metadata.yaml",
          "accepted-istio-subsets.yaml",
          "accepted-mirror-route.yaml",
          "accepted-dynamic-stable-scale.yaml",
          "accepted-experiment.yaml",
          "accepted-blue-green-anti-affinity.yaml",
          "accepted-managed-routes-order.yaml",
          "refused-blue-green-anti-affinity.yaml",
          "refused-canary-pods.yaml",
          "refused-istio-subsets.yaml",
          "refused-mirror-route.yaml",
          "refused-mirror-smi.yaml",
          "refused-dynamic-stable-scale.yaml",
          "refused-steps.yaml",
          "refused-analysis-template.yaml",
          "refused-analysis-reference.yaml",
          "refused-experiment.yaml",
          "refused-no-workload.yaml",
          "refused-workload-ref.yaml");

  @TempDir Path repo;

  static String corpus(String file) {
    try (InputStream in = ArgoRolloutCorpusTest.class.getResourceAsStream("/argo-corpus/" + file)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Stream<String> files() {
    return FILES.stream();
  }

  /** The application {@code web} (namespace {@code shop}) with the base objects and {@code file}. */
  RenderedApplication render(String file) {
    DirectoryTree tree =
        DirectoryTree.write(
            repo,
            Map.of(
                "weir/apps.yaml",
                """
                apiVersion: weir.dev/v1alpha1
                kind: Application
                metadata: {name: web}
                spec:
                  source: {path: apps/web}
                  destination: {namespace: shop}
                """,
                "apps/web/base.yaml",
                corpus("base.yaml"),
                "apps/web/" + file,
                corpus(file)));
    return new Renderer().render(tree).application("web").orElseThrow();
  }

  static DesiredState rendered(RenderedApplication app) {
    assertThat(app.latest()).isInstanceOf(RenderResult.Rendered.class);
    return ((RenderResult.Rendered) app.latest()).state();
  }

  @ParameterizedTest
  @MethodSource("files")
  void eachDocumentIsAcceptedOrRefusedWithTheExactLines(String file) {
    List<String> expected =
        corpus(file)
            .lines()
            .takeWhile(l -> l.startsWith("# expect: "))
            .map(l -> l.substring("# expect: ".length()))
            .toList();
    DesiredState state = rendered(render(file));

    var parsed = RolloutSpecParser.parseAll(state);

    if (expected.equals(List.of("accepted"))) {
      assertThat(parsed.errors()).as(file).isEmpty();
      assertThat(parsed.rollouts()).as(file).hasSize(1);
      assertThat(state.configuration())
          .as("Argo's kinds are interpreted, never applied")
          .extracting(Manifest::kind)
          .contains("Rollout", "AnalysisTemplate", "ClusterAnalysisTemplate");
      assertThat(state.resources().keySet())
          .noneMatch(k -> k.group().equals("argoproj.io"));
    } else {
      assertThat(parsed.errors())
          .as(file)
          .allSatisfy(e -> assertThat(e.source().toString()).startsWith("apps/web/" + file + ":"))
          .extracting(e -> e.field() + ": " + e.message())
          .containsExactlyInAnyOrderElementsOf(expected);
    }
  }

  @Test
  void managedRoutesKeepTheirOrder() {
    // Argo Rollouts docs, features/specification.md: managedRoutes' order is the routes' precedence
    RolloutSpec spec =
        RolloutSpecParser.parseAll(rendered(render("accepted-managed-routes-order.yaml")))
            .rollouts()
            .getFirst();
    assertThat(spec.canary().managedRoutes()).containsExactly("mirror-all", "beta");
  }

  @Test
  void blueGreenAntiAffinityIsRead() {
    // Argo Rollouts docs, features/anti-affinity.md: blue-green as canary (decision 0048)
    RolloutSpec spec =
        RolloutSpecParser.parseAll(rendered(render("accepted-blue-green-anti-affinity.yaml")))
            .rollouts()
            .getFirst();
    assertThat(spec.blueGreen().antiAffinity())
        .contains(new CanaryPods.AntiAffinity(java.util.OptionalInt.of(60)));
  }

  @Test
  void anInlineTemplateBecomesTheDeploymentWeirRollsOut() {
    // Argo Rollouts docs, features/specification.md: replicas, selector and template on the Rollout
    DesiredState state = rendered(render("accepted-inline-template.yaml"));
    RolloutSpec spec = RolloutSpecParser.parseAll(state).rollouts().getFirst();

    Manifest deployment = state.resources().get(new ResourceKey("apps", "Deployment", "shop", "web"));
    assertThat(spec.target()).isEqualTo("web");
    assertThat(deployment).as("Weir makes the Deployment the Rollout describes").isNotNull();
    assertThat(deployment.source().toString()).startsWith("apps/web/accepted-inline-template.yaml:");
    Map<?, ?> deploymentSpec = (Map<?, ?>) deployment.object().get("spec");
    assertThat(deploymentSpec.get("replicas")).isEqualTo(5);
    assertThat(deploymentSpec.get("progressDeadlineSeconds")).isEqualTo(300);
    assertThat(deploymentSpec.get("selector")).isEqualTo(Map.of("matchLabels", Map.of("app", "web")));
    assertThat(spec.canary().trafficRouting()).isInstanceOf(TrafficRoutingSpec.ReplicaRatio.class);
    assertThat(spec.canary().steps()).hasSize(6);
  }

  @Test
  void aWorkloadRefRunsTheRolloutsReplicas() {
    // issue 17: workloadRef with replicas: 5 gave a Deployment of 0 pods reported Healthy; Argo's
    // migrating.md leaves the Deployment at 0 for Argo's own ReplicaSets, Weir runs it at 5
    DesiredState state = rendered(render("accepted-workload-ref.yaml"));
    RolloutSpec spec = RolloutSpecParser.parseAll(state).rollouts().getFirst();

    Manifest deployment = state.resources().get(new ResourceKey("apps", "Deployment", "shop", "web"));
    assertThat(spec.target()).isEqualTo("web");
    assertThat(((Map<?, ?>) deployment.object().get("spec")).get("replicas")).isEqualTo(5);
  }

  @Test
  void theGatewayApiPluginMapsToWeirsGatewayApiRouter() {
    // rollouts-plugin-trafficrouter-gatewayapi README: plugins: {argoproj-labs/gatewayAPI: {httpRoute}}
    RolloutSpec spec =
        RolloutSpecParser.parseAll(rendered(render("accepted-gateway-plugin.yaml"))).rollouts().getFirst();

    assertThat(spec.canary().trafficRouting()).isEqualTo(new TrafficRoutingSpec.GatewayApi("web"));
    assertThat(spec.canary().steps().getFirst()).isInstanceOf(CanaryStep.SetHeaderRoute.class);
    assertThat(spec.canary().analysis().orElseThrow().templates()).containsExactly("cluster-errors");
    assertThat(((CanaryStep.Analysis) spec.canary().steps().get(2)).analysis().args())
        .as("valueFrom.fieldRef: the Rollout's own label, read with the Rollout")
        .containsEntry("service", "web-canary");
  }

  @Test
  void argosAnalysisFieldsArePlayedNotRefused() {
    // Argo Rollouts docs, analysis/prometheus.md and features/analysis.md (decision 0037)
    var parsed = RolloutSpecParser.parseAll(rendered(render("accepted-analysis-fields.yaml")));
    RolloutSpec spec = parsed.rollouts().getFirst();
    var template = parsed.templates().get("tenant-latency");
    var prometheus = template.metric("latency").orElseThrow().prometheus();

    assertThat(prometheus.timeout()).contains(java.time.Duration.ofSeconds(40));
    assertThat(prometheus.headers())
        .extracting(h -> h.key() + "=" + h.value())
        .containsExactly("X-Scope-OrgID=tenant_a", "Authorization=Bearer {{args.api-token}}");
    assertThat(prometheus.insecure())
        .as("remembered with where it is said; honoured only with the person's opt-in")
        .hasValueSatisfying(
            at ->
                assertThat(at)
                    .startsWith("apps/web/accepted-analysis-fields.yaml:")
                    .endsWith(" spec.metrics[0].provider.prometheus.insecure"));
    assertThat(prometheus.rangeQuery().orElseThrow().step())
        .isEqualTo(java.time.Duration.ofMinutes(1));
    assertThat(template.args().get(2).secret())
        .contains(new dev.weir.engine.analysis.ArgSpec.SecretKeyRef("prom-token", "token"));

    AnalysisRef background = spec.canary().analysis().orElseThrow();
    assertThat(background.dryRun()).containsExactly("random-fail");
    assertThat(background.retention()).containsOnly(
        Map.entry("latency", 10), Map.entry("random-fail", 10));
    var played = background.applyTo(template);
    assertThat(played.dryRun("random-fail")).isTrue();
    assertThat(played.dryRun("latency")).isFalse();
    assertThat(played.retention("latency")).isEqualTo(10);

    AnalysisRef step = ((CanaryStep.Analysis) spec.canary().steps().get(1)).analysis();
    assertThat(step.dryRun()).containsExactly("success-rate");
    assertThat(step.applyTo(parsed.templates().get("success-rate")).dryRun("success-rate"))
        .isTrue();
    assertThat(step.applyTo(template).retention("latency")).isEqualTo(5);
    assertThat(step.applyTo(template).dryRun("latency")).isFalse();
  }

  @Test
  void authenticationFieldRefArgumentsAndRunMetadataAreRead() {
    // Argo Rollouts docs, analysis/prometheus.md ("Authorization") and features/analysis.md
    // (valueFrom.fieldRef, analysisRunMetadata): decision 0041
    var parsed =
        RolloutSpecParser.parseAll(rendered(render("accepted-analysis-auth-and-metadata.yaml")));
    RolloutSpec spec = parsed.rollouts().getFirst();
    var template = parsed.templates().get("grafana-cloud");

    assertThat(template.metric("success-rate").orElseThrow().prometheus().authentication())
        .contains(
            new dev.weir.engine.analysis.PrometheusQuerySpec.Authentication.BasicAuth(
                "{{ args.basicAuthUsername }}", "{{ args.basicAuthSecret }}"));
    assertThat(template.metric("errors").orElseThrow().prometheus().authentication())
        .contains(
            new dev.weir.engine.analysis.PrometheusQuerySpec.Authentication.OAuth2(
                "https://my-oauth2-provider/token",
                "my-client-id",
                "{{ args.oauthSecret }}",
                List.of("my-oauth2-scope")));
    assertThat(template.args().get(1).fieldRef()).contains("metadata.labels['region']");

    AnalysisRef background = spec.canary().analysis().orElseThrow();
    assertThat(background.args())
        .as("the template's fieldRef is read from this Rollout when it is read")
        .containsEntry("region", "eu-west")
        .containsEntry("service", "web-canary")
        .as("metadata.namespace is where the Rollout is applied, though Git leaves it out")
        .containsEntry("namespace", "shop");
    assertThat(background.runMetadata().labels())
        .containsExactlyInAnyOrderEntriesOf(Map.of("team", "shop", "cost-center", "4711"));
    assertThat(background.runMetadata().annotations())
        .containsExactlyEntriesOf(Map.of("notifications.example.com/subscribe", "slack:shop-alerts"));

    AnalysisRef step = ((CanaryStep.Analysis) spec.canary().steps().get(1)).analysis();
    assertThat(step.args()).as("the Rollout's own value wins, as Argo merges them")
        .containsEntry("region", "eu-central");
    assertThat(step.runMetadata().isEmpty()).isTrue();
  }

  @Test
  void argosExperimentStepIsReadAsArgoDocumentsIt() {
    // Argo Rollouts docs, features/experiment.md, "Integration With Rollouts": templates from the
    // stable and the canary pod spec, one replica unless told; analyses with the experiment pods'
    // hashes in {{templates.NAME.podTemplateHash}}; requiredForCompletion
    RolloutSpec spec =
        RolloutSpecParser.parseAll(rendered(render("accepted-experiment.yaml"))).rollouts().getFirst();

    TemplateExperiment experiment =
        ((CanaryStep.ArgoExperiment) spec.canary().steps().get(1)).experiment();
    assertThat(experiment.duration()).contains(java.time.Duration.ofHours(1));
    assertThat(experiment.templates())
        .extracting(t -> t.name() + " " + t.specRef().word() + " x" + t.replicas())
        .containsExactly("baseline stable x1", "canary canary x2");
    TemplateExperiment.Template canary = experiment.templates().get(1);
    assertThat(canary.labels()).containsEntry("role", "experiment-canary");
    assertThat(canary.annotations()).containsEntry("team", "web");
    assertThat(canary.selector()).containsOnly(
        Map.entry("app", "web"), Map.entry("role", "experiment-canary"));
    assertThat(experiment.analyses())
        .extracting(a -> a.name() + " " + a.ref().describe() + " " + a.requiredForCompletion())
        .containsExactly("compare success-rate true", "errors cluster-errors false");
    AnalysisRef resolved =
        TemplateExperiment.resolve(
            experiment.analyses().getFirst().ref(),
            Map.of("baseline", "b0b0b0b0b0", "canary", "c1c1c1c1c1"));
    assertThat(resolved.args()).containsEntry("service", "c1c1c1c1c1/b0b0b0b0b0");
    assertThat(spec.canary().steps().get(1).describe())
        .isEqualTo("experiment baseline (stable) + canary (canary), 1h");
  }

  @Test
  void smiNamesItsTrafficSplitAfterTheRolloutByDefault() {
    // Argo Rollouts docs, features/traffic-management/smi.md: trafficSplitName defaults to the Rollout's name
    RolloutSpec spec =
        RolloutSpecParser.parseAll(rendered(render("accepted-smi-default-split.yaml"))).rollouts().getFirst();

    assertThat(spec.canary().trafficRouting())
        .isEqualTo(new TrafficRoutingSpec.Smi("web", java.util.Optional.of("web-stable")));
  }

  @Test
  void istioSubsetsNeedNoServicesAndNameTheDestinationRule() {
    // Argo Rollouts docs, features/traffic-management/istio.md, "Subset-level Traffic Splitting"
    RolloutSpec spec =
        RolloutSpecParser.parseAll(rendered(render("accepted-istio-subsets.yaml")))
            .rollouts()
            .getFirst();

    assertThat(spec.canary().trafficRouting())
        .isEqualTo(
            new TrafficRoutingSpec.Istio(
                "web-vsvc",
                List.of("primary"),
                java.util.Optional.of(
                    new TrafficRoutingSpec.DestinationRule("web-destrule", "canary", "stable"))));
    assertThat(spec.canary().stableService()).isEmpty();
    assertThat(spec.canary().canaryService()).isEmpty();
  }

  @Test
  void dynamicStableScaleAndAntiAffinityAreRead() {
    // Argo Rollouts docs, features/canary.md ("Dynamic Stable Scale") and features/anti-affinity.md
    RolloutSpec spec =
        RolloutSpecParser.parseAll(rendered(render("accepted-dynamic-stable-scale.yaml")))
            .rollouts()
            .getFirst();

    assertThat(spec.canary().pods().dynamicStableScale()).isTrue();
    assertThat(spec.canary().pods().antiAffinity())
        .contains(new CanaryPods.AntiAffinity(java.util.OptionalInt.of(50)));
  }
}
