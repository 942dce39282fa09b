package dev.weir.engine.console;

import dev.weir.engine.analysis.ConversionCounts;
import dev.weir.engine.analysis.ExperimentJudge;
import dev.weir.engine.analysis.ExperimentJudgement;
import dev.weir.engine.analysis.MetricProvider;
import dev.weir.engine.analysis.MetricValue;
import dev.weir.engine.analysis.MixtureSprt;
import dev.weir.engine.analysis.QueryResult;
import dev.weir.engine.git.GitException;
import dev.weir.engine.git.WritePlan;
import dev.weir.engine.git.WriteResult;
import dev.weir.engine.model.Application;
import dev.weir.engine.model.FlagChange;
import dev.weir.engine.model.LiveObject;
import dev.weir.engine.model.ResourceKey;
import dev.weir.engine.rollout.CanaryStep;
import dev.weir.engine.rollout.ExperimentSegment;
import dev.weir.engine.rollout.ExperimentSpec;
import dev.weir.engine.rollout.ManualCommand;
import dev.weir.engine.rollout.PodTemplateRef;
import dev.weir.engine.rollout.RolloutExecutor;
import dev.weir.engine.rollout.RolloutPhase;
import dev.weir.engine.rollout.RolloutSpec;
import dev.weir.engine.rollout.RolloutSpecParser;
import dev.weir.engine.rollout.RolloutStatus;
import dev.weir.engine.rollout.RolloutStrategy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The A/B experiments room: finds the rollouts standing at an {@code experiment} step, reads each
 * variant's conversions from the metrics source, has {@link ExperimentJudge} judge them, and keeps
 * the views the snapshot carries; concludes an experiment in one action — a commit recording the
 * decision, then the rollout promoted (B) or aborted (A).
 *
 * <p>Design note. Counting starts at the first look (the counters' values then are the baseline of
 * both variants), so a console opened in the middle of an experiment counts from then on: fewer
 * samples, never invalid ones. Once the test stops (a winner, a harm, a limit), its judgement is
 * frozen until a person concludes. A metrics source that cannot be read leaves the experiment
 * Unknown and never recommends promotion. The record of a conclusion is {@code EXPERIMENTS.md} in
 * the application's path (not a manifest, so nothing is applied): the commit's author, message and
 * reason are the audit trail, and the file keeps the numbers the decision was made on.
 *
 * <p>Threading: {@link #look()} runs on the console's workers; views are published through a
 * concurrent map and read by the snapshot at any time.
 */
final class Experiments {
  static final String RECORD_FILE = "EXPERIMENTS.md";

  private final ConsoleCore core;
  private final MetricProvider metrics;
  private final Map<String, Tracked> tracked = new ConcurrentHashMap<>();
  private final Map<String, ExperimentView> views = new ConcurrentHashMap<>();

  /** One experiment as this console has counted it. */
  private static final class Tracked {
    final Instant startedAt;
    final ConversionCounts baseA;
    final ConversionCounts baseB;
    Optional<MixtureSprt.Estimate> earlier = Optional.empty();
    ExperimentJudgement stopped;
    volatile boolean concluded;

    Tracked(Instant startedAt, ConversionCounts baseA, ConversionCounts baseB) {
      this.startedAt = startedAt;
      this.baseA = baseA;
      this.baseB = baseB;
    }
  }

  /** A rollout at an experiment step, with both variants' templates. */
  record Running(
      ApplicationEntry entry,
      RolloutSpec spec,
      ExperimentSpec experiment,
      RolloutStatus status,
      PodTemplateRef a,
      PodTemplateRef b) {
    String key() {
      return entry.rendered.name() + "/" + spec.name();
    }
  }

  Experiments(ConsoleCore core, MetricProvider metrics) {
    this.core = core;
    this.metrics = metrics;
  }

  /** The views for the snapshot, by application then rollout. */
  List<ExperimentView> views() {
    return views.values().stream()
        .sorted(
            java.util.Comparator.comparing(ExperimentView::application)
                .thenComparing(ExperimentView::rollout))
        .toList();
  }

  /** Looks at every running experiment once: reads, judges, and refreshes its view. */
  void look() {
    for (ApplicationEntry entry : core.sortedEntries()) {
      for (Running running : running(entry)) {
        Tracked t = tracked.get(running.key() + "@" + running.b().hash());
        if (t != null && t.concluded) {
          continue; // the rollout is on its way out of the step; the concluded view stays
        }
        views.put(running.key(), judge(running));
      }
    }
  }

  /** The experiments of {@code entry} now running (the rollout paused at an experiment step). */
  List<Running> running(ApplicationEntry entry) {
    if (entry.rendered == null || entry.compared == null) {
      return List.of();
    }
    List<Running> out = new ArrayList<>();
    RolloutSpecParser.ApplicationRollouts parsed;
    try {
      parsed = RolloutSpecParser.parseAll(entry.compared);
    } catch (RuntimeException e) {
      return List.of();
    }
    boolean any =
        parsed.rollouts().stream()
            .anyMatch(
                r ->
                    r.strategy() instanceof dev.weir.engine.rollout.CanaryStrategy c
                        && c.steps().stream().anyMatch(CanaryStep.Experiment.class::isInstance));
    if (!any) {
      return List.of(); // no experiment step: no rollout status read, no cluster call
    }
    List<RolloutStatus> statuses = core.rollouts.statuses(entry.rendered.name());
    for (RolloutSpec spec : parsed.rollouts()) {
      RolloutStrategy strategy = spec.strategy();
      if (!(strategy instanceof dev.weir.engine.rollout.CanaryStrategy canary)) {
        continue;
      }
      Optional<RolloutStatus> status =
          statuses.stream().filter(s -> s.rollout().equals(spec.name())).findFirst();
      if (status.isEmpty()
          || status.get().newVersion().isEmpty()
          || status.get().step() < 1
          || status.get().step() > canary.steps().size()
          || status.get().phase() == RolloutPhase.ABORTED
          || status.get().phase() == RolloutPhase.DEGRADED
          || status.get().phase() == RolloutPhase.HEALTHY) {
        continue;
      }
      if (!(canary.steps().get(status.get().step() - 1) instanceof CanaryStep.Experiment step)) {
        continue;
      }
      Optional<PodTemplateRef> a = template(spec.targetKey(), status.get().stableVersion());
      Optional<PodTemplateRef> b = template(spec.secondaryKey(), status.get().newVersion().get());
      if (a.isEmpty() || b.isEmpty()) {
        continue;
      }
      out.add(new Running(entry, spec, step.experiment(), status.get(), a.get(), b.get()));
    }
    return out;
  }

  /** The template a Deployment's pods run, by the hash label the rollout executor puts on them. */
  private Optional<PodTemplateRef> template(ResourceKey deployment, String version) {
    try {
      return core.gateway
          .get(deployment)
          .flatMap(o -> o.at("spec.template.metadata.labels"))
          .map(labels -> ((Map<?, ?>) labels).get(RolloutExecutor.HASH_LABEL))
          .map(hash -> new PodTemplateRef(String.valueOf(hash), version));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  private ExperimentView judge(Running running) {
    ExperimentSpec experiment = running.experiment();
    MetricProvider provider =
        experiment.prometheus().map(metrics::at).orElse(metrics);
    Instant now = core.clock.instant();
    Optional<ConversionCounts> a = counts(provider, experiment, running.a(), false, now);
    Optional<ConversionCounts> b = counts(provider, experiment, running.b(), true, now);
    String key = running.key() + "@" + running.b().hash();
    if (a.isEmpty() || b.isEmpty()) {
      return view(
          running,
          Optional.empty(),
          ConversionCounts.NONE,
          ConversionCounts.NONE,
          Duration.ZERO,
          "Unknown",
          "wait",
          "conversions cannot be read from the metrics source: "
              + lastProblem
              + "; nothing is judged until they can");
    }
    Tracked t = tracked.computeIfAbsent(key, k -> new Tracked(now, a.get(), b.get()));
    ConversionCounts countA = a.get().since(t.baseA);
    ConversionCounts countB = b.get().since(t.baseB);
    Duration elapsed = Duration.between(t.startedAt, now);
    ExperimentJudgement judgement;
    synchronized (t) {
      if (t.stopped != null) {
        judgement = t.stopped;
      } else {
        judgement = ExperimentJudge.judge(experiment.settings(), countA, countB, elapsed, t.earlier);
        t.earlier = Optional.of(judgement.estimate());
        if (judgement.outcome().stopped()) {
          t.stopped = judgement;
          core.event(
              ConsoleEvent.Kind.ANALYSIS,
              running.entry().rendered.name(),
              "experiment "
                  + experiment.name()
                  + " stopped: "
                  + judgement.message()
                  + "; conclude with weir experiment conclude "
                  + running.entry().rendered.name()
                  + " --"
                  + judgement.outcome().recommendation()
                  + " --reason …");
        }
      }
    }
    return view(
        running,
        Optional.of(judgement),
        judgement.a(),
        judgement.b(),
        elapsed,
        outcomeWord(judgement.outcome()),
        judgement.outcome().recommendation(),
        judgement.message());
  }

  private volatile String lastProblem = "";

  private Optional<ConversionCounts> counts(
      MetricProvider provider, ExperimentSpec experiment, PodTemplateRef variant, boolean b,
      Instant at) {
    Optional<Double> successes =
        number(provider, experiment.forSide(experiment.successesQuery(), variant, b), at);
    Optional<Double> trials =
        number(provider, experiment.forSide(experiment.trialsQuery(), variant, b), at);
    if (successes.isEmpty() || trials.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(ConversionCounts.of(successes.get(), trials.get()));
  }

  private Optional<Double> number(MetricProvider provider, String query, Instant at) {
    QueryResult<MetricValue> result = provider.instant(query, at);
    switch (result) {
      case QueryResult.Ok<MetricValue> ok -> {
        MetricValue value = ok.value();
        if (value.isEmpty()) {
          return Optional.of(0.0); // no series yet: nothing counted
        }
        double v = value.first();
        if (Double.isNaN(v)) {
          lastProblem = query + " is NaN";
          return Optional.empty();
        }
        return Optional.of(v);
      }
      case QueryResult.Failed<MetricValue> failed -> {
        lastProblem = failed.error().message();
        return Optional.empty();
      }
    }
  }

  private static String outcomeWord(ExperimentJudgement.Outcome outcome) {
    return switch (outcome) {
      case RUNNING -> "Running";
      case B_WINS -> "B wins";
      case B_HARMS -> "B harms";
      case NO_DIFFERENCE -> "No difference";
    };
  }

  private ExperimentView view(
      Running running,
      Optional<ExperimentJudgement> judgement,
      ConversionCounts a,
      ConversionCounts b,
      Duration elapsed,
      String outcome,
      String decision,
      String message) {
    long total = a.trials() + b.trials();
    double shareA = total == 0 ? Double.NaN : (double) a.trials() / total;
    double shareB = total == 0 ? Double.NaN : (double) b.trials() / total;
    MixtureSprt.Estimate e = judgement.map(ExperimentJudgement::estimate).orElse(MixtureSprt.Estimate.NONE);
    return new ExperimentView(
        running.entry().rendered.name(),
        running.spec().name(),
        running.experiment().name(),
        running.experiment().segment().describe(),
        List.of(
            new ExperimentView.Variant(
                "A", running.a().version(), "stable", "the rest", shareA, a.successes(), a.trials()),
            new ExperimentView.Variant(
                "B",
                running.b().version(),
                "canary",
                running.experiment().segment().describe(),
                shareB,
                b.successes(),
                b.trials())),
        e.uplift(),
        e.lower(),
        e.upper(),
        e.pValue(),
        running.experiment().settings().alpha(),
        outcome,
        decision,
        elapsed,
        running.experiment().settings().maxSamples(),
        message,
        Optional.empty());
  }

  // ---- conclude -------------------------------------------------------------------------------

  private Optional<Running> only(ApplicationEntry entry) {
    return running(entry).stream()
        .filter(
            r -> {
              Tracked t = tracked.get(r.key() + "@" + r.b().hash());
              return t == null || !t.concluded;
            })
        .findFirst();
  }

  private CommandResult none(ApplicationEntry entry) {
    return CommandResult.of(
        CommandResult.Status.BAD_INPUT,
        "no experiment is running in "
            + entry.rendered.name()
            + ": none of its rollouts stands at an experiment step");
  }

  /** The commit of a conclusion: the file, its new text and the first line of the message. */
  private record Record(String file, String text, String subject) {}

  private Record record(Running running, ExperimentConclusion conclusion, String reason) {
    Application app = running.entry().rendered.application();
    String file = (app.path().isEmpty() ? "" : app.path() + "/") + RECORD_FILE;
    String before = "";
    try {
      var head = core.git.head();
      String directory = file.contains("/") ? file.substring(0, file.lastIndexOf('/')) : "";
      var found = head.files(directory).stream().filter(f -> f.path().equals(file)).findFirst();
      if (found.isPresent()) {
        before = new String(head.read(found.get()), StandardCharsets.UTF_8);
      }
    } catch (java.io.IOException | RuntimeException e) {
      before = "";
    }
    ExperimentView view = views.get(running.key());
    String kept = conclusion == ExperimentConclusion.PROMOTE ? running.b().version() : running.a().version();
    String other = conclusion == ExperimentConclusion.PROMOTE ? running.a().version() : running.b().version();
    String subject =
        "Experiment "
            + running.experiment().name()
            + " of "
            + app.name()
            + ": "
            + conclusion.word()
            + " "
            + (conclusion == ExperimentConclusion.PROMOTE ? "B " : "A ")
            + kept
            + " over "
            + other;
    StringBuilder text = new StringBuilder(before);
    if (before.isEmpty()) {
      text.append("# Experiments of ").append(app.name()).append("\n\n")
          .append("Conclusions of A/B experiments, one per section, written by Weir.\n");
    }
    text.append("\n## ")
        .append(running.experiment().name())
        .append(" (rollout ")
        .append(running.spec().name())
        .append(")\n\n")
        .append("- decision: ")
        .append(conclusion.word())
        .append(conclusion == ExperimentConclusion.PROMOTE ? " B " : " A ")
        .append(kept)
        .append("\n- by: ")
        .append(core.options.user())
        .append(" at ")
        .append(core.clock.instant())
        .append("\n- reason: ")
        .append(reason.isBlank() ? "(none given)" : reason.strip())
        .append("\n- A: ")
        .append(running.a().version())
        .append(", the rest of the traffic; B: ")
        .append(running.b().version())
        .append(", ")
        .append(running.experiment().segment().describe())
        .append("\n- result: ")
        .append(view == null ? "not measured" : view.outcome() + ": " + view.message())
        .append("\n");
    return new Record(file, text.toString(), subject);
  }

  CommandResult conclude(
      ApplicationEntry entry, ExperimentConclusion conclusion, String reason, boolean push) {
    look();
    Optional<Running> found = only(entry);
    if (found.isEmpty()) {
      return none(entry);
    }
    if (reason == null || reason.isBlank()) {
      return CommandResult.of(
          CommandResult.Status.BAD_INPUT, "a conclusion needs a reason (--reason TEXT)");
    }
    Running running = found.get();
    Record record = record(running, conclusion, reason);
    Application app = entry.rendered.application();
    WriteResult written;
    try {
      written =
          core.git
              .writer()
              .writeFile(
                  app.name(),
                  record.file(),
                  record.text().getBytes(StandardCharsets.UTF_8),
                  record.subject(),
                  reason,
                  push);
    } catch (GitException e) {
      return RepositoryCommands.failure(e);
    }
    String flagged = "";
    if (conclusion == ExperimentConclusion.PROMOTE
        && running.experiment().segment() instanceof ExperimentSegment.Flag flag) {
      // B wins for everyone: the flag's default becomes B and its split gives B all of it, one
      // commit; keeping A needs no commit here, the abort restores the flag as Git had it
      Map<String, Integer> all = new java.util.LinkedHashMap<>();
      all.put(flag.b(), 100);
      all.put(flag.a(), 0);
      CommandResult set = core.flags.set(entry, flag.flag(),
          List.of(new FlagChange.SetDefault(flag.b()), new FlagChange.SetFractions(all)),
          reason, push);
      if (!set.ok()) {
        return new CommandResult(set.status(), written.message() + "; flag " + flag.flag()
            + " not set to " + flag.b() + ": " + set.message() + "; the rollout waits", List.of(record.subject()));
      }
      flagged = "; " + set.message();
    }
    ManualCommand command =
        conclusion == ExperimentConclusion.PROMOTE
            ? new ManualCommand.PromoteFull(core.options.user(), reason)
            : new ManualCommand.Abort(core.options.user(), reason);
    CommandResult acted =
        core.rollouts.command(entry, Optional.of(running.spec().name()), command);
    Tracked t = tracked.get(running.key() + "@" + running.b().hash());
    if (t != null) {
      t.concluded = true;
    }
    String done = conclusion == ExperimentConclusion.PROMOTE ? "promoted" : "kept";
    ExperimentView before = views.remove(running.key());
    if (before != null) {
      views.put(
          running.key(),
          new ExperimentView(
              before.application(), before.rollout(), before.name(), before.segment(),
              before.variants(), before.uplift(), before.lower(), before.upper(),
              before.pValue(), before.alpha(), before.outcome(), done, before.running(),
              before.maxSamples(), before.message(),
              Optional.of(done + " by " + core.options.user() + ": " + reason)));
    }
    String message = written.message() + flagged + "; " + acted.message();
    core.events.emit(
        ConsoleEvent.Kind.COMMAND,
        Severity.INFO,
        app.name(),
        core.options.user(),
        "experiment " + running.experiment().name() + " concluded: " + conclusion.word() + ": "
            + message,
        Map.of("reason", reason));
    CommandResult.Status status = RepositoryCommands.status(written, push);
    if (status == CommandResult.Status.OK && !acted.ok()) {
      status = acted.status();
    }
    core.snapshots.refreshAll(false);
    return new CommandResult(status, message, List.of(record.subject()));
  }

  Preview previewConclude(
      ApplicationEntry entry, ExperimentConclusion conclusion, String reason, boolean push) {
    String title = "Conclude the experiment of " + entry.rendered.name() + ": " + conclusion.word();
    look();
    Optional<Running> found = only(entry);
    if (found.isEmpty()) {
      return Preview.refused(title, none(entry));
    }
    Running running = found.get();
    title =
        "Conclude experiment "
            + running.experiment().name()
            + ": "
            + (conclusion == ExperimentConclusion.PROMOTE
                ? "promote B " + running.b().version()
                : "keep A " + running.a().version());
    Record record = record(running, conclusion, reason == null ? "" : reason);
    List<String> lines = new ArrayList<>();
    ExperimentView view = views.get(running.key());
    if (view != null) {
      lines.add("result: " + view.outcome() + ": " + view.message());
      if (!view.decision().equals(conclusion.word())) {
        lines.add(
            "note: the test recommends "
                + view.decision()
                + (view.decision().equals("wait") ? " (not stopped yet)" : "")
                + "; you are choosing to "
                + conclusion.word());
      }
    }
    WritePlan plan;
    try {
      plan =
          core.git
              .writer()
              .planFile(
                  entry.rendered.name(),
                  record.file(),
                  record.text().getBytes(StandardCharsets.UTF_8),
                  record.subject(),
                  reason == null ? "" : reason);
    } catch (GitException e) {
      return Preview.refused(title, RepositoryCommands.failure(e));
    }
    lines.add(
        "commit on branch "
            + plan.branch()
            + " (on top of "
            + plan.base()
            + "), authored by "
            + plan.author()
            + ", recording the decision in "
            + record.file()
            + ":");
    plan.message().strip().lines().forEach(line -> lines.add("  | " + line));
    lines.add(
        push
            ? "push: to " + plan.branch() + " on the remote; if the push fails the commit stays in the local clone"
            : "push: no; the commit stays in the local clone");
    lines.add(
        conclusion == ExperimentConclusion.PROMOTE
            ? "then rollout "
                + running.spec().name()
                + ": promoted fully, "
                + running.b().version()
                + " becomes stable for everyone (the remaining steps skipped)"
            : "then rollout "
                + running.spec().name()
                + ": aborted, all traffic back on "
                + running.a().version()
                + " at once and the canary scaled down; Git still names "
                + running.b().version()
                + " until reverted (weir rollback)");
    if (running.experiment().segment() instanceof ExperimentSegment.Flag flag) {
      lines.add(
          conclusion == ExperimentConclusion.PROMOTE
              ? "flag " + flag.flag() + ": default variant " + flag.b() + " and its split " + flag.b()
                  + " 100%, one commit, pushed and synced (before the rollout moves)"
              : "flag " + flag.flag() + ": back as Git had it before the rollout (the abort's commit,"
                  + " authored by the rollout)");
    }
    return Preview.of(title, lines, true);
  }

  /** For tests and faces: the views by key. */
  Map<String, ExperimentView> byKey() {
    return new LinkedHashMap<>(views);
  }
}
