package dev.weir.engine.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The façade's contract against the fake the faces' screen tests use, and the fake's own knobs. */
class FakeConsoleContractTest extends ConsoleApiContract {
  private int changes;

  @Override
  protected ConsoleApi open(CompletableFuture<Void> proceed) {
    FakeConsole console = new FakeConsole();
    proceed.thenRun(() -> console.show(FakeConsole.loaded(List.of(FakeConsole.application("storefront")))));
    return console;
  }

  @Override
  protected void tick() {}

  @Override
  protected String application() {
    return "storefront";
  }

  @Override
  protected void change(ConsoleApi console) {
    changes++;
    ((FakeConsole) console)
        .show(
            FakeConsole.loaded(
                List.of(
                    FakeConsole.application("storefront"),
                    FakeConsole.application("extra-" + changes))));
  }

  @Test
  void recordsCommandsAndAnswersWhatIsScripted() throws Exception {
    FakeConsole console = new FakeConsole(FakeConsole.loaded(List.of(FakeConsole.application("shop"))));
    console.script("sync", CommandResult.of(CommandResult.Status.REFUSED, "shop is frozen"));
    CompletableFuture<CommandResult> held = new CompletableFuture<>();
    console.script("promote", held);

    CommandResult refused = console.sync("shop", Console.SyncOptions.plain()).get(5, TimeUnit.SECONDS);
    CommandResult again = console.sync("shop", Console.SyncOptions.plain()).get(5, TimeUnit.SECONDS);
    CompletableFuture<CommandResult> promoting = console.promote("shop", Optional.empty(), "looks good");
    console.freeze(null, "release", Duration.ofHours(1)).get(5, TimeUnit.SECONDS);

    assertThat(refused.message()).isEqualTo("shop is frozen");
    assertThat(again.ok()).as("then the default answer").isTrue();
    assertThat(promoting).isNotDone();
    held.complete(CommandResult.ok("promoted"));
    assertThat(promoting.get(5, TimeUnit.SECONDS).message()).isEqualTo("promoted");
    assertThat(console.commands()).containsExactly("sync", "sync", "promote", "freeze");
    assertThat(console.sent().get(2).arguments()).containsExactly("shop", Optional.empty(), "looks good");
    assertThat(console.snapshot().version()).isEqualTo(1);
    console.close();
  }
}
