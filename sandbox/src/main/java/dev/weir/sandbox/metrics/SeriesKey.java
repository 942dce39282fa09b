package dev.weir.sandbox.metrics;

/**
 * The identity of one simulated service version's metrics: the labels {@code namespace}, {@code
 * service}, {@code version} ({@code ""} for requests no version served: 404s and 503s), {@code
 * rollouts_weir_dev_pod_template_hash} (the serving pods' {@code
 * rollouts.weir.dev/pod-template-hash} label; {@code ""}, and no label, when they have none) and
 * {@code variant} (the feature-flag variant the requests were served; {@code ""}, and no label,
 * when no flag split them). Ordered by namespace, service, version, hash, then variant.
 */
public record SeriesKey(
    String namespace, String service, String version, String templateHash, String variant)
    implements Comparable<SeriesKey> {
  /** The metric label that carries {@link #templateHash()} when it is not empty. */
  public static final String TEMPLATE_HASH_LABEL = "rollouts_weir_dev_pod_template_hash";

  /** The metric label that carries {@link #variant()} when it is not empty. */
  public static final String VARIANT_LABEL = "variant";

  /** The series of pods without a template hash label (or of requests no version served). */
  public SeriesKey(String namespace, String service, String version) {
    this(namespace, service, version, "", "");
  }

  /** The series of requests no flag split. */
  public SeriesKey(String namespace, String service, String version, String templateHash) {
    this(namespace, service, version, templateHash, "");
  }

  @Override
  public int compareTo(SeriesKey other) {
    int c = namespace.compareTo(other.namespace);
    if (c != 0) {
      return c;
    }
    c = service.compareTo(other.service);
    if (c != 0) {
      return c;
    }
    c = version.compareTo(other.version);
    if (c != 0) {
      return c;
    }
    c = templateHash.compareTo(other.templateHash);
    return c != 0 ? c : variant.compareTo(other.variant);
  }
}
