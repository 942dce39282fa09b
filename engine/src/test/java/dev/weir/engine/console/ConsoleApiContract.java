package dev.weir.engine.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ConsoleApi} promises, run against the {@link FakeConsole} (engine) and the real
 * console on the sandbox (drills): the first snapshot is marked loading, subscribing replays the
 * latest, versions only increase, commands complete (those sent while loading once it is open),
 * and a listener that throws or is slow stalls neither the engine nor the other listeners.
 *
 * <p>No sleeps: every wait is on a future, latch or monitor with a timeout.
 */
public abstract class ConsoleApiContract {
  /** Long enough for a loaded machine; a pass takes a fraction of it. */
  protected static final long WAIT_SECONDS = 60;

  private final List<ConsoleApi> opened = new ArrayList<>();

  /**
   * A console whose opening publishes a loading snapshot at once and goes no further than that
   * until {@code proceed} completes; then it opens and shows {@link #application()}.
   */
  protected abstract ConsoleApi open(CompletableFuture<Void> proceed) throws Exception;

  /** Lets the engine's clock run what is due (a coalesced publication); nothing for a fake. */
  protected abstract void tick();

  /** An application the open console shows. */
  protected abstract String application();

  /** Changes what the console shows, so that it publishes a newer snapshot (after a tick). */
  protected abstract void change(ConsoleApi console) throws Exception;

  private ConsoleApi console(CompletableFuture<Void> proceed) throws Exception {
    ConsoleApi console = open(proceed);
    opened.add(console);
    return console;
  }

  /** Closes every console a test opened (again does nothing); a subclass may call it first. */
  @AfterEach
  protected void closeConsoles() {
    opened.forEach(ConsoleApi::close);
  }

  /** Records what a listener is handed, on which thread, and lets a test wait for it. */
  protected static final class Recorder implements Consumer<ConsoleSnapshot> {
    private final List<ConsoleSnapshot> seen = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();

    @Override
    public synchronized void accept(ConsoleSnapshot snapshot) {
      seen.add(snapshot);
      threads.add(Thread.currentThread());
      notifyAll();
    }

    public synchronized List<ConsoleSnapshot> seen() {
      return List.copyOf(seen);
    }

    public synchronized List<Thread> threads() {
      return List.copyOf(threads);
    }

    /** The first snapshot handed over that matches, waiting for it at most {@code WAIT_SECONDS}. */
    public synchronized ConsoleSnapshot await(Predicate<ConsoleSnapshot> wanted, String what)
        throws InterruptedException {
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
      while (true) {
        Optional<ConsoleSnapshot> found = seen.stream().filter(wanted).findFirst();
        if (found.isPresent()) {
          return found.get();
        }
        long left = end - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("no snapshot " + what + " within " + WAIT_SECONDS + "s; saw " + seen);
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
    }
  }

