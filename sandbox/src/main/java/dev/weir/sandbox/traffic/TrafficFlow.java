package dev.weir.sandbox.traffic;

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

  /**
   * A share of an entry's requests served by one version of one pod template, for one variant of
   * the flag that splits them.
   *
   * @param version the serving pods' version ({@link Endpoint#version()})
   * @param templateHash the serving pods' {@value NamespaceTraffic#TEMPLATE_HASH_LABEL} label, or
   *     {@code ""} when they have none
   * @param variant the flag variant served ({@link Endpoint.VariantBehaviour#variant()}), or {@code
   *     ""} when no flag decided it
   */
  public record VersionShare(
      String version, String templateHash, String variant, VersionProfile profile, double share) {
    /** A share served by pods without a template hash label, no flag deciding. */
    public VersionShare(String version, VersionProfile profile, double share) {
      this(version, "", "", profile, share);
    }

    /** A share no flag decided. */
    public VersionShare(
        String version, String templateHash, VersionProfile profile, double share) {
      this(version, templateHash, "", profile, share);
    }
  }

  public TrafficFlow {
    versions = List.copyOf(versions);
  }
}
