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
 * @param sourceSpec how the path is rendered, or why it cannot be (an Argo CD Application whose
 *     source Weir cannot serve)
 * @param syncOptions what the application's {@code syncPolicy.syncOptions} change
 * @param warnings what the definition asks and Weir does not honour, one line each naming the field;
 *     shown on the application, never silent
 */
public record Application(
    String name,
    String path,
    String namespace,
    String context,
    SyncPolicy syncPolicy,
    List<IgnoreDifference> ignoreDifferences,
    SourceLocation source,
    SourceSpec sourceSpec,
    SyncOptions syncOptions,
    List<String> warnings) {

  /**
   * A Weir Application: every file under the path, its destination namespace made when missing, no
   * warnings.
   */
  public Application(
      String name,
      String path,
      String namespace,
      String context,
      SyncPolicy syncPolicy,
      List<IgnoreDifference> ignoreDifferences,
      SourceLocation source) {
    this(
        name,
        path,
        namespace,
        context,
        syncPolicy,
        ignoreDifferences,
        source,
        SourceSpec.RECURSIVE,
        SyncOptions.WEIR,
        List.of());
  }

  public Application {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(path, "path");
    namespace = namespace == null ? "" : namespace;
    context = context == null ? "" : context;
    syncPolicy = syncPolicy == null ? SyncPolicy.MANUAL : syncPolicy;
    ignoreDifferences = List.copyOf(ignoreDifferences == null ? List.of() : ignoreDifferences);
    Objects.requireNonNull(source, "source");
    sourceSpec = sourceSpec == null ? SourceSpec.RECURSIVE : sourceSpec;
    syncOptions = syncOptions == null ? SyncOptions.WEIR : syncOptions;
    warnings = List.copyOf(warnings == null ? List.of() : warnings);
  }
}
