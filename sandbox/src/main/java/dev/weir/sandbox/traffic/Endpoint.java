package dev.weir.sandbox.traffic;

/**
 * A ready pod behind a Service: its name, IP, version label, pod template and behaviour.
 *
 * @param version the pod's {@code app.kubernetes.io/version} label, else {@code version}, else its
 *     {@code pod-template-hash}
 * @param templateHash the pod's {@value NamespaceTraffic#TEMPLATE_HASH_LABEL} label — the template
 *     a rollout made it from — or {@code ""} when it has none
 */
public record Endpoint(
    String pod, String ip, String version, String templateHash, VersionProfile profile) {}
