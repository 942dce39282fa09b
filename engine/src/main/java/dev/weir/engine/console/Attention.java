package dev.weir.engine.console;

import dev.weir.engine.analysis.AnalysisCheckpoint;
import dev.weir.engine.analysis.AnalysisPhase;
import dev.weir.engine.analysis.Measurement;
import dev.weir.engine.model.HealthStatus;
import dev.weir.engine.model.SyncStatus;
import dev.weir.engine.reconcile.Freeze;
import dev.weir.engine.reconcile.Hotfix;
import dev.weir.engine.rollout.AnalysisCounts;
import dev.weir.engine.rollout.RolloutPhase;
import dev.weir.engine.rollout.RolloutStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The needs-attention queue: the one function the CLI ({@code weir attention}) and both consoles
 * use to say what wants a person now. Pure: the same input gives the same queue.
 *
 * <p>What belongs there, and how urgent it is:
 *
 * <ul>
 *   <li>critical: a rollout rolled back by its analysis ({@code ROLLOUT_FAILED}, act: rollback,
 *       so that Git agrees); a canary still running whose latest measurement failed ({@code
 *       ANALYSIS_FAILING}, act: abort); an application whose definition does not load ({@code
 *       DEFINITION_FAILED}, act: fix the file); a Degraded application not explained by a rollout
 *       ({@code DEGRADED}, act: diff);
 *   <li>warning: a rollout aborted by a person ({@code ROLLOUT_ABORTED}, act: rollback); a rollout
 *       paused as inconclusive ({@code ROLLOUT_INCONCLUSIVE}, act: retry) or waiting for promotion
 *       ({@code ROLLOUT_PAUSED}, act: promote); an OutOfSync application ({@code OUT_OF_SYNC},
 *       act: sync); a freeze ending within {@link #EXPIRING} ({@code FREEZE_EXPIRING}, act:
 *       freeze);
 *   <li>info: a freeze that ended within {@link #RECENTLY} ({@code FREEZE_EXPIRED}: automation is
 *       back; act: diff); hotfixes waiting for their backport ({@code BACKPORT_PENDING}, act:
 *       backport).
 * </ul>
 *
 * <p>Sorted by severity, then age (oldest first), then application and kind. Worked examples: a
 * failed canary of 10:05 comes before an OutOfSync application of 09:00; of two OutOfSync
 * applications, the one drifted since 09:00 comes before the one since 09:30.
 *
 * <p>Since when: the time the thing itself carries when there is one (the failed measurement, the
 * rollout's latest transition event, the freeze's end or start, the hotfix); otherwise the same
 * item's {@code since} in {@code previous} (the console's last queue); otherwise {@code now}.
 */
public final class Attention {
  /** A freeze ending sooner than this is about to expire. */
  public static final Duration EXPIRING = Duration.ofMinutes(15);

  /** A freeze that ended less than this ago is still worth saying. */
  public static final Duration RECENTLY = Duration.ofHours(1);

  /**
   * What the queue is computed from.
   *
   * @param now the engine clock's time
   * @param applications every application as the snapshot shows it
   * @param freezes each application's kept freeze, expired ones included (by application; ""
   *     for the global freeze)
   * @param definitions definitions that do not load
   * @param events each application's recent events, by application (for when a rollout began to
   *     wait, when drift was detected)
   */
  public record Input(
      Instant now,
      List<ApplicationView> applications,
      Map<String, Freeze> freezes,
      List<DefinitionProblem> definitions,
      Map<String, List<ConsoleEvent>> events) {
    public Input {
      Objects.requireNonNull(now, "now");
      applications = List.copyOf(applications);
      freezes = Map.copyOf(freezes);
      definitions = List.copyOf(definitions);
      events = Map.copyOf(events);
    }

    /** The input with {@code events} grouped by application. */
    public static Input of(
        Instant now,
        List<ApplicationView> applications,
        Map<String, Freeze> freezes,
        List<DefinitionProblem> definitions,
        List<ConsoleEvent> events) {
      return new Input(
          now,
          applications,
          freezes,
          definitions,
          events.stream()
              .collect(java.util.stream.Collectors.groupingBy(ConsoleEvent::application)));
    }
  }

  /**
   * An application definition (or a file that may hold one) that does not load.
   *
   * @param application its name when known, else ""
   * @param location {@code file:line:column}
   * @param message what is wrong, one line
   */
  public record DefinitionProblem(String application, String location, String message) {
    public DefinitionProblem {
      application = application == null ? "" : application;
      Objects.requireNonNull(location, "location");
      Objects.requireNonNull(message, "message");
    }
  }

