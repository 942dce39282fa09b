package dev.weir.engine.model;

/**
 * How an application is kept in sync, as in Argo CD's {@code spec.syncPolicy}.
 *
 * @param automated sync without a person when Git changes
 * @param prune delete tracked objects that left Git
 * @param selfHeal revert drift made in the cluster
 * @param allowEmpty allow a sync (and so a prune) when the desired state is empty
 * @param retry whether a failed automated sync is tried again ({@code syncPolicy.retry})
 */
public record SyncPolicy(
    boolean automated, boolean prune, boolean selfHeal, boolean allowEmpty, SyncRetry retry) {

  public static final SyncPolicy MANUAL = new SyncPolicy(false, false, false, false);

  public SyncPolicy {
    java.util.Objects.requireNonNull(retry, "retry");
  }

  /** A policy without a {@code retry} block. */
  public SyncPolicy(boolean automated, boolean prune, boolean selfHeal, boolean allowEmpty) {
    this(automated, prune, selfHeal, allowEmpty, SyncRetry.NONE);
  }
}
