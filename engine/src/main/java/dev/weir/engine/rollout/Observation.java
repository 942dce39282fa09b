package dev.weir.engine.rollout;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Everything a rollout's next transition depends on besides its state and the time, rebuilt from
 * Git and the cluster on every pass (level-based: nothing is accumulated from event deltas).
 * Immutable.
 *
 * @param desired the target Deployment's template in Git, and the revision it was read at
 * @param replicas the target's {@code spec.replicas} in Git: the size of the stable version
 * @param stable the live target Deployment
 * @param secondary the live {@code <target>-canary} or {@code <target>-preview} Deployment
 * @param analyses the analysis runs the executor has, by run name
 * @param command a person's request, handled before anything else
 * @param experiments the live Deployments of Argo experiment steps, by name (as {@link Workload}s
 *     whose template hash is the pod hash their pods carry)
 */
public record Observation(
    PodTemplateRef desired,
    String revision,
    int replicas,
    Workload stable,
    Workload secondary,
    Map<String, AnalysisStatus> analyses,
    Optional<ManualCommand> command,
    Map<String, Workload> experiments) {

  public Observation {
    Objects.requireNonNull(desired, "desired");
    Objects.requireNonNull(revision, "revision");
    Objects.requireNonNull(stable, "stable");
    Objects.requireNonNull(secondary, "secondary");
    analyses = Map.copyOf(analyses);
    Objects.requireNonNull(command, "command");
    experiments = Map.copyOf(experiments);
  }

  /** An observation without experiment workloads. */
  public Observation(
      PodTemplateRef desired,
      String revision,
      int replicas,
      Workload stable,
      Workload secondary,
      Map<String, AnalysisStatus> analyses,
      Optional<ManualCommand> command) {
    this(desired, revision, replicas, stable, secondary, analyses, command, Map.of());
  }

  /** The same observation with {@code value} as the command. */
  public Observation with(ManualCommand value) {
    return new Observation(
        desired, revision, replicas, stable, secondary, analyses, Optional.of(value), experiments);
  }

  /** The same observation without a command. */
  public Observation withoutCommand() {
    return command.isEmpty()
        ? this
        : new Observation(
            desired,
            revision,
            replicas,
            stable,
            secondary,
            analyses,
            Optional.empty(),
            experiments);
  }

  /** The experiment Deployment {@code name} as seen; absent when it does not exist. */
  public Workload experiment(String name) {
    return experiments.getOrDefault(name, Workload.ABSENT);
  }

  /** Keys {@code runs} by run name. */
  public static Map<String, AnalysisStatus> byRun(List<AnalysisStatus> runs) {
    return runs.stream()
        .collect(Collectors.toMap(AnalysisStatus::run, Function.identity(), (a, b) -> b));
  }

  /** The run called {@code run}, if the executor has it. */
  public Optional<AnalysisStatus> analysis(String run) {
    return Optional.ofNullable(analyses.get(run));
  }
}
