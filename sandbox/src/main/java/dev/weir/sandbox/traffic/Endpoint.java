package dev.weir.sandbox.traffic;

import java.util.List;

/**
 * A ready pod behind a Service: its name, IP, version label, pod template and behaviour.
 *
 * @param version the pod's {@code app.kubernetes.io/version} label, else {@code version}, else its
 *     {@code pod-template-hash}
 * @param templateHash the pod's {@value NamespaceTraffic#TEMPLATE_HASH_LABEL} label — the template
 *     a rollout made it from — or {@code ""} when it has none
 * @param profile how the pod behaves (its {@code sandbox.weir.dev/*} annotations)
 * @param variants how a feature flag splits the pod's requests ({@code sandbox.weir.dev/flag}),
 *     shares adding up to 1; empty when no flag splits them
 */
public record Endpoint(
    String pod,
    String ip,
    String version,
    String templateHash,
    VersionProfile profile,
    List<VariantBehaviour> variants) {
  public Endpoint {
    variants = List.copyOf(variants);
  }

  /** A pod whose requests no flag splits. */
  public Endpoint(
      String pod, String ip, String version, String templateHash, VersionProfile profile) {
    this(pod, ip, version, templateHash, profile, List.of());
  }

  /**
   * The part of a pod's requests a flag serves one variant.
   *
   * @param variant the variant's name, the {@code variant} label of its metrics; {@code ""} for
   *     the users flagd serves no variant (a disabled flag, an evaluation error), who get the pod's
   *     own behaviour and no label
   * @param share the share of the pod's requests
   * @param profile how the pod behaves for this variant
   */
  public record VariantBehaviour(String variant, double share, VersionProfile profile) {}
}
