package dev.weir.engine.console;

import dev.weir.engine.cluster.kube.KubeClusterGateway;
import dev.weir.engine.manifest.Renderer;
import java.time.Duration;

/**
 * Settings for a long-lived process that opens a console per short command for others — {@code
 * weir sandbox serve} answering {@code weir status --sandbox} (decision 0014) — so that each
 * command does not redo what an earlier one already knows.
 */
public final class CommandsProcess {
  private CommandsProcess() {}

  /**
   * Makes the consoles this process opens share what is exact to share between commands: kustomize
   * and helm outputs, keyed by the blob id of every input (as one renderer's cache), and an API
   * server's discovery for a minute (a kind not found is discovered afresh). Never the cluster's
   * objects, Git's head or a comparison: each command still reads those now.
   */
  public static void shareBetweenCommands() {
    Renderer.shareToolOutputs(256);
    KubeClusterGateway.shareDiscovery(Duration.ofMinutes(1));
  }
}
