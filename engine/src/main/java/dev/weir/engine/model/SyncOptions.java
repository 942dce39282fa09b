package dev.weir.engine.model;

/**
 * Argo CD's application-wide {@code syncPolicy.syncOptions} that change what a sync does. {@code
 * PruneLast=true} and {@code ApplyOutOfSyncOnly=true} are how Weir always syncs (prunes after every
 * apply; objects in sync are skipped), so they need no field. Immutable.
 *
 * @param createNamespace create the destination namespace when it is missing ({@code
 *     CreateNamespace=true}); otherwise a sync into a missing namespace is refused
 * @param respectIgnoreDifferences keep the fields {@code ignoreDifferences} names at their cluster
 *     values when an object is updated ({@code RespectIgnoreDifferences=true}); otherwise Git's
 *     values are applied, as Argo does by default
 */
public record SyncOptions(boolean createNamespace, boolean respectIgnoreDifferences) {

  /** Argo CD's defaults. */
  public static final SyncOptions DEFAULT = new SyncOptions(false, false);

  /**
   * Weir's own Applications: the destination namespace is made when missing (it holds the
   * application's Lease and kept state).
   */
  public static final SyncOptions WEIR = new SyncOptions(true, false);
}
