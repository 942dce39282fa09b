package dev.weir.engine.rollout;

import dev.weir.engine.model.FlagChange;
import java.util.Objects;

/**
 * The port through which a rollout changes feature flags (its {@code setFlag} steps, and the
 * restore of an abort or rollback): each change a Git commit of the application's flagd file,
 * authored by the rollout, pushed, then the application synced so the flags ConfigMap follows.
 * The console implements it with its GitWriter and reconciler; the rollout package stays free of
 * Git and of the reconciler.
 *
 * <p>Idempotent: a flag already as asked makes no commit, so an effect carried out again after a
 * crash changes nothing. Called on a rollout's pass thread, one call at a time per rollout.
 */
public interface RolloutFlags {

  /** What a flag change came to: one line, and whether the rollout may go on. */
  record Outcome(boolean ok, String message) {
    public Outcome {
      Objects.requireNonNull(message, "message");
    }
  }

  /** Makes {@code flag} of the rollout's application {@code change} at Git's head. */
  Outcome set(RolloutSpec spec, String flag, FlagChange change, String reason);

  /**
   * Makes {@code flag} of the rollout's application at Git's head as it was at {@code revision}:
   * its state, default variant and fractional percentages.
   */
  Outcome restore(RolloutSpec spec, String flag, String revision, String reason);

  /** No Git to write to: every flag step fails with one line (the rollout waits and retries). */
  RolloutFlags NONE =
      new RolloutFlags() {
        @Override
        public Outcome set(RolloutSpec spec, String flag, FlagChange change, String reason) {
          return new Outcome(false, "cannot set flag " + flag + ": this console has no Git to commit to");
        }

        @Override
        public Outcome restore(RolloutSpec spec, String flag, String revision, String reason) {
          return new Outcome(
              false, "cannot restore flag " + flag + ": this console has no Git to commit to");
        }
      };
}
