package dev.weir.engine.analysis;

/**
 * Reads the Secrets an analysis' arguments name ({@code valueFrom.secretKeyRef}) from the
 * rollout's namespace, through the engine's cluster gateway. Implementations are thread-safe and
 * may block on the cluster.
 */
@FunctionalInterface
public interface SecretSource {

  /** No cluster to read from: every Secret is unavailable. */
  SecretSource NONE =
      ref -> {
        throw new Unavailable("no cluster to read " + ref + " from");
      };

  /**
   * The value of {@code ref}'s key, decoded.
   *
   * @throws Unavailable when the Secret or its key is absent or cannot be read; the message names
   *     the Secret and key, never a value
   */
  String read(ArgSpec.SecretKeyRef ref);

  /** A Secret that cannot be read: one line naming it, without its content. */
  final class Unavailable extends RuntimeException {
    public Unavailable(String message) {
      super(message, null, false, false);
    }
  }
}
