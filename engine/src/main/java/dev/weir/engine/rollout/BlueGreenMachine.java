package dev.weir.engine.rollout;

import dev.weir.engine.analysis.AnalysisPhase;
import dev.weir.engine.rollout.BlueGreenState.Aborted;
import dev.weir.engine.rollout.BlueGreenState.Activity;
import dev.weir.engine.rollout.BlueGreenState.AwaitPromotion;
import dev.weir.engine.rollout.BlueGreenState.Paused;
import dev.weir.engine.rollout.BlueGreenState.PrePromotionAnalysis;
import dev.weir.engine.rollout.BlueGreenState.Previewing;
import dev.weir.engine.rollout.BlueGreenState.ScalingDown;
import dev.weir.engine.rollout.BlueGreenState.Steady;
import dev.weir.engine.rollout.BlueGreenState.Switched;
import dev.weir.engine.rollout.BlueGreenState.WaitForPreview;
import dev.weir.engine.rollout.RolloutEvent.Reason;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The blue/green strategy as a pure function, like {@link CanaryMachine}: thread-safe, no I/O.
 *
 * <p>Design note. The new version runs at full size in {@code <target>-preview}, selected by the
 * preview Service. Once its pods are ready and the pre-promotion analysis (if any) succeeded, it is
 * promoted — automatically after {@code autoPromotionSeconds}, or by a person when auto-promotion
 * is off — by pointing the active Service's selector at its pods in one update. The previous
 * version keeps running until {@code scaleDownDelaySeconds} have passed and the post-promotion
 * analysis (if any) succeeded; until then a failed analysis or an abort is one switch back. After
 * that the stable Deployment takes the new template (its pods carry the same template hash, so the
 * active Service keeps selecting them) and the preview Deployment goes to 0. A new commit while
 * switched waits until the scale-down is done; Git going back to the active version cancels.
 */
public final class BlueGreenMachine {
  private BlueGreenMachine() {}

  /** The state of a rollout without a recorded state: steady on what the stable Deployment runs. */
  public static BlueGreenState initial(Observation seen) {
    PodTemplateRef active = seen.stable().template().orElse(seen.desired());
    Optional<String> revision =
        active.hash().equals(seen.desired().hash())
            ? Optional.of(seen.revision())
            : Optional.empty();
    return new Steady(active, revision, "");
  }

  /** The next transition of {@code state}. */
  public static Transition<BlueGreenState> next(
      BlueGreenState state, RolloutSpec spec, Observation seen, Instant now) {
    return new Pass(spec, seen, now).next(state);
  }

  /** The effects that make the cluster match {@code state} again, after a crash. Idempotent. */
  public static List<Effect> restore(BlueGreenState state, RolloutSpec spec, Observation seen) {
    BlueGreenStrategy strategy = spec.blueGreen();
    int total = seen.replicas();
    List<Effect> effects = new ArrayList<>();
    switch (state) {
      case Steady steady -> {
        effects.add(new Effect.SwitchActive(steady.active()));
        effects.add(new Effect.ScaleCanary(steady.active(), 0));
      }
      case Previewing previewing -> {
        BlueGreenCursor c = previewing.cursor();
        effects.add(new Effect.ScaleCanary(c.preview(), total));
        effects.add(new Effect.SwitchActive(c.active()));
        effects.add(new Effect.SwitchPreview(c.preview()));
        if (previewing.activity() instanceof PrePromotionAnalysis pre
            && !pre.counts().phase().completed()) {
          effects.add(
              new Effect.StartAnalysis(
                  pre.run(), strategy.prePromotionAnalysis().orElseThrow(), pre.counts()));
        }
      }
      case Paused paused -> {
        BlueGreenCursor c = paused.cursor();
        effects.add(new Effect.ScaleCanary(c.preview(), total));
        effects.add(new Effect.SwitchActive(c.active()));
        effects.add(new Effect.SwitchPreview(c.preview()));
        if (paused.activity() instanceof PrePromotionAnalysis pre
            && !pre.counts().phase().completed()) {
          effects.add(
              new Effect.StartAnalysis(
                  pre.run(), strategy.prePromotionAnalysis().orElseThrow(), pre.counts()));
        }
      }
      case Switched switched -> {
        BlueGreenCursor c = switched.cursor();
        effects.add(new Effect.ScaleCanary(c.preview(), total));
        effects.add(new Effect.SwitchActive(c.preview()));
        if (switched.postRun().isPresent() && !switched.postCounts().phase().completed()) {
          effects.add(
              new Effect.StartAnalysis(
                  switched.postRun().get(),
                  strategy.postPromotionAnalysis().orElseThrow(),
                  switched.postCounts()));
        }
      }
      case ScalingDown scaling ->
          effects.add(new Effect.UpdateStable(scaling.cursor().preview(), total));
      case Aborted aborted -> {
        effects.add(new Effect.SwitchActive(aborted.cursor().active()));
        effects.add(new Effect.ScaleCanary(aborted.cursor().preview(), 0));
      }
    }
    return effects;
  }

