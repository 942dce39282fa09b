package dev.weir.engine.console;

import dev.weir.engine.diff.ResourceDiff;
import dev.weir.engine.model.Health;
import dev.weir.engine.model.ResourceKey;
import dev.weir.engine.model.SyncStatus;
import java.util.Objects;

/**
 * One object of an application as the consoles show it. Immutable.
 *
 * @param key the object
 * @param sync Synced or OutOfSync
 * @param health its health (Missing when not in the cluster)
 * @param diff how it differs (status, fields, text)
 * @param hotfixed whether a hotfix covers it or one of its fields ("backport pending")
 */
public record ResourceView(
    ResourceKey key, SyncStatus sync, Health health, ResourceDiff diff, boolean hotfixed) {
  public ResourceView {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(sync, "sync");
    Objects.requireNonNull(health, "health");
    Objects.requireNonNull(diff, "diff");
  }
}
