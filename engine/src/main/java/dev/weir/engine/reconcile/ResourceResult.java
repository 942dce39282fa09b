package dev.weir.engine.reconcile;

import dev.weir.engine.cluster.ClusterError;
import dev.weir.engine.model.ResourceKey;
import java.util.Objects;
import java.util.Optional;

/**
 * What a sync did to one object. Immutable.
 *
 * @param key the object
 * @param action what happened
 * @param message one line for people, e.g. {@code apps/Deployment shop/web configured} or the API
 *     server's reason for refusing
 * @param error the failure, for {@link Action#FAILED}
 */
public record ResourceResult(
    ResourceKey key, Action action, String message, Optional<ClusterError> error) {

  /** What happened to the object. */
  public enum Action {
    CREATED,
    CONFIGURED,
    PRUNED,
    /** The dry run passed: the API server accepted the change without making it. */
    WOULD_APPLY,
    WOULD_PRUNE,
    SKIPPED,
    FAILED,
    /** An earlier failure stopped the sync before this step. */
    NOT_ATTEMPTED
  }

  public ResourceResult {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(error, "error");
  }

  /** {@code created apps/Deployment shop/web}, {@code failed … : message}. */
  public String describe() {
    return switch (action) {
      case CREATED -> "created " + key;
      case CONFIGURED -> "configured " + key;
      case PRUNED -> "pruned " + key;
      case WOULD_APPLY -> "would apply " + key + (message.isEmpty() ? "" : " (" + message + ")");
      case WOULD_PRUNE -> "would prune " + key;
      case SKIPPED -> "skipped " + key + (message.isEmpty() ? "" : ": " + message);
      case FAILED -> "failed " + key + ": " + message;
      case NOT_ATTEMPTED -> "not attempted " + key + (message.isEmpty() ? "" : ": " + message);
    };
  }
}
