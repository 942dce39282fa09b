package dev.weir.engine.cluster.kube;

import dev.weir.engine.cluster.ClusterError;
import dev.weir.engine.cluster.ClusterError.Reason;
import dev.weir.engine.cluster.ClusterException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How a process in a pod reaches its own cluster, as client-go's {@code rest.InClusterConfig}: the
 * API server at {@code KUBERNETES_SERVICE_HOST}:{@code KUBERNETES_SERVICE_PORT}, verified against
 * the service account's {@code ca.crt}, authenticated by its {@code token} (read again whenever the
 * kubelet rotates it, {@link TokenFileCredentials}), in the namespace of its {@code namespace}
 * file. The service account directory is {@code WEIR_SERVICEACCOUNT_DIR}, else {@value
 * #DEFAULT_DIRECTORY}, so that tests can point it at files of their own. Immutable.
 *
 * @param directory the service account directory ({@code token}, {@code ca.crt}, {@code
 *     namespace})
 * @param host the API server's host (an IPv6 address without brackets)
 * @param port the API server's port
 */
public record InClusterConfig(Path directory, String host, String port) {
  /** Where the kubelet mounts a pod's service account. */
  public static final String DEFAULT_DIRECTORY = "/var/run/secrets/kubernetes.io/serviceaccount";

  public InClusterConfig {
    Objects.requireNonNull(directory, "directory");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(port, "port");
  }

  /**
   * The in-cluster configuration {@code environment} describes; empty when {@code
   * KUBERNETES_SERVICE_HOST} is not set (not in a pod).
   */
  public static Optional<InClusterConfig> fromEnvironment(Map<String, String> environment) {
    String host = environment.getOrDefault("KUBERNETES_SERVICE_HOST", "").strip();
    if (host.isEmpty()) {
      return Optional.empty();
    }
    String port = environment.getOrDefault("KUBERNETES_SERVICE_PORT", "").strip();
    String directory = environment.getOrDefault("WEIR_SERVICEACCOUNT_DIR", "").strip();
    return Optional.of(
        new InClusterConfig(
            Path.of(directory.isEmpty() ? DEFAULT_DIRECTORY : directory),
            host,
            port.isEmpty() ? "443" : port));
  }

  /** {@code https://host:port}, an IPv6 host in brackets. */
  public String server() {
    String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    return "https://" + h + ":" + port;
  }

  public Path tokenFile() {
    return directory.resolve("token");
  }

  public Path caFile() {
    return directory.resolve("ca.crt");
  }

  /** The pod's namespace, from the {@code namespace} file; "default" when there is none. */
  public String namespace() {
    try {
      Path file = directory.resolve("namespace");
      if (Files.isRegularFile(file)) {
        String namespace = Files.readString(file).strip();
        return namespace.isEmpty() ? "default" : namespace;
      }
    } catch (IOException e) {
      // the default namespace, as client-go
    }
    return "default";
  }

  /**
   * Checks that the token and CA files can be read.
   *
   * @throws ClusterException {@code CONFIGURATION} naming the missing file
   */
  public InClusterConfig check() {
    for (Path file : new Path[] {tokenFile(), caFile()}) {
      if (!Files.isReadable(file)) {
        throw new ClusterException(
            ClusterError.of(
                Reason.CONFIGURATION,
                "in-cluster configuration: cannot read "
                    + file
                    + " (is a service account token mounted? WEIR_SERVICEACCOUNT_DIR names another"
                    + " directory)"));
      }
    }
    return this;
  }
}
