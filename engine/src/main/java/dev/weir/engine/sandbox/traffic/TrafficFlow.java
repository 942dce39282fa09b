package dev.weir.engine.sandbox.traffic;

import java.util.List;

/**
 * The requests one traffic entry receives each second and where they end up.
 *
 * @param namespace the namespace
 * @param service the entry's name: the router object's, or the Service's when there is no router;
 *     the {@code service} label of its metrics
 * @param router the kind of router ({@code HTTPRoute}, … or {@code Service})
 * @param rate requests per second
 * @param versions the shares served by each version (adding up to {@code 1 - unroutable -
 *     unavailable})
 * @param unroutable the share no rule matched (answered 404)
 * @param unavailable the share sent to a Service without ready endpoints (answered 503)
 */
public record TrafficFlow(
    String namespace,
    String service,
    String router,
    double rate,
    List<VersionShare> versions,
    double unroutable,
    double unavailable) {

  /** A share of an entry's requests served by one version. */
  public record VersionShare(String version, VersionProfile profile, double share) {}

  public TrafficFlow {
    versions = List.copyOf(versions);
  }
}
