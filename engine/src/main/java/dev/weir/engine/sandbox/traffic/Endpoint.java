package dev.weir.engine.sandbox.traffic;

/**
 * A ready pod behind a Service: its name, IP, version label and behaviour.
 *
 * @param version the pod's {@code app.kubernetes.io/version} label, else {@code version}, else its
 *     {@code pod-template-hash}
 */
public record Endpoint(String pod, String ip, String version, VersionProfile profile) {}
