package dev.weir.engine.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.cluster.ApplyOptions;
import dev.weir.engine.cluster.ClusterGateway;
import dev.weir.engine.cluster.ResourceType;
import dev.weir.engine.model.DesiredState;
import dev.weir.engine.model.LiveObject;
import dev.weir.engine.model.Manifest;
import dev.weir.engine.model.ResourceKey;
import dev.weir.engine.testkit.TestCluster;
import dev.weir.engine.traffic.TrafficRouter;
import dev.weir.engine.traffic.TrafficRoutingSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The executor against the sandbox Kubernetes API server, through client-java and a kubeconfig, in
 * virtual time. The test plays the Deployment controller (pods become ready when asked) and Git
 * (the rendered application at v2.4.0, then at v2.4.1).
 */
class RolloutExecutorIT {
  @TempDir Path dir;
  TestCluster cluster;
  ClusterGateway gateway;
  ScriptedMetrics metrics;
  final List<RolloutExecutor> executors = new ArrayList<>();
  final List<RolloutEvent> events = new ArrayList<>();
  final java.util.concurrent.atomic.AtomicBoolean crashed =
      new java.util.concurrent.atomic.AtomicBoolean();

  static final DesiredState V1 = Apps.storefront(CanaryMachineTest.STOREFRONT);
  static final DesiredState V2 =
      Apps.state(
          "storefront",
          Apps.manifests(
              Apps.STOREFRONT_OBJECTS.replace("2.4.0", "2.4.1")
                  + "---\n"
                  + CanaryMachineTest.STOREFRONT,
              "apps/storefront/all.yaml"));
  static final ResourceKey ROUTE =
      new ResourceKey("gateway.networking.k8s.io", "HTTPRoute", "shop", "storefront");
  static final ResourceKey STABLE = new ResourceKey("apps", "Deployment", "shop", "storefront");
  static final ResourceKey CANARY =
      new ResourceKey("apps", "Deployment", "shop", "storefront-canary");
  static final ResourceKey STATE = new ResourceKey("", "ConfigMap", "shop", "storefront-rollout");

  @BeforeEach
  void start() throws Exception {
    cluster = new TestCluster(dir.resolve("cluster"));
    gateway = cluster.gateway();
    gateway.apply(
        Map.of("apiVersion", "v1", "kind", "Namespace", "metadata", Map.of("name", "shop")),
        ApplyOptions.weir());
    sync(V1);
    gateway.apply(
        Map.of(
            "apiVersion",
            "gateway.networking.k8s.io/v1",
            "kind",
            "HTTPRoute",
            "metadata",
            Map.of("name", "storefront", "namespace", "shop"),
            "spec",
            Map.of(
                "parentRefs",
                List.of(Map.of("name", "shop-gateway")),
                "rules",
                List.of(
                    Map.of(
                        "backendRefs",
                        List.of(
                            Map.of("name", "storefront-stable", "port", 80, "weight", 100),
                            Map.of("name", "storefront-canary", "port", 80, "weight", 0)))))),
        ApplyOptions.weir());
    podsReady();
    metrics = new ScriptedMetrics().set("rate(ok", 0.995).set("p99", 0.12);
  }

  @AfterEach
  void stop() throws Exception {
    executors.forEach(RolloutExecutor::close);
    cluster.close();
  }