  private static CommandResult done(CompletableFuture<CommandResult> command) throws Exception {
    return command.get(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  @Test
  void theFirstSnapshotIsMarkedLoadingThenFullSnapshotsFollow() throws Exception {
    CompletableFuture<Void> proceed = new CompletableFuture<>();
    ConsoleApi console = console(proceed);
    Recorder recorder = new Recorder();
    console.subscribe(recorder);

    ConsoleSnapshot first = recorder.await(s -> true, "at all");
    assertThat(first.isLoading()).as("the first snapshot is marked loading").isTrue();
    assertThat(first.loading().orElseThrow().message()).isNotBlank();
    assertThat(first.applications()).isEmpty();
    assertThat(console.snapshot().isLoading()).isTrue();

    proceed.complete(null);
    ConsoleSnapshot full = recorder.await(s -> !s.isLoading(), "loaded");
    assertThat(full.application(application())).as("the loaded snapshot shows it").isPresent();
    assertThat(recorder.seen().getFirst().isLoading()).isTrue();
  }

  @Test
  void subscribingReplaysTheLatestSnapshot() throws Exception {
    CompletableFuture<Void> proceed = new CompletableFuture<>();
    ConsoleApi console = console(proceed);
    Recorder early = new Recorder();
    console.subscribe(early);
    proceed.complete(null);
    ConsoleSnapshot loaded = early.await(s -> !s.isLoading(), "loaded");

    Recorder late = new Recorder();
    console.subscribe(late);
    ConsoleSnapshot replayed = late.await(s -> true, "replayed");
    assertThat(replayed.isLoading()).as("the latest snapshot, not the first").isFalse();
    assertThat(replayed.version()).isGreaterThanOrEqualTo(loaded.version());
    assertThat(replayed.application(application())).isPresent();
  }

  @Test
  void versionsOnlyIncrease() throws Exception {
    CompletableFuture<Void> proceed = new CompletableFuture<>();
    ConsoleApi console = console(proceed);
    Recorder recorder = new Recorder();
    console.subscribe(recorder);
    proceed.complete(null);
    ConsoleSnapshot loaded = recorder.await(s -> !s.isLoading(), "loaded");

    change(console);
    tick();
    ConsoleSnapshot newer = recorder.await(s -> s.version() > loaded.version(), "after the change");

    List<Long> versions = recorder.seen().stream().map(ConsoleSnapshot::version).toList();
    assertThat(versions).isSorted().doesNotHaveDuplicates();
    assertThat(versions.getFirst()).isPositive();
    assertThat(console.snapshot().version()).isGreaterThanOrEqualTo(newer.version());
  }

  @Test
  void commandsSentWhileLoadingCompleteOnceOpenAndAfterCloseAreRefused() throws Exception {
    CompletableFuture<Void> proceed = new CompletableFuture<>();
    ConsoleApi console = console(proceed);
    CompletableFuture<CommandResult> refreshed = console.refresh();
    assertThat(refreshed).as("waits for the console to be open").isNotDone();

    proceed.complete(null);
    assertThat(done(refreshed).status()).isEqualTo(CommandResult.Status.OK);
    CommandResult unknown =
        done(console.sync("no-such-application", Console.SyncOptions.plain()));
    assertThat(unknown.status()).isEqualTo(CommandResult.Status.BAD_INPUT);
    assertThat(unknown.message()).contains("no-such-application");
    CommandResult noExperiment =
        done(console.conclude("no-such-application", ExperimentConclusion.KEEP, "contract"));
    assertThat(noExperiment.status()).isEqualTo(CommandResult.Status.BAD_INPUT);
    assertThat(noExperiment.message()).contains("no-such-application");
    assertThat(done(console.freeze(application(), "contract", Duration.ofMinutes(5))).ok())
        .isTrue();

    console.close();
    assertThat(done(console.unfreeze(application())).status())
        .isEqualTo(CommandResult.Status.REFUSED);
  }

  @Test
  void aListenerThatThrowsOrIsSlowStallsNeitherTheEngineNorTheOthers() throws Exception {
    CompletableFuture<Void> proceed = new CompletableFuture<>();
    ConsoleApi console = console(proceed);
    CountDownLatch slowEntered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Recorder slow = new Recorder();
    console.subscribe(
        s -> {
          slow.accept(s);
          slowEntered.countDown();
          try {
            release.await(WAIT_SECONDS, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    AtomicInteger thrown = new AtomicInteger();
    CountDownLatch threwTwice = new CountDownLatch(2);
    console.subscribe(
        s -> {
          thrown.incrementAndGet();
          threwTwice.countDown();
          throw new IllegalStateException("a face's bug");
        });
    Recorder steady = new Recorder();
    console.subscribe(steady);
    try {
      assertThat(slowEntered.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();

      proceed.complete(null);
      ConsoleSnapshot loaded = steady.await(s -> !s.isLoading(), "loaded, while one listener hangs");
      assertThat(done(console.refresh()).status())
          .as("the engine answers while a listener hangs")
          .isEqualTo(CommandResult.Status.OK);
      change(console);
      tick();
      steady.await(s -> s.version() > loaded.version(), "after the change");
      assertThat(threwTwice.await(WAIT_SECONDS, TimeUnit.SECONDS))
          .as("a listener that threw is called again with the next snapshot")
          .isTrue();
      assertThat(slow.seen()).as("the hanging listener is still in its first call").hasSize(1);
      assertThat(steady.threads())
          .as("listeners run off the thread that drives the clock and the test")
          .doesNotContain(Thread.currentThread());
    } finally {
      release.countDown();
    }
    ConsoleSnapshot newest = steady.seen().getLast();
    ConsoleSnapshot caughtUp = slow.await(s -> s.version() >= newest.version(), "caught up");
    assertThat(slow.seen())
        .as("a slow listener skips to the newest snapshot")
        .hasSizeLessThanOrEqualTo(steady.seen().size())
        .contains(caughtUp);
  }
}
