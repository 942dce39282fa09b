package dev.weir.engine.diff;

import java.util.List;
import java.util.Objects;

/**
 * How one application differs between Git and the cluster: one {@link ResourceDiff} per object of
 * Git or tracked in the cluster, in key order. Immutable.
 *
 * @param application the application's name
 * @param revision the Git revision compared
 * @param resources every object, in sync or not
 * @param problems what made the comparison incomplete (an unusable ignore rule, a kind the cluster
 *     does not serve); empty normally
 */
public record ApplicationDiff(
    String application, String revision, List<ResourceDiff> resources, List<String> problems) {

  public ApplicationDiff {
    Objects.requireNonNull(application, "application");
    Objects.requireNonNull(revision, "revision");
    resources = List.copyOf(resources);
    problems = List.copyOf(problems);
  }

  /** The objects that differ. */
  public List<ResourceDiff> drifted() {
    return resources.stream().filter(ResourceDiff::drifted).toList();
  }

  /** Whether anything differs. */
  public boolean hasDrift() {
    return resources.stream().anyMatch(ResourceDiff::drifted);
  }
}
