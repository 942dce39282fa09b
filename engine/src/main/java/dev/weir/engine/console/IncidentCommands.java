package dev.weir.engine.console;

import dev.weir.engine.git.WriteResult;
import dev.weir.engine.model.Application;
import dev.weir.engine.model.DesiredState;
import dev.weir.engine.model.LiveObject;
import dev.weir.engine.model.ResourceKey;
import dev.weir.engine.reconcile.ApplicationState;
import dev.weir.engine.reconcile.Freeze;
import dev.weir.engine.reconcile.Hotfix;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Incident commands: freezes (of one application or all), hotfixes (deliberate drift kept by sync
 * and self-heal) and their backports to Git.
 */
final class IncidentCommands {
  private final ConsoleCore core;

  IncidentCommands(ConsoleCore core) {
    this.core = core;
  }

  CommandResult freeze(String application, String reason, Duration duration) {
    Instant now = core.clock.instant();
    Freeze freeze = new Freeze(reason, core.options.user(), now, now.plus(duration));
    if (application == null) {
      core.reconciler.store().saveGlobalFreeze(Optional.of(freeze));
      core.globalFreeze = Optional.of(freeze);
      core.clock.schedule(duration, () -> core.workers.submit(() -> freezeEnded(null)));
      core.event(ConsoleEvent.Kind.FREEZE, "", "froze every application until " + freeze.until() + ": " + reason);
      core.entries.values().forEach(core.snapshots::restate);
      return CommandResult.ok("froze every application until " + freeze.until() + ": " + reason);
    }
    return core.withApplication(
        application,
        entry -> {
          Application app = entry.rendered.application();
          core.reconciler
              .store()
              .save(app, core.reconciler.store().load(app).withFreeze(Optional.of(freeze)));
          core.clock.schedule(duration, () -> core.workers.submit(() -> freezeEnded(application)));
          core.event(
              ConsoleEvent.Kind.FREEZE,
              application,
              "frozen by " + core.options.user() + " until " + freeze.until() + ": " + reason);
          core.snapshots.restate(entry);
          return CommandResult.ok(
              "froze " + application + " until " + freeze.until() + ": " + reason);
        });
  }

  CommandResult unfreeze(String application) {
    if (application == null) {
      core.reconciler.store().saveGlobalFreeze(Optional.empty());
      core.globalFreeze = Optional.empty();
      core.event(ConsoleEvent.Kind.FREEZE, "", "unfroze every application");
      core.entries.values().forEach(core.snapshots::restate);
      return CommandResult.ok("unfroze every application");
    }
    return core.withApplication(
        application,
        entry -> {
          Application app = entry.rendered.application();
          core.reconciler
              .store()
              .save(app, core.reconciler.store().load(app).withFreeze(Optional.empty()));
          core.event(ConsoleEvent.Kind.FREEZE, application, "unfrozen by " + core.options.user());
          core.snapshots.restate(entry);
          return CommandResult.ok("unfroze " + application);
        });
  }

  private void freezeEnded(String application) {
    if (core.closed) {
      return;
    }
    core.event(
        ConsoleEvent.Kind.FREEZE, Severity.INFO, application == null ? "" : application, "", "freeze ended");
    if (application == null) {
      core.entries.values().forEach(core.snapshots::restate);
    } else {
      Optional.ofNullable(core.entries.get(application))
          .ifPresent(
              e -> {
                core.snapshots.restate(e);
                core.automation.scheduleIfWatching(e);
              });
    }
  }

  CommandResult hotfix(
      ApplicationEntry entry, ResourceKey key, String pointer, String reason, Duration duration) {
    Application app = entry.rendered.application();
    Instant now = core.clock.instant();
    Hotfix hotfix;
    try {
      hotfix = new Hotfix(key, pointer, reason, core.options.user(), now, now.plus(duration));
    } catch (IllegalArgumentException e) {
      return CommandResult.of(CommandResult.Status.BAD_INPUT, e.getMessage());
    }
    ApplicationState state = core.reconciler.store().load(app);
    List<Hotfix> hotfixes = new ArrayList<>(state.hotfixes());
    hotfixes.removeIf(h -> h.key().equals(key) && h.pointer().equals(hotfix.pointer()));
    hotfixes.add(hotfix);
    core.reconciler.store().save(app, state.withHotfixes(hotfixes));
    core.event(ConsoleEvent.Kind.HOTFIX, app.name(), hotfix.describe());
    core.snapshots.compare(entry);
    return CommandResult.ok(hotfix.describe());
  }

