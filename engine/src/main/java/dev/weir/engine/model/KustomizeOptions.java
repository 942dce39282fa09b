package dev.weir.engine.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What an Argo CD Application's {@code source.kustomize} sets on the kustomization in its path
 * (https://argo-cd.readthedocs.io/en/stable/user-guide/kustomize/). Argo CD runs {@code kustomize
 * edit} on that kustomization before building it; Weir makes the same edits on its own copy of the
 * file, in its work directory, never in the repository or the user's checkout (decision 0038).
 * Immutable.
 *
 * @param namePrefix replaces the kustomization's {@code namePrefix} ("" leaves it)
 * @param nameSuffix replaces the kustomization's {@code nameSuffix} ("" leaves it)
 * @param namespace replaces the kustomization's {@code namespace} ("" leaves it)
 * @param images {@code kustomize edit set image} arguments ({@code nginx:1.27}, {@code
 *     nginx=registry/nginx:1.27}, {@code nginx@sha256:…}), each replacing the kustomization's entry
 *     of the same name
 * @param replicas each replacing the kustomization's entry of the same name
 * @param commonLabels added to the kustomization's; one it already has is an error unless {@code
 *     forceCommonLabels}
 * @param forceCommonLabels whether {@code commonLabels} may replace the kustomization's
 * @param commonAnnotations added as {@code commonLabels} are
 * @param forceCommonAnnotations whether {@code commonAnnotations} may replace the kustomization's
 * @param patches appended to the kustomization's {@code patches}: mappings of {@code patch}, {@code
 *     path} (checked to be a file below the application's path), {@code target}, {@code options}
 */
public record KustomizeOptions(
    String namePrefix,
    String nameSuffix,
    String namespace,
    List<String> images,
    List<Replica> replicas,
    Map<String, String> commonLabels,
    boolean forceCommonLabels,
    Map<String, String> commonAnnotations,
    boolean forceCommonAnnotations,
    List<Map<String, Object>> patches) {

  public static final KustomizeOptions NONE =
      new KustomizeOptions(
          "", "", "", List.of(), List.of(), Map.of(), false, Map.of(), false, List.of());

  public KustomizeOptions {
    namePrefix = namePrefix == null ? "" : namePrefix;
    nameSuffix = nameSuffix == null ? "" : nameSuffix;
    namespace = namespace == null ? "" : namespace;
    images = List.copyOf(images);
    replicas = List.copyOf(replicas);
    commonLabels = Collections.unmodifiableMap(new LinkedHashMap<>(commonLabels));
    commonAnnotations = Collections.unmodifiableMap(new LinkedHashMap<>(commonAnnotations));
    List<Map<String, Object>> copies = new ArrayList<>();
    for (Map<String, Object> patch : patches) {
      copies.add(Collections.unmodifiableMap(new LinkedHashMap<>(patch)));
    }
    patches = List.copyOf(copies);
  }

  /** Whether nothing is set: the kustomization is built as it is. */
  public boolean isEmpty() {
    return namePrefix.isEmpty()
        && nameSuffix.isEmpty()
        && namespace.isEmpty()
        && images.isEmpty()
        && replicas.isEmpty()
        && commonLabels.isEmpty()
        && commonAnnotations.isEmpty()
        && patches.isEmpty();
  }

  /**
   * One {@code source.kustomize.replicas} entry.
   *
   * @param name the workload's name, as the kustomization's objects have it
   * @param count the replica count
   */
  public record Replica(String name, long count) {
    public Replica {
      Objects.requireNonNull(name, "name");
    }
  }
}
