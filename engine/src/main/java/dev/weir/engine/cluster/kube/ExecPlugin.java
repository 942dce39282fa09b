package dev.weir.engine.cluster.kube;

import java.util.List;
import java.util.Map;

/**
 * A kubeconfig user's {@code exec} entry.
 *
 * @param command the program (a path with a slash is already absolute)
 * @param args its arguments (may hold secrets: never shown)
 * @param env extra environment variables (may hold secrets: never shown)
 * @param apiVersion {@code client.authentication.k8s.io/v1} or {@code v1beta1}
 * @param provideClusterInfo whether the plugin is told the cluster's server
 * @param server the context's API server, for {@code provideClusterInfo}
 */
record ExecPlugin(
    String command,
    List<String> args,
    Map<String, String> env,
    String apiVersion,
    boolean provideClusterInfo,
    String server) {

  ExecPlugin {
    args = List.copyOf(args);
    env = Map.copyOf(env);
  }

  @Override
  public String toString() {
    return "ExecPlugin[" + command + "]";
  }
}
