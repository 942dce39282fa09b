package dev.weir.engine.reconcile;

/**
 * What a sync is asked to do, and by whom.
 *
 * @param trigger a person, automated sync of a new revision, or self-heal of drift
 * @param dryRun plan and check with the API server ({@code dryRun=All}); change nothing
 * @param prune delete tracked objects that left Git (for a person's sync; automated syncs prune
 *     when the application's {@code syncPolicy.automated.prune} allows)
 * @param force take fields other managers own ({@code --force-conflicts}); self-heal always forces,
 *     since reverting others' changes is what it is for
 * @param pruneConfirmed a person confirmed a prune above {@code maxPruneShare}
 * @param maxPruneShare the share of an application's objects a prune may delete without a
 *     confirmation, 0..1 (default 0.5)
 */
public record SyncRequest(
    Trigger trigger,
    boolean dryRun,
    boolean prune,
    boolean force,
    boolean pruneConfirmed,
    double maxPruneShare) {

  /** Who asked. */
  public enum Trigger {
    /** A person, from a console or the command line. */
    MANUAL,
    /** Automated sync: Git changed and the application syncs by itself. */
    AUTOMATED,
    /** Self-heal: the cluster drifted and the application reverts it. */
    SELF_HEAL
  }

  public static final double DEFAULT_MAX_PRUNE_SHARE = 0.5;

  public SyncRequest {
    if (maxPruneShare < 0 || maxPruneShare > 1) {
      throw new IllegalArgumentException("maxPruneShare must be within 0..1: " + maxPruneShare);
    }
  }

  /** A person's sync, without prune. */
  public static SyncRequest manual() {
    return new SyncRequest(Trigger.MANUAL, false, false, false, false, DEFAULT_MAX_PRUNE_SHARE);
  }

  public static SyncRequest automated(Trigger trigger) {
    return new SyncRequest(
        trigger, false, false, trigger == Trigger.SELF_HEAL, false, DEFAULT_MAX_PRUNE_SHARE);
  }

  public SyncRequest withDryRun(boolean value) {
    return new SyncRequest(trigger, value, prune, force, pruneConfirmed, maxPruneShare);
  }

  public SyncRequest withPrune(boolean value) {
    return new SyncRequest(trigger, dryRun, value, force, pruneConfirmed, maxPruneShare);
  }

  public SyncRequest withForce(boolean value) {
    return new SyncRequest(trigger, dryRun, prune, value, pruneConfirmed, maxPruneShare);
  }

  public SyncRequest withPruneConfirmed(boolean value) {
    return new SyncRequest(trigger, dryRun, prune, force, value, maxPruneShare);
  }

  public boolean automatic() {
    return trigger != Trigger.MANUAL;
  }
}
