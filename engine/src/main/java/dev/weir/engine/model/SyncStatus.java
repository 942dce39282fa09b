package dev.weir.engine.model;

/** Sync words as Argo CD's users know them: whether the cluster matches Git. */
public enum SyncStatus {
  /** Every object matches its desired state and nothing tracked is left over. */
  Synced,
  /** Something differs: an object is missing, drifted, or left over for pruning. */
  OutOfSync,
  /** Not known: the render failed with no good state, or the cluster cannot be reached. */
  Unknown
}
