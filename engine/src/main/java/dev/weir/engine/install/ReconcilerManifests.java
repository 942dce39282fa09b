package dev.weir.engine.install;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.representer.Representer;

/**
 * The in-cluster reconciler's manifests: the kustomize base of {@code deploy/kustomize/base}, which
 * the build copies into the engine's jar, rendered for one installation (the repository, its
 * branch, the namespace). Rendering does what {@code kubectl kustomize} does with that base and
 * nothing more: the kustomization's {@code namespace} transformer (the Namespace object renamed,
 * every namespaced object and every ServiceAccount subject of a binding moved into it), then the
 * reconciler's {@code --repo} (and {@code --branch}) filled in. So {@code weir install} needs no
 * kustomize binary, and a test compares the two renders.
 *
 * <p>Pure and thread-safe: every call returns new maps.
 */
public final class ReconcilerManifests {
  /** Where the build puts the base inside the jar. */
  static final String BASE = "/dev/weir/engine/install/base/";

  /** The namespace the base names (its kustomization's {@code namespace}). */
  public static final String DEFAULT_NAMESPACE = "weir";

  /** The reconciler's Deployment and container, as the base names them. */
  public static final String DEPLOYMENT = "weir-reconciler";

  /** The Secret the reconciler reads its repository credentials from. */
  public static final String REPOSITORY_SECRET = "weir-repo";

  private static final Set<String> CLUSTER_SCOPED =
      Set.of("Namespace", "ClusterRole", "ClusterRoleBinding");
  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

  private ReconcilerManifests() {}

  /**
   * One installation: the GitOps repository the reconciler pulls from, its branch (empty: the
   * repository's default), and the namespace it runs in.
   */
  public record Spec(String repo, Optional<String> branch, String namespace) {
    public Spec {
      Objects.requireNonNull(repo, "repo");
      Objects.requireNonNull(branch, "branch");
      Objects.requireNonNull(namespace, "namespace");
      if (repo.isBlank() || repo.chars().anyMatch(Character::isWhitespace)) {
        throw new IllegalArgumentException("--repo: '" + repo + "' is not a repository URL");
      }
      if (!LABEL.matcher(namespace).matches()) {
        throw new IllegalArgumentException(
            "--namespace: '"
                + namespace
                + "' is not a namespace name (lower-case letters, digits and '-', at most 63)");
      }
      if (branch.isPresent() && (branch.get().isBlank() || branch.get().contains(" "))) {
        throw new IllegalArgumentException("--branch: '" + branch.get() + "' is not a branch name");
      }
    }
  }

  /** The base's objects, in its kustomization's order of resources. */
  public static List<Map<String, Object>> base() {
    Map<String, Object> kustomization = one(read("kustomization.yaml"));
    List<Map<String, Object>> objects = new ArrayList<>();
    for (Object resource : (List<?>) kustomization.get("resources")) {
      for (Object document : yaml().loadAll(read(resource.toString()))) {
        if (document instanceof Map<?, ?> object) {
          objects.add(copy(object));
        }
      }
    }
    return objects;
  }

  /** The base rendered for {@code spec}, as {@code kubectl kustomize} would with those values. */
  public static List<Map<String, Object>> render(Spec spec) {
    List<Map<String, Object>> objects = base();
    for (Map<String, Object> object : objects) {
      String kind = String.valueOf(object.get("kind"));
      Map<String, Object> metadata = map(object, "metadata");
      if (kind.equals("Namespace")) {
        metadata.put("name", spec.namespace());
      } else if (!CLUSTER_SCOPED.contains(kind)) {
        metadata.put("namespace", spec.namespace());
      }
      if (kind.endsWith("RoleBinding") && object.get("subjects") instanceof List<?> subjects) {
        for (Object subject : subjects) {
          if (subject instanceof Map<?, ?> s && "ServiceAccount".equals(s.get("kind"))) {
            @SuppressWarnings("unchecked")
            Map<String, Object> account = (Map<String, Object>) s;
            account.put("namespace", spec.namespace());
          }
        }
      }
      if (kind.equals("Deployment") && DEPLOYMENT.equals(metadata.get("name"))) {
        fillArguments(object, spec);
      }
    }
    return objects;
  }

  /** Objects as multi-document YAML, as {@code kubectl kustomize} prints them. */
  public static String yaml(List<Map<String, Object>> objects) {
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    options.setIndicatorIndent(0);
    options.setSplitLines(false);
    Yaml dumper = new Yaml(new Representer(options), options);
    StringBuilder out = new StringBuilder();
    for (Map<String, Object> object : objects) {
      if (!out.isEmpty()) {
        out.append("---\n");
      }
      out.append(dumper.dump(object));
    }
    return out.toString();
  }

  private static void fillArguments(Map<String, Object> deployment, Spec spec) {
    Map<String, Object> template = map(map(deployment, "spec"), "template");
    for (Object c : (List<?>) map(template, "spec").get("containers")) {
      @SuppressWarnings("unchecked")
      Map<String, Object> container = (Map<String, Object>) c;
      List<Object> args = new ArrayList<>((List<?>) container.get("args"));
      int repo = args.indexOf("--repo");
      if (repo < 0 || repo + 1 >= args.size()) {
        throw new IllegalStateException("the base's reconciler has no --repo argument");
      }
      args.set(repo + 1, spec.repo());
      int branch = args.indexOf("--branch");
      if (branch >= 0) {
        args.remove(branch + 1);
        args.remove(branch);
      }
      spec.branch().ifPresent(b -> args.addAll(repo + 2, List.of("--branch", b)));
      container.put("args", args);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Map<String, Object> parent, String key) {
    return (Map<String, Object>) parent.get(key);
  }

  private static Map<String, Object> one(String text) {
    return copy((Map<?, ?>) yaml().load(text));
  }

  /** A deep, mutable copy. */
  @SuppressWarnings("unchecked")
  private static <T> T deep(T value) {
    if (value instanceof Map<?, ?> map) {
      return (T) copy(map);
    }
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>();
      list.forEach(item -> copy.add(deep(item)));
      return (T) copy;
    }
    return value;
  }

  private static Map<String, Object> copy(Map<?, ?> map) {
    Map<String, Object> copy = new LinkedHashMap<>();
    map.forEach((key, value) -> copy.put(String.valueOf(key), deep(value)));
    return copy;
  }

  private static Yaml yaml() {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    return new Yaml(new SafeConstructor(options));
  }

  private static String read(String name) {
    if (name.contains("/") || name.contains("..")) {
      throw new IllegalStateException("the base names a resource outside itself: " + name);
    }
    try (InputStream in = ReconcilerManifests.class.getResourceAsStream(BASE + name)) {
      if (in == null) {
        throw new IllegalStateException(
            "the reconciler's manifests are missing from the engine's jar: " + BASE + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
