package dev.weir.engine.console;

import dev.weir.engine.flags.FlagDefinition;
import dev.weir.engine.flags.FlagEditor;
import dev.weir.engine.flags.FlagEvaluation;
import dev.weir.engine.flags.FlagEvaluator;
import dev.weir.engine.flags.FlagFile;
import dev.weir.engine.flags.FlagSet;
import dev.weir.engine.git.CommitInfo;
import dev.weir.engine.git.GitException;
import dev.weir.engine.git.WritePlan;
import dev.weir.engine.git.WriteResult;
import dev.weir.engine.model.Application;
import dev.weir.engine.model.FlagChange;
import dev.weir.engine.reconcile.SyncRequest;
import dev.weir.engine.reconcile.SyncResult;
import dev.weir.engine.reconcile.SyncTarget;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Feature flags (decision 0024): the flags of each application for the snapshot, "which variant
 * does this context get" with flagd's evaluator, and flag edits as Git commits — the file edited
 * in place ({@link FlagEditor}), committed with the person's reason through the GitWriter, pushed,
 * then the application synced so the flags ConfigMap follows. An edit that would not validate, or
 * whose push is refused, changes nothing in the cluster.
 */
final class FlagCommands implements dev.weir.engine.rollout.RolloutFlags {
  private final ConsoleCore core;
  private final FlagEvaluator evaluator = new FlagEvaluator();
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();
  /** Applications whose flags a rollout committed and pushed: synced once the pass is over. */
  private final java.util.Set<String> rolloutSyncs = ConcurrentHashMap.newKeySet();
  private final java.util.concurrent.atomic.AtomicBoolean syncing =
      new java.util.concurrent.atomic.AtomicBoolean();

  private record Cached(String revision, List<FlagView> flags) {}

  FlagCommands(ConsoleCore core) {
    this.core = core;
  }

