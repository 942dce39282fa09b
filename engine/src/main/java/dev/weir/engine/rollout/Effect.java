package dev.weir.engine.rollout;

import dev.weir.engine.model.FlagChange;
import dev.weir.engine.traffic.HeaderRoute;
import dev.weir.engine.traffic.MirrorRoute;
import java.util.List;
import java.util.Objects;

/**
 * What a transition asks the executor to do. Every effect states a desired end ("the canary runs
 * this template at 2 replicas"), never a delta, so carrying one out twice is the same as once: the
 * executor may repeat effects after a crash without harm. Effects of one transition are carried out
 * in list order. Immutable.
 */
public sealed interface Effect
    permits Effect.SetWeight,
        Effect.SetHeaderRoutes,
        Effect.SetMirrorRoutes,
        Effect.ScaleCanary,
        Effect.UpdateStable,
        Effect.RunExperiment,
        Effect.EndExperiments,
        Effect.SwitchActive,
        Effect.SwitchPreview,
        Effect.StartAnalysis,
        Effect.StopAnalysis,
        Effect.SetFlag,
        Effect.RestoreFlags,
        Effect.Emit {

  /** The router sends {@code weight} percent of requests to the canary and the rest to stable. */
  record SetWeight(int weight) implements Effect {
    public SetWeight {
      if (weight < 0 || weight > 100) {
        throw new IllegalArgumentException("weight must be within 0..100, got " + weight);
      }
    }
  }

  /** The router sends requests matching any of {@code routes} to the canary (empty: none). */
  record SetHeaderRoutes(List<HeaderRoute> routes) implements Effect {
    public SetHeaderRoutes {
      routes = List.copyOf(routes);
    }
  }

  /**
   * The router copies a share of the requests matching each of {@code routes} to the canary
   * (empty: none).
   */
  record SetMirrorRoutes(List<MirrorRoute> routes) implements Effect {
    public SetMirrorRoutes {
      routes = List.copyOf(routes);
    }
  }

  /**
   * The canary ({@code <target>-canary}) or preview ({@code <target>-preview}) Deployment runs
   * {@code template} with {@code replicas} pods; created when missing, kept at 0 replicas when
   * done.
   */
  record ScaleCanary(PodTemplateRef template, int replicas) implements Effect {
    public ScaleCanary {
      Objects.requireNonNull(template, "template");
      if (replicas < 0) {
        throw new IllegalArgumentException("replicas must not be negative");
      }
    }
  }

  /**
   * The stable (target) Deployment runs {@code template} with {@code replicas} pods: promotion when
   * the template is the new one, a replica-ratio share or a restore otherwise.
   */
  record UpdateStable(PodTemplateRef template, int replicas) implements Effect {
    public UpdateStable {
      Objects.requireNonNull(template, "template");
      if (replicas < 0) {
        throw new IllegalArgumentException("replicas must not be negative");
      }
    }
  }

  /**
   * An Argo experiment's workload: the Deployment {@code deployment} runs {@code runs} (the stable
   * or the canary template) with {@code replicas} pods labelled with their own hash {@code
   * podHash} (and {@code template}'s extra labels and annotations); created when missing.
   */
  record RunExperiment(
      String deployment,
      TemplateExperiment.Template template,
      PodTemplateRef runs,
      String podHash,
      int replicas)
      implements Effect {
    public RunExperiment {
      Objects.requireNonNull(deployment, "deployment");
      Objects.requireNonNull(template, "template");
      Objects.requireNonNull(runs, "runs");
      Objects.requireNonNull(podHash, "podHash");
      if (replicas < 0) {
        throw new IllegalArgumentException("replicas must not be negative");
      }
    }
  }

  /**
   * Every experiment Deployment of the rollout is deleted except those named in {@code keep}
   * (found by their labels, so that none is left behind whatever step made it).
   */
  record EndExperiments(java.util.Set<String> keep) implements Effect {
    public EndExperiments {
      keep = java.util.Set.copyOf(keep);
    }
  }

  /** Blue/green: the active Service selects the pods of {@code template}, in one update. */
  record SwitchActive(PodTemplateRef template) implements Effect {
    public SwitchActive {
      Objects.requireNonNull(template, "template");
    }
  }

  /** Blue/green: the preview Service selects the pods of {@code template}. */
  record SwitchPreview(PodTemplateRef template) implements Effect {
    public SwitchPreview {
      Objects.requireNonNull(template, "template");
    }
  }

  /**
   * Run the analysis {@code analysis} under the name {@code run}, unless one of that name runs.
   * {@code recorded} is where the run stood when the state was recorded: a resumed run goes on from
   * its checkpoints ({@link AnalysisCounts#NONE}: from the start).
   */
  record StartAnalysis(String run, AnalysisRef analysis, AnalysisCounts recorded)
      implements Effect {
    public StartAnalysis {
      Objects.requireNonNull(run, "run");
      Objects.requireNonNull(analysis, "analysis");
      Objects.requireNonNull(recorded, "recorded");
    }

    /** A run from the start. */
    public StartAnalysis(String run, AnalysisRef analysis) {
      this(run, analysis, AnalysisCounts.NONE);
    }
  }

  /** Stop the run {@code run} if it runs; its last result stays visible. */
  record StopAnalysis(String run) implements Effect {
    public StopAnalysis {
      Objects.requireNonNull(run, "run");
    }
  }

  /**
   * The flag {@code flag} of the rollout's application is as {@code change} says at Git's head: a
   * commit authored by the rollout with {@code reason} when it is not so already (none when it is,
   * so a repeated effect makes no second commit), pushed, then the application synced.
   */
  record SetFlag(String flag, FlagChange change, String reason) implements Effect {
    public SetFlag {
      Objects.requireNonNull(flag, "flag");
      Objects.requireNonNull(change, "change");
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * Each of {@code flags} is at Git's head as it was at {@code revision} (state, default variant,
   * fractional percentages): one commit per flag that differs, authored by the rollout with {@code
   * reason}, pushed, then the application synced; none when they already are.
   */
  record RestoreFlags(String revision, List<String> flags, String reason) implements Effect {
    public RestoreFlags {
      Objects.requireNonNull(revision, "revision");
      flags = List.copyOf(flags);
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** Publish {@code event} to the timelines and the audit log. */
  record Emit(RolloutEvent event) implements Effect {
    public Emit {
      Objects.requireNonNull(event, "event");
    }
  }
}
