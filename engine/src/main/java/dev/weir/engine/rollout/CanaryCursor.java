package dev.weir.engine.rollout;

import dev.weir.engine.traffic.HeaderRoute;
import dev.weir.engine.traffic.MirrorRoute;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;

/**
 * Where a canary rollout is, whatever its state: the two versions, the step, the weights and
 * replicas asked of the cluster, and the background analysis. Immutable; {@code with…} give changed
 * copies.
 *
 * @param stableRevision the Git revision the stable version was last desired at, when known: what
 *     "revert the commit in Git" restores
 * @param canaryRevision the Git revision the canary version was first seen at
 * @param attempt 0 for the first run of this canary, +1 on each retry; part of analysis run names
 * @param step the index (0-based) of the current step; the number of steps once all are done
 * @param stepWeight the canary weight the steps call for now
 * @param weight the canary weight last written to the router
 * @param canaryReplicas the replicas last asked of the canary Deployment
 * @param scaleReplicas a {@code setCanaryScale: {replicas}} in force
 * @param scaleWeight a {@code setCanaryScale: {weight}} in force
 * @param headerRoutes the A/B routes in force
 * @param mirrorRoutes the mirror routes in force
 * @param backgroundGeneration +1 each time the background analysis is restarted (after an
 *     inconclusive result is resumed past)
 * @param background the background analysis' latest counts
 * @param superseded the flag restores of the canary this one superseded, and whether they are
 *     still owed ({@link SupersededFlags#NONE} for a canary that superseded none)
 */