  /** One call of {@link #next}: collects effects and events; discarded afterwards. */
  private static final class Pass extends MachinePass<BlueGreenState> {
    private final BlueGreenStrategy strategy;

    Pass(RolloutSpec spec, Observation seen, Instant now) {
      super(spec, seen, now);
      this.strategy = spec.blueGreen();
    }

    // ---- commands ---------------------------------------------------------------------------

    @Override
    CommandDecision<BlueGreenState> command(BlueGreenState state, ManualCommand command) {
      String who = command.who();
      String why = command.why().isBlank() ? "" : ": " + command.why();
      return switch (command) {
        case ManualCommand.Promote promote ->
            switch (state) {
              case Previewing p -> promoteNow(p.cursor(), p.activity(), false, who, why);
              case Paused p -> promoteNow(p.cursor(), p.activity(), false, who, why);
              case Switched s
                  when s.postRun().isPresent()
                      && !s.postCounts().phase().equals(AnalysisPhase.SUCCESSFUL) -> {
                effects.add(new Effect.StopAnalysis(s.postRun().get()));
                emit(Reason.STEP, who, "post-promotion analysis skipped by " + who + why);
                yield take(new Switched(s.cursor(), s.at(), Optional.empty(), AnalysisCounts.NONE));
              }
              default -> refuse("nothing to promote: " + describe(state));
            };
        case ManualCommand.PromoteFull full ->
            switch (state) {
              case Previewing p -> promoteNow(p.cursor(), p.activity(), true, who, why);
              case Paused p -> promoteNow(p.cursor(), p.activity(), true, who, why);
              case Switched s -> {
                s.postRun().ifPresent(run -> effects.add(new Effect.StopAnalysis(run)));
                emit(
                    Reason.STEP,
                    who,
                    "promoted fully by "
                        + who
                        + ": "
                        + s.cursor().active().version()
                        + " scaled down now"
                        + why);
                yield take(scaleDown(s.cursor()));
              }
              default -> refuse("nothing to promote: " + describe(state));
            };
        case ManualCommand.Pause pause ->
            switch (state) {
              case Previewing p -> {
                emit(Reason.PAUSED, who, "paused by " + who + why);
                yield take(
                    new Paused(p.cursor(), p.activity(), false, "paused by " + who + why, now));
              }
              case Paused p -> refuse("already paused: " + p.note());
              default -> refuse("nothing to pause: " + describe(state));
            };
        case ManualCommand.Resume resume ->
            switch (state) {
              case Paused p -> {
                emit(Reason.RESUMED, who, "resumed by " + who + why);
                if (p.inconclusive() && p.activity() instanceof PrePromotionAnalysis pre) {
                  effects.add(new Effect.StopAnalysis(pre.run()));
                  yield take(awaitPromotion(p.cursor()));
                }
                yield take(new Previewing(p.cursor(), p.activity()));
              }
              case Previewing p
                  when p.activity() instanceof AwaitPromotion(Optional<Instant> at)
                      && at.isEmpty() ->
                  promoteNow(p.cursor(), p.activity(), false, who, why);
              default -> refuse("not paused: " + describe(state));
            };
        case ManualCommand.Abort abort -> {
          String message = "aborted by " + who + why;
          yield switch (state) {
            case Previewing p ->
                take(
                    abort(
                        p.cursor(),
                        Optional.of(p.activity()),
                        false,
                        p.cursor().preview().version() + " " + message,
                        who));
            case Paused p ->
                take(
                    abort(
                        p.cursor(),
                        Optional.of(p.activity()),
                        false,
                        p.cursor().preview().version() + " " + message,
                        who));
            case Switched s ->
                take(
                    switchBack(
                        s,
                        Reason.ABORTED,
                        s.cursor().preview().version()
                            + " rolled back by "
                            + who
                            + ": active switched back to "
                            + s.cursor().active().version()
                            + why,
                        who));
            case ScalingDown s ->
                refuse(
                    s.cursor().active().version()
                        + " is already being scaled down; revert the commit"
                        + " in Git to go back (weir rollback "
                        + spec.application()
                        + s.cursor()
                            .activeRevision()
                            .map(r -> " --to " + r.substring(0, Math.min(7, r.length())))
                            .orElse("")
                        + ")");
            case Aborted a -> refuse("already aborted: " + a.message());
            case Steady s -> refuse("nothing to abort: " + describe(state));
          };
        }
        case ManualCommand.Retry retry ->
            switch (state) {
              case Aborted a -> {
                BlueGreenCursor old = a.cursor();
                if (!seen.desired().hash().equals(old.preview().hash())) {
                  yield refuse(
                      "Git now wants "
                          + seen.desired().version()
                          + ", not "
                          + old.preview().version()
                          + "; nothing to retry");
                }
                yield take(
                    start(
                        new BlueGreenCursor(
                            old.active(),
                            old.activeRevision(),
                            old.preview(),
                            old.previewRevision(),
                            old.attempt() + 1,
                            now),
                        Reason.RETRIED,
                        who,
                        old.preview().version() + " retried by " + who + why));
              }
              default -> refuse("only an aborted rollout can be retried; " + describe(state));
            };
        case ManualCommand.Rollback rollback -> rollback(state, who, why);
        case ManualCommand.SetWeight set ->
            refuse(
                "blue/green switches all traffic at once; there is no weight to set (promote or"
                    + " abort)");
      };
    }

