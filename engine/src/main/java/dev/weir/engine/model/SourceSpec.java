package dev.weir.engine.model;

/**
 * How an application's path is rendered, beyond the path itself. Weir's own Applications render
 * every file under the path; an Argo CD Application renders what Argo would: only the path's own
 * files unless {@code source.directory.recurse}, with its {@code source.helm} values. Immutable.
 *
 * @param recurse whether plain files in subdirectories of the path are read too
 * @param helm values for a chart in the path
 * @param kustomize what an Argo CD Application's {@code source.kustomize} sets on the
 *     kustomization in the path
 * @param refusal why Weir cannot serve this source (another repository, a chart repository …): the
 *     application is listed with this reason and never rendered; "" when it can
 */
public record SourceSpec(
    boolean recurse, HelmValues helm, KustomizeOptions kustomize, String refusal) {

  /** Weir's own: every file under the path, no values. */
  public static final SourceSpec RECURSIVE = new SourceSpec(true, HelmValues.NONE, KustomizeOptions.NONE, "");

  public SourceSpec {
    helm = helm == null ? HelmValues.NONE : helm;
    kustomize = kustomize == null ? KustomizeOptions.NONE : kustomize;
    refusal = refusal == null ? "" : refusal;
  }

  public boolean servable() {
    return refusal.isEmpty();
  }
}
