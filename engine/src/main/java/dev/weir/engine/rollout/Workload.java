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
 * @param stalled whether it stopped progressing: its {@code Progressing} condition is False (past
 *     its {@code progressDeadlineSeconds})
 */
public record Workload(Optional<PodTemplateRef> template, int replicas, int ready, boolean stalled) {
  /** A Deployment that does not exist. */
  public static final Workload ABSENT = new Workload(Optional.empty(), 0, 0, false);

  public Workload {
    Objects.requireNonNull(template, "template");
  }

  public Workload(Optional<PodTemplateRef> template, int replicas, int ready) {
    this(template, replicas, ready, false);
  }

  /** The same Deployment, stalled or not. */
  public Workload withStalled(boolean value) {
    return new Workload(template, replicas, ready, value);
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
