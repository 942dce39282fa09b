package dev.weir.desktop.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.drills.SampleCluster;
import dev.weir.drills.SampleRepository;
import dev.weir.engine.analysis.PrometheusAccess;
import dev.weir.engine.analysis.PrometheusSelection;
import dev.weir.engine.cluster.LeaseHolder;
import dev.weir.engine.cluster.kube.KubeClusterGateway;
import dev.weir.engine.console.Console;
import dev.weir.engine.console.RolloutPanel;
import dev.weir.engine.git.GitSettings;
import dev.weir.engine.git.GitSource;
import dev.weir.engine.git.JGitSource;
import dev.weir.engine.git.WorkspaceSpec;
import dev.weir.engine.model.ResourceKey;
import dev.weir.engine.testkit.TestCluster;
import dev.weir.engine.time.ManualClock;
import dev.weir.sandbox.api.SandboxOptions;
import dev.weir.sandbox.world.SandboxWorld;
import dev.weir.sandbox.world.WorldSettings;
import dev.weir.themes.Theme;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.input.MouseButton;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The rollout panel on a real console over the sandbox (its API server over HTTPS through
 * client-java, seeded with the sample repository, its world simulating pods and metrics, on a
 * manual clock): storefront's v2.4.1 canary at its first analysis step. Moving the slider and
 * confirming changes the HTTPRoute's weights in the sandbox; aborting puts all traffic back on
 * stable. Both read back from the API server.
 */
@ExtendWith(ApplicationExtension.class)
class RolloutPaneSandboxIT {
  static final ResourceKey ROUTE =
      new ResourceKey("gateway.networking.k8s.io", "HTTPRoute", "shop", "storefront");

  @TempDir Path dir;
  final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T10:00:00Z"));
  TestCluster cluster;
  GitSource git;
  Console console;
  KubeClusterGateway reader;
  RolloutPane pane;

  Stage stage;

  @Start
  void start(Stage stage) {
    this.stage = stage;
  }

  /** Off the JavaFX thread: the sandbox, the sample repository, the console; then the window. */
  @BeforeEach
  void open() throws Exception {
    cluster = new TestCluster(dir.resolve("cluster"), clock, SandboxOptions.builder().ephemeral());
    SandboxWorld.attach(cluster.server, WorldSettings.defaults().withSeed(3));
    Path repository = dir.resolve("shop.git");
    SampleRepository.write(repository, Instant.parse("2026-01-01T09:00:00Z"));
    GitSettings settings =
        GitSettings.from(Map.of("PATH", System.getenv("PATH")), dir.resolve("home"))
            .withCredentialHelper(false);
    try (JGitSource source =
        JGitSource.open(WorkspaceSpec.of(repository.toString()), settings, clock)) {
      SampleCluster.seed(cluster.server, source, "HEAD~1", repository);
    }
    clock.advance(Duration.ofMinutes(2));
    git = JGitSource.open(WorkspaceSpec.of(repository.toString()), settings, clock);
    KubeClusterGateway gateway = cluster.gateway();
    reader = cluster.gateway();
    console =
        Console.open(
            git,
            gateway,
            clock,
            Console.Options.defaults("alice", LeaseHolder.of("alice@laptop", "weir desktop")),
            PrometheusSelection.discovering(gateway, PrometheusAccess.none(), clock),
            Runnable::run);
    WaitForAsyncUtils.asyncFx(
            () -> {
              pane = new RolloutPane(console, ZoneOffset.UTC);
              stage.setScene(ThemedScene.of(pane, Theme.LIGHT, 1200, 780));
              stage.setX(0);
              stage.setY(0); // inside Monocle's 1280×800 screen, where the robot can reach
              stage.show();
            })
        .get();
  }

  @AfterEach
  void stop() throws Exception {
    if (console != null) {
      console.close();
    }
    if (git != null) {
      git.close();
    }
    cluster.close();
  }