    private String describe(BlueGreenState state) {
      return spec.name()
          + " is "
          + switch (state) {
            case Steady s -> "Healthy on " + s.active().version();
            case Previewing p -> "previewing " + p.cursor().preview().version();
            case Paused p -> "paused with " + p.cursor().preview().version() + " in preview";
            case Switched s ->
                "switched to "
                    + s.cursor().preview().version()
                    + "; "
                    + s.cursor().active().version()
                    + " scales down at "
                    + s.at().plus(strategy.scaleDownDelay());
            case ScalingDown s -> "scaling down " + s.cursor().active().version();
            case Aborted a -> (a.automatic() ? "Degraded" : "Aborted") + ": " + a.message();
          };
    }

    /** Switches to the preview, or says why not: never to pods that are not ready. */
    private CommandDecision<BlueGreenState> promoteNow(
        BlueGreenCursor cursor, Activity activity, boolean full, String who, String why) {
      int ready = seen.secondary().readyOn(cursor.preview());
      if (ready < total) {
        return refuse(
            cursor.preview().version()
                + " is not ready in preview ("
                + ready
                + "/"
                + total
                + " pods); promote once it is");
      }
      if (activity instanceof PrePromotionAnalysis pre) {
        effects.add(new Effect.StopAnalysis(pre.run()));
      }
      emit(Reason.STEP, who, (full ? "promoted fully by " : "promoted by ") + who + why);
      return take(switchActive(cursor, !full));
    }

    // ---- level pass -------------------------------------------------------------------------