  /** The order of the queue: severity, age (oldest first), application, kind. */
  public static final Comparator<AttentionItem> ORDER =
      Comparator.comparing(AttentionItem::severity)
          .thenComparing(AttentionItem::since)
          .thenComparing(AttentionItem::application)
          .thenComparing(AttentionItem::kind);

  private Attention() {}

  /** The queue for {@code input}, sorted; {@code previous} only lends earlier {@code since}s. */
  public static List<AttentionItem> of(Input input, List<AttentionItem> previous) {
    Map<String, Instant> seen = new HashMap<>();
    previous.forEach(item -> seen.put(item.key(), item.since()));
    Builder out = new Builder(input.now(), seen);
    for (ApplicationView view : input.applications()) {
      applicationItems(view, input, out);
    }
    for (DefinitionProblem problem : input.definitions()) {
      out.add(
          Severity.CRITICAL,
          AttentionItem.Kind.DEFINITION_FAILED,
          problem.application(),
          Optional.empty(),
          problem.location() + ": " + problem.message(),
          AttentionItem.Action.FIX_DEFINITION);
    }
    Freeze global = input.freezes().get("");
    if (global != null) {
      freezeItem("", global, input.now(), out);
    }
    List<AttentionItem> items = new ArrayList<>(out.items);
    items.sort(ORDER);
    return List.copyOf(items);
  }

  private static void applicationItems(ApplicationView view, Input input, Builder out) {
    String name = view.name();
    boolean rolloutExplainsHealth = false;
    for (RolloutStatus rollout : view.rollouts()) {
      String label = rollout.rollout().equals(name) ? "rollout" : "rollout " + rollout.rollout();
      Optional<Instant> changed = lastEvent(input.events(), name, ConsoleEvent.Kind.ROLLOUT);
      switch (rollout.phase()) {
        case DEGRADED -> {
          rolloutExplainsHealth = true;
          out.add(
              Severity.CRITICAL,
              AttentionItem.Kind.ROLLOUT_FAILED,
              name,
              changed,
              label + " failed: " + rollout.message(),
              AttentionItem.Action.ROLLBACK);
        }
        case ABORTED -> {
          rolloutExplainsHealth = true;
          out.add(
              Severity.WARNING,
              AttentionItem.Kind.ROLLOUT_ABORTED,
              name,
              changed,
              label + " aborted: " + rollout.message(),
              AttentionItem.Action.ROLLBACK);
        }
        case PROGRESSING, PAUSED -> {
          Optional<Measurement> failed = latestFailed(rollout);
          if (failed.isPresent()) {
            out.add(
                Severity.CRITICAL,
                AttentionItem.Kind.ANALYSIS_FAILING,
                name,
                failed.map(Measurement::at),
                label + " canary failing: " + failing(failed.get()),
                AttentionItem.Action.ABORT);
          } else if (rollout.phase() == RolloutPhase.PAUSED && inconclusive(rollout)) {
            out.add(
                Severity.WARNING,
                AttentionItem.Kind.ROLLOUT_INCONCLUSIVE,
                name,
                changed,
                label + " inconclusive: " + rollout.message(),
                AttentionItem.Action.RETRY);
          } else if (rollout.phase() == RolloutPhase.PAUSED && awaitsPromotion(rollout)) {
            out.add(
                Severity.WARNING,
                AttentionItem.Kind.ROLLOUT_PAUSED,
                name,
                changed,
                label + " paused for promotion: " + rollout.message(),
                AttentionItem.Action.PROMOTE);
          }
        }
        case HEALTHY -> {}
      }
    }
    if (view.health().status() == HealthStatus.Degraded && !rolloutExplainsHealth) {
      out.add(
          Severity.CRITICAL,
          AttentionItem.Kind.DEGRADED,
          name,
          Optional.empty(),
          "Degraded: " + view.health().message(),
          AttentionItem.Action.DIFF);
    }
    if (view.sync() == SyncStatus.OutOfSync) {
      String summary = view.summary();
      int colon = summary.indexOf(": ");
      out.add(
          Severity.WARNING,
          AttentionItem.Kind.OUT_OF_SYNC,
          name,
          lastEvent(input.events(), name, ConsoleEvent.Kind.DRIFT),
          "OutOfSync" + (colon < 0 ? "" : ": " + summary.substring(colon + 2)),
          AttentionItem.Action.SYNC);
    }
    Freeze freeze = input.freezes().get(name);
    if (freeze != null) {
      freezeItem(name, freeze, input.now(), out);
    }
    if (!view.hotfixes().isEmpty()) {
      Instant oldest =
          view.hotfixes().stream().map(Hotfix::since).min(Comparator.naturalOrder()).orElseThrow();
      Hotfix first = view.hotfixes().getFirst();
      out.add(
          Severity.INFO,
          AttentionItem.Kind.BACKPORT_PENDING,
          name,
          Optional.of(oldest),
          view.hotfixes().size()
              + (view.hotfixes().size() == 1 ? " hotfix" : " hotfixes")
              + " to backport: "
              + first.key()
              + (first.pointer().isEmpty() ? "" : " " + first.pointer())
              + " by "
              + first.by()
              + ": "
              + first.reason(),
          AttentionItem.Action.BACKPORT);
    }
  }