  /** The flags of {@code app} at {@code revision}, each with its last change; empty on error. */
  List<FlagView> views(Application app, String revision) {
    if (revision == null || revision.isEmpty() || core.git == null) {
      return List.of();
    }
    Cached cached = cache.get(app.name());
    if (cached != null && cached.revision().equals(revision)) {
      return cached.flags();
    }
    List<FlagView> views = new ArrayList<>();
    try {
      if (FlagSet.load(core.git.tree(revision), app.path()) instanceof FlagSet.Found found) {
        Map<String, Optional<String>> lastChange = new LinkedHashMap<>();
        for (FlagFile file : found.set().files()) {
          Optional<String> last =
              core.git.history(file.path(), 1).stream().findFirst().map(FlagCommands::describe);
          for (FlagDefinition flag : file.flags()) {
            lastChange.put(flag.key(), last);
            views.add(view(flag, last));
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      return List.of(); // the render reports unreadable or invalid flag files
    }
    List<FlagView> result = List.copyOf(views);
    cache.put(app.name(), new Cached(revision, result));
    return result;
  }

  private static String describe(CommitInfo commit) {
    return commit.shortSha() + " " + commit.authorName() + " " + commit.date() + " " + commit.subject();
  }

  static FlagView view(FlagDefinition flag, Optional<String> lastChange) {
    Map<String, String> variants = new LinkedHashMap<>();
    flag.variants().forEach((k, v) -> variants.put(k, json(v)));
    return new FlagView(
        flag.key(),
        flag.enabled(),
        flag.defaultVariant(),
        variants,
        flag.fractions().stream().map(f -> new FlagView.Share(f.variant(), f.percent())).toList(),
        flag.summary(),
        flag.location().toString(),
        lastChange);
  }

  private static String json(Object value) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(value);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return String.valueOf(value);
    }
  }

  private FlagSet.Loaded headFlags(Application app) throws IOException {
    return FlagSet.load(core.git.head(), app.path());
  }

  FlagAnswer evaluate(ApplicationEntry entry, String flag, Map<String, Object> context) {
    Application app = entry.rendered.application();
    FlagSet set;
    try {
      switch (headFlags(app)) {
        case FlagSet.Found found -> set = found.set();
        case FlagSet.Failed failed -> {
          return FlagAnswer.failed(app.name(), flag,
              CommandResult.of(CommandResult.Status.FAILED, failed.problems().getFirst().toString()));
        }
      }
    } catch (IOException e) {
      return FlagAnswer.failed(app.name(), flag,
          CommandResult.of(CommandResult.Status.FAILED, "cannot read the flag files: " + e.getMessage()));
    }
    Optional<FlagDefinition> definition = set.flag(flag);
    if (definition.isEmpty()) {
      return FlagAnswer.failed(app.name(), flag, CommandResult.of(CommandResult.Status.BAD_INPUT,
          app.name() + " has no flag named '" + flag + "'; flags: "
              + String.join(", ", set.flags().stream().map(FlagDefinition::key).toList())));
    }
    FlagEvaluation evaluation = evaluator.evaluate(definition.get(), context);
    String line = evaluation.variant()
        .map(v -> flag + " = " + v + " (" + json(evaluation.value().orElse(null)) + "): " + evaluation.why())
        .orElse(flag + ": " + evaluation.why());
    return new FlagAnswer(
        app.name(),
        flag,
        evaluation.variant(),
        evaluation.value().map(FlagCommands::json),
        evaluation.reason().name(),
        evaluation.why(),
        CommandResult.ok(line));
  }

  /** An edit ready to commit, or why there is none. */
  private sealed interface Prepared permits Edit, Refused {}

  private record Edit(String file, String text, boolean changed, String subject) implements Prepared {}

  private record Refused(CommandResult result) implements Prepared {}

  private Prepared prepare(Application app, String flag, FlagChange change) {
    return prepare(app, flag, List.of(change));
  }

  /** Several changes of one flag, applied in order to the file's text: one edit, one commit. */
  private Prepared prepare(Application app, String flag, List<FlagChange> changes) {
    FlagSet set;
    try {
      switch (headFlags(app)) {
        case FlagSet.Found found -> set = found.set();
        case FlagSet.Failed failed -> {
          return new Refused(CommandResult.of(CommandResult.Status.REFUSED,
              "the flag files of " + app.name() + " do not validate at Git's head: "
                  + failed.problems().getFirst()));
        }
      }
    } catch (IOException e) {
      return new Refused(CommandResult.of(CommandResult.Status.FAILED,
          "cannot read the flag files of " + app.name() + ": " + e.getMessage()));
    }
    Optional<FlagFile> file = set.fileOf(flag);
    if (file.isEmpty()) {
      return new Refused(CommandResult.of(CommandResult.Status.BAD_INPUT,
          app.name() + " has no flag named '" + flag + "'; flags: "
              + String.join(", ", set.flags().stream().map(FlagDefinition::key).toList())));
    }
    FlagFile editing = file.get();
    for (FlagChange change : changes) {
      switch (FlagEditor.apply(editing, flag, change)) {
        case FlagEditor.Refused refused -> {
          return new Refused(CommandResult.of(CommandResult.Status.BAD_INPUT, refused.reason()));
        }
        case FlagEditor.Edited edited ->
            editing = ((FlagFile.Valid) FlagFile.parse(editing.path(), edited.text())).file();
      }
    }
    return new Edit(file.get().path(), editing.text(), !editing.text().equals(file.get().text()),
        subject(app, flag, changes));
  }

  static String subject(Application app, String flag, FlagChange change) {
    return subject(app, flag, List.of(change));
  }

  static String subject(Application app, String flag, List<FlagChange> changes) {
    return "Set flag " + flag + " of " + app.name() + ": "
        + String.join(", ", changes.stream().map(FlagChange::describe).toList());
  }

  CommandResult set(
      ApplicationEntry entry, String flag, FlagChange change, String reason, boolean push) {
    return set(entry, flag, List.of(change), reason, push);
  }

  /** Several changes of one flag as one commit (a concluded flag experiment: default and split). */
  CommandResult set(
      ApplicationEntry entry, String flag, List<FlagChange> changes, String reason, boolean push) {
    String described = String.join(", ", changes.stream().map(FlagChange::describe).toList());
    Application app = entry.rendered.application();
    Edit edit;
    switch (prepare(app, flag, changes)) {
      case Refused refused -> {
        return refused.result();
      }
      case Edit made -> edit = made;
    }
    if (!edit.changed()) {
      return CommandResult.ok("flag " + flag + " of " + app.name() + " already is "
          + described + "; no commit");
    }
    WriteResult written;
    try {
      written = core.git.writer().writeFile(app.name(), edit.file(),
          edit.text().getBytes(StandardCharsets.UTF_8), edit.subject(), reason, push);
    } catch (GitException e) {
      return RepositoryCommands.failure(e);
    }
    List<String> details = new ArrayList<>();
    String message;
    CommandResult.Status status;
    if (written.outcome() == WriteResult.Outcome.PUSHED) {
      core.snapshots.refreshAll(false);
      ApplicationEntry fresh = core.entries.getOrDefault(app.name(), entry);
      SyncResult result = core.reconciler.sync(
          SyncTarget.latest(fresh.rendered),
          new SyncRequest(SyncRequest.Trigger.MANUAL, false, false, false, false,
              core.options.maxPruneShare()),
          core.options.user(),
          core.live,
          r -> details.add(r.describe()));
      message = written.message() + "; " + result.message();
      status = ConsoleCore.status(result);
      core.snapshots.compare(core.entries.getOrDefault(app.name(), fresh));
    } else if (push) {
      message = written.message() + "; not synced: the cluster keeps its flags until the commit is pushed";
      status = written.pushError()
          .map(e -> e.reason().name().equals("UNREACHABLE")
              ? CommandResult.Status.UNREACHABLE : CommandResult.Status.FAILED)
          .orElse(CommandResult.Status.FAILED);
    } else {
      message = written.message() + "; not pushed, so not synced: the cluster follows once it is pushed";
      status = CommandResult.Status.OK;
    }
    core.events.emit(ConsoleEvent.Kind.COMMAND, Severity.INFO, app.name(), core.options.user(),
        "flag " + flag + ": " + described + ": " + message,
        Map.of("flag", flag, "reason", reason));
    return new CommandResult(status, message, details);
  }

  Preview preview(
      ApplicationEntry entry, String flag, FlagChange change, String reason, boolean push) {
    Application app = entry.rendered.application();
    String title = "Set flag " + flag + " of " + app.name() + ": " + change.describe();
    Edit edit;
    switch (prepare(app, flag, change)) {
      case Refused refused -> {
        return Preview.refused(title, refused.result());
      }
      case Edit made -> edit = made;
    }
    if (!edit.changed()) {
      return Preview.of(title, List.of("flag " + flag + " already is " + change.describe()
          + ": no commit, nothing changes"), false);
    }
    WritePlan plan;
    try {
      plan = core.git.writer().planFile(app.name(), edit.file(),
          edit.text().getBytes(StandardCharsets.UTF_8), edit.subject(), reason);
    } catch (GitException e) {
      return Preview.refused(title, RepositoryCommands.failure(e));
    }
    List<String> lines = new ArrayList<>();
    lines.add("edit " + edit.file() + " in place (formatting and key order kept)");
    lines.add("commit on branch " + plan.branch() + " (on top of " + plan.base()
        + "), authored by " + plan.author() + ":");
    plan.message().strip().lines().forEach(line -> lines.add("  | " + line));
    if (push) {
      lines.add("push: to " + plan.branch() + " on the remote; a refused push changes nothing in the cluster");
      lines.add("then sync " + app.name() + ": ConfigMap " + FlagSet.configMapName(app.name())
          + " (flagd.json) follows Git, and flagd serves the new flags");
    } else {
      lines.add("push: no; the commit stays in the local clone and the cluster is not synced");
    }
    return Preview.of(title, lines, true);
  }

  // ---- a rollout's flag steps (RolloutFlags) ----------------------------------------------

  /** The author of a rollout's flag commits: the rollout itself. */
  static dev.weir.engine.git.GitIdentity rolloutAuthor(dev.weir.engine.rollout.RolloutSpec spec) {
    return new dev.weir.engine.git.GitIdentity(
        "weir rollout " + spec.name(), "rollout+" + spec.name() + "@weir.dev");
  }

  @Override
  public Outcome set(
      dev.weir.engine.rollout.RolloutSpec spec, String flag, FlagChange change, String reason) {
    ApplicationEntry entry = core.entries.get(spec.application());
    if (entry == null || entry.rendered == null || core.git == null) {
      return new Outcome(false, "flag " + flag + ": application " + spec.application() + " is not known here");
    }
    Application app = entry.rendered.application();
    return switch (prepare(app, flag, change)) {
      case Refused refused -> new Outcome(false, "rollout " + spec.name() + ": " + refused.result().message());
      case Edit edit -> commit(spec, app, flag, edit, change.describe(), reason);
    };
  }

  @Override
  public Outcome restore(
      dev.weir.engine.rollout.RolloutSpec spec, String flag, String revision, String reason) {
    ApplicationEntry entry = core.entries.get(spec.application());
    if (entry == null || entry.rendered == null || core.git == null) {
      return new Outcome(false, "flag " + flag + ": application " + spec.application() + " is not known here");
    }
    Application app = entry.rendered.application();
    FlagDefinition before;
    FlagSet now;
    try {
      if (!(FlagSet.load(core.git.tree(revision), app.path()) instanceof FlagSet.Found then)
          || then.set().flag(flag).isEmpty()) {
        return new Outcome(true, "flag " + flag + " was not in Git at " + revision + ": left as it is");
      }
      before = then.set().flag(flag).get();
      switch (headFlags(app)) {
        case FlagSet.Found found -> now = found.set();
        case FlagSet.Failed failed -> {
          return new Outcome(false, "cannot restore flag " + flag + ": the flag files of " + app.name()
              + " do not validate at Git's head: " + failed.problems().getFirst());
        }
      }
    } catch (IOException | RuntimeException e) {
      return new Outcome(false, "cannot restore flag " + flag + ": " + e.getMessage());
    }
    Optional<FlagFile> file = now.fileOf(flag);
    if (file.isEmpty()) {
      return new Outcome(true, "flag " + flag + " is no longer in Git: nothing to restore");
    }
    FlagDefinition current = now.flag(flag).orElseThrow();
    List<FlagChange> changes = new ArrayList<>();
    if (current.enabled() != before.enabled()) {
      changes.add(new FlagChange.SetState(before.enabled()));
    }
    if (!current.defaultVariant().equals(before.defaultVariant())) {
      changes.add(new FlagChange.SetDefault(before.defaultVariant()));
    }
    if (!before.fractions().isEmpty() && !current.fractions().isEmpty()
        && !weights(before).equals(weights(current))) {
      changes.add(new FlagChange.SetFractions(weights(before)));
    }
    if (changes.isEmpty()) {
      syncIfServedFlagsBehind(app);
      return new Outcome(true, "flag " + flag + " of " + app.name() + " already is as at " + revision);
    }
    FlagFile editing = file.get();
    String text = editing.text();
    for (FlagChange change : changes) {
      switch (FlagEditor.apply(editing, flag, change)) {
        case FlagEditor.Refused refused -> {
          return new Outcome(false, "cannot restore flag " + flag + ": " + refused.reason());
        }
        case FlagEditor.Edited edited -> {
          text = edited.text();
          editing = ((FlagFile.Valid) FlagFile.parse(editing.path(), text)).file();
        }
      }
    }
    String what = "restored as at " + revision.substring(0, Math.min(7, revision.length()))
        + " (" + String.join(", ", changes.stream().map(FlagChange::describe).toList()) + ")";
    Edit edit = new Edit(editing.path(), text, true,
        "Set flag " + flag + " of " + app.name() + ": " + what);
    return commit(spec, app, flag, edit, what, reason);
  }

  private static Map<String, Integer> weights(FlagDefinition flag) {
    Map<String, Integer> out = new LinkedHashMap<>();
    flag.fractions().forEach(f -> out.put(f.variant(), f.weight()));
    return out;
  }

  /** Commits and pushes a rollout's flag edit; the application is synced after the pass. */
  private Outcome commit(
      dev.weir.engine.rollout.RolloutSpec spec, Application app, String flag, Edit edit, String what,
      String reason) {
    if (!edit.changed()) {
      syncIfServedFlagsBehind(app);
      return new Outcome(true, "flag " + flag + " of " + app.name() + " already is " + what + "; no commit");
    }
    WriteResult written;
    try {
      written = core.git.writer().writeFileAs(rolloutAuthor(spec), app.name(), edit.file(),
          edit.text().getBytes(StandardCharsets.UTF_8), edit.subject(), reason, true);
    } catch (GitException e) {
      return new Outcome(false, "rollout " + spec.name() + ": flag " + flag + " not committed: " + e.getMessage());
    }
    if (written.outcome() != WriteResult.Outcome.PUSHED) {
      return new Outcome(false, "rollout " + spec.name() + ": flag " + flag + ": " + written.message()
          + "; the cluster keeps its flags until the commit is pushed");
    }
    rolloutSyncs.add(app.name());
    core.events.emit(ConsoleEvent.Kind.COMMAND, Severity.INFO, app.name(), "rollout " + spec.name(),
        "flag " + flag + ": " + what + ": " + written.message(), Map.of("flag", flag, "reason", reason));
    return new Outcome(true, "rollout " + spec.name() + ": flag " + flag + ": " + what + ": " + written.message());
  }

  /**
   * A rollout's flag is already as asked in Git, so nothing is committed; but when the cluster's
   * flags ConfigMap of {@code app} is not what Git renders (the console that committed and pushed
   * it died before its sync), the application is synced after the pass all the same, as it would
   * have been. Other differences of the application do not make a sync here.
   */
  private void syncIfServedFlagsBehind(Application app) {
    ApplicationEntry entry = core.entries.get(app.name());
    if (entry == null || entry.rendered == null || entry.rendered.lastGood().isEmpty()) {
      return;
    }
    for (dev.weir.engine.model.Manifest wanted : entry.rendered.lastGood().get().resources().values()) {
      if (!wanted.key().kind().equals("ConfigMap")
          || !wanted.key().name().equals(FlagSet.configMapName(app.name()))) {
        continue;
      }
      try {
        Optional<dev.weir.engine.model.LiveObject> live = core.gateway.get(wanted.key());
        if (live.isEmpty()
            || !java.util.Objects.equals(
                wanted.object().get("data"), live.get().object().get("data"))) {
          rolloutSyncs.add(app.name());
        }
      } catch (RuntimeException e) {
        // the cluster cannot be read now: the next pass asks again
      }
      return;
    }
  }

  /**
   * Syncs the applications whose flags a rollout committed, once its pass is over (a sync inside
   * the pass would take the rollout's pass again from within): Git fetched and rendered, then each
   * application synced so that its flags ConfigMap follows. Does nothing when called from within.
   */
  void syncAfterRollouts() {
    if (rolloutSyncs.isEmpty() || !syncing.compareAndSet(false, true)) {
      return;
    }
    try {
      List<String> apps = new ArrayList<>(rolloutSyncs);
      rolloutSyncs.removeAll(apps);
      core.snapshots.refreshAll(false);
      for (String name : apps) {
        ApplicationEntry fresh = core.entries.get(name);
        if (fresh == null || fresh.rendered == null) {
          continue;
        }
        SyncResult result = core.reconciler.sync(
            SyncTarget.latest(fresh.rendered),
            new SyncRequest(SyncRequest.Trigger.MANUAL, false, false, false, false,
                core.options.maxPruneShare()),
            "rollout",
            core.live,
            r -> {});
        core.snapshots.compare(core.entries.getOrDefault(name, fresh));
        if (!result.succeeded()) {
          rolloutSyncs.add(name); // tried again after the next pass
        }
      }
    } finally {
      syncing.set(false);
    }
  }
}
