package dev.weir.desktop.console;

import dev.weir.engine.console.ApplicationView;
import dev.weir.engine.console.FakeConsole;
import dev.weir.engine.rollout.RolloutPhase;
import dev.weir.themes.Theme;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import javafx.animation.AnimationTimer;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;

/**
 * Measures frame times of the applications list with 500 applications (docs/benchmarks.md): an
 * {@link AnimationTimer} runs once per JavaFX pulse and records the time between pulses while the
 * list scrolls one row per frame from top to bottom and back, then while the filter is typed and
 * erased one character per frame. A frame is dropped when a pulse comes more than 1.5 frame
 * periods (25 ms at 60 Hz) after the previous one. Not a test (speed is not asserted by tests):
 * run with {@code ./build bench-desktop} (headless Monocle by default, or on a display).
 */
public final class ListFrameTimes {
  static final int APPLICATIONS = 500;

  private ListFrameTimes() {}

  public static void main(String[] args) throws Exception {
    List<ApplicationView> apps = new ArrayList<>();
    for (int i = 0; i < APPLICATIONS; i++) {
      String name = String.format("%s-%03d", List.of("shop", "search", "payments", "ledger", "edge").get(i % 5), i);
      apps.add(i % 10 == 3 ? Fixtures.canary(name, RolloutPhase.PROGRESSING, "step 4 of 7") : FakeConsole.application(name));
    }
    FakeConsole fake = new FakeConsole(Fixtures.snapshot(apps, Fixtures.events(), List.of()));
    CountDownLatch done = new CountDownLatch(1);
    List<Long> scroll = new ArrayList<>();
    List<Long> filter = new ArrayList<>();
    Platform.startup(() -> {
      Stage stage = new Stage();
      DesktopConsole console = new DesktopConsole(fake, ZoneOffset.UTC, RolloutSlot.summary(), t -> {});
      Scene scene = new Scene(console.root(), 1280, 800);
      DesktopConsole.applyTheme(scene, Theme.DARK);
      stage.setScene(scene);
      stage.show();
      String typed = "shop-1";
      new AnimationTimer() {
        long last;
        int frame = -60; // a second to settle (snapshot, first layout, JIT)
        int rows; // the unfiltered count, fixed when measuring starts (filtering changes it)

        @Override
        public void handle(long now) {
          var list = console.list().applications();
          if (frame < 0) {
            if (frame < -1 || list.getItems().size() == APPLICATIONS) {
              frame++; // and measuring starts only once all of them are listed
            }
            last = now;
            rows = list.getItems().size();
            return;
          }
          (frame < 2 * rows ? scroll : filter).add(now - last);
          last = now;
          if (frame < 2 * rows) {
            list.scrollTo(frame < rows ? frame : 2 * rows - frame - 1);
          } else {
            int step = frame - 2 * rows;
            int round = step / (2 * typed.length());
            int at = step % (2 * typed.length());
            String text = at < typed.length() ? typed.substring(0, at + 1) : typed.substring(0, 2 * typed.length() - at - 1);
            console.list().filter().setText(text);
            if (round == 10) {
              stop();
              stage.close();
              done.countDown();
            }
          }
          frame++;
        }
      }.start();
    });
    done.await();
    report("scrolling 500 applications, one row per frame", scroll);
    report("filtering 500 applications, one character per frame", filter);
    System.out.println("cores: " + Runtime.getRuntime().availableProcessors() + ", glass: " + System.getProperty("glass.platform", "default")
        + ", prism: " + System.getProperty("prism.order", "default"));
    Platform.exit();
    fake.close();
  }

  private static void report(String what, List<Long> nanos) {
    long[] ms = nanos.stream().mapToLong(n -> n).sorted().toArray();
    long dropped = Arrays.stream(ms).filter(n -> n > 25_000_000L).count();
    System.out.printf("%s: %d frames, median %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms, dropped (>25 ms) %d%n",
        what, ms.length, at(ms, 0.5), at(ms, 0.95), at(ms, 0.99), ms[ms.length - 1] / 1e6, dropped);
  }

  private static double at(long[] sorted, double q) {
    return sorted[Math.min(sorted.length - 1, (int) Math.floor(q * sorted.length))] / 1e6;
  }
}