  private static void freezeItem(String application, Freeze freeze, Instant now, Builder out) {
    String whose = application.isEmpty() ? "global freeze" : "freeze";
    if (!freeze.activeAt(now)) {
      if (Duration.between(freeze.until(), now).compareTo(RECENTLY) < 0) {
        out.add(
            Severity.INFO,
            AttentionItem.Kind.FREEZE_EXPIRED,
            application,
            Optional.of(freeze.until()),
            whose + " by " + freeze.by() + " ended at " + freeze.until() + ": " + freeze.reason()
                + "; automated sync is back",
            AttentionItem.Action.DIFF);
      }
    } else if (Duration.between(now, freeze.until()).compareTo(EXPIRING) <= 0) {
      out.add(
          Severity.WARNING,
          AttentionItem.Kind.FREEZE_EXPIRING,
          application,
          Optional.of(freeze.since()),
          whose + " by " + freeze.by() + " ends at " + freeze.until() + ": " + freeze.reason(),
          AttentionItem.Action.FREEZE);
    }
  }

  /** The newest failed measurement of a metric whose latest measurement failed, if any. */
  static Optional<Measurement> latestFailed(RolloutStatus rollout) {
    List<AnalysisCounts> runs = new ArrayList<>();
    rollout.analysis().ifPresent(runs::add);
    rollout.background().ifPresent(runs::add);
    return runs.stream()
        .filter(counts -> !counts.phase().completed() || counts.phase() == AnalysisPhase.FAILED)
        .flatMap(counts -> counts.checkpoints().stream())
        .flatMap(c -> c.metrics().stream())
        .map(AnalysisCheckpoint.MetricCheckpoint::last)
        .flatMap(Optional::stream)
        .filter(m -> m.phase() == AnalysisPhase.FAILED)
        .max(Comparator.comparing(Measurement::at));
  }

  private static boolean inconclusive(RolloutStatus rollout) {
    return rollout.analysis().map(a -> a.phase() == AnalysisPhase.INCONCLUSIVE).orElse(false)
        || rollout.background().map(a -> a.phase() == AnalysisPhase.INCONCLUSIVE).orElse(false)
        || rollout.message().contains("nconclusive");
  }

  private static boolean awaitsPromotion(RolloutStatus rollout) {
    return rollout.message().contains("until promoted")
        || rollout.message().contains("waiting for promote")
        || rollout.message().contains("promote or abort");
  }

  private static Optional<Instant> lastEvent(
      Map<String, List<ConsoleEvent>> events, String name, ConsoleEvent.Kind kind) {
    return events.getOrDefault(name, List.of()).stream()
        .filter(e -> e.kind() == kind)
        .map(ConsoleEvent::at)
        .max(Comparator.naturalOrder());
  }

  private static final class Builder {
    final Instant now;
    final Map<String, Instant> seen;
    final List<AttentionItem> items = new ArrayList<>();

    Builder(Instant now, Map<String, Instant> seen) {
      this.now = now;
      this.seen = seen;
    }

    void add(
        Severity severity,
        AttentionItem.Kind kind,
        String application,
        Optional<Instant> since,
        String message,
        AttentionItem.Action action) {
      AttentionItem draft = new AttentionItem(severity, kind, application, now, message, action);
      Instant when = since.orElseGet(() -> seen.getOrDefault(draft.key(), now));
      items.add(new AttentionItem(severity, kind, application, when, message, action));
    }
  }

  /** The failed measurement in words, its metric named once (its message often starts with it). */
  static String failing(Measurement failed) {
    String message = failed.message();
    return message.startsWith(failed.metric()) ? message : failed.metric() + " " + message;
  }
}
