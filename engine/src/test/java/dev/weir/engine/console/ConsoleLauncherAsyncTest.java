package dev.weir.engine.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.engine.console.ConsoleSnapshot.Loading;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ConsoleLauncher#openAsync}: the first snapshot is there at once, marked loading, while
 * what comes before the settings (starting a sandbox) runs; bad input and failures become the
 * opening's last snapshot and every command's answer, and what was started is closed.
 */
class ConsoleLauncherAsyncTest {
  @TempDir Path home;

  @Test
  void theFirstSnapshotSaysWhatIsPreparedAndAFailureEndsTheOpeningWithItsMessage() {
    CompletableFuture<Void> gate = new CompletableFuture<>();
    AtomicBoolean closed = new AtomicBoolean();
    ConsoleOpening opening =
        ConsoleLauncher.openAsync(
            "starting the sandbox",
            steps -> {
              steps.own(() -> closed.set(true));
              gate.join();
              throw new IllegalStateException("the sandbox is in use by another weir process");
            });
    try (opening) {
      ConsoleSnapshot first = opening.snapshot();
      assertThat(first.isLoading()).isTrue();
      assertThat(first.loading()).contains(new Loading(Loading.Stage.CONNECTING, "starting the sandbox"));

      gate.complete(null);
      assertThatThrownBy(() -> opening.ready().join())
          .hasRootCauseMessage("the sandbox is in use by another weir process");
      assertThat(opening.snapshot().loading())
          .contains(new Loading(Loading.Stage.FAILED, "the sandbox is in use by another weir process"));
      CommandResult refreshed = opening.refresh().join();
      assertThat(refreshed.status()).isEqualTo(CommandResult.Status.REFUSED);
      assertThat(refreshed.message())
          .isEqualTo("the console could not be opened: the sandbox is in use by another weir process");
      assertThat(closed).as("what the preparation started is closed").isTrue();
    }
  }

  @Test
  void aKubeconfigThatIsNotThereIsBadInputBeforeAnythingRuns() {
    ConsoleSettings settings =
        ConsoleSettings.of(
            RepositorySettings.of(home.resolve("repo").toString(), Map.of(), home),
            List.of(home.resolve("missing-kubeconfig")),
            Optional.empty(),
            "tui");
    assertThatThrownBy(() -> ConsoleLauncher.openAsync(settings))
        .isInstanceOf(ConsoleException.class)
        .satisfies(e -> assertThat(((ConsoleException) e).kind()).isEqualTo(ConsoleException.Kind.BAD_INPUT));
  }
}
