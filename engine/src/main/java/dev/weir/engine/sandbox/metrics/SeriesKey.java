package dev.weir.engine.sandbox.metrics;

/**
 * The identity of one simulated service version's metrics: the labels {@code namespace}, {@code
 * service} and {@code version} ({@code ""} for requests no version served: 404s and 503s).
 */
public record SeriesKey(String namespace, String service, String version)
    implements Comparable<SeriesKey> {
  @Override
  public int compareTo(SeriesKey other) {
    int c = namespace.compareTo(other.namespace);
    if (c != 0) {
      return c;
    }
    c = service.compareTo(other.service);
    return c != 0 ? c : version.compareTo(other.version);
  }
}