    BlueGreenState level(BlueGreenState state) {
      return switch (state) {
        case Steady s -> steady(s);
        case Previewing p -> previewing(p.cursor(), p.activity(), Optional.empty());
        case Paused p -> previewing(p.cursor(), p.activity(), Optional.of(p));
        case Switched s -> switched(s);
        case ScalingDown s -> scalingDown(s);
        case Aborted a -> aborted(a);
      };
    }

    private BlueGreenState steady(Steady steady) {
      if (seen.desired().hash().equals(steady.active().hash())) {
        return steady.activeRevision().isEmpty()
            ? new Steady(steady.active(), Optional.of(seen.revision()), steady.note())
            : steady;
      }
      BlueGreenCursor cursor =
          new BlueGreenCursor(
              steady.active(), steady.activeRevision(), seen.desired(), seen.revision(), 0, now);
      return start(
          cursor,
          Reason.STARTED,
          RolloutEvent.ENGINE,
          seen.desired().version()
              + " deployed to preview beside active "
              + steady.active().version());
    }

    private BlueGreenState start(
        BlueGreenCursor cursor, Reason reason, String who, String message) {
      effects.add(new Effect.ScaleCanary(cursor.preview(), total));
      if (strategy.previewService().isPresent()) {
        effects.add(new Effect.SwitchPreview(cursor.preview()));
      }
      emit(reason, who, message);
      return previewing(cursor, new WaitForPreview(), Optional.empty());
    }

    private BlueGreenState aborted(Aborted aborted) {
      BlueGreenCursor cursor = aborted.cursor();
      if (seen.desired().hash().equals(cursor.preview().hash())) {
        return aborted;
      }
      if (seen.desired().hash().equals(cursor.active().hash())) {
        String note = "Git is back on " + cursor.active().version();
        emit(Reason.CANCELLED, note);
        return new Steady(cursor.active(), Optional.of(seen.revision()), note);
      }
      return start(
          new BlueGreenCursor(
              cursor.active(), cursor.activeRevision(), seen.desired(), seen.revision(), 0, now),
          Reason.SUPERSEDED,
          RolloutEvent.ENGINE,
          seen.desired().version()
              + " supersedes aborted "
              + cursor.preview().version()
              + " in preview");
    }

