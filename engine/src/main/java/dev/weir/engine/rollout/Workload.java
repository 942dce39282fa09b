package dev.weir.engine.rollout;

import java.util.Objects;
import java.util.Optional;

/**
 * What the cluster shows of one Deployment a rollout drives (the stable one, or the canary or
 * preview one). Immutable.
 *
 * @param template the template it runs, empty when the Deployment does not exist
 * @param replicas its {@code spec.replicas}
 * @param ready pods of that template that are ready ({@code status.availableReplicas} once the
 *     Deployment's status is current, else 0)
 */
public record Workload(Optional<PodTemplateRef> template, int replicas, int ready) {
  /** A Deployment that does not exist. */
  public static final Workload ABSENT = new Workload(Optional.empty(), 0, 0);

  public Workload {
    Objects.requireNonNull(template, "template");
  }

  public static Workload of(PodTemplateRef template, int replicas, int ready) {
    return new Workload(Optional.of(template), replicas, ready);
  }

  /** Ready pods running {@code expected}; 0 when it runs another template. */
  public int readyOn(PodTemplateRef expected) {
    return template.map(t -> t.hash().equals(expected.hash())).orElse(false) ? ready : 0;
  }

  /** Whether it runs {@code expected}. */
  public boolean runs(PodTemplateRef expected) {
    return template.map(t -> t.hash().equals(expected.hash())).orElse(false);
  }
}