  /** The HTTPRoute's backend weights, as the API server has them: {@code storefront-stable=95}. */
  List<String> routeWeights() {
    Map<String, Object> spec = cast(reader.get(ROUTE).orElseThrow().object().get("spec"));
    List<String> out = new ArrayList<>();
    for (Object rule : (List<?>) spec.get("rules")) {
      for (Object ref : (List<?>) cast(rule).get("backendRefs")) {
        out.add(cast(ref).get("name") + "=" + cast(ref).get("weight"));
      }
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> cast(Object o) {
    return (Map<String, Object>) o;
  }

  /** Lets the console drive storefront 5 s at a time (up to 20 minutes) until {@code done}. */
  RolloutPanel driveUntil(Predicate<RolloutPanel> done) {
    for (int second = 0; second <= 20 * 60; second += 5) {
      if (second % 15 == 0) {
        console.refresh().join();
        Optional<RolloutPanel> panel = panel();
        if (panel.isPresent() && done.test(panel.get())) {
          return panel.get();
        }
      }
      console.reconcileRollouts();
      clock.advance(Duration.ofSeconds(5));
    }
    throw new AssertionError("not there in 20 minutes: " + panel());
  }

  Optional<RolloutPanel> panel() {
    return console.snapshot().application("storefront").flatMap(a -> a.rolloutPanel("storefront"));
  }

  void showLatest(FxRobot robot) {
    console.refresh().join();
    robot.interact(() -> pane.show(console.snapshot(), "storefront"));
  }

  String status(FxRobot robot) {
    return robot.lookup("#rollout-status").queryAs(Label.class).getText();
  }

  void awaitStatus(FxRobot robot, String prefix) throws Exception {
    WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> status(robot).startsWith(prefix));
  }

  @Test
  void movingTheSliderChangesTheRouterWeightInTheSandbox(FxRobot robot) throws Exception {
    driveUntil(p -> p.canaryWeight() == 5 && p.phase().equals("Progressing"));
    showLatest(robot);
    assertThat(routeWeights()).containsExactly("storefront-stable=95", "storefront-canary=5");

    Slider slider = robot.lookup("#weight-slider").queryAs(Slider.class);
    assertThat(slider.getValue()).isEqualTo(5);
    robot.drag(robot.lookup("#weight-slider .thumb").queryAs(Node.class), MouseButton.PRIMARY).moveBy(200, 0);
    int weight = (int) Math.round(slider.getValue());
    assertThat(weight).isBetween(10, 95);
    assertThat(robot.lookup("#weight-meaning").queryAs(Label.class).getText()).startsWith(weight + "% to the canary: ");
    robot.drop();
    WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> robot.lookup("#confirm").queryAs(Node.class).isVisible());
    // the engine's preview: the split afterwards
    assertThat(robot.lookup("#confirm-lines .label").queryAllAs(Label.class))
        .extracting(Label::getText)
        .anySatisfy(line -> assertThat(line).contains((100 - weight) + "%").contains(weight + "%"));
    assertThat(routeWeights()).as("a preview changes nothing").containsExactly("storefront-stable=95", "storefront-canary=5");

    robot.clickOn("#confirm-ok");
    awaitStatus(robot, "✔");
    assertThat(status(robot)).contains(weight + "%");
    // the canary's pods scale to the new share first (the sandbox's world makes them ready), then
    // the router moves: a few passes of the console in virtual time
    List<String> expected = List.of("storefront-stable=" + (100 - weight), "storefront-canary=" + weight);
    for (int second = 0; second < 5 * 60 && !routeWeights().equals(expected); second += 5) {
      console.reconcileRollouts();
      clock.advance(Duration.ofSeconds(5));
    }
    assertThat(routeWeights()).containsExactlyElementsOf(expected);
    assertThat(panel().orElseThrow().phase()).as("held there until resumed").isEqualTo("Paused");

    showLatest(robot);
    assertThat(robot.lookup("#canary-weight").queryAs(Label.class).getText()).isEqualTo("canary v2.4.1 · " + weight + "%");
    assertThat(slider.getValue()).isEqualTo(weight);
  }

  @Test
  void abortingTheCanaryPutsTrafficBackOnStable(FxRobot robot) throws Exception {
    driveUntil(p -> p.canaryWeight() == 5 && p.phase().equals("Progressing"));
    showLatest(robot);
    assertThat(routeWeights()).containsExactly("storefront-stable=95", "storefront-canary=5");

    robot.clickOn("#abort");
    WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> robot.lookup("#confirm").queryAs(Node.class).isVisible());
    assertThat(robot.lookup("#confirm-title").queryAs(Label.class).getText()).contains("storefront");
    assertThat(routeWeights()).as("a preview changes nothing").containsExactly("storefront-stable=95", "storefront-canary=5");
    robot.clickOn("#confirm-ok");
    awaitStatus(robot, "✔");

    assertThat(routeWeights()).containsExactly("storefront-stable=100", "storefront-canary=0");
    showLatest(robot);
    assertThat(robot.lookup("#rollout-phase").queryAs(Label.class).getText()).isEqualTo("Aborted");
    assertThat(robot.lookup("#stable-weight").queryAs(Label.class).getText()).endsWith("· 100%");
    assertThat(robot.lookup("#retry").queryButton().isDisabled()).isFalse();
  }
}