  /**
   * A backport's edit: the file, its new text, the fields changed ({@code /spec/replicas=7}), the
   * commit's subject and the hotfixes' reasons.
   */
  private sealed interface Prepared permits Edit, Refused {}

  private record Edit(
      String file, String text, List<String> changed, String subject, String reasons)
      implements Prepared {}

  /** No edit: {@code result} says why. */
  private record Refused(CommandResult result) implements Prepared {}

  private static Refused refused(CommandResult.Status status, String message) {
    return new Refused(CommandResult.of(status, message));
  }

  /** The edit a backport of {@code key} makes, or (as a result) why there is none. */
  private Prepared edit(ApplicationEntry entry, ResourceKey key) {
    Application app = entry.rendered.application();
    ApplicationState state = core.reconciler.store().load(app);
    List<Hotfix> fields =
        state.activeHotfixes(core.clock.instant()).stream()
            .filter(h -> h.key().equals(key) && !h.wholeObject())
            .toList();
    if (fields.isEmpty()) {
      return refused(
          CommandResult.Status.BAD_INPUT, "no hotfixed field on " + key + " to backport");
    }
    DesiredState desired = entry.compared;
    dev.weir.engine.model.Manifest manifest = desired == null ? null : desired.resources().get(key);
    if (manifest == null) {
      return refused(
          CommandResult.Status.REFUSED, key + " is not in Git; backport it by hand");
    }
    Optional<LiveObject> live = core.gateway.get(key);
    if (live.isEmpty()) {
      return refused(
          CommandResult.Status.REFUSED, key + " is not in the cluster: nothing to backport");
    }
    String file = manifest.source().file();
    String text;
    try {
      dev.weir.engine.git.RevisionTree head = core.git.head();
      String directory = file.contains("/") ? file.substring(0, file.lastIndexOf('/')) : "";
      var treeFile = head.files(directory).stream().filter(f -> f.path().equals(file)).findFirst();
      if (treeFile.isEmpty()) {
        return refused(
            CommandResult.Status.REFUSED,
            key
                + " comes from "
                + file
                + ", which is not a plain file of the repository (kustomize or helm output);"
                + " backport it by hand");
      }
      text = new String(head.read(treeFile.get()), java.nio.charset.StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      return refused(
          CommandResult.Status.FAILED, "cannot read " + file + ": " + e.getMessage());
    }
    List<String> changed = new ArrayList<>();
    for (Hotfix hotfix : fields) {
      Object value =
          dev.weir.engine.reconcile.JsonPointerValues.get(live.get().object(), hotfix.pointer())
              .orElse(null);
      switch (dev.weir.engine.reconcile.YamlFieldEdit.replace(
          text, manifest.source().line(), hotfix.pointer(), value)) {
        case dev.weir.engine.reconcile.YamlFieldEdit.Edited edited -> {
          text = edited.text();
          changed.add(hotfix.pointer() + "=" + value);
        }
        case dev.weir.engine.reconcile.YamlFieldEdit.Refused refused -> {
          return refused(
              CommandResult.Status.REFUSED, "cannot backport " + key + ": " + refused.reason());
        }
      }
    }
    String reasons = String.join("; ", fields.stream().map(Hotfix::reason).distinct().toList());
    return new Edit(
        file,
        text,
        changed,
        "Backport hotfix of " + key + ": " + String.join(", ", changed),
        reasons);
  }

  CommandResult backport(ApplicationEntry entry, ResourceKey key, boolean push) {
    Edit edit;
    switch (edit(entry, key)) {
      case Refused refused -> {
        return refused.result();
      }
      case Edit made -> edit = made;
    }
    Application app = entry.rendered.application();
    List<String> changed = edit.changed();
    WriteResult written =
        core.git
            .writer()
            .writeFile(
                app.name(),
                edit.file(),
                edit.text().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                edit.subject(),
                edit.reasons(),
                push);
    if (written.outcome() == WriteResult.Outcome.PUSHED
        || written.outcome() == WriteResult.Outcome.NO_CHANGE) {
      ApplicationState now = core.reconciler.store().load(app);
      core.reconciler
          .store()
          .save(
              app,
              now.withHotfixes(now.hotfixes().stream().filter(h -> !h.key().equals(key)).toList()));
    }
    core.event(ConsoleEvent.Kind.HOTFIX, app.name(), written.message());
    core.snapshots.refreshAll(false);
    CommandResult.Status status =
        written.outcome() == WriteResult.Outcome.COMMITTED_LOCALLY && push
            ? CommandResult.Status.FAILED
            : CommandResult.Status.OK;
    return new CommandResult(status, written.message(), changed);
  }

  /**
   * What {@link #backport} would commit, nothing changed: each field set to its live value, the
   * file, the exact commit message, its branch and author, and whether it is pushed.
   */
  Preview previewBackport(ApplicationEntry entry, ResourceKey key, boolean push) {
    String title = "Backport the hotfix of " + key + " to Git";
    Edit edit;
    switch (edit(entry, key)) {
      case Refused refused -> {
        return Preview.refused(title, refused.result());
      }
      case Edit made -> edit = made;
    }
    Application app = entry.rendered.application();
    dev.weir.engine.git.WritePlan plan =
        core.git
            .writer()
            .planFile(
                app.name(),
                edit.file(),
                edit.text().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                edit.subject(),
                edit.reasons());
    List<String> lines = new ArrayList<>();
    edit.changed().forEach(field -> lines.add("set " + field + " in " + edit.file()));
    if (!plan.changes()) {
      lines.add("no commit: " + edit.file() + " already has these values; the hotfix ends");
      return Preview.of(title, lines, false);
    }
    lines.add(
        "commit on branch "
            + plan.branch()
            + " (on top of "
            + plan.base()
            + "), authored by "
            + plan.author()
            + ":");
    plan.message().strip().lines().forEach(line -> lines.add("  | " + line));
    lines.add(
        push
            ? "push: to " + plan.branch() + " on the remote; once pushed the hotfix ends"
            : "push: no; the commit stays in the local clone and the hotfix stays until pushed");
    return Preview.of(title, lines, true);
  }

  /** The previews of {@link #backportAll}, in its order. */
  Preview previewBackportAll(String application, boolean push) {
    if (core.entries.isEmpty()) {
      core.snapshots.refreshAll(false);
    }
    List<String> names =
        application != null
            ? List.of(application)
            : core.sortedEntries().stream().map(e -> e.rendered.name()).toList();
    String title =
        "Backport every hotfix" + (application == null ? "" : " of " + application) + " to Git";
    List<String> lines = new ArrayList<>();
    boolean confirm = false;
    for (String name : names) {
      List<Preview> previews =
          core.withApplication(
              name,
              entry ->
                  core.reconciler.store().load(entry.rendered.application())
                      .activeHotfixes(core.clock.instant()).stream()
                      .filter(h -> !h.wholeObject())
                      .map(Hotfix::key)
                      .distinct()
                      .map(key -> previewBackport(entry, key, push))
                      .toList(),
              result -> List.of(Preview.refused(title, result)));
      for (Preview preview : previews) {
        if (preview.status() == CommandResult.Status.BAD_INPUT && application != null) {
          return Preview.refused(title, CommandResult.of(preview.status(), preview.lines().getFirst()));
        }
        lines.add(preview.title() + (preview.ok() ? "" : " (" + preview.status() + ")"));
        preview.lines().forEach(line -> lines.add("  " + line));
        confirm |= preview.needsConfirmation();
      }
    }
    if (lines.isEmpty()) {
      return application != null
          ? Preview.refused(
              title,
              CommandResult.of(
                  CommandResult.Status.BAD_INPUT,
                  application + " has no hotfixed field to backport"))
          : Preview.of(title, List.of("no application has a hotfixed field to backport"), false);
    }
    return Preview.of(title, lines, confirm);
  }

  CommandResult endHotfix(ApplicationEntry entry, ResourceKey key) {
    Application app = entry.rendered.application();
    ApplicationState state = core.reconciler.store().load(app);
    List<Hotfix> rest = state.hotfixes().stream().filter(h -> !h.key().equals(key)).toList();
    core.reconciler.store().save(app, state.withHotfixes(rest));
    core.event(ConsoleEvent.Kind.HOTFIX, app.name(), "hotfix on " + key + " ended by " + core.options.user());
    core.snapshots.compare(entry);
    return CommandResult.ok("ended the hotfixes of " + key);
  }

  /**
   * A hotfix of the object and field named as a person reads them in the diff or status ({@code
   * spec.replicas} of {@code apps/Deployment shop/checkout}; see {@link ResourceNames}).
   */
  CommandResult hotfixNamed(
      ApplicationEntry entry, String resource, String field, String reason, Duration duration) {
    ResourceKey key;
    String pointer;
    try {
      key = ResourceNames.resource(entry.view, resource);
      pointer =
          ResourceNames.pointer(
              entry.view,
              key,
              field,
              field == null || field.isBlank() || field.strip().startsWith("/")
                  ? Optional.empty()
                  : core.gateway.get(key).map(LiveObject::object));
    } catch (IllegalArgumentException e) {
      return CommandResult.of(CommandResult.Status.BAD_INPUT, e.getMessage());
    }
    return hotfix(entry, key, pointer, reason, duration);
  }

  /**
   * Backports every object with a hotfixed field, of {@code application} ({@code null}: of every
   * application, in name order), one commit per object; {@code each} hears every object's result.
   * Stops at the first that fails: a push that fails once fails for the next one too.
   */
  CommandResult backportAll(String application, boolean push, Consumer<CommandResult> each) {
    if (core.entries.isEmpty()) {
      core.snapshots.refreshAll(false);
    }
    List<String> names =
        application != null
            ? List.of(application)
            : core.sortedEntries().stream().map(e -> e.rendered.name()).toList();
    List<String> done = new ArrayList<>();
    List<String> details = new ArrayList<>();
    boolean any = false;
    for (String name : names) {
      List<CommandResult> unknown = new ArrayList<>();
      List<ResourceKey> keys =
          core.withApplication(
              name,
              entry ->
                  core.reconciler.store().load(entry.rendered.application())
                      .activeHotfixes(core.clock.instant()).stream()
                      .filter(h -> !h.wholeObject())
                      .map(Hotfix::key)
                      .distinct()
                      .toList(),
              result -> {
                unknown.add(result);
                return List.of();
              });
      if (!unknown.isEmpty()) {
        return unknown.getFirst();
      }
      for (ResourceKey key : keys) {
        any = true;
        CommandResult result = core.withApplication(name, entry -> backport(entry, key, push));
        each.accept(result);
        details.add(name + ": " + result.message());
        if (!result.ok()) {
          return new CommandResult(
              result.status(),
              "backport stopped at "
                  + key
                  + " of "
                  + name
                  + (done.isEmpty() ? "" : " after " + String.join(", ", done))
                  + ": "
                  + result.message(),
              details);
        }
        done.add(name + " " + key);
      }
    }
    if (!any) {
      return application != null
          ? CommandResult.of(
              CommandResult.Status.BAD_INPUT, application + " has no hotfixed field to backport")
          : CommandResult.ok("no application has a hotfixed field to backport");
    }
    return new CommandResult(
        CommandResult.Status.OK,
        "backported "
            + done.size()
            + " hotfixed object"
            + (done.size() == 1 ? "" : "s")
            + (push ? ", pushed" : ", committed in the local clone"),
        details);
  }
}
