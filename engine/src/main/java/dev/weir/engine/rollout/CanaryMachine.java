package dev.weir.engine.rollout;

import dev.weir.engine.analysis.AnalysisPhase;
import dev.weir.engine.rollout.CanaryState.Aborted;
import dev.weir.engine.rollout.CanaryState.Activity;
import dev.weir.engine.rollout.CanaryState.PauseReason;
import dev.weir.engine.rollout.CanaryState.Paused;
import dev.weir.engine.rollout.CanaryState.Progressing;
import dev.weir.engine.rollout.CanaryState.Promoting;
import dev.weir.engine.rollout.CanaryState.Steady;
import dev.weir.engine.rollout.CanaryState.WaitForAnalysis;
import dev.weir.engine.rollout.CanaryState.WaitForExperiment;
import dev.weir.engine.rollout.CanaryState.WaitForTime;
import dev.weir.engine.rollout.CanaryState.WaitForWeight;
import dev.weir.engine.rollout.RolloutEvent.Reason;
import dev.weir.engine.traffic.HeaderRoute;
import dev.weir.engine.traffic.MirrorRoute;
import dev.weir.engine.traffic.TrafficRoutingSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The canary strategy as a pure function: {@link #next(CanaryState, RolloutSpec, Observation,
 * Instant)} gives the next state, the effects that bring the cluster there, and when to look again.
 * No I/O, no clock, no shared state: thread-safe, and the same inputs always give the same
 * transition.
 *
 * <p>Design note. A pass first handles a person's command (or refuses it, leaving the state as it
 * was), then the level facts, in order of precedence: Git (a new template supersedes the canary;
 * the stable one cancels it), then analysis (Failed or Error aborts at once, wherever the rollout
 * is, paused or not; Inconclusive pauses and never promotes), then the current step. Instant steps
 * ({@code setCanaryScale}, {@code setHeaderRoute}, an elapsed pause, a weight the pods are already
 * ready for) are walked in the same pass, so one transition may cover several steps.
 *
 * <p>Weights and replicas ({@link #canaryReplicas}): with a router the stable Deployment keeps all
 * its replicas and the canary gets {@code ceil(replicas × weight / 100)} (at least one for a weight
 * above 0) unless {@code setCanaryScale} says otherwise; a weight goes up only once that many
 * canary pods are ready, and comes down before the canary is scaled down. Without a router (replica
 * ratio) the stable Deployment gives up as many pods as the canary gets.
 *
 * <p>Worked example, the storefront of DESIGN.md at 4 replicas: step 1 {@code setWeight 5} asks for
 * 1 canary pod and, once it is ready, writes weight 5; step 2 pauses 2m (wake-up in 2m); step 3
 * starts the analysis {@code success-rate}; when it fails, the same pass writes weight 0, scales
 * the canary to 0 and ends Aborted with "v2.4.1 rolled back: success-rate 0.91 < 0.99 at step 3".
 */
public final class CanaryMachine {
  private CanaryMachine() {}

  /**
   * The state of a rollout that has no recorded state: steady on what the stable Deployment runs (a
   * pass then starts a canary if Git wants another template).
   */
  public static CanaryState initial(Observation seen) {
    PodTemplateRef stable = seen.stable().template().orElse(seen.desired());
    Optional<String> revision =
        stable.hash().equals(seen.desired().hash())
            ? Optional.of(seen.revision())
            : Optional.empty();
    return new Steady(stable, revision, "");
  }

  /** The next transition of {@code state}; see the class comment. */
  public static Transition<CanaryState> next(
      CanaryState state, RolloutSpec spec, Observation seen, Instant now) {
    return new Pass(spec, seen, now).next(actedOn(state));
  }

  /**
   * {@code state} as the pass after it sees it. An executor takes a pass only from a state it has
   * acted on (the effects of the transition into it carried out, or its {@link #restore} after a
   * resume), so a Steady's owed flag restore is done by then and forgotten here: a later resume
   * must not revert a flag edit made since.
   */
  private static CanaryState actedOn(CanaryState state) {
    return switch (state) {
      case Steady steady when !steady.flagRestores().isEmpty() ->
          new Steady(steady.stable(), steady.stableRevision(), steady.note());
      case Progressing p when p.cursor().superseded().owed() ->
          new Progressing(paid(p.cursor()), p.activity());
      case Paused p when p.cursor().superseded().owed() ->
          new Paused(paid(p.cursor()), p.activity(), p.reason(), p.heldWeight(), p.note(), p.since());
      case Promoting p when p.cursor().superseded().owed() ->
          new Promoting(paid(p.cursor()), p.since());
      case Aborted a when a.cursor().superseded().owed() ->
          new Aborted(paid(a.cursor()), a.automatic(), a.message(), a.at());
      default -> state;
    };
  }

  private static CanaryCursor paid(CanaryCursor cursor) {
    return cursor.withSuperseded(cursor.superseded().paid());
  }

  /**
   * Whether {@code state} still owes a flag restore (a rollback's or cancellation's, or that of the
   * canary it superseded): the executor then takes a pass right after carrying it out, so that the
   * record owes it no more (see {@link #actedOn}).
   */
  public static boolean owesFlags(CanaryState state) {
    return switch (state) {
      case Steady steady -> !steady.flagRestores().isEmpty();
      case Progressing p -> p.cursor().superseded().owed();
      case Paused p -> p.cursor().superseded().owed();
      case Promoting p -> p.cursor().superseded().owed();
      case Aborted a -> a.cursor().superseded().owed();
    };
  }

  /**
   * The effects that make the cluster match {@code state} again, for an executor that resumes a
   * recorded state (after a crash, or in another console): weights, replicas, routes and the
   * analysis runs the state expects. All idempotent.
   */
  public static List<Effect> restore(CanaryState state, RolloutSpec spec, Observation seen) {
    CanaryStrategy strategy = spec.canary();
    int total = seen.replicas();
    List<Effect> effects = new ArrayList<>();
    switch (state) {
      case Steady steady -> {
        effects.add(new Effect.SetWeight(0));
        effects.add(new Effect.ScaleCanary(steady.stable(), 0));
        // a rollback or cancellation recorded, its flag restore perhaps never committed
        effects.addAll(steady.flagRestores());
      }
      case Promoting promoting -> {
        effects.add(new Effect.UpdateStable(promoting.cursor().canary(), total));
        effects.addAll(owedBySupersede(promoting.cursor()));
      }
      case Aborted aborted -> {
        if (aborted.cursor().weight() > 0) {
          // dynamicStableScale: the canary keeps its share until the stable pods are back
          effects.add(new Effect.UpdateStable(aborted.cursor().stable(), total));
          effects.add(new Effect.SetWeight(aborted.cursor().weight()));
        } else {
          effects.add(new Effect.SetWeight(0));
          effects.add(new Effect.UpdateStable(aborted.cursor().stable(), total));
        }
        // a canary kept up after the abort (abortScaleDownDelaySeconds) keeps its pods
        effects.add(
            new Effect.ScaleCanary(aborted.cursor().canary(), aborted.cursor().canaryReplicas()));
        effects.addAll(restoreFlags(spec, aborted.cursor(), "aborted"));
      }
      case Progressing progressing ->
          restoreInProgress(
              spec, strategy, progressing.cursor(), progressing.activity(), total, effects);
      case Paused paused ->
          restoreInProgress(spec, strategy, paused.cursor(), paused.activity(), total, effects);
    }
    return effects;
  }

  private static void restoreInProgress(
      RolloutSpec spec,
      CanaryStrategy strategy,
      CanaryCursor cursor,
      Activity activity,
      int total,
      List<Effect> effects) {
    effects.add(new Effect.ScaleCanary(cursor.canary(), cursor.canaryReplicas()));
    effects.add(new Effect.SetWeight(cursor.weight()));
    if (!cursor.headerRoutes().isEmpty()) {
      effects.add(new Effect.SetHeaderRoutes(cursor.headerRoutes()));
    }
    if (!cursor.mirrorRoutes().isEmpty()) {
      effects.add(new Effect.SetMirrorRoutes(cursor.mirrorRoutes()));
    }
    effects.add(new Effect.UpdateStable(cursor.stable(), stableReplicas(strategy, total, cursor)));
    if (strategy.backgroundAt(cursor.step()) && !cursor.background().phase().completed()) {
      effects.add(
          new Effect.StartAnalysis(
              cursor.backgroundRun(spec.name()), strategy.analysis().get(), cursor.background()));
    }
    if (activity instanceof WaitForAnalysis waiting
        && !waiting.counts().phase().completed()
        && strategy.steps().get(cursor.step()) instanceof CanaryStep.Analysis step) {
      effects.add(new Effect.StartAnalysis(waiting.run(), step.analysis(), waiting.counts()));
    }
    // the superseded canary's restore first, as in the superseding transition, then this one's steps
    effects.addAll(owedBySupersede(cursor));
    if (activity instanceof WaitForExperiment waiting
        && cursor.step() < strategy.steps().size()
        && strategy.steps().get(cursor.step()) instanceof CanaryStep.ArgoExperiment step) {
      // the experiment's workloads as the record has them; any other experiment's are deleted
      List<Effect.RunExperiment> workloads = experimentWorkloads(spec, cursor, step);
      effects.add(
          new Effect.EndExperiments(
              workloads.stream()
                  .map(Effect.RunExperiment::deployment)
                  .collect(java.util.stream.Collectors.toSet())));
      effects.addAll(workloads);
      Map<String, TemplateExperiment.Analysis> byName = analysesByName(step);
      waiting
          .runs()
          .forEach(
              (name, run) -> {
                if (!run.counts().phase().completed() && byName.containsKey(name)) {
                  effects.add(
                      new Effect.StartAnalysis(
                          run.run(),
                          resolvedAnalysis(spec, cursor, step, byName.get(name)),
                          run.counts()));
                }
              });
    } else if (hasExperimentStep(strategy)) {
      // a crash after the step ended, before its workloads were deleted: none is left behind
      effects.add(new Effect.EndExperiments(java.util.Set.of()));
    }
    effects.addAll(flagsSoFar(spec, cursor));
  }

  /** Whether any step is an Argo {@code experiment}. */
  static boolean hasExperimentStep(CanaryStrategy strategy) {
    return strategy.steps().stream().anyMatch(s -> s instanceof CanaryStep.ArgoExperiment);
  }

  /** The workloads of the experiment step at the cursor, each at its replicas. */
  static List<Effect.RunExperiment> experimentWorkloads(
      RolloutSpec spec, CanaryCursor cursor, CanaryStep.ArgoExperiment step) {
    List<Effect.RunExperiment> out = new ArrayList<>();
    for (TemplateExperiment.Template t : step.experiment().templates()) {
      PodTemplateRef runs =
          t.specRef() == TemplateExperiment.SpecRef.STABLE ? cursor.stable() : cursor.canary();
      out.add(
          new Effect.RunExperiment(
              TemplateExperiment.deploymentName(spec.target(), cursor.step(), t.name()),
              t,
              runs,
              TemplateExperiment.podHash(
                  spec.name(), cursor.step(), cursor.attempt(), t.name(), runs),
              t.replicas()));
    }
    return out;
  }

  private static Map<String, TemplateExperiment.Analysis> analysesByName(
      CanaryStep.ArgoExperiment step) {
    Map<String, TemplateExperiment.Analysis> out = new java.util.LinkedHashMap<>();
    step.experiment().analyses().forEach(a -> out.put(a.name(), a));
    return out;
  }

  /** {@code analysis}'s reference with the experiment's pod hashes in its arguments. */
  static AnalysisRef resolvedAnalysis(
      RolloutSpec spec,
      CanaryCursor cursor,
      CanaryStep.ArgoExperiment step,
      TemplateExperiment.Analysis analysis) {
    Map<String, String> hashes = new java.util.LinkedHashMap<>();
    for (Effect.RunExperiment w : experimentWorkloads(spec, cursor, step)) {
      hashes.put(w.template().name(), w.podHash());
    }
    return TemplateExperiment.resolve(analysis.ref(), hashes);
  }

  /** The run of the experiment analysis {@code name} at the cursor's step. */
  static String experimentRun(RolloutSpec spec, CanaryCursor cursor, String name) {
    return cursor.stepRun(spec.name(), cursor.step()) + "-" + name;
  }

  /**
   * The flag restore of the canary {@code cursor}'s superseded, while still owed: the console that
   * recorded the supersede may have died before committing it (decision 0044).
   */
  private static List<Effect.RestoreFlags> owedBySupersede(CanaryCursor cursor) {
    return cursor.superseded().owed() ? cursor.superseded().restores() : List.of();
  }

  /**
   * The flags the {@code setFlag} steps before the cursor's step have set, each as its last such
   * step set it: re-asserted when a recorded state is resumed (a crash between recording the step
   * and committing the flag), and no commit when Git already has them, so a resumed rollout never
   * sets a flag twice.
   */
  static List<Effect> flagsSoFar(RolloutSpec spec, CanaryCursor cursor) {
    List<CanaryStep> steps = spec.canary().steps();
    Map<String, Effect> last = new java.util.LinkedHashMap<>();
    for (int i = 0; i < Math.min(cursor.step(), steps.size()); i++) {
      Optional<CanaryStep.SetFlag> set = flagStep(steps.get(i));
      if (set.isPresent()) {
        last.remove(set.get().flag());
        last.put(set.get().flag(), setFlag(spec, cursor, i, set.get()));
      }
    }
    return List.copyOf(last.values());
  }

  /**
   * What a step does to a flag: a {@code setFlag} step's change, or the split of an experiment
   * whose segment is a flag's; empty for every other step.
   */
  static Optional<CanaryStep.SetFlag> flagStep(CanaryStep step) {
    return switch (step) {
      case CanaryStep.SetFlag set -> Optional.of(set);
      case CanaryStep.Experiment e when e.experiment().segment() instanceof ExperimentSegment.Flag f ->
          Optional.of(new CanaryStep.SetFlag(f.flag(), f.split()));
      default -> Optional.empty();
    };
  }

  /** The effect of the {@code setFlag} step {@code index}, its reason naming rollout and step. */
  static Effect.SetFlag setFlag(RolloutSpec spec, CanaryCursor cursor, int index, CanaryStep.SetFlag set) {
    return new Effect.SetFlag(
        set.flag(),
        set.change(),
        "rollout "
            + spec.name()
            + " step "
            + (index + 1)
            + "/"
            + spec.canary().steps().size()
            + " ("
            + set.describe()
            + "), "
            + cursor.canary().version()
            + " beside "
            + cursor.stable().version());
  }

  /**
   * Every flag a {@code setFlag} step up to the cursor's step has set, back to what Git had at the
   * revision the rollout started from ({@link CanaryCursor#canaryRevision}) — or, for a flag the
   * canary this one superseded had set, at the revision that canary put it back to (Git at this
   * canary's start still had it as the superseded one set it): one restore per revision, empty
   * when no such step was reached.
   */
  static List<Effect.RestoreFlags> restoreFlags(
      RolloutSpec spec, CanaryCursor cursor, String why) {
    Map<String, List<String>> byRevision = new java.util.LinkedHashMap<>();
    for (String flag : stepFlags(spec, cursor)) {
      String revision = cursor.superseded().revisionOf(flag).orElse(cursor.canaryRevision());
      byRevision.computeIfAbsent(revision, r -> new ArrayList<>()).add(flag);
    }
    List<Effect.RestoreFlags> restores = new ArrayList<>();
    byRevision.forEach(
        (revision, flags) ->
            restores.add(
                new Effect.RestoreFlags(
                    revision,
                    flags,
                    "rollout "
                        + spec.name()
                        + " of "
                        + cursor.canary().version()
                        + " "
                        + why
                        + ": flags back to Git's at "
                        + shortRevision(revision))));
    return List.copyOf(restores);
  }

  /** The flags the {@code setFlag} steps up to the cursor's step have set, in step order. */
  private static java.util.Set<String> stepFlags(RolloutSpec spec, CanaryCursor cursor) {
    List<CanaryStep> steps = spec.canary().steps();
    java.util.Set<String> flags = new java.util.LinkedHashSet<>();
    for (int i = 0; i <= Math.min(cursor.step(), steps.size() - 1); i++) {
      flagStep(steps.get(i)).ifPresent(set -> flags.add(set.flag()));
    }
    return flags;
  }

  private static String shortRevision(String revision) {
    return revision.substring(0, Math.min(7, revision.length()));
  }

  /**
   * Canary replicas for {@code weight} out of {@code total}: {@code setCanaryScale} replicas or
   * weight when given, else {@code ceil(total × weight / 100)}, at least 1 above weight 0, at most
   * {@code total}.
   *
   * <pre>
   * total  weight  scale        canary
   *   4      5     -            1
   *   4     25     -            1
   *   4     50     -            2
   *  10     33     -            4
   *   4      0     -            0
   *   4     50     replicas 3   3
   *   4      5     weight 50    2
   * </pre>
   */
  public static int canaryReplicas(
      int total, int weight, OptionalInt scaleReplicas, OptionalInt scaleWeight) {
    if (scaleReplicas.isPresent()) {
      return scaleReplicas.getAsInt();
    }
    int share = scaleWeight.orElse(weight);
    if (share <= 0 || total <= 0) {
      return 0;
    }
    int replicas = (int) Math.ceil(total * share / 100.0);
    return Math.min(total, Math.max(1, replicas));
  }

  /** Stable replicas: all of them with a router; the rest beside the canary without one. */
  static int stableReplicas(CanaryStrategy strategy, int total, int canary) {
    return strategy.trafficRouting() instanceof TrafficRoutingSpec.ReplicaRatio
        ? Math.max(0, total - canary)
        : total;
  }

  /** As above, and under {@code dynamicStableScale} the stable share of the cursor's weight. */
  static int stableReplicas(CanaryStrategy strategy, int total, CanaryCursor cursor) {
    return dynamic(strategy)
        ? strategy.pods().stableFor(total, cursor.weight())
        : stableReplicas(strategy, total, cursor.canaryReplicas());
  }

  /** {@code dynamicStableScale: true} with a router (Argo allows it with one only). */
  static boolean dynamic(CanaryStrategy strategy) {
    return strategy.routed() && strategy.pods().dynamicStableScale();
  }

  /** One call of {@link #next}: collects effects and events; discarded afterwards. */
  /** How a person's rollback's note begins (its status line once done). */
  private static final String ROLLED_BACK_TO = "rolled back to ";

  private static final class Pass extends MachinePass<CanaryState> {
    private final CanaryStrategy strategy;
    private final int stepCount;

    Pass(RolloutSpec spec, Observation seen, Instant now) {
      super(spec, seen, now);
      this.strategy = spec.canary();
      this.stepCount = strategy.steps().size();
    }

    private String stepName(int index) {
      return "step " + (index + 1) + "/" + stepCount;
    }

    // ---- commands ---------------------------------------------------------------------------

    @Override
    CommandDecision<CanaryState> command(CanaryState state, ManualCommand command) {
      String who = command.who();
      String why = command.why().isBlank() ? "" : ": " + command.why();
      return switch (command) {
        case ManualCommand.Promote promote ->
            switch (state) {
              case Steady steady ->
                  refuse(
                      "nothing to promote: "
                          + spec.name()
                          + " is Healthy on "
                          + steady.stable().version());
              case Aborted aborted ->
                  refuse(
                      aborted.cursor().canary().version()
                          + " was aborted; retry to start it again, or promote --full to make it"
                          + " stable anyway");
              case Promoting promoting ->
                  refuse("already promoting " + promoting.cursor().canary().version());
              case Progressing p ->
                  take(promotePast(p.cursor(), p.activity(), Optional.empty(), who, why));
              case Paused p ->
                  take(promotePast(p.cursor(), p.activity(), Optional.of(p), who, why));
            };
        case ManualCommand.PromoteFull full ->
            switch (state) {
              case Steady steady ->
                  refuse(
                      "nothing to promote: "
                          + spec.name()
                          + " is Healthy on "
                          + steady.stable().version());
              case Promoting promoting ->
                  refuse("already promoting " + promoting.cursor().canary().version());
              case Aborted aborted ->
                  seen.desired().hash().equals(aborted.cursor().canary().hash())
                      ? take(promoteFully(aborted.cursor(), Optional.empty(), who, why))
                      : refuse(
                          "Git no longer wants "
                              + aborted.cursor().canary().version()
                              + "; nothing to promote");
              case Progressing p ->
                  take(promoteFully(p.cursor(), Optional.of(p.activity()), who, why));
              case Paused p -> take(promoteFully(p.cursor(), Optional.of(p.activity()), who, why));
            };
        case ManualCommand.Pause pause ->
            switch (state) {
              case Progressing p -> {
                emit(
                    Reason.PAUSED,
                    who,
                    "paused by " + who + " at " + stepName(p.cursor().step()) + why);
                yield take(
                    new Paused(
                        p.cursor(),
                        p.activity(),
                        PauseReason.MANUAL,
                        OptionalInt.empty(),
                        "paused by " + who + why,
                        now));
              }
              case Paused p -> refuse("already paused: " + p.note());
              default -> refuse("nothing to pause: " + notRunning(state));
            };
        case ManualCommand.Resume resume ->
            switch (state) {
              case Paused p -> take(resume(p, who, why));
              case Progressing p when p.activity() instanceof WaitForTime ->
                  take(promotePast(p.cursor(), p.activity(), Optional.empty(), who, why));
              case Progressing p ->
                  refuse(
                      "not paused: "
                          + spec.name()
                          + " is progressing at "
                          + stepName(p.cursor().step()));
              case Aborted aborted ->
                  refuse(
                      aborted.cursor().canary().version()
                          + " was aborted; retry to start it again");
              default -> refuse("nothing to resume: " + notRunning(state));
            };
        case ManualCommand.Abort abort ->
            switch (state) {
              case Progressing p ->
                  take(
                      abort(
                          p.cursor(),
                          Optional.of(p.activity()),
                          false,
                          p.cursor().canary().version()
                              + " aborted by "
                              + who
                              + " at "
                              + stepName(p.cursor().step())
                              + why,
                          who));
              case Paused p ->
                  take(
                      abort(
                          p.cursor(),
                          Optional.of(p.activity()),
                          false,
                          p.cursor().canary().version()
                              + " aborted by "
                              + who
                              + " at "
                              + stepName(p.cursor().step())
                              + why,
                          who));
              case Promoting p ->
                  take(
                      abort(
                          p.cursor(),
                          Optional.empty(),
                          false,
                          p.cursor().canary().version()
                              + " aborted by "
                              + who
                              + " while promoting"
                              + why,
                          who));
              case Aborted aborted -> refuse("already aborted: " + aborted.message());
              case Steady steady -> refuse("nothing to abort: " + notRunning(state));
            };
        case ManualCommand.Retry retry ->
            switch (state) {
              case Aborted aborted -> {
                CanaryCursor old = aborted.cursor();
                if (!seen.desired().hash().equals(old.canary().hash())) {
                  yield refuse(
                      "Git now wants "
                          + seen.desired().version()
                          + ", not "
                          + old.canary().version()
                          + "; nothing to retry");
                }
                CanaryCursor cursor =
                    CanaryCursor.start(
                        old.stable(),
                        old.stableRevision(),
                        old.canary(),
                        old.canaryRevision(),
                        old.attempt() + 1,
                        now)
                        .withCanaryReplicas(old.canaryReplicas())
                        .withSuperseded(old.superseded().paid());
                yield take(
                    start(
                        cursor,
                        Reason.RETRIED,
                        who,
                        old.canary().version()
                            + " retried by "
                            + who
                            + " from step 1 (attempt "
                            + (old.attempt() + 2)
                            + ")"
                            + why));
              }
              default -> refuse("only an aborted rollout can be retried; " + notRunning(state));
            };
        case ManualCommand.Rollback rollback -> rollback(state, rollback, who, why);
        case ManualCommand.SetWeight set ->
            switch (state) {
              case Progressing p ->
                  take(
                      holdWeight(
                          p.cursor(), p.activity(), PauseReason.WEIGHT_HELD, "", set, who, why));
              case Paused p ->
                  take(
                      holdWeight(
                          p.cursor(),
                          p.activity(),
                          p.reason() == PauseReason.INCONCLUSIVE
                              ? PauseReason.INCONCLUSIVE
                              : PauseReason.WEIGHT_HELD,
                          p.reason() == PauseReason.INCONCLUSIVE ? p.note() + "; " : "",
                          set,
                          who,
                          why));
              default -> refuse("no canary to set a weight on: " + notRunning(state));
            };
      };
    }

    private String notRunning(CanaryState state) {
      return switch (state) {
        case Steady steady -> spec.name() + " is Healthy on " + steady.stable().version();
        case Aborted aborted ->
            spec.name()
                + " is "
                + (aborted.automatic() ? "Degraded" : "Aborted")
                + ": "
                + aborted.message();
        case Promoting promoting ->
            spec.name() + " is promoting " + promoting.cursor().canary().version();
        case Progressing p -> spec.name() + " is progressing at " + stepName(p.cursor().step());
        case Paused p -> spec.name() + " is paused at " + stepName(p.cursor().step());
      };
    }

    private CanaryState promotePast(
        CanaryCursor cursor, Activity activity, Optional<Paused> paused, String who, String why) {
      stopStepAnalysis(activity);
      CanaryCursor next = cursor;
      if (paused.isPresent() && paused.get().reason() == PauseReason.INCONCLUSIVE) {
        next = restartBackgroundIfInconclusive(next);
      }
      emit(Reason.STEP, who, "promoted past " + stepName(cursor.step()) + " by " + who + why);
      return walk(next, cursor.step() + 1);
    }

    private CanaryState promoteFully(
        CanaryCursor cursor, Optional<Activity> activity, String who, String why) {
      activity.ifPresent(this::stopStepAnalysis);
      emit(
          Reason.STEP,
          who,
          cursor.canary().version()
              + " fully promoted by "
              + who
              + (cursor.step() < stepCount ? ", skipping from " + stepName(cursor.step()) : "")
              + why);
      return promote(cursor);
    }

    private CanaryState resume(Paused paused, String who, String why) {
      CanaryCursor cursor = paused.cursor();
      emit(Reason.RESUMED, who, "resumed by " + who + " at " + stepName(cursor.step()) + why);
      if (paused.reason() == PauseReason.INCONCLUSIVE) {
        if (paused.activity() instanceof WaitForAnalysis waiting
            && seen.analysis(waiting.run())
                .map(s -> s.counts().phase() == AnalysisPhase.INCONCLUSIVE)
                .orElse(false)) {
          stopStepAnalysis(waiting);
          return walk(restartBackgroundIfInconclusive(cursor), cursor.step() + 1);
        }
        if (paused.activity() instanceof WaitForExperiment waiting
            && waiting.runs().values().stream()
                .anyMatch(
                    r ->
                        seen.analysis(r.run())
                            .map(s -> s.counts().phase() == AnalysisPhase.INCONCLUSIVE)
                            .orElse(false))) {
          stopStepAnalysis(waiting);
          return walk(restartBackgroundIfInconclusive(cursor), cursor.step() + 1);
        }
        return new Progressing(restartBackgroundIfInconclusive(cursor), paused.activity());
      }
      return new Progressing(cursor, paused.activity());
    }

    private CanaryCursor restartBackgroundIfInconclusive(CanaryCursor cursor) {
      if (strategy.analysis().isEmpty()) {
        return cursor;
      }
      boolean inconclusive =
          seen.analysis(cursor.backgroundRun(spec.name()))
              .map(s -> s.counts().phase() == AnalysisPhase.INCONCLUSIVE)
              .orElse(cursor.background().phase() == AnalysisPhase.INCONCLUSIVE);
      if (!inconclusive) {
        return cursor;
      }
      effects.add(new Effect.StopAnalysis(cursor.backgroundRun(spec.name())));
      CanaryCursor next =
          cursor.withBackground(cursor.backgroundGeneration() + 1, AnalysisCounts.NONE);
      effects.add(
          new Effect.StartAnalysis(next.backgroundRun(spec.name()), strategy.analysis().get()));
      return next;
    }

    private CanaryState holdWeight(
        CanaryCursor cursor,
        Activity activity,
        PauseReason reason,
        String notePrefix,
        ManualCommand.SetWeight set,
        String who,
        String why) {
      emit(
          Reason.PAUSED,
          who,
          "canary weight set to " + set.weight() + "% by " + who + ", held until resume" + why);
      Converged converged = converge(cursor, set.weight());
      return new Paused(
          converged.cursor(),
          activity,
          reason,
          OptionalInt.of(set.weight()),
          notePrefix + "weight held at " + set.weight() + "% by " + who + why,
          now);
    }

    // ---- level pass -------------------------------------------------------------------------

    CanaryState level(CanaryState state) {
      return switch (state) {
        case Steady steady -> steady(steady);
        case Progressing p -> inProgress(p.cursor(), p.activity(), Optional.empty());
        case Paused p -> inProgress(p.cursor(), p.activity(), Optional.of(p));
        case Promoting p -> promoting(p);
        case Aborted aborted -> aborted(aborted);
      };
    }

    private CanaryState steady(Steady steady) {
      if (seen.desired().hash().equals(steady.stable().hash())) {
        if (steady.stableRevision().isEmpty()) {
          return new Steady(steady.stable(), Optional.of(seen.revision()), steady.note());
        }
        return steady;
      }
      CanaryCursor cursor =
          CanaryCursor.start(
              steady.stable(), steady.stableRevision(), seen.desired(), seen.revision(), 0, now);
      return start(
          cursor,
          Reason.STARTED,
          RolloutEvent.ENGINE,
          seen.desired().version()
              + " rollout started beside "
              + steady.stable().version()
              + ": "
              + stepCount
              + (stepCount == 1 ? " step" : " steps")
              + " over "
              + strategy.trafficRouting().describe());
    }

    private CanaryState start(CanaryCursor cursor, Reason reason, String who, String message) {
      emit(reason, who, message);
      return walk(cursor, 0);
    }

    /** Starts the background analysis when the walk enters its starting step. */
    private void startBackground(CanaryCursor cursor, int index) {
      if (strategy.analysis().isEmpty() || index != strategy.analysisStartingStep()) {
        return;
      }
      AnalysisRef ref = strategy.analysis().get();
      effects.add(new Effect.StartAnalysis(cursor.backgroundRun(spec.name()), ref));
      emitAbout(
          ref,
          Reason.ANALYSIS_STARTED,
          "background analysis "
              + ref.describe()
              + " started"
              + (index == 0 ? "" : " at " + stepName(index)),
          Map.of());
    }

    private CanaryState aborted(Aborted aborted) {
      CanaryCursor cursor = aborted.cursor();
      if (cursor.weight() > 0) {
        // dynamicStableScale: the canary keeps the traffic the stable pods cannot take yet
        int ready = seen.stable().readyOn(cursor.stable());
        int weight = CanaryPods.abortWeight(total, ready, cursor.weight());
        effects.add(new Effect.UpdateStable(cursor.stable(), total));
        if (weight < cursor.weight()) {
          effects.add(new Effect.SetWeight(weight));
          emit(
              Reason.WEIGHT,
              "canary weight "
                  + cursor.weight()
                  + "% → "
                  + weight
                  + "% ("
                  + ready
                  + " of "
                  + total
                  + " stable pods ready, dynamicStableScale)");
          cursor = cursor.withWeight(weight);
          aborted = new Aborted(cursor, aborted.automatic(), aborted.message(), aborted.at());
        }
        if (weight > 0) {
          return aborted;
        }
      }
      if (seen.desired().hash().equals(cursor.canary().hash())) {
        Optional<Duration> keep = strategy.pods().abortScaleDownDelay();
        if (cursor.canaryReplicas() == 0 || keep.isEmpty()) {
          return aborted;
        }
        Instant due = aborted.at().plus(keep.get());
        if (now.isBefore(due)) {
          wakeIn(Duration.between(now, due));
          return aborted;
        }
        effects.add(new Effect.ScaleCanary(cursor.canary(), 0));
        emit(
            Reason.CANARY_SCALED,
            "canary "
                + cursor.canary().version()
                + " scaled down "
                + Durations.format(keep.get())
                + " after the abort (abortScaleDownDelaySeconds)");
        return new Aborted(
            cursor.withCanaryReplicas(0), aborted.automatic(), aborted.message(), aborted.at());
      }
      if (cursor.canaryReplicas() > 0) {
        effects.add(new Effect.ScaleCanary(cursor.canary(), 0));
      }
      if (seen.desired().hash().equals(cursor.stable().hash())) {
        if (!aborted.automatic() && aborted.message().startsWith(ROLLED_BACK_TO)) {
          // a person's rollback under dynamicStableScale, its traffic all on stable now
          return new Steady(cursor.stable(), Optional.of(seen.revision()), aborted.message());
        }
        String note =
            "Git is back on "
                + cursor.stable().version()
                + " after "
                + cursor.canary().version()
                + " was "
                + (aborted.automatic() ? "rolled back" : "aborted");
        emit(Reason.CANCELLED, note);
        return new Steady(cursor.stable(), Optional.of(seen.revision()), note);
      }
      // the abort restored its flags (and re-asserts them while Aborted): a basis, nothing owed
      CanaryCursor next =
          CanaryCursor.start(
                  cursor.stable(),
                  cursor.stableRevision(),
                  seen.desired(),
                  seen.revision(),
                  0,
                  now)
              .withSuperseded(
                  CanaryCursor.SupersededFlags.of(restoreFlags(spec, cursor, "stopped"), false));
      return start(
          next,
          Reason.SUPERSEDED,
          RolloutEvent.ENGINE,
          seen.desired().version()
              + " supersedes aborted "
              + cursor.canary().version()
              + ": starting from step 1");
    }

    private CanaryState inProgress(
        CanaryCursor cursor, Activity activity, Optional<Paused> paused) {
      // Git first: a new template supersedes the canary, the stable one cancels it.
      if (!seen.desired().hash().equals(cursor.canary().hash())) {
        List<Effect.RestoreFlags> restores = teardown(cursor, Optional.of(activity));
        if (seen.desired().hash().equals(cursor.stable().hash())) {
          String note =
              cursor.canary().version() + " cancelled: Git is back on " + cursor.stable().version();
          emit(Reason.CANCELLED, note);
          return new Steady(cursor.stable(), Optional.of(seen.revision()), note, restores);
        }
        // the new canary owes the old one's flag restore until a pass has seen it done, and
        // restores those flags to where the old one put them (decision 0044)
        CanaryCursor next =
            CanaryCursor.start(
                    cursor.stable(),
                    cursor.stableRevision(),
                    seen.desired(),
                    seen.revision(),
                    0,
                    now)
                .withSuperseded(CanaryCursor.SupersededFlags.of(restores, true));
        return start(
            next,
            Reason.SUPERSEDED,
            RolloutEvent.ENGINE,
            seen.desired().version()
                + " supersedes "
                + cursor.canary().version()
                + " at "
                + stepName(cursor.step())
                + ": starting again from step 1");
      }
      // Background analysis: Failed or Error aborts, Inconclusive pauses.
      if (strategy.analysis().isPresent()) {
        Optional<AnalysisStatus> status = seen.analysis(cursor.backgroundRun(spec.name()));
        if (status.isPresent()) {
          AnalysisStatus s = status.get();
          if (!s.counts().equals(cursor.background())) {
            cursor = cursor.withBackground(cursor.backgroundGeneration(), s.counts());
            s.measuredLine(
                    "background analysis " + strategy.analysis().get().describe())
                .ifPresent(
                    line ->
                        emitAbout(
                            strategy.analysis().get(),
                            Reason.ANALYSIS_MEASURED,
                            line,
                            s.values()));
          }
          if (s.counts().phase() == AnalysisPhase.FAILED
              || s.counts().phase() == AnalysisPhase.ERROR) {
            return abort(
                cursor,
                Optional.of(activity),
                true,
                cursor.canary().version()
                    + " rolled back: "
                    + summary(s, strategy.analysis().get())
                    + " (background analysis) at step "
                    + (cursor.step() + 1),
                RolloutEvent.ENGINE,
                s.values());
          }
          if (s.counts().phase() == AnalysisPhase.INCONCLUSIVE
              && paused.map(p -> p.reason() != PauseReason.INCONCLUSIVE).orElse(true)) {
            String note =
                "background analysis "
                    + strategy.analysis().get().describe()
                    + " inconclusive: "
                    + summary(s, strategy.analysis().get())
                    + "; promote or resume to go on, abort to roll back";
            emitAbout(strategy.analysis().get(), Reason.ANALYSIS_INCONCLUSIVE, note, s.values());
            return new Paused(
                cursor,
                activity,
                PauseReason.INCONCLUSIVE,
                paused.map(Paused::heldWeight).orElse(OptionalInt.empty()),
                note,
                now);
          }
        }
      }
      // The step's analysis, likewise.
      if (activity instanceof WaitForAnalysis waiting) {
        Optional<AnalysisStatus> status = seen.analysis(waiting.run());
        if (status.isPresent()) {
          AnalysisStatus s = status.get();
          AnalysisRef ref = ((CanaryStep.Analysis) strategy.steps().get(cursor.step())).analysis();
          if (!s.counts().equals(waiting.counts())) {
            activity = new WaitForAnalysis(waiting.run(), s.counts());
            s.measuredLine(
                    stepName(cursor.step()) + " analysis " + ref.describe())
                .ifPresent(line -> emitAbout(ref, Reason.ANALYSIS_MEASURED, line, s.values()));
          }
          if (s.counts().phase() == AnalysisPhase.FAILED
              || s.counts().phase() == AnalysisPhase.ERROR) {
            return abort(
                cursor,
                Optional.of(activity),
                true,
                cursor.canary().version()
                    + " rolled back: "
                    + summary(s, ref)
                    + " at step "
                    + (cursor.step() + 1),
                RolloutEvent.ENGINE,
                s.values());
          }
          if (s.counts().phase() == AnalysisPhase.INCONCLUSIVE
              && paused.map(p -> p.reason() != PauseReason.INCONCLUSIVE).orElse(true)) {
            String note =
                "analysis "
                    + ref.describe()
                    + " inconclusive at "
                    + stepName(cursor.step())
                    + ": "
                    + summary(s, ref)
                    + "; promote or resume to go on, abort to roll back";
            emitAbout(ref, Reason.ANALYSIS_INCONCLUSIVE, note, s.values());
            return new Paused(
                cursor,
                activity,
                PauseReason.INCONCLUSIVE,
                paused.map(Paused::heldWeight).orElse(OptionalInt.empty()),
                note,
                now);
          }
        }
      }
      // The experiment's analyses, likewise: a failed one fails the experiment, and the rollout.
      if (activity instanceof WaitForExperiment waiting && !waiting.runs().isEmpty()) {
        Map<String, WaitForExperiment.ExperimentRun> runs = new java.util.LinkedHashMap<>();
        Optional<CanaryState> ended = Optional.empty();
        for (var entry : waiting.runs().entrySet()) {
          WaitForExperiment.ExperimentRun run = entry.getValue();
          Optional<AnalysisStatus> status = seen.analysis(run.run());
          if (status.isPresent() && !status.get().counts().equals(run.counts())) {
            AnalysisStatus s = status.get();
            run = new WaitForExperiment.ExperimentRun(run.run(), s.counts());
            s.measuredLine(stepName(cursor.step()) + " experiment analysis " + entry.getKey())
                .ifPresent(line -> emit(Reason.ANALYSIS_MEASURED, line, s.values()));
          }
          runs.put(entry.getKey(), run);
        }
        activity = new WaitForExperiment(waiting.running(), runs);
        for (var entry : runs.entrySet()) {
          Optional<AnalysisStatus> status = seen.analysis(entry.getValue().run());
          if (status.isEmpty()) {
            continue;
          }
          AnalysisStatus s = status.get();
          AnalysisRef ref =
              experimentStep(cursor).analyses().stream()
                  .filter(a -> a.name().equals(entry.getKey()))
                  .findFirst()
                  .map(TemplateExperiment.Analysis::ref)
                  .orElse(AnalysisRef.of(entry.getKey()));
          if (s.counts().phase() == AnalysisPhase.FAILED
              || s.counts().phase() == AnalysisPhase.ERROR) {
            return abort(
                cursor,
                Optional.of(activity),
                true,
                cursor.canary().version()
                    + " rolled back: experiment analysis "
                    + entry.getKey()
                    + ": "
                    + summary(s, ref)
                    + " at step "
                    + (cursor.step() + 1),
                RolloutEvent.ENGINE,
                s.values());
          }
          if (s.counts().phase() == AnalysisPhase.INCONCLUSIVE
              && paused.map(p -> p.reason() != PauseReason.INCONCLUSIVE).orElse(true)) {
            String note =
                "experiment analysis "
                    + entry.getKey()
                    + " inconclusive at "
                    + stepName(cursor.step())
                    + ": "
                    + summary(s, ref)
                    + "; promote or resume to go on, abort to roll back";
            emit(Reason.ANALYSIS_INCONCLUSIVE, note, s.values());
            return new Paused(
                cursor,
                activity,
                PauseReason.INCONCLUSIVE,
                paused.map(Paused::heldWeight).orElse(OptionalInt.empty()),
                note,
                now);
          }
        }
      }
      if (paused.isPresent()) {
        Paused p = paused.get();
        if (p.heldWeight().isPresent()) {
          cursor = converge(cursor, p.heldWeight().getAsInt()).cursor();
        }
        if (activity instanceof WaitForExperiment waiting && waiting.running().isEmpty()) {
          // the experiment goes on underneath, as Argo's Experiment object does: it starts its
          // analyses once its pods are ready; only the end of the step waits for the resume
          activity = started(cursor, waiting);
        }
        return new Paused(cursor, activity, p.reason(), p.heldWeight(), p.note(), p.since());
      }
      // The step itself.
      Converged converged = converge(cursor, cursor.stepWeight());
      cursor = converged.cursor();
      if (!converged.reached()) {
        if (spec.progressDeadlineAbort() && seen.secondary().stalled()) {
          return abort(
              cursor,
              Optional.of(activity),
              true,
              cursor.canary().version()
                  + " rolled back: its pods did not become ready before the progress deadline"
                  + " (progressDeadlineAbort) at "
                  + stepName(cursor.step()),
              RolloutEvent.ENGINE);
        }
        return new Progressing(cursor, activity);
      }
      if (activity instanceof WaitForExperiment waiting && waiting.running().isEmpty()) {
        // as Argo's Experiment: a workload whose pods do not become available within its
        // Deployment's progress deadline fails the experiment, and so the rollout
        CanaryStep.ArgoExperiment step =
            (CanaryStep.ArgoExperiment) strategy.steps().get(cursor.step());
        for (Effect.RunExperiment w : experimentWorkloads(spec, cursor, step)) {
          if (seen.experiment(w.deployment()).stalled()) {
            return abort(
                cursor,
                Optional.of(activity),
                true,
                cursor.canary().version()
                    + " rolled back: experiment workload "
                    + w.deployment()
                    + " did not become ready before its progress deadline at step "
                    + (cursor.step() + 1),
                RolloutEvent.ENGINE);
          }
        }
      }
      if (activity instanceof WaitForExperiment waiting) {
        Optional<WaitForExperiment> still = experiment(cursor, waiting);
        return still.isPresent()
            ? new Progressing(cursor, still.get())
            : walk(cursor, cursor.step() + 1);
      }
      boolean done =
          switch (activity) {
            case WaitForWeight w -> true;
            case WaitForExperiment x -> false;
            case WaitForTime t -> {
              if (t.until().isEmpty()) {
                yield false;
              }
              if (now.isBefore(t.until().get())) {
                wakeIn(Duration.between(now, t.until().get()));
                yield false;
              }
              yield true;
            }
            case WaitForAnalysis a -> {
              if (a.counts().phase() == AnalysisPhase.SUCCESSFUL) {
                AnalysisRef ref =
                    ((CanaryStep.Analysis) strategy.steps().get(cursor.step())).analysis();
                emitAbout(
                    ref,
                    Reason.ANALYSIS_SUCCESSFUL,
                    stepName(cursor.step())
                        + " analysis "
                        + ref.describe()
                        + " Successful: "
                        + a.counts().describe(),
                    Map.of());
                effects.add(new Effect.StopAnalysis(a.run()));
                yield true;
              }
              yield false;
            }
          };
      return done ? walk(cursor, cursor.step() + 1) : new Progressing(cursor, activity);
    }

    /** Enters step {@code index} and every step after it that completes at once. */
    private CanaryState walk(CanaryCursor cursor, int index) {
      while (true) {
        cursor = cursor.withStep(index);
        if (index >= stepCount) {
          return promote(cursor);
        }
        startBackground(cursor, index);
        CanaryStep step = strategy.steps().get(index);
        switch (step) {
          case CanaryStep.SetWeight set -> {
            cursor = cursor.withStepWeight(set.weight());
            Converged converged = converge(cursor, set.weight());
            cursor = converged.cursor();
            if (!converged.reached()) {
              return new Progressing(cursor, new WaitForWeight());
            }
          }
          case CanaryStep.Pause pause -> {
            if (pause.duration().isEmpty()) {
              emit(
                  Reason.STEP,
                  stepName(index) + ": paused until promoted, canary at " + cursor.weight() + "%");
              return new Progressing(cursor, new WaitForTime(Optional.empty()));
            }
            Duration duration = pause.duration().get();
            if (!duration.isZero()) {
              emit(
                  Reason.STEP,
                  stepName(index)
                      + ": pause "
                      + Durations.format(duration)
                      + ", canary at "
                      + cursor.weight()
                      + "%");
              wakeIn(duration);
              return new Progressing(cursor, new WaitForTime(Optional.of(now.plus(duration))));
            }
          }
          case CanaryStep.Analysis analysis -> {
            String run = cursor.stepRun(spec.name(), index);
            effects.add(new Effect.StartAnalysis(run, analysis.analysis()));
            emitAbout(
                analysis.analysis(),
                Reason.ANALYSIS_STARTED,
                stepName(index)
                    + ": analysis "
                    + analysis.analysis().describe()
                    + " started, canary at "
                    + cursor.weight()
                    + "%",
                Map.of());
            return new Progressing(cursor, new WaitForAnalysis(run, AnalysisCounts.NONE));
          }
          case CanaryStep.SetCanaryScale scale -> {
            cursor = cursor.withScale(scale.replicas(), scale.weight());
            int replicas =
                sized(
                    canaryReplicas(
                        total, cursor.stepWeight(), cursor.scaleReplicas(), cursor.scaleWeight()));
            emit(
                Reason.CANARY_SCALED,
                stepName(index)
                    + ": "
                    + scale.describe()
                    + " → "
                    + replicas
                    + (replicas == 1 ? " canary pod" : " canary pods"));
            cursor = scaleTo(cursor, replicas);
          }
          case CanaryStep.Experiment experiment -> {
            if (experiment.route().isPresent()) {
              HeaderRoute route = experiment.route().get();
              List<HeaderRoute> routes = new ArrayList<>();
              for (HeaderRoute existing : cursor.headerRoutes()) {
                if (!existing.name().equals(route.name())) {
                  routes.add(existing);
                }
              }
              routes.add(route);
              effects.add(new Effect.SetHeaderRoutes(routes));
              cursor = cursor.withHeaderRoutes(routes);
            } else {
              CanaryStep.SetFlag set = flagStep(experiment).orElseThrow();
              effects.add(setFlag(spec, cursor, index, set));
            }
            emit(
                Reason.HEADER_ROUTE,
                stepName(index)
                    + ": experiment "
                    + experiment.experiment().name()
                    + " started: "
                    + switch (experiment.experiment().segment()) {
                      case ExperimentSegment.Route r ->
                          r.describe()
                              + " → "
                              + cursor.canary().version()
                              + " (B), the rest on "
                              + cursor.stable().version()
                              + " (A)";
                      case ExperimentSegment.Flag f ->
                          "flag "
                              + f.flag()
                              + " → "
                              + f.b()
                              + " (B) for "
                              + f.percent()
                              + "% of the users, "
                              + f.a()
                              + " (A) for the rest (a commit)";
                    }
                    + "; waits for weir experiment conclude");
            return new Progressing(cursor, new WaitForTime(Optional.empty()));
          }
          case CanaryStep.ArgoExperiment experiment -> {
            List<Effect.RunExperiment> workloads = experimentWorkloads(spec, cursor, experiment);
            effects.addAll(workloads);
            emit(
                Reason.STEP,
                stepName(index)
                    + ": experiment "
                    + experiment.experiment().describe()
                    + " started ("
                    + String.join(
                        ", ",
                        workloads.stream()
                            .map(
                                w ->
                                    w.deployment()
                                        + " "
                                        + w.runs().version()
                                        + " × "
                                        + w.replicas())
                            .toList())
                    + "), canary at "
                    + cursor.weight()
                    + "%");
            WaitForExperiment waiting = new WaitForExperiment(Optional.empty(), Map.of());
            Optional<WaitForExperiment> still = experiment(cursor, waiting);
            if (still.isPresent()) {
              return new Progressing(cursor, still.get());
            }
          }
          case CanaryStep.SetFlag set -> {
            effects.add(setFlag(spec, cursor, index, set));
            emit(
                Reason.STEP,
                stepName(index)
                    + ": flag "
                    + set.flag()
                    + " → "
                    + set.change().describe()
                    + " (a commit), canary at "
                    + cursor.weight()
                    + "%");
          }
          case CanaryStep.SetHeaderRoute header -> {
            List<HeaderRoute> routes = new ArrayList<>();
            for (HeaderRoute route : cursor.headerRoutes()) {
              if (!route.name().equals(header.route().name())) {
                routes.add(route);
              }
            }
            routes.add(header.route());
            effects.add(new Effect.SetHeaderRoutes(routes));
            emit(
                Reason.HEADER_ROUTE,
                stepName(index)
                    + ": requests matching "
                    + header.route().name()
                    + " go to the canary");
            cursor = cursor.withHeaderRoutes(routes);
          }
          case CanaryStep.SetMirrorRoute mirror -> {
            List<MirrorRoute> routes = new ArrayList<>();
            for (MirrorRoute route : cursor.mirrorRoutes()) {
              if (!route.name().equals(mirror.name())) {
                routes.add(route);
              }
            }
            mirror.route().ifPresent(routes::add);
            if (!routes.equals(cursor.mirrorRoutes())) {
              effects.add(new Effect.SetMirrorRoutes(routes));
            }
            emit(
                Reason.HEADER_ROUTE,
                stepName(index)
                    + mirror
                        .route()
                        .map(
                            r ->
                                ": "
                                    + r.percentage()
                                    + "% of requests matching "
                                    + r.name()
                                    + " mirrored to the canary")
                        .orElse(": mirror route " + mirror.name() + " removed"));
            cursor = cursor.withMirrorRoutes(routes);
          }
        }
        index++;
      }
    }

    private record Converged(CanaryCursor cursor, boolean reached) {}

    /**
     * Moves the canary towards {@code weight}: up only once enough canary pods are ready; down at
     * once, before the canary shrinks.
     */
    private Converged converge(CanaryCursor cursor, int weight) {
      int replicas =
          sized(canaryReplicas(total, weight, cursor.scaleReplicas(), cursor.scaleWeight()));
      if (!strategy.routed() && strategy.pods().surge().isPresent()) {
        return surge(cursor, weight, replicas, strategy.pods().surge().get());
      }
      if (weight <= cursor.weight()) {
        if (weight != cursor.weight() && dynamic(strategy)) {
          // dynamicStableScale: the stable pods come back before the traffic does
          int stableWanted = strategy.pods().stableFor(total, weight);
          int stableReady = seen.stable().readyOn(cursor.stable());
          if (stableReady < stableWanted) {
            if (seen.stable().replicas() < stableWanted) {
              effects.add(new Effect.UpdateStable(cursor.stable(), stableWanted));
              emit(
                  Reason.CANARY_SCALED,
                  "stable "
                      + seen.stable().replicas()
                      + " → "
                      + stableWanted
                      + " pods before the canary weight goes down to "
                      + weight
                      + "% (dynamicStableScale)");
            }
            return new Converged(cursor, false);
          }
        }
        if (weight != cursor.weight()) {
          effects.add(new Effect.SetWeight(weight));
          emit(Reason.WEIGHT, "canary weight " + cursor.weight() + "% → " + weight + "%");
          cursor = cursor.withWeight(weight);
        }
        return new Converged(scaleTo(cursor, replicas), true);
      }
      boolean grew = replicas > cursor.canaryReplicas();
      if (grew) {
        effects.add(new Effect.ScaleCanary(cursor.canary(), replicas));
        cursor = cursor.withCanaryReplicas(replicas);
      }
      int ready = seen.secondary().readyOn(cursor.canary());
      if (grew || ready < Math.min(replicas, cursor.canaryReplicas())) {
        return new Converged(cursor, false);
      }
      effects.add(new Effect.SetWeight(weight));
      if (strategy.trafficRouting() instanceof TrafficRoutingSpec.ReplicaRatio) {
        effects.add(
            new Effect.UpdateStable(
                cursor.stable(), stableReplicas(strategy, total, cursor.canaryReplicas())));
      } else if (dynamic(strategy)) {
        // dynamicStableScale: once the traffic has left them, the stable pods it no longer needs go
        effects.add(
            new Effect.UpdateStable(cursor.stable(), strategy.pods().stableFor(total, weight)));
      }
      emit(
          Reason.WEIGHT,
          "canary weight "
              + cursor.weight()
              + "% → "
              + weight
              + "% ("
              + ready
              + " of "
              + cursor.canaryReplicas()
              + " canary pods ready)");
      cursor = cursor.withWeight(weight);
      return new Converged(scaleTo(cursor, replicas), true);
    }

    /** At least {@code minPodsPerReplicaSet} canary pods for any above 0 (with a router). */
    private int sized(int replicas) {
      return replicas > 0 && strategy.routed()
          ? Math.max(replicas, strategy.pods().minPodsPerReplicaSet())
          : replicas;
    }

    /**
     * Without a router, with {@code maxSurge}/{@code maxUnavailable}: moves pods from one side to
     * the other as far as the two allow now, as Argo's basic canary does — never more than {@code
     * replicas + maxSurge} pods in all, never fewer than {@code replicas - maxUnavailable} ready —
     * and again at each pass as pods become ready, until the canary has {@code target} ready pods
     * and the stable Deployment the rest.
     *
     * <pre>
     * replicas 4, maxSurge 1, maxUnavailable 0, setWeight 50 (canary 0 → 2, stable 4 → 2):
     *   pass 1  canary 1          (5 pods in all)
     *   pass 2  canary ready 1 →  stable 3
     *   pass 3                    canary 2
     *   pass 4  canary ready 2 →  stable 2, weight 50
     * </pre>
     */
    private Converged surge(CanaryCursor cursor, int weight, int target, CanaryPods.Surge surge) {
      int stableTarget = Math.max(0, total - target);
      int canaryNow = cursor.canaryReplicas();
      int stableNow = seen.stable().template().isPresent() ? seen.stable().replicas() : total;
      int readyCanary = seen.secondary().readyOn(cursor.canary());
      int readyStable = seen.stable().readyOn(cursor.stable());
      int ceiling = total + surge.surge(total);
      int spare = Math.max(0, readyCanary + readyStable - (total - surge.unavailable(total)));
      int canaryNext = canaryNow;
      int stableNext = stableNow;
      if (canaryNow < target) {
        canaryNext = Math.min(target, Math.max(canaryNow, ceiling - stableNow));
      } else if (canaryNow > target) {
        canaryNext = Math.max(target, canaryNow - spare);
      }
      if (stableNow > stableTarget) {
        stableNext = Math.max(stableTarget, stableNow - spare);
      } else if (stableNow < stableTarget) {
        stableNext = Math.min(stableTarget, Math.max(stableNow, ceiling - canaryNext));
      }
      if (canaryNext != canaryNow) {
        effects.add(new Effect.ScaleCanary(cursor.canary(), canaryNext));
        cursor = cursor.withCanaryReplicas(canaryNext);
      }
      if (stableNext != stableNow) {
        effects.add(new Effect.UpdateStable(cursor.stable(), stableNext));
      }
      if (canaryNext != canaryNow || stableNext != stableNow) {
        emit(
            Reason.CANARY_SCALED,
            "canary "
                + canaryNow
                + " → "
                + canaryNext
                + ", stable "
                + stableNow
                + " → "
                + stableNext
                + " pods (maxSurge "
                + surge.maxSurge()
                + ", maxUnavailable "
                + surge.maxUnavailable()
                + ")");
      }
      boolean reached =
          canaryNext == target
              && stableNext == stableTarget
              && readyCanary >= target
              && readyStable >= stableTarget;
      if (!reached) {
        return new Converged(cursor, false);
      }
      if (weight != cursor.weight()) {
        effects.add(new Effect.SetWeight(weight));
        emit(
            Reason.WEIGHT,
            "canary weight "
                + cursor.weight()
                + "% → "
                + weight
                + "% ("
                + readyCanary
                + " of "
                + target
                + " canary pods ready)");
        cursor = cursor.withWeight(weight);
      }
      return new Converged(cursor, true);
    }

    /** Sizes the canary (and, without a router, the stable Deployment beside it). */
    private CanaryCursor scaleTo(CanaryCursor cursor, int replicas) {
      if (replicas == cursor.canaryReplicas()) {
        return cursor;
      }
      boolean ratio = strategy.trafficRouting() instanceof TrafficRoutingSpec.ReplicaRatio;
      if (ratio && replicas < cursor.canaryReplicas()) {
        effects.add(
            new Effect.UpdateStable(cursor.stable(), stableReplicas(strategy, total, replicas)));
      }
      effects.add(new Effect.ScaleCanary(cursor.canary(), replicas));
      if (ratio && replicas > cursor.canaryReplicas()) {
        effects.add(
            new Effect.UpdateStable(cursor.stable(), stableReplicas(strategy, total, replicas)));
      }
      return cursor.withCanaryReplicas(replicas);
    }

    private CanaryState promote(CanaryCursor cursor) {
      strategy
          .analysis()
          .ifPresent(
              ref -> effects.add(new Effect.StopAnalysis(cursor.backgroundRun(spec.name()))));
      effects.add(new Effect.UpdateStable(cursor.canary(), total));
      emit(
          Reason.PROMOTING,
          cursor.canary().version()
              + " promoting: the stable Deployment takes the new template;"
              + " the canary keeps "
              + cursor.weight()
              + "% until it is ready");
      return promoting(new Promoting(cursor.withStep(Math.min(cursor.step(), stepCount)), now));
    }

    private CanaryState promoting(Promoting promoting) {
      CanaryCursor cursor = promoting.cursor();
      if (!seen.stable().runs(cursor.canary()) || seen.stable().readyOn(cursor.canary()) < total) {
        return promoting;
      }
      Duration delay = strategy.pods().scaleDownDelay();
      if (cursor.weight() != 0
          || !cursor.headerRoutes().isEmpty()
          || !cursor.mirrorRoutes().isEmpty()) {
        if (cursor.weight() != 0) {
          effects.add(new Effect.SetWeight(0));
        }
        clearRoutes(cursor);
        if (!delay.isZero() && cursor.canaryReplicas() > 0) {
          // scaleDownDelaySeconds: the canary's pods drain what proxies still send them
          emit(
              Reason.WEIGHT,
              "traffic back on stable, now "
                  + cursor.canary().version()
                  + "; the canary's pods are scaled down in "
                  + Durations.format(delay)
                  + " (scaleDownDelaySeconds)");
          wakeIn(delay);
          return new Promoting(cursor.withWeight(0).withoutRoutes(), now);
        }
      } else if (!delay.isZero()
          && cursor.canaryReplicas() > 0
          && now.isBefore(promoting.since().plus(delay))) {
        wakeIn(Duration.between(now, promoting.since().plus(delay)));
        return promoting;
      }
      effects.add(new Effect.ScaleCanary(cursor.canary(), 0));
      String note = cursor.canary().version() + " promoted: 100% on stable";
      emit(Reason.PROMOTED, note);
      return new Steady(
          cursor.canary(), Optional.of(cursor.canaryRevision()), note, owedBySupersede(cursor));
    }

    /**
     * Git's (restored) template on stable at once: a running canary torn down, traffic to stable,
     * no step or analysis in between.
     */
    private CommandDecision<CanaryState> rollback(
        CanaryState state, ManualCommand.Rollback command, String who, String why) {
      PodTemplateRef target = seen.desired();
      String to = command.revision().orElse(seen.revision());
      Optional<CanaryCursor> running =
          switch (state) {
            case Steady steady -> Optional.empty();
            case Progressing p -> Optional.of(p.cursor());
            case Paused p -> Optional.of(p.cursor());
            case Promoting p -> Optional.of(p.cursor());
            case Aborted a -> Optional.of(a.cursor());
          };
      PodTemplateRef stable =
          running.map(CanaryCursor::stable).orElseGet(() -> ((Steady) state).stable());
      if (running.isEmpty() && stable.hash().equals(target.hash())) {
        return refuse("nothing to roll back: " + spec.name() + " runs " + target.version());
      }
      if (running.isPresent()
          && !(state instanceof Promoting)
          && dynamic(strategy)
          && target.hash().equals(stable.hash())) {
        // dynamicStableScale: the stable pods come back before the traffic does, as on an abort
        CanaryCursor cursor = running.get();
        int weight =
            CanaryPods.abortWeight(total, seen.stable().readyOn(cursor.stable()), cursor.weight());
        if (weight > 0) {
          return take(gradualRollback(state, cursor, weight, to, who, why));
        }
      }
      running.ifPresent(
          cursor -> {
            effects.add(new Effect.SetWeight(0));
            clearRoutes(cursor);
            effects.add(new Effect.ScaleCanary(cursor.canary(), 0));
            switch (state) {
              case Progressing p -> stopStepAnalysis(p.activity());
              case Paused p -> stopStepAnalysis(p.activity());
              default -> {}
            }
            strategy
                .analysis()
                .ifPresent(
                    ref ->
                        effects.add(new Effect.StopAnalysis(cursor.backgroundRun(spec.name()))));
          });
      effects.add(new Effect.UpdateStable(target, total));
      // the flags as the revision rolled back to has them (its restore commit already put the
      // application's path so; this re-asserts it for the flags the canary touched, crash-safe),
      // not as at the canary's start: a rollback may go further back than that (decision 0044)
      List<Effect.RestoreFlags> flags =
          running
              .map(cursor -> rolledBackFlags(cursor, to, who))
              .orElse(List.of());
      effects.addAll(flags);
      String note =
          "rolled back to "
              + target.version()
              + (target.hash().equals(stable.hash()) ? "" : " (was " + stable.version() + ")")
              + " by "
              + who
              + why;
      emit(Reason.ROLLED_BACK, who, note);
      return take(new Steady(target, Optional.of(seen.revision()), note, flags));
    }

    /**
     * A person's rollback to the stable version under {@code dynamicStableScale} while the stable
     * Deployment has too few available pods for all the traffic (Argo's {@code
     * calculateDesiredWeightOnAbortOrStableRollback}, decision 0048): the stable Deployment is asked
     * for all its pods, the canary keeps {@code weight} percent and its pods, routes, analyses and
     * flags go as on an instant rollback, and the rollout waits as an abort does ({@link #aborted})
     * until the traffic is all on the stable pods; it then ends in the rollback's note.
     */
    private CanaryState gradualRollback(
        CanaryState state, CanaryCursor cursor, int weight, String to, String who, String why) {
      effects.add(new Effect.UpdateStable(cursor.stable(), total));
      if (weight != cursor.weight()) {
        effects.add(new Effect.SetWeight(weight));
      }
      clearRoutes(cursor);
      switch (state) {
        case Progressing p -> stopStepAnalysis(p.activity());
        case Paused p -> stopStepAnalysis(p.activity());
        default -> {}
      }
      strategy
          .analysis()
          .ifPresent(
              ref -> effects.add(new Effect.StopAnalysis(cursor.backgroundRun(spec.name()))));
      effects.addAll(rolledBackFlags(cursor, to, who));
      String note =
          ROLLED_BACK_TO
              + cursor.stable().version()
              + " (was "
              + cursor.canary().version()
              + ") by "
              + who
              + why;
      emit(Reason.ROLLED_BACK, who, note);
      emit(
          Reason.WEIGHT,
          "stable scaled back to "
              + total
              + " pods first (dynamicStableScale): the canary keeps "
              + weight
              + "% until they are ready");
      return new Aborted(cursor.withWeight(weight).withoutRoutes(), false, note, now);
    }

    /**
     * The flags the canary's steps (and a canary it superseded) touched, as at {@code revision}:
     * one restore, empty when it touched none.
     */
    private List<Effect.RestoreFlags> rolledBackFlags(
        CanaryCursor cursor, String revision, String who) {
      java.util.Set<String> flags = new java.util.LinkedHashSet<>(stepFlags(spec, cursor));
      flags.addAll(cursor.superseded().flags());
      if (flags.isEmpty()) {
        return List.of();
      }
      return List.of(
          new Effect.RestoreFlags(
              revision,
              List.copyOf(flags),
              "rollout "
                  + spec.name()
                  + " of "
                  + cursor.canary().version()
                  + " rolled back by "
                  + who
                  + ": flags as at "
                  + shortRevision(revision)
                  + ", the revision rolled back to"));
    }

    private CanaryState abort(
        CanaryCursor cursor,
        Optional<Activity> activity,
        boolean automatic,
        String message,
        String who) {
      return abort(cursor, activity, automatic, message, who, Map.of());
    }

    private CanaryState abort(
        CanaryCursor cursor,
        Optional<Activity> activity,
        boolean automatic,
        String message,
        String who,
        Map<String, String> metrics) {
      Optional<Duration> keep = strategy.pods().abortScaleDownDelay();
      // dynamicStableScale: the traffic goes back as fast as the stable pods are available again
      int weight =
          dynamic(strategy)
              ? CanaryPods.abortWeight(
                  total, seen.stable().readyOn(cursor.stable()), cursor.weight())
              : 0;
      boolean delayed =
          weight > 0
              || keep.map(d -> !d.isZero()).orElse(true) && cursor.canaryReplicas() > 0;
      teardown(cursor, activity, !delayed, weight);
      emit(automatic ? Reason.ROLLED_BACK : Reason.ABORTED, who, message, metrics);
      if (weight > 0) {
        emit(
            Reason.WEIGHT,
            "stable scaled back to "
                + total
                + " pods first (dynamicStableScale): the canary keeps "
                + weight
                + "% until they are ready");
      }
      CanaryCursor after =
          cursor
              .withWeight(weight)
              .withCanaryReplicas(delayed ? cursor.canaryReplicas() : 0)
              .withoutRoutes();
      if (delayed) {
        keep.ifPresent(this::wakeIn);
      }
      return new Aborted(after, automatic, message, now);
    }

    /**
     * The A/B and mirror routes in force removed (Argo's {@code RemoveManagedRoutes} at the end of
     * an update or an abort).
     */
    private void clearRoutes(CanaryCursor cursor) {
      if (!cursor.headerRoutes().isEmpty()) {
        effects.add(new Effect.SetHeaderRoutes(List.of()));
      }
      if (!cursor.mirrorRoutes().isEmpty()) {
        effects.add(new Effect.SetMirrorRoutes(List.of()));
      }
    }

    /**
     * All traffic to stable at once, then the canary down, analysis stopped, the flags the steps
     * set put back: returns those flag restores.
     */
    private List<Effect.RestoreFlags> teardown(CanaryCursor cursor, Optional<Activity> activity) {
      return teardown(cursor, activity, true);
    }

    /** As above; the canary keeps its pods unless {@code scaleDown}. */
    private List<Effect.RestoreFlags> teardown(
        CanaryCursor cursor, Optional<Activity> activity, boolean scaleDown) {
      return teardown(cursor, activity, scaleDown, 0);
    }

    /**
     * As above, the canary keeping {@code weight} percent: above 0 only under {@code
     * dynamicStableScale}, where the stable Deployment is scaled up first and the traffic follows
     * its pods as they become available ({@link #aborted}).
     */
    private List<Effect.RestoreFlags> teardown(
        CanaryCursor cursor, Optional<Activity> activity, boolean scaleDown, int weight) {
      if (weight > 0) {
        effects.add(new Effect.UpdateStable(cursor.stable(), total));
        if (weight != cursor.weight()) {
          effects.add(new Effect.SetWeight(weight));
        }
        clearRoutes(cursor);
      } else {
        effects.add(new Effect.SetWeight(0));
        clearRoutes(cursor);
        effects.add(new Effect.UpdateStable(cursor.stable(), total));
      }
      if (scaleDown) {
        effects.add(new Effect.ScaleCanary(cursor.canary(), 0));
      }
      activity.ifPresent(this::stopStepAnalysis);
      strategy
          .analysis()
          .ifPresent(
              ref -> effects.add(new Effect.StopAnalysis(cursor.backgroundRun(spec.name()))));
      // after the traffic: the flags the steps set, back as Git had them, in the same action
      List<Effect.RestoreFlags> restores = restoreFlags(spec, cursor, "stopped");
      effects.addAll(restores);
      return restores;
    }

    private void stopStepAnalysis(Activity activity) {
      if (activity instanceof WaitForAnalysis waiting) {
        effects.add(new Effect.StopAnalysis(waiting.run()));
      }
      if (activity instanceof WaitForExperiment waiting) {
        // the experiment ends with the step, however it ends: its runs stop, its workloads go
        waiting.runs().values().forEach(r -> effects.add(new Effect.StopAnalysis(r.run())));
        effects.add(new Effect.EndExperiments(java.util.Set.of()));
      }
    }

    private TemplateExperiment experimentStep(CanaryCursor cursor) {
      return ((CanaryStep.ArgoExperiment) strategy.steps().get(cursor.step())).experiment();
    }

    /**
     * Moves the experiment step at the cursor on: once every template's pods are ready its
     * analyses start (Argo's Pending → Running) and its duration begins; it ends when the duration
     * has passed and the analyses marked {@code requiredForCompletion} are Successful (its runs
     * then stopped and its workloads deleted). Empty when it ended; else what it waits for.
     */
    private Optional<WaitForExperiment> experiment(CanaryCursor cursor, WaitForExperiment waiting) {
      CanaryStep.ArgoExperiment step =
          (CanaryStep.ArgoExperiment) strategy.steps().get(cursor.step());
      TemplateExperiment experiment = step.experiment();
      if (waiting.running().isEmpty()) {
        waiting = started(cursor, waiting);
        if (waiting.running().isEmpty()
            || experiment.duration().map(d -> !d.isZero()).orElse(false)
            || !experiment.ends()) {
          return Optional.of(waiting);
        }
      }
      if (!experiment.ends()) {
        return Optional.of(waiting); // as Argo: it runs until terminated; here, until promoted
      }
      Instant start = waiting.running().get();
      if (experiment.duration().isPresent()
          && now.isBefore(start.plus(experiment.duration().get()))) {
        wakeIn(Duration.between(now, start.plus(experiment.duration().get())));
        return Optional.of(waiting);
      }
      return finished(cursor, step, waiting);
    }

    /**
     * The experiment at the cursor, Pending, as it is now: Running (its analyses started, its
     * duration begun) once every workload has its pods ready; as it was otherwise.
     */
    private WaitForExperiment started(CanaryCursor cursor, WaitForExperiment waiting) {
      CanaryStep.ArgoExperiment step =
          (CanaryStep.ArgoExperiment) strategy.steps().get(cursor.step());
      TemplateExperiment experiment = step.experiment();
      for (Effect.RunExperiment w : experimentWorkloads(spec, cursor, step)) {
        if (seen.experiment(w.deployment()).readyOn(new PodTemplateRef(w.podHash(), ""))
            < w.replicas()) {
          return waiting;
        }
      }
      Map<String, WaitForExperiment.ExperimentRun> runs = new java.util.LinkedHashMap<>();
      for (TemplateExperiment.Analysis analysis : experiment.analyses()) {
        String run = experimentRun(spec, cursor, analysis.name());
        effects.add(new Effect.StartAnalysis(run, resolvedAnalysis(spec, cursor, step, analysis)));
        runs.put(analysis.name(), new WaitForExperiment.ExperimentRun(run, AnalysisCounts.NONE));
      }
      emit(
          Reason.ANALYSIS_STARTED,
          stepName(cursor.step())
              + ": experiment running, its pods ready"
              + (runs.isEmpty()
                  ? ""
                  : "; analyses " + String.join(", ", runs.keySet()) + " started")
              + experiment.duration().map(d -> "; ends in " + Durations.format(d)).orElse(""));
      experiment.duration().ifPresent(this::wakeIn);
      return new WaitForExperiment(Optional.of(now), runs);
    }

    /**
     * Ends the experiment whose duration has passed when the analyses it waits for are Successful
     * (empty: ended); as it was otherwise.
     */
    private Optional<WaitForExperiment> finished(
        CanaryCursor cursor, CanaryStep.ArgoExperiment step, WaitForExperiment waiting) {
      TemplateExperiment experiment = step.experiment();
      for (TemplateExperiment.Analysis analysis : experiment.analyses()) {
        WaitForExperiment.ExperimentRun run = waiting.runs().get(analysis.name());
        if (analysis.requiredForCompletion()
            && (run == null || run.counts().phase() != AnalysisPhase.SUCCESSFUL)) {
          return Optional.of(waiting);
        }
      }
      stopStepAnalysis(waiting);
      List<String> results = new ArrayList<>();
      waiting
          .runs()
          .forEach(
              (name, run) ->
                  results.add(
                      name
                          + " "
                          + run.counts().phase().word()
                          + " ("
                          + run.counts().describe()
                          + ")"));
      emit(
          Reason.ANALYSIS_SUCCESSFUL,
          stepName(cursor.step())
              + ": experiment passed"
              + (results.isEmpty() ? "" : ": " + String.join(", ", results))
              + "; its workloads deleted");
      return Optional.empty();
    }

    private static String summary(AnalysisStatus status, AnalysisRef ref) {
      return status.summary().isBlank()
          ? ref.describe() + " " + status.counts().phase().word()
          : status.summary();
    }
  }
}
