package dev.weir.engine.rollout;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How a canary's pods are counted, marked and retired: Argo Rollouts' canary fields that are not
 * about traffic (decision 0033). Weir's own Rollouts get {@link #WEIR} (the behaviour Weir always
 * had); an Argo Rollout gets what it says, with Argo's defaults where it says nothing. Immutable.
 *
 * @param canaryMetadata labels and annotations on the canary's pods ({@code canaryMetadata})
 * @param stableMetadata labels and annotations on the stable pods ({@code stableMetadata})
 * @param scaleDownDelay how long the canary's pods stay up after promotion once traffic is back on
 *     the stable Service, so that proxies still sending to them drain ({@code
 *     scaleDownDelaySeconds}; Argo's 30s with a router)
 * @param abortScaleDownDelay how long the canary's pods stay up after an abort; empty keeps them
 *     until the rollout moves on ({@code abortScaleDownDelaySeconds: 0}, as Argo)
 * @param minPodsPerReplicaSet the fewest canary pods for a weight above 0 ({@code
 *     minPodsPerReplicaSet}; 1 by default)
 * @param surge without a router, how far the two Deployments together may go above and below the
 *     Rollout's replicas while a step moves pods from one side to the other ({@code maxSurge},
 *     {@code maxUnavailable}); empty moves them at once (Weir's own behaviour)
 */
public record CanaryPods(
    PodMetadata canaryMetadata,
    PodMetadata stableMetadata,
    Duration scaleDownDelay,
    Optional<Duration> abortScaleDownDelay,
    int minPodsPerReplicaSet,
    Optional<Surge> surge) {

  /** Weir's own behaviour: nothing added to pods, the canary scaled down at once, 1 pod minimum. */
  public static final CanaryPods WEIR =
      new CanaryPods(
          PodMetadata.NONE,
          PodMetadata.NONE,
          Duration.ZERO,
          Optional.of(Duration.ZERO),
          1,
          Optional.empty());

  /** Argo's {@code scaleDownDelaySeconds} and {@code abortScaleDownDelaySeconds} with a router. */
  public static final Duration ARGO_SCALE_DOWN_DELAY = Duration.ofSeconds(30);

  public CanaryPods {
    Objects.requireNonNull(canaryMetadata, "canaryMetadata");
    Objects.requireNonNull(stableMetadata, "stableMetadata");
    Objects.requireNonNull(scaleDownDelay, "scaleDownDelay");
    Objects.requireNonNull(abortScaleDownDelay, "abortScaleDownDelay");
    Objects.requireNonNull(surge, "surge");
    if (minPodsPerReplicaSet < 1) {
      throw new IllegalArgumentException("minPodsPerReplicaSet must be 1 or more");
    }
  }

  /** Labels and annotations a rollout adds to the pods of one side. */
  public record PodMetadata(Map<String, String> labels, Map<String, String> annotations) {
    public static final PodMetadata NONE = new PodMetadata(Map.of(), Map.of());

    public PodMetadata {
      labels = Map.copyOf(labels);
      annotations = Map.copyOf(annotations);
    }

    public boolean isEmpty() {
      return labels.isEmpty() && annotations.isEmpty();
    }
  }

  /**
   * Argo's {@code maxSurge} and {@code maxUnavailable}, each a count or a percentage of the
   * Rollout's replicas (a surge rounds up, unavailability down, as Kubernetes' Deployments do).
   */
  public record Surge(String maxSurge, String maxUnavailable) {
    /** Argo's (and Kubernetes') defaults. */
    public static final String DEFAULT = "25%";

    public Surge {
      Objects.requireNonNull(maxSurge, "maxSurge");
      Objects.requireNonNull(maxUnavailable, "maxUnavailable");
    }

    /** Pods allowed above {@code total}. */
    public int surge(int total) {
      int surge = resolve(maxSurge, total, true);
      // both 0 could never move a pod: Kubernetes refuses it, Argo moves one at a time
      return surge == 0 && unavailable(total) == 0 ? 1 : surge;
    }

    /** Pods allowed to be unavailable below {@code total}. */
    public int unavailable(int total) {
      return resolve(maxUnavailable, total, false);
    }

    /** Whether {@code value} is a count (0 or more) or a percentage (0% to 100%). */
    public static boolean valid(String value) {
      return value.matches("(0|[1-9][0-9]{0,8})%?") && (!value.endsWith("%") || percent(value) <= 100);
    }

    private static int percent(String value) {
      return Integer.parseInt(value.substring(0, value.length() - 1));
    }

    private static int resolve(String value, int total, boolean up) {
      if (!value.endsWith("%")) {
        return Integer.parseInt(value);
      }
      double exact = total * percent(value) / 100.0;
      return (int) (up ? Math.ceil(exact) : Math.floor(exact));
    }
  }
}
