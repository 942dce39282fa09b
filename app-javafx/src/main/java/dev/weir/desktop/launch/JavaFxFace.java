package dev.weir.desktop.launch;

import dev.weir.desktop.console.RolloutSlot;
import dev.weir.desktop.rollout.RolloutPane;
import dev.weir.engine.console.ApplicationView;
import dev.weir.engine.console.ConsoleApi;
import dev.weir.engine.console.ConsoleSnapshot;
import java.lang.management.ManagementFactory;
import java.lang.management.RuntimeMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;
import javafx.scene.Node;
import dev.weir.tui.cli.DesktopFace;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import javafx.application.Platform;
import javafx.stage.Stage;

/**
 * {@code weir desktop}'s window, found by the command line with {@link java.util.ServiceLoader}
 * (decision 0021): starts JavaFX, shows the window at once (the console's loading snapshots fill
 * it as the engine learns) and returns when it is closed.
 */
public final class JavaFxFace implements DesktopFace {

  /** JavaFX's toolkit, started once: by {@link #prepare} on the entry point's thread, or by show. */
  private static final CompletableFuture<Void> TOOLKIT = new CompletableFuture<>();

  private static final AtomicBoolean STARTING = new AtomicBoolean();

  @Override
  public void prepare() {
    toolkit();
  }

  /** Starts the toolkit on this thread unless another started it; completes when it runs. */
  private static CompletableFuture<Void> toolkit() {
    if (STARTING.compareAndSet(false, true)) {
      try {
        Platform.setImplicitExit(false);
        Platform.startup(() -> TOOLKIT.complete(null));
      } catch (RuntimeException | Error e) {
        TOOLKIT.completeExceptionally(e); // no display, say: show reports it
      }
    }
    return TOOLKIT;
  }

  @Override
  public int show(Supplier<ConsoleApi> open, Launch launch) {
    CountDownLatch closed = new CountDownLatch(1);
    try {
      toolkit().join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      if (e.getCause() instanceof Error cause) {
        throw cause;
      }
      throw e;
    }
    Platform.runLater(
        () -> {
          DesktopWindow window =
              new DesktopWindow(new Stage(), launch.theme(), WindowSettings.file(launch.variables(), launch.home()));
          // the console is opened once the first window is on screen, and fills it
          window.stage().setOnShown(e -> Platform.runLater(() -> quitWhenShown(window, open.get())));
          window.stage().showingProperty().addListener((o, was, now) -> {
            if (!now) {
              closed.countDown();
            }
          });
          if (Boolean.getBoolean("weir.desktop.timing")) {
            window.stage().addEventHandler(javafx.stage.WindowEvent.WINDOW_SHOWN, e -> System.err.println(timing(Instant.now())));
          }
          window.stage().show();
        });
    try {
      closed.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Platform.exit();
    return 0;
  }

  /**
   * The line {@code -Dweir.desktop.timing=true} prints when the first window is shown
   * (docs/benchmarks.md): the wall-clock instant, for a script that noted when it launched us, and
   * the time since the JVM started by the JVM's own clock. Not ProcessHandle's start instant: Linux
   * gives it from the boot time in whole seconds, up to a second early (0.97 s on the benchmark
   * machine), which once made every first window look a second slower than it was.
   */
  static String timing(Instant shown) {
    RuntimeMXBean runtime = ManagementFactory.getRuntimeMXBean();
    return "weir desktop: first window shown at "
        + shown.toEpochMilli()
        + " (epoch ms), "
        + Duration.between(Instant.ofEpochMilli(runtime.getStartTime()), shown).toMillis()
        + " ms after the JVM started, "
        + ProcessHandle.current().info().totalCpuDuration().map(d -> d.toMillis() + " ms of CPU").orElse("CPU unknown")
        + " ("
        + Runtime.getRuntime().availableProcessors()
        + " cores)";
  }

  /**
   * The rollout panel ({@link RolloutPane}) in the application pane's rollout slot: it shows the
   * selected application's rollout with every snapshot.
   */
  static Function<ConsoleApi, RolloutSlot> rolloutPanel() {
    return console -> {
      RolloutPane pane = new RolloutPane(console);
      return new RolloutSlot() {
        @Override
        public Node node() {
          return pane;
        }

        @Override
        public void show(ApplicationView application, ConsoleSnapshot snapshot) {
          pane.show(snapshot, application.name());
        }
      };
    };
  }

  /**
   * Attaches the console to the window; with {@code WEIR_DESKTOP_QUIT_WHEN_SHOWN=NAME} in the
   * environment (the packaging's training run of the start-up cache, decision 0028), closes the
   * window once application NAME is on it.
   */
  private static void quitWhenShown(DesktopWindow window, ConsoleApi console) {
    window.attach(console, rolloutPanel());
    String name = System.getenv("WEIR_DESKTOP_QUIT_WHEN_SHOWN");
    if (name != null && !name.isBlank()) {
      console.subscribe(
          snapshot -> {
            if (snapshot.loading().isEmpty() && snapshot.applications().stream().anyMatch(a -> a.name().equals(name))) {
              Platform.runLater(window.stage()::close);
            }
          });
    }
  }
}
