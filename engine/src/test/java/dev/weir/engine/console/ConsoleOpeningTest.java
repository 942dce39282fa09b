package dev.weir.engine.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.console.ConsoleSnapshot.Loading;
import dev.weir.engine.git.GitError;
import dev.weir.engine.git.GitException;
import dev.weir.engine.time.ManualClock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Opening a console step by step, as the face sees it, with a fake underneath. */
class ConsoleOpeningTest {
  final ManualClock clock = new ManualClock();

  @Test
  void eachStepIsALoadingSnapshotThenTheConsoleShowsAndTakesCommands() throws Exception {
    CompletableFuture<Void> connected = new CompletableFuture<>();
    FakeConsole fake = new FakeConsole(FakeConsole.loaded(List.of(FakeConsole.application("shop"))));
    ConsoleOpening opening =
        ConsoleOpening.open(
            steps -> {
              steps.stage(Loading.Stage.CONNECTING, "connecting to context prod");
              connected.join();
              steps.stage(Loading.Stage.READING, "reading the applications");
              return fake;
            },
            clock,
            "https://git.example.com/shop.git",
            "main",
            "prod",
            List.of("prod", "staging"),
            Loading.Stage.CLONING,
            "cloning https://git.example.com/shop.git");
    ConsoleApiContract.Recorder recorder = new ConsoleApiContract.Recorder();
    opening.subscribe(recorder);
    ConsoleSnapshot connecting =
        recorder.await(s -> s.loading().map(l -> l.stage() == Loading.Stage.CONNECTING).orElse(false), "connecting");
    assertThat(connecting.loading().orElseThrow().message()).isEqualTo("connecting to context prod");
    assertThat(connecting.cluster().context()).isEqualTo("prod");
    assertThat(connecting.contexts()).containsExactly("prod", "staging");
    assertThat(connecting.repository()).isEqualTo("https://git.example.com/shop.git");
    CompletableFuture<CommandResult> sync = opening.sync("shop", Console.SyncOptions.plain());
    assertThat(sync).isNotDone();

    connected.complete(null);
    ConsoleSnapshot loaded = recorder.await(s -> !s.isLoading(), "loaded");
    assertThat(loaded.application("shop")).isPresent();
    assertThat(sync.get(10, TimeUnit.SECONDS).ok()).isTrue();
    assertThat(fake.commands()).containsExactly("sync");
    List<ConsoleSnapshot> seen = recorder.seen();
    assertThat(seen.getFirst().isLoading()).isTrue();
    assertThat(seen).extracting(ConsoleSnapshot::version).isSorted().doesNotHaveDuplicates();
    assertThat(loaded.contexts()).as("the kubeconfig's contexts").containsExactly("prod", "staging");
  }

  @Test
  void whenOpeningFailsTheLastSnapshotSaysWhyAndCommandsAnswerWithTheReason() throws Exception {
    CountDownLatch closed = new CountDownLatch(1);
    ConsoleOpening opening =
        ConsoleOpening.open(
            steps -> {
              steps.own(closed::countDown);
              throw new GitException(
                  GitError.Reason.UNREACHABLE, "cannot reach git.example.com: connection refused");
            },
            clock,
            "https://git.example.com/shop.git",
            "",
            "prod",
            List.of("prod"),
            Loading.Stage.CLONING,
            "cloning https://git.example.com/shop.git");
    ConsoleApiContract.Recorder recorder = new ConsoleApiContract.Recorder();
    opening.subscribe(recorder);
    ConsoleSnapshot failed =
        recorder.await(s -> s.loading().map(l -> l.stage() == Loading.Stage.FAILED).orElse(false), "failed");
    assertThat(failed.loading().orElseThrow().message())
        .isEqualTo("cannot reach git.example.com: connection refused");
    CommandResult refresh = opening.refresh().get(10, TimeUnit.SECONDS);
    assertThat(refresh.status()).isEqualTo(CommandResult.Status.UNREACHABLE);
    assertThat(refresh.message())
        .isEqualTo("the console could not be opened: cannot reach git.example.com: connection refused");
    assertThat(closed.await(10, TimeUnit.SECONDS)).as("what opening made is closed").isTrue();
    opening.close();
  }
}
