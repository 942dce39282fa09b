package dev.weir.engine.rollout;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A rollout's reference to analysis ({@code {templates: [{templateName: …}], args: [{name, value}
 * | {name, valueFrom: {podTemplateHashValue: Latest|Stable}}]}}): the AnalysisTemplates to run
 * together and the argument values they get. As in Argo Rollouts, {@code podTemplateHashValue}
 * names the pod-template hash of the new version ({@code Latest}: the canary or preview) or of the
 * stable one, known only when the analysis starts ({@link #resolved}); the pods carry it as the
 * label {@code rollouts.weir.dev/pod-template-hash}, so a query can measure one version's pods.
 * Argo's {@code dryRun} and {@code measurementRetention} on the reference are read as the
 * templates' (decision 0037), resolved to metric names when the Rollout is read. Immutable.
 *
 * @param hashArgs the arguments whose value is a pod-template hash
 * @param dryRun the metrics of these templates run as a dry run, beside the templates' own
 * @param retention how many measurements of a metric are kept, beside (and over) the templates'
 * @param runMetadata Argo's {@code analysisRunMetadata}: Weir has no AnalysisRun object, so these
 *     go on the Kubernetes Events Weir writes about the run (decision 0041)
 */
public record AnalysisRef(
    List<String> templates,
    Map<String, String> args,
    Map<String, PodTemplateHash> hashArgs,
    java.util.Set<String> dryRun,
    Map<String, Integer> retention,
    RunMetadata runMetadata) {

  /**
   * Argo's {@code analysisRunMetadata: {labels, annotations}}, added to the Events about the run.
   */
  public record RunMetadata(Map<String, String> labels, Map<String, String> annotations) {
    /** No metadata. */
    public static final RunMetadata NONE = new RunMetadata(Map.of(), Map.of());

    public RunMetadata {
      labels = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(labels));
      annotations = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(annotations));
    }

    public boolean isEmpty() {
      return labels.isEmpty() && annotations.isEmpty();
    }
  }

  /** Whose pod-template hash an argument takes. */
  public enum PodTemplateHash {
    /** The new version's: the canary, or the blue/green preview. */
    LATEST,
    /** The stable (active) version's. */
    STABLE
  }

  public AnalysisRef {
    templates = List.copyOf(templates);
    args = Map.copyOf(args);
    hashArgs = Map.copyOf(hashArgs);
    dryRun = java.util.Set.copyOf(dryRun);
    retention = Map.copyOf(retention);
    Objects.requireNonNull(runMetadata, "runMetadata");
    if (templates.isEmpty()) {
      throw new IllegalArgumentException("an analysis needs at least one template");
    }
  }

  public AnalysisRef(
      List<String> templates,
      Map<String, String> args,
      Map<String, PodTemplateHash> hashArgs,
      java.util.Set<String> dryRun,
      Map<String, Integer> retention) {
    this(templates, args, hashArgs, dryRun, retention, RunMetadata.NONE);
  }

  public AnalysisRef(
      List<String> templates, Map<String, String> args, Map<String, PodTemplateHash> hashArgs) {
    this(templates, args, hashArgs, java.util.Set.of(), Map.of());
  }

  /** {@code template} with this reference's dry runs and retention added to its own. */
  public dev.weir.engine.analysis.AnalysisTemplateSpec applyTo(
      dev.weir.engine.analysis.AnalysisTemplateSpec template) {
    if (dryRun.isEmpty() && retention.isEmpty()) {
      return template;
    }
    return template.withRunSettings(dryRun, retention);
  }

  public AnalysisRef(List<String> templates, Map<String, String> args) {
    this(templates, args, Map.of());
  }

  /** The arguments with the pod-template hashes filled in. */
  public Map<String, String> resolved(String latestHash, String stableHash) {
    if (hashArgs.isEmpty()) {
      return args;
    }
    Map<String, String> all = new java.util.LinkedHashMap<>(args);
    hashArgs.forEach(
        (name, which) -> all.put(name, which == PodTemplateHash.LATEST ? latestHash : stableHash));
    return all;
  }

  /** {@code success-rate} or {@code success-rate+latency}, for messages. */
  public String describe() {
    return String.join("+", templates);
  }

  static AnalysisRef of(String... templates) {
    return new AnalysisRef(List.of(templates), Map.of());
  }

  @Override
  public String toString() {
    return describe()
        + (args.isEmpty() ? "" : " " + new java.util.TreeMap<>(args))
        + (hashArgs.isEmpty() ? "" : " " + new java.util.TreeMap<>(hashArgs));
  }

  /** Two references are the same analysis when templates and args are. */
  public boolean sameAs(AnalysisRef other) {
    return Objects.equals(templates, other.templates)
        && Objects.equals(args, other.args)
        && Objects.equals(hashArgs, other.hashArgs)
        && Objects.equals(dryRun, other.dryRun)
        && Objects.equals(retention, other.retention);
  }
}