  /** What the reconciler does for this application: applies its objects as they are in Git. */
  void sync(DesiredState state) {
    for (Manifest manifest : state.resources().values()) {
      if (!manifest.kind().equals("Ingress")) {
        gateway.apply(withNamespace(manifest.object()), ApplyOptions.weir());
      }
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> withNamespace(Map<String, Object> object) {
    Map<String, Object> copy = new java.util.LinkedHashMap<>(object);
    Map<String, Object> metadata =
        new java.util.LinkedHashMap<>((Map<String, Object>) copy.get("metadata"));
    metadata.put("namespace", "shop");
    copy.put("metadata", metadata);
    return copy;
  }

  /** The Deployment controller and kubelet: every Deployment's pods are up and ready. */
  void podsReady() {
    ResourceType deployments = gateway.resourceType("apps/v1", "Deployment");
    for (LiveObject deployment : gateway.list(deployments, "shop", "")) {
      long replicas = deployment.at("spec.replicas").map(v -> ((Number) v).longValue()).orElse(1L);
      gateway.patchStatus(
          deployment.key(),
          Map.of(
              "observedGeneration",
              deployment.generation(),
              "replicas",
              replicas,
              "updatedReplicas",
              replicas,
              "readyReplicas",
              replicas,
              "availableReplicas",
              replicas),
          "kube-controller-manager");
    }
  }

  RolloutExecutor executor() {
    RolloutExecutor executor =
        new RolloutExecutor(gateway, metrics, cluster.clock, Runnable::run, Duration.ZERO);
    executor.addListener(events::add);
    executors.add(executor);
    return executor;
  }

  int weight() {
    return TrafficRouter.of(
            new TrafficRoutingSpec.GatewayApi("storefront"),
            "shop",
            "storefront-stable",
            "storefront-canary")
        .weight(gateway)
        .orElseThrow();
  }

  Map<String, Object> stateRecord() {
    @SuppressWarnings("unchecked")
    Map<String, Object> data =
        (Map<String, Object>) gateway.get(STATE).orElseThrow().object().get("data");
    return data;
  }

  String image(ResourceKey key) {
    Object containers =
        gateway.get(key).orElseThrow().at("spec.template.spec.containers").orElseThrow();
    return String.valueOf(((Map<?, ?>) ((List<?>) containers).getFirst()).get("image"));
  }

  int replicas(ResourceKey key) {
    return gateway
        .get(key)
        .flatMap(d -> d.at("spec.replicas"))
        .map(v -> ((Number) v).intValue())
        .orElse(-1);
  }

  /**
   * Plays the rollout out: pods become ready, time passes in 30s ticks, and a person promotes when
   * it waits for one. A {@link SimulatedCrash} kills the console; a new one takes over.
   */
  RolloutExecutor playOut(RolloutExecutor executor, List<Integer> weights) {
    for (int tick = 0; tick < 200; tick++) {
      if (crashed.getAndSet(false)) {
        executor = executor();
        executor.track(V2);
      }
      podsReady();
      executor.reconcile();
      Optional<RolloutStatus> status = executor.status("storefront", Optional.empty());
      weights.add(weight());
      if (status.isPresent()
          && (status.get().phase() == RolloutPhase.HEALTHY
                  && status.get().stableVersion().equals("v2.4.1")
              || status.get().phase() == RolloutPhase.DEGRADED)) {
        return executor;
      }
      if (status.isPresent() && status.get().message().endsWith("paused until promoted")) {
        executor.command(
            "storefront",
            Optional.empty(),
            new ManualCommand.Promote("alice", "dashboards look fine"));
      }
      cluster.clock.advance(Duration.ofSeconds(30));
    }
    throw new AssertionError("the rollout did not end: " + executor.statuses());
  }

  @Test
  void aGoodCanaryWalksItsStepsOnTheClusterAndPromotes() {
    RolloutExecutor executor = executor();
    AtomicInteger saves = new AtomicInteger();
    executor.hooks =
        new RolloutExecutor.Hooks() {
          @Override
          public void afterSave(RolloutSpec spec, RolloutState state) {
            saves.incrementAndGet();
          }
        };
    assertThat(executor.track(V1)).isEmpty();
    assertThat(executor.status("storefront", Optional.empty()).orElseThrow().line())
        .isEqualTo("storefront  Healthy  v2.4.0 is stable");

    executor.track(V2);
    List<Integer> weights = new ArrayList<>();
    playOut(executor, weights);

    assertThat(saves.get())
        .as("every transition is a crash point of the resume test")
        .isEqualTo(TRANSITIONS);
    assertThat(weights).containsSubsequence(5, 25, 50, 0);
    assertThat(weights.getLast()).isZero();
    assertThat(image(STABLE)).isEqualTo("registry.example/shop/storefront:2.4.1");
    assertThat(replicas(STABLE)).isEqualTo(4);
    assertThat(replicas(CANARY)).isZero();
    assertThat(stateRecord())
        .containsEntry("phase", "Healthy")
        .containsEntry("message", "v2.4.1 promoted: 100% on stable");
    assertThat(events)
        .extracting(RolloutEvent::message)
        .contains("promoted past step 5/7 by alice: dashboards look fine");
    List<LiveObject> clusterEvents =
        gateway.list(
            gateway.resourceType("v1", "Event"), "shop", "rollouts.weir.dev/rollout=storefront");
    assertThat(clusterEvents)
        .extracting(e -> e.object().get("reason"))
        .contains("Started", "Weight", "Promoted");
    assertThat(clusterEvents)
        .anySatisfy(
            e -> assertThat(e.annotations()).containsEntry("rollouts.weir.dev/who", "alice"));
    LiveObject canaryService =
        gateway.get(new ResourceKey("", "Service", "shop", "storefront-canary")).orElseThrow();
    assertThat(canaryService.at("spec.selector").orElseThrow().toString())
        .contains("app.kubernetes.io/name=storefront");
  }

  @Test
  void aFailingCanaryIsRolledBackAutomaticallyOnTheCluster() {
    RolloutExecutor executor = executor();
    executor.track(V1);
    metrics.set("rate(ok", 0.91);
    executor.track(V2);
    List<Integer> weights = new ArrayList<>();
    playOut(executor, weights);

    assertThat(weights).contains(5);
    assertThat(weight()).isZero();
    assertThat(replicas(CANARY)).isZero();
    assertThat(image(STABLE)).isEqualTo("registry.example/shop/storefront:2.4.0");
    assertThat(stateRecord())
        .containsEntry("phase", "Degraded")
        .containsEntry("message", "v2.4.1 rolled back: success-rate 0.91 < 0.99 at step 3");
    assertThat(executor.status("storefront", Optional.empty()).orElseThrow().revertTo())
        .contains(V1.revision());
    RolloutEvent rollback =
        events.stream()
            .filter(e -> e.reason() == RolloutEvent.Reason.ROLLED_BACK)
            .findFirst()
            .orElseThrow();
    assertThat(rollback.metrics()).containsEntry("success-rate", "0.91");
  }

  static final String TOKEN = "s3cr3t-t0ken";

  /**
   * v2.4.1 with a background analysis whose template reads an argument from the Secret {@code
   * prom-token} (Argo's features/analysis.md: {@code valueFrom.secretKeyRef}); the test's metric
   * source knows no such series and answers as Prometheus would, quoting the query — so the error
   * holds the Secret's value unless Weir masks it. {@code reference} is added to the Rollout's
   * background analysis reference.
   */
  static DesiredState withTenantAnalysis(String reference) {
    String template =
        """
        apiVersion: argoproj.io/v1alpha1
        kind: AnalysisTemplate
        metadata: {name: tenant}
        spec:
          args:
          - name: token
            valueFrom:
              secretKeyRef: {name: prom-token, key: token}
          metrics:
          - name: tenant-errors
            interval: 1m
            consecutiveErrorLimit: 0
            successCondition: result < 1
            provider: {prometheus: {query: 'errors{token="{{args.token}}"}'}}
        """;
    String rollout =
        CanaryMachineTest.STOREFRONT.replace(
            "analysis: {templates: [{templateName: latency}]}",
            "analysis: {templates: [{templateName: latency}, {templateName: tenant}]"
                + reference
                + "}");
    return Apps.state(
        "storefront",
        Apps.manifests(
            Apps.STOREFRONT_OBJECTS.replace("2.4.0", "2.4.1")
                + "---\n"
                + template
                + "---\n"
                + rollout,
            "apps/storefront/all.yaml"));
  }

  void applyTokenSecret() {
    gateway.apply(
        Map.of(
            "apiVersion",
            "v1",
            "kind",
            "Secret",
            "metadata",
            Map.of("name", "prom-token", "namespace", "shop"),
            "data",
            Map.of(
                "token",
                java.util.Base64.getEncoder()
                    .encodeToString(TOKEN.getBytes(java.nio.charset.StandardCharsets.UTF_8)))),
        ApplyOptions.weir());
  }

  @Test
  void aSecretArgumentIsReadFromTheClusterAndNeverShownInEventsTheRecordOrTheStatus() {
    applyTokenSecret();
    RolloutExecutor executor = executor();
    executor.track(V1);
    executor.track(withTenantAnalysis(""));

    executor = playOut(executor, new ArrayList<>());

    RolloutStatus status = executor.status("storefront", Optional.empty()).orElseThrow();
    assertThat(status.phase()).isEqualTo(RolloutPhase.DEGRADED);
    List<String> shown = new ArrayList<>();
    shown.add(status.message());
    shown.add(status.line());
    events.forEach(e -> shown.add(e.toString()));
    shown.add(stateRecord().toString());
    gateway
        .list(gateway.resourceType("v1", "Event"), "shop", "")
        .forEach(e -> shown.add(e.object().toString()));
    assertThat(String.join("\n", shown))
        .as("the query was sent with the Secret's value, and Prometheus' answer quoted it")
        .contains("no series for errors{token=\"*****\"}");
    assertThat(shown).allSatisfy(text -> assertThat(text).doesNotContain(TOKEN));
  }

  @Test
  void aDryRunOnTheRolloutsOwnAnalysisIsMeasuredButNeverRollsBack() {
    // Argo's features/analysis.md, "Dry-Run Mode": dryRun on the Rollout's analysis reference
    applyTokenSecret();
    RolloutExecutor executor = executor();
    executor.track(V1);
    executor.track(
        withTenantAnalysis(
            ", dryRun: [{metricName: tenant-.*}], measurementRetention: [{metricName: .*,"
                + " limit: 3}]"));

    executor = playOut(executor, new ArrayList<>());

    RolloutStatus status = executor.status("storefront", Optional.empty()).orElseThrow();
    assertThat(status.phase()).as(status.message()).isEqualTo(RolloutPhase.HEALTHY);
    assertThat(image(STABLE)).isEqualTo("registry.example/shop/storefront:2.4.1");
  }

  @Test
  void theAnalysisRunMetadataLabelsTheEventsAboutTheRunAndNoOthers() {
    // Argo's features/analysis.md, analysisRunMetadata: labels and annotations of the AnalysisRun;
    // Weir has no AnalysisRun object, so its Events about the run carry them (decision 0041)
    applyTokenSecret();
    RolloutExecutor executor = executor();
    executor.track(V1);
    executor.track(
        withTenantAnalysis(
            ", dryRun: [{metricName: tenant-.*}], analysisRunMetadata: {labels: {team: shop},"
                + " annotations: {example.com/owner: alice}}"));

    executor = playOut(executor, new ArrayList<>());

    assertThat(executor.status("storefront", Optional.empty()).orElseThrow().phase())
        .isEqualTo(RolloutPhase.HEALTHY);
    ResourceType eventType = gateway.resourceType("v1", "Event");
    List<LiveObject> labelled = gateway.list(eventType, "shop", "team=shop");
    assertThat(labelled)
        .extracting(e -> String.valueOf(e.object().get("reason")))
        .contains("AnalysisStarted", "AnalysisMeasured")
        .allSatisfy(reason -> assertThat(reason).startsWith("Analysis"));
    assertThat(labelled)
        .allSatisfy(
            e -> {
              assertThat(e.annotations()).containsEntry("example.com/owner", "alice");
              assertThat(e.annotations()).containsKey("rollouts.weir.dev/who");
              assertThat(e.labels()).containsEntry("rollouts.weir.dev/rollout", "storefront");
            });
    assertThat(gateway.list(eventType, "shop", "rollouts.weir.dev/rollout=storefront"))
        .as("the rollout's other events are not the run's")
        .filteredOn(e -> !String.valueOf(e.object().get("reason")).startsWith("Analysis"))
        .isNotEmpty()
        .allSatisfy(e -> assertThat(e.labels()).doesNotContainKey("team"));
  }

  /**
   * The states recorded in a good canary from v2.4.0 to v2.4.1 (the first is the adoption of
   * v2.4.0).
   */
  static final int TRANSITIONS = 24;

  static IntStream crashPoints() {
    return IntStream.rangeClosed(1, TRANSITIONS);
  }

  @ParameterizedTest(name = "crash after transition {0}")
  @MethodSource("crashPoints")
  void aConsoleThatCrashesAfterATransitionIsResumedByAnotherToTheSameEnd(int crashAt) {
    AtomicInteger saves = new AtomicInteger();
    RolloutExecutor first = executor();
    first.hooks =
        new RolloutExecutor.Hooks() {
          @Override
          public void afterSave(RolloutSpec spec, RolloutState state) {
            if (saves.incrementAndGet() == crashAt) {
              first.close(); // the process dies: no effect of this transition is carried out
              crashed.set(true);
              throw new SimulatedCrash();
            }
          }
        };
    first.track(V1);
    if (!crashed.get()) {
      first.track(V2);
    }
    RolloutExecutor last = playOut(first, new ArrayList<>());

    assertThat(saves.get()).as("the crash happened").isGreaterThanOrEqualTo(crashAt);
    assertThat(last.status("storefront", Optional.empty()).orElseThrow().line())
        .isEqualTo("storefront  Healthy  v2.4.1 promoted: 100% on stable");
    assertThat(weight()).isZero();
    assertThat(image(STABLE)).isEqualTo("registry.example/shop/storefront:2.4.1");
    assertThat(replicas(CANARY)).isZero();
  }

  /**
   * Closes the first console right after it recorded the step analysis with {@code measurements}
   * measurements (0: never), then plays the rollout out, a fresh console taking over 30s later.
   */
  RolloutExecutor crashMidAnalysis(int measurements) {
    RolloutExecutor first = executor();
    first.hooks =
        new RolloutExecutor.Hooks() {
          @Override
          public void afterSave(RolloutSpec spec, RolloutState state) {
            if (state instanceof CanaryState.Progressing p
                && p.activity() instanceof CanaryState.WaitForAnalysis waiting
                && waiting.counts().measured() == measurements
                && measurements > 0
                && !crashed.get()) {
              first.hooks = RolloutExecutor.Hooks.NONE;
              first.close(); // the console dies: its analysis runs stop with it
              crashed.set(true);
              throw new SimulatedCrash();
            }
          }
        };
    first.track(V1);
    first.track(V2);
    return playOut(first, new ArrayList<>());
  }

  /** {@code 3} of {@code step 3/7 analysis success-rate: Running, 3 measured (…)}. */
  static int measured(String report) {
    Matcher m = Pattern.compile(", (\\d+) measured").matcher(report);
    assertThat(m.find()).as(report).isTrue();
    return Integer.parseInt(m.group(1));
  }

  /** Step 3 measures success-rate (count 5, interval 1m); the background measures p99. */
  List<String> stepAnalysisReports() {
    return events.stream()
        .map(RolloutEvent::message)
        .filter(m -> m.startsWith("step 3/7 analysis success-rate: "))
        .distinct()
        .toList();
  }

  @ParameterizedTest(name = "console closed after {0} measurements")
  @ValueSource(ints = {0, 1, 2, 3, 4})
  void aResumedConsoleContinuesTheAnalysisFromTheRecordedCounts(int measurements) {
    RolloutExecutor last = crashMidAnalysis(measurements);

    assertThat(executors).hasSize(measurements == 0 ? 1 : 2);
    List<Instant> asked = metrics.asked("rate(ok");
    assertThat(asked).as("count 5, across both consoles").hasSize(5);
    for (int i = 1; i < asked.size(); i++) {
      assertThat(Duration.between(asked.get(i - 1), asked.get(i)))
          .as("the interval holds across the resume")
          .isEqualTo(Duration.ofMinutes(1));
    }
    List<String> reports = stepAnalysisReports();
    assertThat(reports.stream().map(RolloutExecutorIT::measured).toList())
        .as("counts only go up across the resume: %s", reports)
        .isSorted()
        .doesNotHaveDuplicates();
    assertThat(reports)
        .last()
        .isEqualTo(
            "step 3/7 analysis success-rate: Successful, 5 measured (last: success-rate 0.995)");
    assertThat(last.status("storefront", Optional.empty()).orElseThrow().line())
        .isEqualTo("storefront  Healthy  v2.4.1 promoted: 100% on stable");
  }

  @ParameterizedTest(name = "console closed after {0} measurements")
  @ValueSource(ints = {0, 1, 2, 3})
  void recordedFailuresAndOneMoreAfterTheResumeRollBack(int measurements) {
    metrics.script("rate(ok", 0.91, 0.995, 0.995, 0.93);

    crashMidAnalysis(measurements);

    assertThat(metrics.asked("rate(ok")).as("the second failure is the 4th measurement").hasSize(4);
    assertThat(stepAnalysisReports())
        .last()
        .isEqualTo(
            "step 3/7 analysis success-rate: Failed, 4 measured, 2 failed (last: success-rate"
                + " 0.93)");
    assertThat(weight()).isZero();
    assertThat(stateRecord())
        .containsEntry("phase", "Degraded")
        .containsEntry("message", "v2.4.1 rolled back: success-rate 0.93 < 0.99 at step 3");
  }

  @Test
  void aFailedAnalysisWritesTheRecordThenWeightZeroBeforeAnyOtherRequest() {
    List<String> requests = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.concurrent.atomic.AtomicBoolean recording =
        new java.util.concurrent.atomic.AtomicBoolean();
    ClusterGateway recorded =
        (ClusterGateway)
            java.lang.reflect.Proxy.newProxyInstance(
                ClusterGateway.class.getClassLoader(),
                new Class<?>[] {ClusterGateway.class},
                (proxy, method, args) -> {
                  if (recording.get() && args != null && args.length > 0) {
                    Object target = args[0];
                    String kind =
                        target instanceof ResourceKey key
                            ? key.kind()
                            : target instanceof Map<?, ?> object
                                ? String.valueOf(object.get("kind"))
                                : "";
                    requests.add(method.getName() + " " + kind);
                  }
                  try {
                    return method.invoke(gateway, args);
                  } catch (java.lang.reflect.InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
    dev.weir.engine.analysis.MetricProvider measured =
        new dev.weir.engine.analysis.MetricProvider() {
          @Override
          public dev.weir.engine.analysis.QueryResult<dev.weir.engine.analysis.MetricValue> instant(
              String query, Instant at) {
            if (recording.get() && query.contains("rate(ok")) {
              requests.add("measured success-rate");
            }
            return metrics.instant(query, at);
          }

          @Override
          public dev.weir.engine.analysis.QueryResult<List<dev.weir.engine.analysis.TimeSeries>>
              range(String query, Instant start, Instant end, Duration step) {
            return metrics.range(query, start, end, step);
          }
        };
    RolloutExecutor executor =
        new RolloutExecutor(recorded, measured, cluster.clock, Runnable::run, Duration.ZERO);
    executors.add(executor);
    executor.track(V1);
    executor.track(V2);
    for (int tick = 0; tick < 20; tick++) {
      podsReady();
      executor.reconcile(); // forgets what it cached: the passes read everything again
      if (executor.status("storefront", Optional.empty()).orElseThrow().step() == 3) {
        break;
      }
      cluster.clock.advance(Duration.ofSeconds(30));
    }
    assertThat(executor.status("storefront", Optional.empty()).orElseThrow().message())
        .startsWith("v2.4.1 canary at 5%, step 3/7: analysis success-rate");

    metrics.set("rate(ok", 0.91);
    cluster.clock.advance(Duration.ofMinutes(1)); // failureLimit 1: the first failure is allowed
    assertThat(weight()).isEqualTo(5);
    recording.set(true);
    cluster.clock.advance(Duration.ofMinutes(1));

    assertThat(weight()).isZero();
    List<String> afterFailure =
        requests.subList(requests.indexOf("measured success-rate") + 1, requests.size());
    assertThat(afterFailure)
        .as("the rollback pass reads nothing before the weight 0: %s", requests)
        .startsWith("apply ConfigMap", "apply HTTPRoute")
        .contains("apply Deployment", "apply Event");
    assertThat(stateRecord())
        .containsEntry("phase", "Degraded")
        .containsEntry("message", "v2.4.1 rolled back: success-rate 0.91 < 0.99 at step 3");
    assertThat(replicas(CANARY)).isZero();
  }

  /** Each executor tracking storefront's canary, at its pause on step 2 (of 7). */
  void atStepTwo(RolloutExecutor... executors) {
    for (RolloutExecutor e : executors) {
      e.track(V1);
    }
    for (RolloutExecutor e : executors) {
      e.track(V2);
    }
    podsReady();
    for (RolloutExecutor e : executors) {
      e.reconcile();
    }
    assertThat(executors[0].status("storefront", Optional.empty()).orElseThrow().step()).isEqualTo(2);
  }

  /** {@code meanwhile} runs once, between {@code executor}'s next read of the record and its save. */
  static void beforeNextSave(RolloutExecutor executor, Runnable meanwhile) {
    executor.hooks =
        new RolloutExecutor.Hooks() {
          @Override
          public void beforeSave(RolloutSpec spec) {
            executor.hooks = RolloutExecutor.Hooks.NONE;
            meanwhile.run();
          }
        };
  }

  @Test
  void twoConsolesActingAtOnceAreSerialisedAndTheLoserIsTold() {
    RolloutExecutor mine = executor();
    RolloutExecutor theirs = executor();
    atStepTwo(mine, theirs);

    beforeNextSave(
        mine,
        () -> {
          assertThat(
                  theirs
                      .command(
                          "storefront",
                          Optional.empty(),
                          new ManualCommand.Abort("bob", "error budget"))
                      .applied())
              .isTrue();
        });
    CommandOutcome outcome =
        mine.command("storefront", Optional.empty(), new ManualCommand.Promote("alice", ""));

    assertThat(outcome.kind()).as(outcome.message()).isEqualTo(CommandOutcome.Kind.CONFLICT);
    assertThat(outcome.message())
        .isEqualTo(
            "storefront changed meanwhile (another console acted): now storefront  Aborted  v2.4.1"
                + " aborted by bob at step 2/7: error budget; your promote was not applied");
    assertThat(weight()).isZero();
    assertThat(stateRecord()).containsEntry("phase", "Aborted");
  }

  @Test
  void anAbortIsTakenEvenWhenTheDriverMovedTheRolloutMeanwhile() {
    RolloutExecutor driver = executor();
    RolloutExecutor mine = executor();
    atStepTwo(driver, mine);

    // between this console's read of the record and its write, the driver promotes
    beforeNextSave(
        mine,
        () -> {
          assertThat(
                  driver
                      .command("storefront", Optional.empty(), new ManualCommand.Promote("bob", ""))
                      .applied())
              .isTrue();
        });
    CommandOutcome outcome =
        mine.command(
            "storefront", Optional.empty(), new ManualCommand.Abort("alice", "error budget"));

    assertThat(outcome.kind()).as(outcome.message()).isEqualTo(CommandOutcome.Kind.APPLIED);
    assertThat(outcome.message()).contains("aborted by alice");
    assertThat(weight()).isZero();
    assertThat(stateRecord()).containsEntry("phase", "Aborted");
  }

  @Test
  void aCommandIsTakenWhenTheRecordWasRewrittenButTheRolloutDidNotMove() {
    RolloutExecutor mine = executor();
    atStepTwo(mine);

    // another writer touches the record (a label) between this console's read and its write: the
    // save conflicts, but the rollout is where the person saw it
    beforeNextSave(
        mine,
        () -> {
          gateway.apply(
              Map.of(
                  "apiVersion", "v1",
                  "kind", "ConfigMap",
                  "metadata",
                      Map.of(
                          "name", STATE.name(),
                          "namespace", STATE.namespace(),
                          "labels", Map.of("example.com/seen-by", "audit"))),
              new ApplyOptions("audit", false, false));
        });
    CommandOutcome outcome =
        mine.command("storefront", Optional.empty(), new ManualCommand.Promote("alice", ""));

    assertThat(outcome.kind()).as(outcome.message()).isEqualTo(CommandOutcome.Kind.APPLIED);
    assertThat(outcome.message()).isEqualTo("storefront: promoted past step 2/7 by alice");
  }

  @Test
  void aCommandFromTheCliIsCarriedOnByTheConsoleThatDrivesTheRollout() {
    RolloutExecutor console = executor();
    console.track(V1);
    console.track(V2);
    podsReady();
    console.reconcile();
    metrics.set("rate(ok", 0.91);
    RolloutExecutor cli = RolloutExecutor.forCommands(gateway, cluster.clock);
    cli.track(V2);

    CommandOutcome promoted =
        cli.command("storefront", Optional.empty(), new ManualCommand.Promote("carol", ""));
    cli.close();
    assertThat(promoted.message()).isEqualTo("storefront: promoted past step 2/7 by carol");
    assertThat(
            RolloutExecutor.recorded(gateway, specOf(V2), cluster.clock.instant())
                .orElseThrow()
                .message())
        .startsWith("v2.4.1 canary at 5%, step 3/7: analysis success-rate");

    playOut(console, new ArrayList<>());
    assertThat(stateRecord())
        .containsEntry("message", "v2.4.1 rolled back: success-rate 0.91 < 0.99 at step 3");
  }

  static RolloutSpec specOf(DesiredState state) {
    return RolloutSpecParser.parseAll(state).rollouts().getFirst();
  }

  @Test
  void aRefusedCommandSaysWhyAndChangesNothing() {
    RolloutExecutor executor = executor();
    executor.track(V1);
    Object before = gateway.get(STATE).orElseThrow().resourceVersion();
    CommandOutcome outcome =
        executor.command(
            "storefront", Optional.empty(), new ManualCommand.SetWeight(30, "alice", ""));
    assertThat(outcome)
        .isEqualTo(
            new CommandOutcome(
                CommandOutcome.Kind.REFUSED,
                "storefront: no canary to set a weight on: storefront is Healthy on v2.4.0"));
    assertThat(gateway.get(STATE).orElseThrow().resourceVersion()).isEqualTo(before);
  }

  /** A console dying between recording a transition and acting on it. */
  static final class SimulatedCrash extends RuntimeException {
    private static final long serialVersionUID = 1L;
  }
}
