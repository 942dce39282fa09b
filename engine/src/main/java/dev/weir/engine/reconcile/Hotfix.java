package dev.weir.engine.reconcile;

import dev.weir.engine.model.ResourceKey;
import java.time.Instant;
import java.util.Objects;

/**
 * A live resource or field deliberately drifted from Git during an incident: self-heal and sync
 * leave it as it is in the cluster until it expires or Git is changed to match ("backport
 * pending"). Immutable.
 *
 * @param key the object
 * @param pointer the field as a JSON pointer, e.g. {@code /spec/replicas}; "" for the whole object
 * @param reason why
 * @param by who
 * @param since when
 * @param until when it ends by itself
 */
public record Hotfix(
    ResourceKey key, String pointer, String reason, String by, Instant since, Instant until) {
  public Hotfix {
    Objects.requireNonNull(key, "key");
    pointer = pointer == null ? "" : pointer;
    if (!pointer.isEmpty() && !pointer.startsWith("/")) {
      throw new IllegalArgumentException(
          "a hotfix field is a JSON pointer starting with /: " + pointer);
    }
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(by, "by");
    Objects.requireNonNull(since, "since");
    Objects.requireNonNull(until, "until");
  }

  public boolean wholeObject() {
    return pointer.isEmpty();
  }

  public boolean activeAt(Instant now) {
    return now.isBefore(until);
  }

  /**
   * {@code hotfix on apps/Deployment shop/web /spec/replicas by alice until …: backport pending}.
   */
  public String describe() {
    return "hotfix on "
        + key
        + (pointer.isEmpty() ? "" : " " + pointer)
        + " by "
        + by
        + " until "
        + until
        + ": "
        + reason
        + " (backport pending)";
  }
}
