package dev.weir.engine.rollout;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Argo Rollouts' canary {@code experiment} step (features/experiment.md, "Integration With
 * Rollouts"): for the step, temporary workloads run the stable and/or the canary pod template with
 * pods of their own — a fresh baseline beside the canary rather than the warm stable — and analyses
 * judge them; the step passes or fails by those analyses (decision 0045). Not Weir's A/B {@link
 * ExperimentSpec}, which routes a segment of users to the canary and waits for a person.
 *
 * <p>Each template's pods carry their own pod-template hash ({@link #podHash}), different from the
 * rollout's own sides' even for the same pod spec, as Argo's do, so that a query can select them
 * apart; an analysis argument {@code {{templates.NAME.podTemplateHash}}} is that hash. Immutable.
 *
 * @param duration how long the experiment runs once every template's pods are ready; empty: until
 *     the analyses marked {@code requiredForCompletion} end, or (with none) until promoted
 * @param templates the workloads, in the order written
 * @param analyses the analyses, started once every template's pods are ready
 */
public record TemplateExperiment(
    Optional<Duration> duration, List<Template> templates, List<Analysis> analyses) {

  /** The label naming an experiment's template on its Deployment and pods. */
  public static final String TEMPLATE_LABEL = "rollouts.weir.dev/experiment-template";

  private static final Pattern HASH_PLACEHOLDER =
      Pattern.compile("\\{\\{\\s*templates\\.([A-Za-z0-9._-]+)\\.podTemplateHash\\s*}}");

  /** Which of the rollout's pod templates an experiment template runs. */
  public enum SpecRef {
    STABLE,
    CANARY;

    /** {@code stable} or {@code canary}, as written. */
    public String word() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * One workload of the experiment.
   *
   * @param replicas its pods (Argo's default: 1)
   * @param labels pod labels added to the template's ({@code metadata.labels})
   * @param annotations pod annotations added to the template's ({@code metadata.annotations})
   * @param selector the workload's {@code matchLabels} when given ({@code selector}); empty: the
   *     rollout's own
   */
  public record Template(
      String name,
      SpecRef specRef,
      int replicas,
      Map<String, String> labels,
      Map<String, String> annotations,
      Map<String, String> selector) {
    public Template {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(specRef, "specRef");
      if (replicas < 0) {
        throw new IllegalArgumentException("replicas must not be negative");
      }
      labels = Map.copyOf(labels);
      annotations = Map.copyOf(annotations);
      selector = Map.copyOf(selector);
    }
  }

  /**
   * One analysis of the experiment: {@code ref}'s arguments may hold {@code
   * {{templates.NAME.podTemplateHash}}}, filled in when it starts ({@link #resolve}).
   */
  public record Analysis(String name, AnalysisRef ref, boolean requiredForCompletion) {
    public Analysis {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(ref, "ref");
    }
  }

  public TemplateExperiment {
    Objects.requireNonNull(duration, "duration");
    templates = List.copyOf(templates);
    analyses = List.copyOf(analyses);
    if (templates.isEmpty()) {
      throw new IllegalArgumentException("an experiment runs at least one template");
    }
  }

  /** The experiment template names its arguments refer to ({@code {{templates.X.…}}}). */
  static List<String> referencedTemplates(String value) {
    Matcher m = HASH_PLACEHOLDER.matcher(value);
    List<String> names = new java.util.ArrayList<>();
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  /** Whether the experiment ends by itself (a duration, or analyses it waits for). */
  public boolean ends() {
    return duration.isPresent() || analyses.stream().anyMatch(Analysis::requiredForCompletion);
  }

  /**
   * The hash the pods of {@code template} carry at step {@code step} of the rollout {@code
   * rollout}, attempt {@code attempt}: from the pod template it runs and where it runs, so that the
   * same pod spec in an experiment is told apart from the rollout's own pods and from another
   * attempt's.
   */
  static String podHash(
      String rollout, int step, int attempt, String template, PodTemplateRef runs) {
    String key = rollout + "/" + step + "/" + attempt + "/" + template + "/" + runs.hash();
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, 10);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /** The Deployment of {@code template} at step {@code step}: {@code <target>-exp<N>-<name>}. */
  static String deploymentName(String target, int step, String template) {
    return target + "-exp" + (step + 1) + "-" + template;
  }

  /**
   * {@code analysis}'s reference with each {@code {{templates.NAME.podTemplateHash}}} replaced by
   * that template's pod hash ({@code hashes}: template name → hash).
   */
  static AnalysisRef resolve(AnalysisRef ref, Map<String, String> hashes) {
    Map<String, String> args = new LinkedHashMap<>();
    ref.args()
        .forEach(
            (name, value) -> {
              Matcher m = HASH_PLACEHOLDER.matcher(value);
              StringBuilder out = new StringBuilder();
              while (m.find()) {
                m.appendReplacement(
                    out, Matcher.quoteReplacement(hashes.getOrDefault(m.group(1), m.group())));
              }
              m.appendTail(out);
              args.put(name, out.toString());
            });
    return new AnalysisRef(ref.templates(), args, ref.hashArgs(), ref.dryRun(), ref.retention());
  }

  /** {@code baseline (stable) + canary (canary), 20m}, for timelines. */
  public String describe() {
    StringBuilder out = new StringBuilder();
    for (Template t : templates) {
      if (!out.isEmpty()) {
        out.append(" + ");
      }
      out.append(t.name()).append(" (").append(t.specRef().word()).append(")");
    }
    duration.ifPresent(d -> out.append(", ").append(Durations.format(d)));
    return out.toString();
  }
}
