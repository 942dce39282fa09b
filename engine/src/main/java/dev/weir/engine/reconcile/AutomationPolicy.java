package dev.weir.engine.reconcile;

import dev.weir.engine.model.Application;
import dev.weir.engine.model.SyncRetry;
import dev.weir.engine.model.SyncStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Whether an application should sync by itself now, decided purely, as Argo CD does:
 *
 * <ul>
 *   <li>never unless {@code syncPolicy.automated}; never while frozen; never when the render
 *       failed;
 *   <li>{@code AUTOMATED} when out of sync and the last sync was of another revision (Git moved, or
 *       the pin moved the target) or did not succeed;
 *   <li>{@code SELF_HEAL} when out of sync after a successful sync of the same revision (the
 *       cluster drifted) and {@code selfHeal} is on;
 *   <li>a revision whose last sync <em>failed</em> is tried again only as the application's
 *       {@code syncPolicy.retry} says ({@link SyncRetry}): without it, never by itself (the
 *       failure waits for a person or the next change in Git, as Argo CD's automated sync does);
 *   <li>otherwise (a sync blocked before it began, self-heal), after {@code attempts} automatic
 *       syncs in a row without reaching Synced, the next waits {@code base × 2^(attempts-1)}, at
 *       most {@code max}.
 * </ul>
 *
 * <p>A pinned application targets its pin, so self-heal restores the pinned revision and never
 * Git's head. Pure and thread-safe.
 */
public final class AutomationPolicy {
  private AutomationPolicy() {}

  /** What to do, and when. */
  public record Decision(SyncRequest.Trigger trigger, Instant notBefore, String why) {}

  public static Optional<Decision> decide(
      Application app,
      ApplicationState state,
      SyncStatus sync,
      boolean renderFailed,
      String targetRevision,
      int attempts,
      Instant lastAttempt,
      Instant now,
      Duration base,
      Duration max) {
    if (!app.syncPolicy().automated() || renderFailed || sync != SyncStatus.OutOfSync) {
      return Optional.empty();
    }
    if (state.activeFreeze(now).isPresent()) {
      return Optional.empty();
    }
    Optional<LastSync> last = state.lastSync();
    boolean sameRevision = last.isPresent() && last.get().revision().equals(targetRevision);
    SyncResult.Outcome outcome = last.map(LastSync::outcome).orElse(null);
    boolean lastSucceeded =
        outcome == SyncResult.Outcome.SUCCEEDED || outcome == SyncResult.Outcome.NOTHING_TO_DO;
    if (sameRevision && outcome == SyncResult.Outcome.FAILED) {
      // this revision was tried and failed: again only as syncPolicy.retry says (Argo CD). The
      // failure is kept in the cluster, so it counts once even for a console that just started
      SyncRetry retry = app.syncPolicy().retry();
      int failures = Math.max(attempts, 1);
      if (!retry.allows(failures)) {
        return Optional.empty();
      }
      Instant since =
          lastAttempt != null && lastAttempt.isAfter(last.get().at())
              ? lastAttempt
              : last.get().at();
      return Optional.of(
          new Decision(
              SyncRequest.Trigger.AUTOMATED,
              since.plus(retry.backoff(failures)),
              "retry "
                  + failures
                  + (retry.limit() < 0 ? "" : " of " + retry.limit())
                  + " of "
                  + shortRev(targetRevision)));
    }
    SyncRequest.Trigger trigger;
    String why;
    if (!sameRevision || !lastSucceeded) {
      trigger = SyncRequest.Trigger.AUTOMATED;
      why =
          sameRevision
              ? "retrying " + shortRev(targetRevision)
              : "Git moved to " + shortRev(targetRevision);
    } else if (app.syncPolicy().selfHeal()) {
      trigger = SyncRequest.Trigger.SELF_HEAL;
      why = "the cluster drifted from " + shortRev(targetRevision);
    } else {
      return Optional.empty();
    }
    Instant notBefore = now;
    if (attempts > 0 && lastAttempt != null) {
      Duration wait = base.multipliedBy(1L << Math.min(attempts - 1, 20));
      notBefore = lastAttempt.plus(wait.compareTo(max) > 0 ? max : wait);
    } else if (trigger == SyncRequest.Trigger.SELF_HEAL) {
      notBefore = now.plus(base);
    }
    return Optional.of(new Decision(trigger, notBefore, why));
  }

  private static String shortRev(String revision) {
    return revision.length() > 7 ? revision.substring(0, 7) : revision;
  }
}
