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
 * @param dynamicStableScale with a router, the stable side shrinks as the canary's weight rises
 *     ({@link #stableFor}) and grows back before traffic returns to it ({@code
 *     dynamicStableScale: true}, decision 0040); false keeps it at full size until promotion
 * @param antiAffinity the anti-affinity the canary's pods get against the stable pods ({@code
 *     antiAffinity}, decision 0040); empty for none
 */
public record CanaryPods(
    PodMetadata canaryMetadata,
    PodMetadata stableMetadata,
    Duration scaleDownDelay,
    Optional<Duration> abortScaleDownDelay,
    int minPodsPerReplicaSet,
    Optional<Surge> surge,
    boolean dynamicStableScale,
    Optional<AntiAffinity> antiAffinity) {

  /** Without {@code antiAffinity}. */
  public CanaryPods(
      PodMetadata canaryMetadata,
      PodMetadata stableMetadata,
      Duration scaleDownDelay,
      Optional<Duration> abortScaleDownDelay,
      int minPodsPerReplicaSet,
      Optional<Surge> surge,
      boolean dynamicStableScale) {
    this(
        canaryMetadata,
        stableMetadata,
        scaleDownDelay,
        abortScaleDownDelay,
        minPodsPerReplicaSet,
        surge,
        dynamicStableScale,
        Optional.empty());
  }

  /**
   * Argo's {@code antiAffinity}: the canary's pods avoid the nodes of the stable pods, as a rule
   * ({@code requiredDuringSchedulingIgnoredDuringExecution}) or as a preference of {@code weight}
   * 1 to 100 ({@code preferredDuringSchedulingIgnoredDuringExecution}). Argo's {@code
   * GenerateReplicaSetAffinity}: one term per pod template, appended to the template's own pod
   * anti-affinity, selecting the stable pods by their pod-template hash on {@code
   * kubernetes.io/hostname}.
   *
   * @param weight the preference's weight; empty for the required rule
   */
  public record AntiAffinity(java.util.OptionalInt weight) {
    public AntiAffinity {
      Objects.requireNonNull(weight, "weight");
      if (weight.isPresent() && (weight.getAsInt() < 1 || weight.getAsInt() > 100)) {
        throw new IllegalArgumentException("weight must be within 1..100");
      }
    }

    /**
     * {@code template} (a pod template) with the anti-affinity term against the pods labelled
     * {@code hashLabel: stableHash} in {@code namespace} added to its {@code spec.affinity}; a copy,
     * {@code template} is left as it is.
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> applyTo(
        Map<String, Object> template, String hashLabel, String stableHash, String namespace) {
      Map<String, Object> copy = (Map<String, Object>) copyOf(template);
      Map<String, Object> spec =
          (Map<String, Object>) copy.computeIfAbsent("spec", k -> new java.util.LinkedHashMap<>());
      Map<String, Object> affinity =
          (Map<String, Object>)
              spec.computeIfAbsent("affinity", k -> new java.util.LinkedHashMap<>());
      Map<String, Object> anti =
          (Map<String, Object>)
              affinity.computeIfAbsent("podAntiAffinity", k -> new java.util.LinkedHashMap<>());
      Map<String, Object> expression = new java.util.LinkedHashMap<>();
      expression.put("key", hashLabel);
      expression.put("operator", "In");
      expression.put("values", new java.util.ArrayList<>(java.util.List.of(stableHash)));
      Map<String, Object> selector = new java.util.LinkedHashMap<>();
      selector.put("matchExpressions", new java.util.ArrayList<>(java.util.List.of(expression)));
      Map<String, Object> term = new java.util.LinkedHashMap<>();
      term.put("labelSelector", selector);
      term.put("namespaces", new java.util.ArrayList<>(java.util.List.of(namespace)));
      term.put("topologyKey", "kubernetes.io/hostname");
      String key =
          weight.isPresent()
              ? "preferredDuringSchedulingIgnoredDuringExecution"
              : "requiredDuringSchedulingIgnoredDuringExecution";
      java.util.List<Object> terms =
          (java.util.List<Object>) anti.computeIfAbsent(key, k -> new java.util.ArrayList<>());
      if (weight.isPresent()) {
        Map<String, Object> weighted = new java.util.LinkedHashMap<>();
        weighted.put("weight", weight.getAsInt());
        weighted.put("podAffinityTerm", term);
        terms.add(weighted);
      } else {
        terms.add(term);
      }
      return copy;
    }

    private static Object copyOf(Object value) {
      if (value instanceof Map<?, ?> map) {
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        map.forEach((k, v) -> out.put(String.valueOf(k), copyOf(v)));
        return out;
      }
      if (value instanceof java.util.List<?> list) {
        java.util.List<Object> out = new java.util.ArrayList<>();
        list.forEach(v -> out.add(copyOf(v)));
        return out;
      }
      return value;
    }
  }

  /** Without {@code dynamicStableScale}. */
  public CanaryPods(
      PodMetadata canaryMetadata,
      PodMetadata stableMetadata,
      Duration scaleDownDelay,
      Optional<Duration> abortScaleDownDelay,
      int minPodsPerReplicaSet,
      Optional<Surge> surge) {
    this(
        canaryMetadata,
        stableMetadata,
        scaleDownDelay,
        abortScaleDownDelay,
        minPodsPerReplicaSet,
        surge,
        false);
  }

  /**
   * The stable pods for a canary weight under {@code dynamicStableScale}: Argo's {@code
   * trafficWeightToReplicas(replicas, 100 - weight)}, rounded up, then at least {@code
   * minPodsPerReplicaSet} when above 0 ({@code CalculateReplicaCountsForTrafficRoutedCanary}).
   *
   * <pre>
   * replicas 10: weight 0 → 10, 25 → 8 (7.5 up), 50 → 5, 90 → 1, 100 → 0
   * replicas 3:  weight 20 → 3 (2.4 up), 50 → 2 (1.5 up)
   * </pre>
   */
  public int stableFor(int total, int weight) {
    int pods = (int) Math.ceil(total * (100 - weight) / 100.0);
    return pods > 0 ? Math.max(pods, minPodsPerReplicaSet) : 0;
  }

  /**
   * The canary weight while an abort waits for the stable pods under {@code dynamicStableScale}:
   * Argo's {@code calculateDesiredWeightOnAbortOrStableRollback}, {@code 100 - 100 * available /
   * replicas} (whole percent, never below 0), never above {@code current}.
   *
   * <pre>
   * replicas 4, canary at 50%: stable available 2 → 50, 3 → 25, 4 → 0
   * </pre>
   */
  public static int abortWeight(int total, int availableStable, int current) {
    if (total <= 0) {
      return 0;
    }
    return Math.min(current, Math.max(0, 100 - (100 * availableStable) / total));
  }

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
    Objects.requireNonNull(antiAffinity, "antiAffinity");
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