public record CanaryCursor(
    PodTemplateRef stable,
    Optional<String> stableRevision,
    PodTemplateRef canary,
    String canaryRevision,
    int attempt,
    int step,
    int stepWeight,
    int weight,
    int canaryReplicas,
    OptionalInt scaleReplicas,
    OptionalInt scaleWeight,
    List<HeaderRoute> headerRoutes,
    List<MirrorRoute> mirrorRoutes,
    int backgroundGeneration,
    AnalysisCounts background,
    Instant startedAt,
    SupersededFlags superseded) {

  public CanaryCursor {
    Objects.requireNonNull(stable, "stable");
    Objects.requireNonNull(stableRevision, "stableRevision");
    Objects.requireNonNull(canary, "canary");
    Objects.requireNonNull(canaryRevision, "canaryRevision");
    Objects.requireNonNull(scaleReplicas, "scaleReplicas");
    Objects.requireNonNull(scaleWeight, "scaleWeight");
    headerRoutes = List.copyOf(headerRoutes);
    mirrorRoutes = List.copyOf(mirrorRoutes);
    Objects.requireNonNull(background, "background");
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(superseded, "superseded");
  }

  /**
   * The flag restores of the canary this one superseded (decision 0044): which of its flags went
   * back to which revision when it was torn down, so that this canary's own restore puts them back
   * there too (Git at {@link #canaryRevision} still has them as the superseded canary set them).
   * {@code owed} while the superseding transition's restore may not have been carried out: {@link
   * CanaryMachine#restore} re-asserts them (idempotent), and the next pass forgets the debt, as a
   * rollback's Steady does (decision 0034). Immutable.
   */
  public record SupersededFlags(List<Effect.RestoreFlags> restores, boolean owed) {
    /** Nothing superseded, nothing owed. */
    public static final SupersededFlags NONE = new SupersededFlags(List.of(), false);

    public SupersededFlags {
      restores = List.copyOf(restores);
      if (owed && restores.isEmpty()) {
        throw new IllegalArgumentException("nothing can be owed without a restore");
      }
    }

    /** The restores as the basis of a later canary's, owed until carried out when {@code owe}. */
    static SupersededFlags of(List<Effect.RestoreFlags> restores, boolean owe) {
      return new SupersededFlags(restores, owe && !restores.isEmpty());
    }

    /** The same basis, nothing owed any more. */
    SupersededFlags paid() {
      return owed ? new SupersededFlags(restores, false) : this;
    }

    /** The revision {@code flag} went back to, when the superseded canary restored it. */
    Optional<String> revisionOf(String flag) {
      return restores.stream()
          .filter(r -> r.flags().contains(flag))
          .map(Effect.RestoreFlags::revision)
          .findFirst();
    }

    /** Every flag restored. */
    List<String> flags() {
      return restores.stream().flatMap(r -> r.flags().stream()).distinct().toList();
    }
  }

  /** A new canary of {@code canary} beside {@code stable}, before its first step. */
  static CanaryCursor start(
      PodTemplateRef stable,
      Optional<String> stableRevision,
      PodTemplateRef canary,
      String canaryRevision,
      int attempt,
      Instant now) {
    return new CanaryCursor(
        stable,
        stableRevision,
        canary,
        canaryRevision,
        attempt,
        0,
        0,
        0,
        0,
        OptionalInt.empty(),
        OptionalInt.empty(),
        List.of(),
        List.of(),
        0,
        AnalysisCounts.NONE,
        now,
        SupersededFlags.NONE);
  }

  /**
   * The name of the analysis run of step {@code index}: unique per rollout, version and attempt.
   */
  String stepRun(String rollout, int index) {
    return rollout + "-" + canary.hash().substring(0, 7) + "-" + attempt + "-step-" + (index + 1);
  }

  /** The name of the current background analysis run. */
  String backgroundRun(String rollout) {
    return rollout
        + "-"
        + canary.hash().substring(0, 7)
        + "-"
        + attempt
        + "-background-"
        + backgroundGeneration;
  }

  CanaryCursor withStep(int value) {
    return with(c -> c.step = value);
  }

  CanaryCursor withStepWeight(int value) {
    return with(c -> c.stepWeight = value);
  }

  CanaryCursor withWeight(int value) {
    return with(c -> c.weight = value);
  }

  CanaryCursor withCanaryReplicas(int value) {
    return with(c -> c.canaryReplicas = value);
  }

  CanaryCursor withScale(OptionalInt replicas, OptionalInt scaleWeightValue) {
    return with(
        c -> {
          c.scaleReplicas = replicas;
          c.scaleWeight = scaleWeightValue;
        });
  }

  CanaryCursor withHeaderRoutes(List<HeaderRoute> value) {
    return with(c -> c.headerRoutes = value);
  }

  CanaryCursor withSuperseded(SupersededFlags value) {
    return with(c -> c.superseded = value);
  }

  CanaryCursor withMirrorRoutes(List<MirrorRoute> value) {
    return with(c -> c.mirrorRoutes = value);
  }

  /** No A/B or mirror route in force. */
  CanaryCursor withoutRoutes() {
    return with(
        c -> {
          c.headerRoutes = List.of();
          c.mirrorRoutes = List.of();
        });
  }

  CanaryCursor withBackground(int generation, AnalysisCounts value) {
    return with(
        c -> {
          c.backgroundGeneration = generation;
          c.background = value;
        });
  }

  /** A copy of this cursor with what {@code change} sets changed: the one place that copies it. */
  private CanaryCursor with(Consumer<Copy> change) {
    Copy c = new Copy(this);
    change.accept(c);
    return c.build();
  }

  /** The fields a {@code with…} may change, mutable for the length of one copy. */
  private static final class Copy {
    private final CanaryCursor from;
    int step;
    int stepWeight;
    int weight;
    int canaryReplicas;
    OptionalInt scaleReplicas;
    OptionalInt scaleWeight;
    List<HeaderRoute> headerRoutes;
    List<MirrorRoute> mirrorRoutes;
    int backgroundGeneration;
    AnalysisCounts background;
    SupersededFlags superseded;

    Copy(CanaryCursor from) {
      this.from = from;
      step = from.step;
      stepWeight = from.stepWeight;
      weight = from.weight;
      canaryReplicas = from.canaryReplicas;
      scaleReplicas = from.scaleReplicas;
      scaleWeight = from.scaleWeight;
      headerRoutes = from.headerRoutes;
      mirrorRoutes = from.mirrorRoutes;
      backgroundGeneration = from.backgroundGeneration;
      background = from.background;
      superseded = from.superseded;
    }

    CanaryCursor build() {
      return new CanaryCursor(
          from.stable,
          from.stableRevision,
          from.canary,
          from.canaryRevision,
          from.attempt,
          step,
          stepWeight,
          weight,
          canaryReplicas,
          scaleReplicas,
          scaleWeight,
          headerRoutes,
          mirrorRoutes,
          backgroundGeneration,
          background,
          from.startedAt,
          superseded);
    }
  }
}