    private BlueGreenState previewing(
        BlueGreenCursor cursor, Activity activity, Optional<Paused> paused) {
      if (!seen.desired().hash().equals(cursor.preview().hash())) {
        stopPre(activity);
        effects.add(new Effect.ScaleCanary(cursor.preview(), 0));
        if (seen.desired().hash().equals(cursor.active().hash())) {
          strategy
              .previewService()
              .ifPresent(s -> effects.add(new Effect.SwitchPreview(cursor.active())));
          String note =
              cursor.preview().version()
                  + " cancelled: Git is back on "
                  + cursor.active().version();
          emit(Reason.CANCELLED, note);
          return new Steady(cursor.active(), Optional.of(seen.revision()), note);
        }
        return start(
            new BlueGreenCursor(
                cursor.active(), cursor.activeRevision(), seen.desired(), seen.revision(), 0, now),
            Reason.SUPERSEDED,
            RolloutEvent.ENGINE,
            seen.desired().version() + " supersedes " + cursor.preview().version() + " in preview");
      }
      if (activity instanceof PrePromotionAnalysis pre) {
        Optional<AnalysisStatus> status = seen.analysis(pre.run());
        if (status.isPresent()) {
          AnalysisStatus s = status.get();
          AnalysisRef ref = strategy.prePromotionAnalysis().orElseThrow();
          if (!s.counts().equals(pre.counts())) {
            activity = new PrePromotionAnalysis(pre.run(), s.counts());
            s.measuredLine(
                    "pre-promotion analysis " + ref.describe())
                .ifPresent(line -> emitAbout(ref, Reason.ANALYSIS_MEASURED, line, s.values()));
          }
          AnalysisPhase phase = s.counts().phase();
          if (phase == AnalysisPhase.FAILED || phase == AnalysisPhase.ERROR) {
            return abort(
                cursor,
                Optional.of(activity),
                true,
                cursor.preview().version()
                    + " rolled back: "
                    + summary(s, ref)
                    + " (pre-promotion analysis)",
                RolloutEvent.ENGINE);
          }
          if (phase == AnalysisPhase.INCONCLUSIVE
              && paused.map(p -> !p.inconclusive()).orElse(true)) {
            String note =
                "pre-promotion analysis "
                    + ref.describe()
                    + " inconclusive: "
                    + summary(s, ref)
                    + "; promote or resume to go on, abort to roll back";
            emitAbout(ref, Reason.ANALYSIS_INCONCLUSIVE, note, s.values());
            return new Paused(cursor, activity, true, note, now);
          }
          if (phase == AnalysisPhase.SUCCESSFUL && paused.isEmpty()) {
            emitAbout(
                ref,
                Reason.ANALYSIS_SUCCESSFUL,
                "pre-promotion analysis "
                    + ref.describe()
                    + " Successful: "
                    + s.counts().describe(),
                Map.of());
            return awaitPromotion(cursor);
          }
        }
      }
      if (paused.isPresent()) {
        Paused p = paused.get();
        return new Paused(cursor, activity, p.inconclusive(), p.note(), p.since());
      }
      return switch (activity) {
        case WaitForPreview w -> {
          if (seen.secondary().readyOn(cursor.preview()) < total) {
            if (spec.progressDeadlineAbort() && seen.secondary().stalled()) {
              yield abort(
                  cursor,
                  Optional.of(activity),
                  true,
                  cursor.preview().version()
                      + " rolled back: its preview pods did not become ready before the progress"
                      + " deadline (progressDeadlineAbort)",
                  RolloutEvent.ENGINE);
            }
            yield new Previewing(cursor, activity);
          }
          if (strategy.prePromotionAnalysis().isPresent()) {
            String run = cursor.prePromotionRun(spec.name());
            effects.add(new Effect.StartAnalysis(run, strategy.prePromotionAnalysis().get()));
            emitAbout(
                strategy.prePromotionAnalysis().get(),
                Reason.ANALYSIS_STARTED,
                cursor.preview().version()
                    + " ready in preview; pre-promotion analysis "
                    + strategy.prePromotionAnalysis().get().describe()
                    + " started",
                Map.of());
            yield new Previewing(cursor, new PrePromotionAnalysis(run, AnalysisCounts.NONE));
          }
          yield awaitPromotion(cursor);
        }
        case PrePromotionAnalysis pre -> new Previewing(cursor, pre);
        case AwaitPromotion await -> {
          if (await.autoAt().isEmpty()) {
            yield new Previewing(cursor, await);
          }
          if (now.isBefore(await.autoAt().get())) {
            wakeIn(Duration.between(now, await.autoAt().get()));
            yield new Previewing(cursor, await);
          }
          emit(Reason.STEP, "auto-promotion of " + cursor.preview().version());
          yield switchActive(cursor, true);
        }
      };
    }

    private BlueGreenState awaitPromotion(BlueGreenCursor cursor) {
      if (!strategy.autoPromotionEnabled()) {
        emit(Reason.PAUSED, cursor.preview().version() + " ready in preview; waiting for promote");
        return new Previewing(cursor, new AwaitPromotion(Optional.empty()));
      }
      Duration delay = strategy.autoPromotionSeconds().orElse(Duration.ZERO);
      if (delay.isZero()) {
        emit(
            Reason.STEP, cursor.preview().version() + " ready in preview; promoting automatically");
        return switchActive(cursor, true);
      }
      emit(
          Reason.STEP,
          cursor.preview().version()
              + " ready in preview; auto-promotion in "
              + Durations.format(delay));
      wakeIn(delay);
      return new Previewing(cursor, new AwaitPromotion(Optional.of(now.plus(delay))));
    }

