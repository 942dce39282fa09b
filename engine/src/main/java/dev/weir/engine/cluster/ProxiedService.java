package dev.weir.engine.cluster;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A Service port reached through the API server's service proxy, {@code
 * /api/v1/namespaces/NAMESPACE/services/[https:]NAME:PORT/proxy/}. Immutable.
 *
 * @param namespace the Service's namespace
 * @param name the Service's name
 * @param port the port's number or name, as the Service declares it
 * @param https whether the API server speaks TLS to the Service ({@code https:} in the path)
 */
public record ProxiedService(String namespace, String name, String port, boolean https) {
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  private static final Pattern PORT =
      Pattern.compile("[0-9]{1,5}|[a-z0-9]([-a-z0-9]{0,13}[a-z0-9])?");

  public ProxiedService {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(port, "port");
    if (!DNS_LABEL.matcher(namespace).matches() || !DNS_LABEL.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "not a Service: " + namespace + "/" + name + " (namespace and name are DNS labels)");
    }
    if (!PORT.matcher(port).matches()) {
      throw new IllegalArgumentException("not a Service port: " + port);
    }
  }

  /** The Service's port over plain HTTP. */
  public static ProxiedService of(String namespace, String name, String port) {
    return new ProxiedService(namespace, name, port, false);
  }

  /** The API path of the proxy, ending with {@code /proxy/}. */
  public String proxyPath() {
    return "/api/v1/namespaces/"
        + namespace
        + "/services/"
        + (https ? "https:" : "")
        + name
        + ":"
        + port
        + "/proxy/";
  }

  /** {@code monitoring/prometheus-operated:9090}, as people name it. */
  @Override
  public String toString() {
    return namespace + "/" + (https ? "https:" : "") + name + ":" + port;
  }
}
