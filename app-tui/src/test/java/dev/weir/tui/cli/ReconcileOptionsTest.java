package dev.weir.tui.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code weir reconcile}'s own options: a bad value is one line naming the option, nothing run. */
class ReconcileOptionsTest {
  @TempDir Path home;

  @Test
  void aGitPollUnderOneSecondIsRefusedBeforeAnythingIsOpened() {
    CliRun run =
        CliRun.weir(
            home, "reconcile", "--watch", "--git-poll", "0", "--repo", home.resolve("absent.git").toString());
    assertThat(run.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(run.err().strip()).isEqualTo("weir: --git-poll: at least 1 second, not 0");
  }

  @Test
  void aLeaseUnderOneSecondIsRefusedTheSameWay() {
    CliRun run =
        CliRun.weir(
            home, "reconcile", "--watch", "--lease-duration", "0", "--repo", home.resolve("absent.git").toString());
    assertThat(run.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(run.err().strip()).isEqualTo("weir: --lease-duration: at least 1 second, not 0");
  }
}
