package dev.weir.engine.model;

import java.util.List;
import java.util.Objects;

/**
 * An application: a path of the GitOps repository and where its objects go. Declared by a
 * {@code weir.dev/v1alpha1 Application} document anywhere in the repository; console configuration,
 * never applied to a cluster.
 *
 * @param name unique within the repository
 * @param path the source path, relative to the repository root, without a trailing slash
 * @param namespace the destination namespace for namespaced objects that name none ("" for none)
 * @param context the kubeconfig context to use ("" for the current one)
 * @param source where the Application document was read
 */
public record Application(
    String name,
    String path,
    String namespace,
    String context,
    SyncPolicy syncPolicy,
    List<IgnoreDifference> ignoreDifferences,
    SourceLocation source) {

  public Application {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(path, "path");
    namespace = namespace == null ? "" : namespace;
    context = context == null ? "" : context;
    syncPolicy = syncPolicy == null ? SyncPolicy.MANUAL : syncPolicy;
    ignoreDifferences = List.copyOf(ignoreDifferences == null ? List.of() : ignoreDifferences);
    Objects.requireNonNull(source, "source");
  }
}
