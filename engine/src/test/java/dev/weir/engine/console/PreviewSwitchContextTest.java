package dev.weir.engine.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PreviewSwitchContextTest {
  final FakeConsole console =
      new FakeConsole(
          FakeConsole.loaded(List.of(FakeConsole.application("storefront")))
              .withContexts(List.of("fake", "prod-eu")));

  @Test
  void aSwitchToAnotherContextSaysWhatChangesAndAsks() {
    Preview preview = console.previewSwitchContext("prod-eu").join();
    assertThat(preview.ok()).isTrue();
    assertThat(preview.needsConfirmation()).isTrue();
    assertThat(preview.title()).isEqualTo("Switch to context prod-eu");
    assertThat(preview.lines())
        .containsExactly(
            "the console leaves context fake and connects to prod-eu",
            "it shows prod-eu's applications, rollouts and events once read; commands go to its API"
                + " server from then on",
            "nothing is changed in either cluster");
  }

  @Test
  void theCurrentContextChangesNothingAndAnUnknownOneIsBadInput() {
    Preview same = console.previewSwitchContext("fake").join();
    assertThat(same.ok()).isTrue();
    assertThat(same.needsConfirmation()).isFalse();
    assertThat(same.lines()).containsExactly("already on context fake: nothing changes");

    Preview unknown = console.previewSwitchContext("nope").join();
    assertThat(unknown.status()).isEqualTo(CommandResult.Status.BAD_INPUT);
    assertThat(unknown.lines()).containsExactly("the kubeconfig has no context 'nope'; known: fake, prod-eu");
  }

  @Test
  void theFakeSwitchesToAListedContextAndShowsIt() {
    CommandResult result = console.switchContext("prod-eu").join();
    assertThat(result.ok()).isTrue();
    assertThat(console.snapshot().cluster().context()).isEqualTo("prod-eu");
    assertThat(console.switchContext("nope").join().status()).isEqualTo(CommandResult.Status.BAD_INPUT);
  }
}
