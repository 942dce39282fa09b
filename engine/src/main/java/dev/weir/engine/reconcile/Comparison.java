package dev.weir.engine.reconcile;

import dev.weir.engine.diff.ApplicationDiff;
import dev.weir.engine.model.LiveObject;
import dev.weir.engine.model.ResourceKey;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One application's Git-against-cluster comparison at one moment: the diff and the live objects it
 * was made from. Immutable.
 *
 * @param diff the structured and text diff
 * @param live the live objects of Git's keys and the tracked leftovers, by key
 * @param trackedLive keys of the live objects tracked as this application's
 * @param deleting keys of live objects being deleted
 * @param unreachable whether the cluster could not be read (then the diff is incomplete)
 * @param problems what made the comparison incomplete, one line each
 */
public record Comparison(
    ApplicationDiff diff,
    Map<ResourceKey, LiveObject> live,
    Set<ResourceKey> trackedLive,
    Set<ResourceKey> deleting,
    boolean unreachable,
    List<String> problems) {

  public Comparison {
    Objects.requireNonNull(diff, "diff");
    live = Map.copyOf(live);
    trackedLive = Set.copyOf(trackedLive);
    deleting = Set.copyOf(deleting);
    problems = List.copyOf(problems);
  }
}
