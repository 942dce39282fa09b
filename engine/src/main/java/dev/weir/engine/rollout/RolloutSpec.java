package dev.weir.engine.rollout;

import dev.weir.engine.model.ResourceKey;
import dev.weir.engine.model.SourceLocation;
import java.util.Objects;

/**
 * A Rollout as desired in Git ({@code kind: Rollout}, {@code apiVersion: weir.dev/v1alpha1}),
 * parsed and checked against its application by {@link RolloutSpecParser}: the Deployment it drives
 * and how new versions of it reach users. Interpreted by the engine, never applied. Immutable.
 *
 * @param application the application the rollout belongs to
 * @param namespace the namespace of the target and of every object the rollout touches
 * @param target the name of the Deployment (in {@code namespace}) whose template changes are rolled
 *     out
 * @param source where the document was read
 * @param progressDeadlineAbort abort (rather than wait) when the new pods stop progressing
 * @param paused {@code spec.paused} of an Argo Rollout: a canary under way holds where it stands
 *     (see {@code GitPause})
 */
public record RolloutSpec(
    String application,
    String name,
    String namespace,
    String target,
    RolloutStrategy strategy,
    SourceLocation source,
    boolean progressDeadlineAbort,
    boolean paused) {

  public RolloutSpec {
    Objects.requireNonNull(application, "application");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(strategy, "strategy");
    Objects.requireNonNull(source, "source");
  }

  /** A rollout that Git does not pause. */
  public RolloutSpec(
      String application,
      String name,
      String namespace,
      String target,
      RolloutStrategy strategy,
      SourceLocation source,
      boolean progressDeadlineAbort) {
    this(application, name, namespace, target, strategy, source, progressDeadlineAbort, false);
  }

  /** A rollout that waits, never aborting, when its new pods stop progressing. */
  public RolloutSpec(
      String application,
      String name,
      String namespace,
      String target,
      RolloutStrategy strategy,
      SourceLocation source) {
    this(application, name, namespace, target, strategy, source, false);
  }

  /** The stable Deployment. */
  public ResourceKey targetKey() {
    return new ResourceKey("apps", "Deployment", namespace, target);
  }

  /**
   * The canary's Deployment ({@code <target>-canary}) or blue/green's preview ({@code
   * <target>-preview}).
   */
  public ResourceKey secondaryKey() {
    String suffix = strategy instanceof BlueGreenStrategy ? "-preview" : "-canary";
    return new ResourceKey("apps", "Deployment", namespace, target + suffix);
  }

  /** The canary strategy; throws for blue/green. */
  public CanaryStrategy canary() {
    if (strategy instanceof CanaryStrategy canary) {
      return canary;
    }
    throw new IllegalStateException(name + " is a blue/green rollout");
  }

  /** The blue/green strategy; throws for canary. */
  public BlueGreenStrategy blueGreen() {
    if (strategy instanceof BlueGreenStrategy blueGreen) {
      return blueGreen;
    }
    throw new IllegalStateException(name + " is a canary rollout");
  }

  /** {@code shop/storefront}. */
  public String qualifiedName() {
    return namespace.isEmpty() ? name : namespace + "/" + name;
  }
}
