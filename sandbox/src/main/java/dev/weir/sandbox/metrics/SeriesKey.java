package dev.weir.sandbox.metrics;

/**
 * The identity of one simulated service version's metrics: the labels {@code namespace}, {@code
 * service}, {@code version} ({@code ""} for requests no version served: 404s and 503s) and {@code
 * rollouts_weir_dev_pod_template_hash} (the serving pods' {@code rollouts.weir.dev/pod-template-hash} label; {@code
 * ""}, and no label, when they have none). Ordered by namespace, service, version, then hash.
 */
public record SeriesKey(String namespace, String service, String version, String templateHash)
    implements Comparable<SeriesKey> {
  /** The metric label that carries {@link #templateHash()} when it is not empty. */
  public static final String TEMPLATE_HASH_LABEL = "rollouts_weir_dev_pod_template_hash";

  /** The series of pods without a template hash label (or of requests no version served). */
  public SeriesKey(String namespace, String service, String version) {
    this(namespace, service, version, "");
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
    return c != 0 ? c : templateHash.compareTo(other.templateHash);
  }
}
