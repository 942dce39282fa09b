package dev.weir.engine.console;

import dev.weir.engine.cluster.ApplyOptions;
import dev.weir.engine.cluster.ClusterException;
import dev.weir.engine.cluster.kube.KubeClusterGateway;
import dev.weir.engine.cluster.kube.Kubeconfig;
import dev.weir.engine.install.ReconcilerManifests;
import dev.weir.engine.model.ResourceKey;
import dev.weir.engine.time.EngineClock;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code weir install}: the in-cluster reconciler's manifests ({@code deploy/kustomize/base},
 * rendered by {@link ReconcilerManifests}) for a repository and a namespace, shown or applied.
 * Applying is server-side apply with the field manager {@value #FIELD_MANAGER}; without {@code
 * apply} every object goes to the API server as a dry run ({@code dryRun=All}), so what is shown
 * was checked by the cluster (admission, validation, RBAC) and nothing changed. An object whose
 * namespace does not exist yet cannot be dry-run (the server answers 404 for the namespace): it is
 * shown as not checked, and why. The repository Secret is never written (no credentials pass
 * through here); whether it exists is said, never its values.
 *
 * <p>Blocking; each call opens its own connection to the cluster and closes it.
 */
public final class ReconcilerInstall {
  /** The field manager of the install's objects. */
  public static final String FIELD_MANAGER = "weir-install";

  private ReconcilerInstall() {}

  /**
   * One installation: the repository URL, its branch (empty: the remote's default), the namespace.
   */
  public record Request(String repo, Optional<String> branch, String namespace) {
    /** The namespace the manifests name unless told otherwise. */
    public static final String DEFAULT_NAMESPACE = ReconcilerManifests.DEFAULT_NAMESPACE;

    ReconcilerManifests.Spec spec() {
      try {
        return new ReconcilerManifests.Spec(repo, branch, namespace);
      } catch (IllegalArgumentException e) {
        throw new ConsoleException(ConsoleException.Kind.BAD_INPUT, e.getMessage());
      }
    }
  }

  /** The manifests for {@code request} as multi-document YAML (no cluster involved). */
  public static String yaml(Request request) {
    return ReconcilerManifests.yaml(ReconcilerManifests.render(request.spec()));
  }

  /**
   * Applies the manifests for {@code request} to the cluster of {@code kubeconfigs} (merged as
   * kubectl merges them) and {@code context} (empty: the current one) — or, unless {@code apply},
   * sends them as a server-side dry run. One detail line per object ({@code created}, {@code
   * configured}, or {@code would create} / {@code would configure} in a dry run), then whether the
   * repository Secret is there.
   *
   * @return OK when every object was applied (or passed the dry run); FAILED naming the first object
   *     refused, after which nothing more is applied; UNREACHABLE when the cluster did not answer;
   *     BAD_INPUT for a bad repository URL, namespace or kubeconfig
   */
  public static CommandResult install(
      Request request, List<Path> kubeconfigs, Optional<String> context, boolean apply) {
    ReconcilerManifests.Spec spec = request.spec();
    List<Map<String, Object>> objects = ReconcilerManifests.render(spec);
    KubeClusterGateway gateway;
    try {
      gateway =
          KubeClusterGateway.connect(
              Kubeconfig.fromFiles(kubeconfigs), context.orElse(null), EngineClock.system());
    } catch (RuntimeException e) {
      throw ConsoleException.of(e)
          .orElseGet(() -> new ConsoleException(ConsoleException.Kind.BAD_INPUT, e.getMessage()));
    }
    try (gateway) {
      List<String> lines = new ArrayList<>();
      boolean namespaceExists =
          gateway.get(new ResourceKey("", "Namespace", "", spec.namespace())).isPresent();
      ApplyOptions options = new ApplyOptions(FIELD_MANAGER, false, !apply);
      for (Map<String, Object> object : objects) {
        ResourceKey key = keyOf(object);
        String what = describe(key);
        boolean unchecked = !apply && !namespaceExists && !key.namespace().isEmpty();
        if (unchecked) {
          lines.add(
              "would create "
                  + what
                  + " (not checked by the API server: namespace "
                  + spec.namespace()
                  + " does not exist yet)");
          continue;
        }
        boolean exists = gateway.get(key).isPresent();
        try {
          gateway.apply(object, options);
        } catch (ClusterException e) {
          if (unreachable(e)) {
            throw e;
          }
          return new CommandResult(
              CommandResult.Status.FAILED,
              (apply ? "" : "dry run: ") + what + " was refused: " + e.getMessage(),
              lines);
        }
        lines.add(
            (apply ? "" : "would ")
                + (exists ? "configure " : "create ")
                + what
                + (apply ? "" : " (server dry run)"));
        if (apply && key.kind().equals("Namespace")) {
          namespaceExists = true;
        }
      }
      ResourceKey secret =
          new ResourceKey("", "Secret", spec.namespace(), ReconcilerManifests.REPOSITORY_SECRET);
      boolean hasSecret = namespaceExists && gateway.get(secret).isPresent();
      lines.add(
          hasSecret
              ? "the repository Secret " + describe(secret) + " is there"
              : "the repository Secret "
                  + describe(secret)
                  + " does not exist: create it (ssh-privatekey and known_hosts, or token)"
                  + " before the reconciler can start; see docs/deploy.md");
      String message =
          apply
              ? "installed Weir's reconciler in namespace "
                  + spec.namespace()
                  + " of "
                  + gateway.context()
                  + ": "
                  + objects.size()
                  + " objects applied, pulling "
                  + spec.repo()
              : "dry run: "
                  + objects.size()
                  + " objects would be applied to "
                  + gateway.context()
                  + "; nothing changed (run again with --apply)";
      return new CommandResult(CommandResult.Status.OK, message, lines);
    } catch (ClusterException e) {
      return new CommandResult(
          unreachable(e)
              ? CommandResult.Status.UNREACHABLE
              : CommandResult.Status.FAILED,
          e.getMessage(),
          List.of());
    }
  }

  private static boolean unreachable(ClusterException e) {
    return e.reason() == dev.weir.engine.cluster.ClusterError.Reason.UNREACHABLE
        || e.reason() == dev.weir.engine.cluster.ClusterError.Reason.TIMEOUT;
  }

  private static ResourceKey keyOf(Map<String, Object> object) {
    String apiVersion = String.valueOf(object.get("apiVersion"));
    String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
    @SuppressWarnings("unchecked")
    Map<String, Object> metadata = (Map<String, Object>) object.get("metadata");
    Object namespace = metadata.get("namespace");
    return new ResourceKey(
        group,
        String.valueOf(object.get("kind")),
        namespace == null ? "" : namespace.toString(),
        String.valueOf(metadata.get("name")));
  }

  private static String describe(ResourceKey key) {
    return (key.group().isEmpty() ? "" : key.group() + "/")
        + key.kind()
        + " "
        + (key.namespace().isEmpty() ? "" : key.namespace() + "/")
        + key.name();
  }
}
