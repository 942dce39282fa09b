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
      core.clock.schedule(duration, () -> core.workers.submit(() -> freezeEnded(null)));
      core.event("", "froze every application until " + freeze.until() + ": " + reason);
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
      core.event("", "unfroze every application");
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
          core.event(application, "unfrozen by " + core.options.user());
          core.snapshots.restate(entry);
          return CommandResult.ok("unfroze " + application);
        });
  }

  private void freezeEnded(String application) {
    if (core.closed) {
      return;
    }
    core.event(application == null ? "" : application, "freeze ended");
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
    core.event(app.name(), hotfix.describe());
    core.snapshots.compare(entry);
    return CommandResult.ok(hotfix.describe());
  }

  CommandResult backport(ApplicationEntry entry, ResourceKey key, boolean push) {
    Application app = entry.rendered.application();
    ApplicationState state = core.reconciler.store().load(app);
    List<Hotfix> fields =
        state.activeHotfixes(core.clock.instant()).stream()
            .filter(h -> h.key().equals(key) && !h.wholeObject())
            .toList();
    if (fields.isEmpty()) {
      return CommandResult.of(
          CommandResult.Status.BAD_INPUT, "no hotfixed field on " + key + " to backport");
    }
    DesiredState desired = entry.compared;
    dev.weir.engine.model.Manifest manifest = desired == null ? null : desired.resources().get(key);
    if (manifest == null) {
      return CommandResult.of(
          CommandResult.Status.REFUSED, key + " is not in Git; backport it by hand");
    }
    Optional<LiveObject> live = core.gateway.get(key);
    if (live.isEmpty()) {
      return CommandResult.of(
          CommandResult.Status.REFUSED, key + " is not in the cluster: nothing to backport");
    }
    String file = manifest.source().file();
    String text;
    try {
      dev.weir.engine.git.RevisionTree head = core.git.head();
      String directory = file.contains("/") ? file.substring(0, file.lastIndexOf('/')) : "";
      var treeFile = head.files(directory).stream().filter(f -> f.path().equals(file)).findFirst();
      if (treeFile.isEmpty()) {
        return CommandResult.of(
            CommandResult.Status.REFUSED,
            key
                + " comes from "
                + file
                + ", which is not a plain file of the repository (kustomize or helm output);"
                + " backport it by hand");
      }
      text = new String(head.read(treeFile.get()), java.nio.charset.StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      return CommandResult.of(
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
          return CommandResult.of(
              CommandResult.Status.REFUSED, "cannot backport " + key + ": " + refused.reason());
        }
      }
    }
    String reasons = String.join("; ", fields.stream().map(Hotfix::reason).distinct().toList());
    WriteResult written =
        core.git
            .writer()
            .writeFile(
                app.name(),
                file,
                text.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "Backport hotfix of " + key + ": " + String.join(", ", changed),
                reasons,
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
    core.event(app.name(), written.message());
    core.snapshots.refreshAll(false);
    CommandResult.Status status =
        written.outcome() == WriteResult.Outcome.COMMITTED_LOCALLY && push
            ? CommandResult.Status.FAILED
            : CommandResult.Status.OK;
    return new CommandResult(status, written.message(), changed);
  }

  CommandResult endHotfix(ApplicationEntry entry, ResourceKey key) {
    Application app = entry.rendered.application();
    ApplicationState state = core.reconciler.store().load(app);
    List<Hotfix> rest = state.hotfixes().stream().filter(h -> !h.key().equals(key)).toList();
    core.reconciler.store().save(app, state.withHotfixes(rest));
    core.event(app.name(), "hotfix on " + key + " ended by " + core.options.user());
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
