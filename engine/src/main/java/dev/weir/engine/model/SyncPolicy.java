package dev.weir.engine.model;

/**
 * How an application is kept in sync, as in Argo CD's {@code spec.syncPolicy}.
 *
 * @param automated sync without a person when Git changes
 * @param prune delete tracked objects that left Git
 * @param selfHeal revert drift made in the cluster
 * @param allowEmpty allow a sync (and so a prune) when the desired state is empty
 */
public record SyncPolicy(boolean automated, boolean prune, boolean selfHeal, boolean allowEmpty) {

  public static final SyncPolicy MANUAL = new SyncPolicy(false, false, false, false);
}