    private BlueGreenState switchActive(BlueGreenCursor cursor, boolean withPostAnalysis) {
      effects.add(new Effect.SwitchActive(cursor.preview()));
      emit(
          Reason.SWITCHED,
          "active service switched to "
              + cursor.preview().version()
              + "; "
              + cursor.active().version()
              + " stays scaled for "
              + Durations.format(strategy.scaleDownDelay()));
      Optional<String> post = Optional.empty();
      if (withPostAnalysis && strategy.postPromotionAnalysis().isPresent()) {
        String run = cursor.postPromotionRun(spec.name());
        effects.add(new Effect.StartAnalysis(run, strategy.postPromotionAnalysis().get()));
        emitAbout(
            strategy.postPromotionAnalysis().get(),
            Reason.ANALYSIS_STARTED,
            "post-promotion analysis "
                + strategy.postPromotionAnalysis().get().describe()
                + " started",
            Map.of());
        post = Optional.of(run);
      }
      return switched(new Switched(cursor, now, post, AnalysisCounts.NONE));
    }

    private BlueGreenState switched(Switched switched) {
      BlueGreenCursor cursor = switched.cursor();
      if (seen.desired().hash().equals(cursor.active().hash())) {
        return switchBack(
            switched,
            Reason.CANCELLED,
            cursor.preview().version()
                + " cancelled: Git is back on "
                + cursor.active().version()
                + "; active switched back",
            RolloutEvent.ENGINE);
      }
      AnalysisCounts counts = switched.postCounts();
      if (switched.postRun().isPresent()) {
        Optional<AnalysisStatus> status = seen.analysis(switched.postRun().get());
        if (status.isPresent()) {
          AnalysisStatus s = status.get();
          AnalysisRef ref = strategy.postPromotionAnalysis().orElseThrow();
          if (!s.counts().equals(counts)) {
            counts = s.counts();
            s.measuredLine(
                    "post-promotion analysis " + ref.describe())
                .ifPresent(line -> emitAbout(ref, Reason.ANALYSIS_MEASURED, line, s.values()));
            if (counts.phase() == AnalysisPhase.INCONCLUSIVE) {
              emitAbout(
                  ref,
                  Reason.ANALYSIS_INCONCLUSIVE,
                  "post-promotion analysis "
                      + ref.describe()
                      + " inconclusive: "
                      + summary(s, ref)
                      + "; "
                      + cursor.active().version()
                      + " stays scaled until promote or abort",
                  s.values());
            }
          }
          if (counts.phase() == AnalysisPhase.FAILED || counts.phase() == AnalysisPhase.ERROR) {
            return switchBack(
                switched,
                Reason.ROLLED_BACK,
                cursor.preview().version()
                    + " rolled back: "
                    + summary(s, ref)
                    + " (post-promotion analysis); active switched back to "
                    + cursor.active().version(),
                RolloutEvent.ENGINE);
          }
        }
      }
      Switched current = new Switched(cursor, switched.at(), switched.postRun(), counts);
      boolean analysed = switched.postRun().isEmpty() || counts.phase() == AnalysisPhase.SUCCESSFUL;
      Instant due = switched.at().plus(strategy.scaleDownDelay());
      if (!analysed) {
        return current;
      }
      if (now.isBefore(due)) {
        wakeIn(Duration.between(now, due));
        return current;
      }
      return scaleDown(cursor);
    }

    private BlueGreenState scaleDown(BlueGreenCursor cursor) {
      effects.add(new Effect.UpdateStable(cursor.preview(), total));
      emit(
          Reason.SCALED_DOWN,
          cursor.active().version()
              + " scaled down: the stable Deployment takes "
              + cursor.preview().version());
      return scalingDown(new ScalingDown(cursor, now));
    }

    private BlueGreenState scalingDown(ScalingDown scaling) {
      BlueGreenCursor cursor = scaling.cursor();
      if (!seen.stable().runs(cursor.preview())
          || seen.stable().readyOn(cursor.preview()) < total) {
        return scaling;
      }
      effects.add(new Effect.ScaleCanary(cursor.preview(), 0));
      String note = cursor.preview().version() + " promoted: active on the stable Deployment";
      emit(Reason.PROMOTED, note);
      return new Steady(cursor.preview(), Optional.of(cursor.previewRevision()), note);
    }

    private BlueGreenState switchBack(
        Switched switched, Reason reason, String message, String who) {
      BlueGreenCursor cursor = switched.cursor();
      effects.add(new Effect.SwitchActive(cursor.active()));
      switched.postRun().ifPresent(run -> effects.add(new Effect.StopAnalysis(run)));
      effects.add(new Effect.ScaleCanary(cursor.preview(), 0));
      strategy
          .previewService()
          .ifPresent(s -> effects.add(new Effect.SwitchPreview(cursor.active())));
      emit(reason, who, message);
      if (seen.desired().hash().equals(cursor.active().hash())) {
        return new Steady(cursor.active(), Optional.of(seen.revision()), message);
      }
      return new Aborted(cursor, reason == Reason.ROLLED_BACK, message, now);
    }

    /**
     * Git's (restored) template active at once: one instant switch back while the previous color
     * is still scaled; otherwise the preview torn down and the active Deployment and Service on the
     * restored template.
     */
    private static BlueGreenCursor cursorOf(BlueGreenState state) {
      return switch (state) {
        case Previewing p -> p.cursor();
        case Paused p -> p.cursor();
        case Switched sw -> sw.cursor();
        case ScalingDown sd -> sd.cursor();
        case Aborted a -> a.cursor();
        case Steady steady -> throw new IllegalArgumentException("a steady rollout has no cursor");
      };
    }

    private CommandDecision<BlueGreenState> rollback(BlueGreenState state, String who, String why) {
      PodTemplateRef target = seen.desired();
      String message = "rolled back to " + target.version() + " by " + who + why;
      if (state instanceof Switched s && s.cursor().active().hash().equals(target.hash())) {
        return take(switchBack(s, Reason.ROLLED_BACK, message, who));
      }
      if (state instanceof Steady steady && steady.active().hash().equals(target.hash())) {
        return refuse("nothing to roll back: " + spec.name() + " runs " + target.version());
      }
      PodTemplateRef active =
          switch (state) {
            case Steady steady -> steady.active();
            case Previewing p -> p.cursor().active();
            case Paused p -> p.cursor().active();
            case Switched sw -> sw.cursor().preview();
            case ScalingDown sd -> sd.cursor().preview();
            case Aborted a -> a.cursor().active();
          };
      switch (state) {
        case Previewing p -> stopPre(p.activity());
        case Paused p -> stopPre(p.activity());
        case Switched sw -> sw.postRun().ifPresent(run -> effects.add(new Effect.StopAnalysis(run)));
        default -> {}
      }
      if (!(state instanceof Steady)) {
        effects.add(new Effect.ScaleCanary(cursorOf(state).preview(), 0));
      }
      effects.add(new Effect.UpdateStable(target, total));
      effects.add(new Effect.SwitchActive(target));
      strategy.previewService().ifPresent(svc -> effects.add(new Effect.SwitchPreview(target)));
      String note =
          message + (active.hash().equals(target.hash()) ? "" : " (was " + active.version() + ")");
      emit(Reason.ROLLED_BACK, who, note);
      return take(new Steady(target, Optional.of(seen.revision()), note));
    }

    private BlueGreenState abort(
        BlueGreenCursor cursor,
        Optional<Activity> activity,
        boolean automatic,
        String message,
        String who) {
      activity.ifPresent(this::stopPre);
      effects.add(new Effect.ScaleCanary(cursor.preview(), 0));
      strategy
          .previewService()
          .ifPresent(s -> effects.add(new Effect.SwitchPreview(cursor.active())));
      emit(automatic ? Reason.ROLLED_BACK : Reason.ABORTED, who, message);
      return new Aborted(cursor, automatic, message, now);
    }

    private void stopPre(Activity activity) {
      if (activity instanceof PrePromotionAnalysis pre) {
        effects.add(new Effect.StopAnalysis(pre.run()));
      }
    }

    private static String summary(AnalysisStatus status, AnalysisRef ref) {
      return status.summary().isBlank()
          ? ref.describe() + " " + status.counts().phase().word()
          : status.summary();
    }
  }
}
