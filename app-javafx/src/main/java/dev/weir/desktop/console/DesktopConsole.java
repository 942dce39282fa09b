package dev.weir.desktop.console;

import dev.weir.engine.console.ApplicationHistory;
import dev.weir.engine.console.ApplicationView;
import dev.weir.engine.console.CommandResult;
import dev.weir.engine.console.Console;
import dev.weir.engine.console.ConsoleAction;
import dev.weir.engine.console.ConsoleApi;
import dev.weir.engine.console.ConsoleEvent;
import dev.weir.engine.console.ConsoleSnapshot;
import dev.weir.engine.console.ConsoleView;
import dev.weir.engine.console.DriftObject;
import dev.weir.engine.console.ExperimentConclusion;
import dev.weir.engine.console.ExperimentView;
import dev.weir.engine.console.FlagView;
import dev.weir.engine.console.Preview;
import dev.weir.engine.console.RolloutLine;
import dev.weir.engine.model.FlagChange;
import dev.weir.themes.Theme;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import javafx.application.Platform;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

/**
 * The desktop console's window content: the header, the needs-attention and applications lists on
 * the left, and on the right the selected application's pane, its diff, its history, the
 * incident timeline, its feature flags and its A/B experiments, with in-window confirmations, the
 * command palette and notifications above.
 * It reads only {@link ConsoleApi} snapshots and sends only its commands; every action is the
 * engine's ({@link ConsoleAction}, the same table the terminal console draws its keys from), and a
 * command that changes something is shown as the engine's {@link Preview} first.
 *
 * <p>Threads: snapshots arrive on the façade's listener thread and hop to the JavaFX thread with
 * {@link Platform#runLater}, newest wins (one pending at most, a slow frame skips to the latest);
 * commands, previews, history and the timeline are futures whose answers hop the same way. The
 * JavaFX thread never waits on Git, the cluster or the network.
 */
public final class DesktopConsole implements AutoCloseable {
  /** Why the desktop's commands are sent, recorded by the engine with them. */
  static final String WHY = "from the desktop console";

  /** How long a hotfix from the console holds by default, as {@code weir hotfix}'s default. */
  static final Duration HOTFIX_FOR = Duration.ofHours(24);

  private final ConsoleApi console;
  private final ZoneId zone;
  private final Overlays overlays = new Overlays();
  private final ApplicationList list;
  private final Header header;
  private final ApplicationPane applicationPane;
  private final DiffPane diffPane;
  private final HistoryPane historyPane;
  private final EventsPane eventsPane;
  private final FlagsPane flagsPane;
  private final ExperimentsPane experimentsPane;
  private final CommandPalette palette;
  private final TabPane tabs = new TabPane();
  private final Tab applicationTab = new Tab("Application");
  private final Tab diffTab = new Tab("Diff");
  private final Tab historyTab = new Tab("History");
  private final Tab eventsTab = new Tab("Events");
  private final Tab flagsTab = new Tab("Flags");
  private final Tab experimentsTab = new Tab("Experiments");
  private final SplitPane split = new SplitPane();
  private final Label banner = new Label();
  private final HBox bannerBox = new HBox(banner);
  private final Label statusLine = new Label();
  private final StackPane root = new StackPane();
  private final AtomicReference<ConsoleSnapshot> pending = new AtomicReference<>();
  private final ConsoleApi.Subscription subscription;
  private final Map<String, String> rolloutPhases = new HashMap<>();
  private final Consumer<Theme> themes;
  private Runnable quit = () -> {};
  private Consumer<Runnable> saveDialog = run -> run.run();
  private ConsoleSnapshot shown;
  private String selected;
  private boolean openedOnAttention;
  private Instant lastEvent;
  private boolean seen;

  /**
   * A console window on {@code console}; {@code rollout} makes the application pane's rollout
   * section ({@link RolloutSlot#summary()} until the rollout panel is wired), {@code themes} applies
   * a theme chosen in the palette. Subscribes at once; call on the JavaFX thread.
   */
  public DesktopConsole(
      ConsoleApi console, ZoneId zone, Function<ConsoleApi, RolloutSlot> rollout, Consumer<Theme> themes) {
    this.console = console;
    this.zone = zone;
    this.themes = themes;
    this.list = new ApplicationList(this::select);
    this.header = new Header(zone, this::switchContext, this::freezeAll, this::unfreezeAll, this::openPalette);
    this.applicationPane = new ApplicationPane(rollout.apply(console), zone, this::act);
    this.diffPane = new DiffPane(zone, this::act);
    this.historyPane = new HistoryPane(console, zone, this::act);
    this.eventsPane = new EventsPane(console, zone, overlays, () -> saveDialog.accept(() -> {}));
    this.flagsPane = new FlagsPane(this::act);
    this.experimentsPane = new ExperimentsPane(this::act);
    this.palette = new CommandPalette(overlays, this::paletteEntries);

    applicationTab.setContent(applicationPane.node());
    diffTab.setContent(diffPane.node());
    historyTab.setContent(historyPane.node());
    eventsTab.setContent(eventsPane.node());
    flagsTab.setContent(flagsPane.node());
    experimentsTab.setContent(experimentsPane.node());
    for (Tab tab : List.of(applicationTab, diffTab, historyTab, eventsTab, flagsTab, experimentsTab)) {
      tab.setClosable(false);
    }
    applicationTab.setId("tab-application");
    diffTab.setId("tab-diff");
    historyTab.setId("tab-history");
    eventsTab.setId("tab-events");
    flagsTab.setId("tab-flags");
    experimentsTab.setId("tab-experiments");
    applicationTab.setTooltip(Shortcuts.tooltip(ConsoleAction.OPEN));
    diffTab.setTooltip(Shortcuts.tooltip(ConsoleAction.DIFF));
    historyTab.setTooltip(Shortcuts.tooltip(ConsoleAction.HISTORY));
    eventsTab.setTooltip(Shortcuts.tooltip(ConsoleAction.EVENTS));
    tabs.getTabs().addAll(applicationTab, diffTab, historyTab, eventsTab, flagsTab, experimentsTab);
    tabs.getSelectionModel().selectedItemProperty().addListener((o, was, now) -> tabChosen(now));

    split.getItems().addAll(list.node(), tabs);
    split.setDividerPositions(0.28);
    split.setId("main-split");
    SplitPane.setResizableWithParent(list.node(), false);

    bannerBox.getStyleClass().add("loading-banner");
    banner.setId("banner");
    bannerBox.setAlignment(Pos.CENTER_LEFT);
    statusLine.setId("status-line");
    statusLine.getStyleClass().add("muted");
    HBox status = new HBox(statusLine);
    status.getStyleClass().add("status-bar");
    BorderPane frame = new BorderPane();
    frame.setTop(new VBox(header.node(), bannerBox));
    frame.setCenter(split);
    frame.setBottom(status);
    root.getChildren().addAll(frame, overlays.node());
    root.setId("weir-desktop");
    root.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
      if (e.getCode() == KeyCode.ESCAPE && overlays.open()) {
        overlays.close();
        e.consume();
      }
    });
    this.subscription = console.subscribe(this::arrived);
  }

  // ------------------------------------------------------------------------------------------
  // wiring from the window

  public Parent root() {
    return root;
  }

  /** The split between the lists and the panes (its position is remembered). */
  public SplitPane mainSplit() {
    return split;
  }

  /** The split between the resource tree and the drift list (its position is remembered). */
  public SplitPane applicationSplit() {
    return applicationPane.split();
  }

  /** Applies {@code theme} to {@code scene}: AtlantaFX's base, the theme's tokens, the console's sheet. */
  public static void applyTheme(Scene scene, Theme theme) {
    Styles.apply(scene, theme);
  }

  /** What Ctrl+Q does (closing the window). */
  public void onQuit(Runnable quit) {
    this.quit = quit;
  }

  /**
   * What "Save Markdown…" does: the window opens a file chooser and calls {@link #saveTimeline}
   * with the file; {@code chooser} receives a runnable it may ignore.
   */
  public void onSaveTimeline(Consumer<Runnable> chooser) {
    this.saveDialog = chooser;
  }

  /** Writes the incident timeline shown as Markdown to {@code file} (from the window's file chooser). */
  public void saveTimeline(java.nio.file.Path file) {
    eventsPane.save(file);
  }

  /**
   * Binds every action's shortcut ({@link ConsoleAction#shortcut()}) in {@code scene}: the
   * application's actions act on the selected application.
   */
  public void install(Scene scene) {
    for (ConsoleAction action : ConsoleAction.values()) {
      Shortcuts.of(action).ifPresent(k -> scene.getAccelerators().put(k, () -> {
        if (!overlays.open() || action == ConsoleAction.COMMAND) {
          act(action);
        }
      }));
    }
  }

  @Override
  public void close() {
    subscription.close();
  }

  // ------------------------------------------------------------------------------------------
  // snapshots

  private void arrived(ConsoleSnapshot snapshot) {
    if (pending.getAndSet(snapshot) == null) {
      Platform.runLater(() -> {
        ConsoleSnapshot newest = pending.getAndSet(null);
        if (newest != null) {
          render(newest);
        }
      });
    }
  }

  /** Draws {@code snapshot} (on the JavaFX thread); older than the one shown is ignored. */
  void render(ConsoleSnapshot snapshot) {
    if (shown != null && snapshot.version() < shown.version()) {
      return;
    }
    shown = snapshot;
    header.update(snapshot);
    list.update(snapshot);
    if (snapshot.loading().isPresent()) {
      ConsoleSnapshot.Loading loading = snapshot.loading().get();
      boolean failed = loading.stage() == ConsoleSnapshot.Loading.Stage.FAILED;
      banner.setText((failed ? "✖ could not open the console: " : "Loading · " + loading.stage().name().toLowerCase(java.util.Locale.ROOT) + ": ") + loading.message());
      bannerBox.setVisible(true);
      bannerBox.setManaged(true);
      applicationPane.clear(failed ? "The console could not be opened: " + loading.message() : "Loading: " + loading.message());
    } else {
      bannerBox.setVisible(false);
      bannerBox.setManaged(false);
    }
    statusLine.setText(status(snapshot));
    // as the terminal console opens on its needs-attention queue: the first time the world is
    // known, what needs attention most is already selected (a failing canary, ready to abort)
    if (!openedOnAttention && !snapshot.isLoading()) {
      openedOnAttention = true;
      if (selected == null && !snapshot.attention().isEmpty()) {
        select(snapshot.attention().getFirst().application());
      }
    }
    Optional<ApplicationView> app = selectedApplication();
    if (app.isPresent()) {
      applicationPane.show(app.get(), snapshot);
      if (tabs.getSelectionModel().getSelectedItem() == diffTab && !diffShowsRevisions) {
        diffPane.show(app.get());
      }
    } else if (!snapshot.isLoading()) {
      applicationPane.clear(selected == null
          ? "Select an application on the left (or Ctrl+K)."
          : "No application named " + selected + " in the latest snapshot.");
    }
    flagsPane.show(snapshot, selected);
    experimentsPane.show(snapshot, selected);
    notify(snapshot);
  }

  private String status(ConsoleSnapshot snapshot) {
    List<ConsoleEvent> events = snapshot.events();
    String last = events.isEmpty() ? "no events yet" : line(events.getLast());
    return snapshot.applications().size() + " applications · " + snapshot.attention().size() + " need attention · " + last;
  }

  private String line(ConsoleEvent e) {
    return java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss").format(e.at().atZone(zone)) + " "
        + (e.application().isEmpty() ? "" : e.application() + " ") + e.message();
  }

  /**
   * Notifications: a rollout that turns Degraded or Aborted, and a sync that did not succeed
   * (the engine's sync events above INFO), each once, from the second snapshot on.
   */
  private void notify(ConsoleSnapshot snapshot) {
    if (snapshot.isLoading()) {
      return;
    }
    for (ApplicationView app : snapshot.applications()) {
      for (RolloutLine r : app.rolloutLines()) {
        String key = app.name() + "/" + r.rollout();
        String before = rolloutPhases.put(key, r.phase());
        boolean failed = r.phase().equals("Degraded") || r.phase().equals("Aborted");
        if (seen && failed && !r.phase().equals(before)) {
          overlays.toast("✖ rollout " + r.rollout() + " of " + app.name() + " " + r.phase().toLowerCase(java.util.Locale.ROOT)
              + (r.message().isEmpty() ? "" : ": " + r.message()), "danger");
        }
      }
    }
    Instant newest = lastEvent;
    for (ConsoleEvent e : snapshot.events()) {
      if (lastEvent != null && !e.at().isAfter(lastEvent)) {
        continue;
      }
      if (seen && e.kind() == ConsoleEvent.Kind.SYNC && e.severity() != dev.weir.engine.console.Severity.INFO) {
        overlays.toast("✖ sync of " + e.application() + " failed: " + e.message(), "danger");
      }
      if (newest == null || e.at().isAfter(newest)) {
        newest = e.at();
      }
    }
    lastEvent = newest;
    seen = true;
  }

  // ------------------------------------------------------------------------------------------
  // selection and views

  private Optional<ApplicationView> selectedApplication() {
    return shown == null || selected == null ? Optional.empty() : shown.application(selected);
  }

  private boolean diffShowsRevisions;

  /** Selects application {@code name}: its pane, and its history or events when those are open. */
  void select(String name) {
    selected = name;
    list.select(name);
    diffShowsRevisions = false;
    if (shown != null) {
      shown.application(name).ifPresent(app -> {
        applicationPane.show(app, shown);
        diffPane.show(app);
      });
    }
    if (shown != null) {
      flagsPane.show(shown, name);
      experimentsPane.show(shown, name);
    }
    Tab tab = tabs.getSelectionModel().getSelectedItem();
    if (tab == historyTab) {
      historyPane.load(name);
    } else if (tab == eventsTab) {
      eventsPane.load(Optional.of(name), now());
    }
  }

  private Instant now() {
    return shown == null ? Instant.now() : shown.at();
  }

  private void tabChosen(Tab tab) {
    if (tab == historyTab && selected != null && !selected.equals(historyPane.application())) {
      historyPane.load(selected);
    } else if (tab == eventsTab) {
      eventsPane.load(Optional.ofNullable(selected), now());
    } else if (tab == diffTab && !diffShowsRevisions) {
      selectedApplication().ifPresent(diffPane::show);
    }
  }

  /** The view in front, as the engine's table names it (for help and the palette). */
  ConsoleView view() {
    Tab tab = tabs.getSelectionModel().getSelectedItem();
    if (tab == diffTab) {
      return ConsoleView.DIFF;
    } else if (tab == historyTab) {
      return ConsoleView.HISTORY;
    } else if (tab == eventsTab) {
      return ConsoleView.EVENTS;
    } else if (tab == flagsTab) {
      return ConsoleView.FLAGS;
    } else if (tab == experimentsTab) {
      return ConsoleView.EXPERIMENTS;
    }
    return selected == null ? ConsoleView.APPLICATIONS : ConsoleView.APPLICATION;
  }

  // ------------------------------------------------------------------------------------------
  // actions

  /** Runs {@code action} where it applies now (the selected application, drift row or commit). */
  void act(ConsoleAction action) {
    String app = selected;
    switch (action) {
      case OPEN -> tabs.getSelectionModel().select(applicationTab);
      case BACK -> {
        if (overlays.open()) {
          overlays.close();
        } else {
          tabs.getSelectionModel().select(applicationTab);
        }
      }
      case FILTER -> {
        if (tabs.getSelectionModel().getSelectedItem() == flagsTab) {
          tabs.getSelectionModel().select(applicationTab); // the list's filter chooses whose flags
        }
        TextField box = tabs.getSelectionModel().getSelectedItem() == eventsTab ? eventsPane.filter() : list.filter();
        box.requestFocus();
        box.selectAll();
      }
      case COMMAND -> openPalette();
      case HELP -> help();
      case REFRESH -> run("refreshing", console::refresh);
      case DIFF -> diff();
      case DIFF_MODE -> {
        tabs.getSelectionModel().select(diffTab);
        diffPane.toggleMode();
      }
      case HISTORY -> tabs.getSelectionModel().select(historyTab);
      case EVENTS -> tabs.getSelectionModel().select(eventsTab);
      case ROLLOUT -> {
        tabs.getSelectionModel().select(applicationTab);
        if (app == null) {
          need("a rollout");
        }
      }
      case SYNC -> {
        if (need(app)) {
          confirm("Sync " + app, () -> console.previewSync(app, Console.SyncOptions.plain()),
              () -> console.sync(app, Console.SyncOptions.plain()), "syncing " + app);
        }
      }
      case SYNC_ALL -> confirm("Sync every application", () -> console.previewSyncAll(Console.SyncOptions.plain()),
          () -> console.syncAll(Console.SyncOptions.plain()), "syncing every application");
      case HOTFIX -> hotfix(app);
      case BACKPORT -> backport(app);
      case ROLLBACK -> rollback(app);
      case FREEZE -> {
        if (need(app)) {
          reasonAndDuration("Freeze " + app, "incident", Duration.ofHours(1),
              (reason, duration) -> confirm("Freeze " + app, () -> console.previewFreeze(app, reason, duration),
                  () -> console.freeze(app, reason, duration), "freezing " + app));
        }
      }
      case UNFREEZE -> {
        if (need(app)) {
          confirm("Unfreeze " + app, () -> console.previewUnfreeze(app), () -> console.unfreeze(app), "unfreezing " + app);
        }
      }
      case PROMOTE -> rolloutCommand(app, "Promote", () -> console.previewPromote(app, Optional.empty(), false),
          () -> console.promote(app, Optional.empty(), WHY));
      case PROMOTE_FULL -> rolloutCommand(app, "Promote fully", () -> console.previewPromote(app, Optional.empty(), true),
          () -> console.promoteFull(app, Optional.empty(), WHY));
      case ABORT -> rolloutCommand(app, "Abort the rollout of", () -> console.previewAbort(app, Optional.empty()),
          () -> console.abort(app, Optional.empty(), WHY));
      case RETRY -> rolloutCommand(app, "Retry the rollout of", () -> console.previewRetry(app, Optional.empty()),
          () -> console.retry(app, Optional.empty(), WHY));
      case PAUSE_RESUME -> {
        if (need(app)) {
          boolean paused = selectedApplication().stream().flatMap(a -> a.rolloutLines().stream())
              .anyMatch(r -> r.phase().equals("Paused"));
          run((paused ? "resuming " : "pausing ") + app,
              () -> paused ? console.resume(app, Optional.empty(), WHY) : console.pause(app, Optional.empty(), WHY));
        }
      }
      case SET_WEIGHT -> setWeight(app);
      case FLAG_TOGGLE, FLAG_DEFAULT, FLAG_SPLIT -> flag(action);
      case EXPERIMENT_PROMOTE -> conclude(ExperimentConclusion.PROMOTE);
      case EXPERIMENT_KEEP -> conclude(ExperimentConclusion.KEEP);
      case EXPORT -> {
        tabs.getSelectionModel().select(eventsTab);
        eventsPane.copy();
      }
      case SWITCH_CONTEXT -> openPalette();
      case QUIT -> quit.run();
    }
  }

  private boolean need(String app) {
    if (app == null) {
      overlays.toast("Select an application first (on the left, or Ctrl+K)", "info");
      return false;
    }
    return true;
  }

  private void rolloutCommand(String app, String verb, Supplier<CompletableFuture<Preview>> preview,
      Supplier<CompletableFuture<CommandResult>> command) {
    if (need(app)) {
      confirm(verb + " " + app, preview, command, verb.toLowerCase(java.util.Locale.ROOT) + " " + app);
    }
  }

  private void confirm(String title, Supplier<CompletableFuture<Preview>> preview,
      Supplier<CompletableFuture<CommandResult>> command, String doing) {
    overlays.confirm(title, preview, command, doing, result -> {
      if (tabs.getSelectionModel().getSelectedItem() == historyTab && selected != null) {
        historyPane.load(selected);
      }
    });
  }

  private void run(String doing, Supplier<CompletableFuture<CommandResult>> command) {
    overlays.toast(doing + "…", "info");
    command.get().whenComplete((result, failure) -> Platform.runLater(() ->
        overlays.toast(failure != null ? CommandResult.of(CommandResult.Status.FAILED, String.valueOf(failure.getMessage())) : result)));
  }

  private void diff() {
    if (tabs.getSelectionModel().getSelectedItem() == historyTab) {
      Optional<ApplicationHistory.Commit> commit = historyPane.selected();
      Optional<ApplicationView> app = selectedApplication();
      if (commit.isEmpty() || app.isEmpty()) {
        overlays.toast("Select a commit to compare with the current revision", "info");
        return;
      }
      String application = app.get().name();
      console.diffRevisions(application, commit.get().sha(), app.get().revision())
          .whenComplete((diff, failure) -> Platform.runLater(() -> {
            if (failure != null || !diff.ok()) {
              overlays.toast("✖ " + (failure != null ? failure.getMessage() : diff.message()), "danger");
              return;
            }
            diffShowsRevisions = true;
            tabs.getSelectionModel().select(diffTab);
            diffPane.show(diff);
          }));
      return;
    }
    if (!need(selected)) {
      return;
    }
    Optional<String> resource = applicationPane.selectedDrift().map(r -> r.object().resource());
    diffShowsRevisions = false;
    tabs.getSelectionModel().select(diffTab);
    selectedApplication().ifPresent(diffPane::show);
    resource.ifPresent(diffPane::select);
  }

  private void hotfix(String app) {
    if (!need(app)) {
      return;
    }
    String resource;
    String field;
    if (tabs.getSelectionModel().getSelectedItem() == diffTab) {
      Optional<DriftObject> object = diffPane.selected();
      if (object.isEmpty()) {
        overlays.toast("Nothing drifts: nothing to hotfix", "info");
        return;
      }
      resource = object.get().resource();
      field = "";
    } else {
      Optional<ApplicationPane.DriftRow> row = applicationPane.selectedDrift();
      if (row.isEmpty()) {
        overlays.toast("Nothing drifts: nothing to hotfix", "info");
        return;
      }
      resource = row.get().object().resource();
      field = row.get().field().map(f -> f.path()).orElse("");
    }
    String what = field.isEmpty() ? resource : resource + " " + field;
    reasonAndDuration("Hotfix " + what, "hotfix", HOTFIX_FOR, (reason, duration) ->
        confirm("Hotfix " + what, () -> console.previewHotfixField(app, resource, field, reason, duration),
            () -> console.hotfixField(app, resource, field, reason, duration), "hotfixing " + what));
  }

  private void backport(String app) {
    if (!need(app)) {
      return;
    }
    Optional<DriftObject> object = tabs.getSelectionModel().getSelectedItem() == diffTab
        ? diffPane.selected().filter(DriftObject::hotfixed)
        : applicationPane.selectedDrift().map(ApplicationPane.DriftRow::object).filter(DriftObject::hotfixed);
    if (object.isPresent()) {
      String resource = object.get().resource();
      confirm("Backport " + resource, () -> console.previewBackport(app, resource, true),
          () -> console.backportResource(app, resource, true), "backporting " + resource);
    } else {
      confirm("Backport the hotfixes of " + app, () -> console.previewBackportAll(app, true),
          () -> console.backportAll(app, true), "backporting " + app);
    }
  }

  private void rollback(String app) {
    if (!need(app)) {
      return;
    }
    Optional<ApplicationHistory.Commit> commit = historyPane.selected()
        .filter(c -> app.equals(historyPane.application()));
    if (tabs.getSelectionModel().getSelectedItem() != historyTab || commit.isEmpty()) {
      tabs.getSelectionModel().select(historyTab);
      overlays.toast("Choose the commit to roll back to, then Roll back (" + ConsoleAction.ROLLBACK.shortcut() + ")", "info");
      return;
    }
    String sha = commit.get().sha();
    String reason = "roll back to " + commit.get().shortSha() + " (" + WHY + ")";
    confirm("Roll back " + app + " to " + commit.get().shortSha(), () -> console.previewRollback(app, sha, reason, true),
        () -> console.rollback(app, sha, reason, true), "rolling " + app + " back to " + commit.get().shortSha());
  }

  private void setWeight(String app) {
    if (!need(app)) {
      return;
    }
    TextField weight = new TextField();
    weight.setId("weight");
    weight.setPromptText("0–100");
    form("Set the canary's weight of " + app, List.of(new Label("Weight (%)")), List.of(weight), () -> {
      int w;
      try {
        w = Integer.parseInt(weight.getText().strip());
      } catch (NumberFormatException e) {
        overlays.toast("✖ weight: give a whole number from 0 to 100, not '" + weight.getText() + "'", "danger");
        return;
      }
      confirm("Set the weight of " + app + " to " + w + "%", () -> console.previewSetWeight(app, Optional.empty(), w),
          () -> console.setWeight(app, Optional.empty(), w, WHY), "setting " + app + " to " + w + "%");
    });
  }

  /**
   * A change of the selected flag (the Flags tab's row): the reason and what the action needs,
   * then the engine's preview of the commit, and {@code setFlag} only once confirmed.
   */
  private void flag(ConsoleAction action) {
    tabs.getSelectionModel().select(flagsTab);
    Optional<FlagsPane.Row> row = flagsPane.selected();
    if (row.isEmpty()) {
      overlays.toast("Select a flag in the Flags tab first", "info");
      return;
    }
    String app = row.get().application();
    FlagView flag = row.get().flag();
    String what = "flag " + flag.key() + " of " + app;
    switch (action) {
      case FLAG_TOGGLE -> {
        FlagChange change = new FlagChange.SetState(!flag.enabled());
        reasonThen("Turn " + (flag.enabled() ? "off " : "on ") + what, List.of(), List.of(),
            reason -> confirmFlag(app, flag.key(), change, reason));
      }
      case FLAG_DEFAULT -> {
        ComboBox<String> variant = new ComboBox<>();
        variant.setId("flag-variant");
        variant.getItems().setAll(flag.variants().keySet());
        variant.setValue(flag.defaultVariant());
        reasonThen("Default variant of " + what, List.of(new Label("Variant")), List.of(variant),
            reason -> confirmFlag(app, flag.key(), new FlagChange.SetDefault(variant.getValue()), reason));
      }
      case FLAG_SPLIT -> {
        List<String> names = flag.split().isEmpty()
            ? List.copyOf(flag.variants().keySet())
            : flag.split().stream().map(FlagView.Share::variant).toList();
        List<Label> labels = new ArrayList<>();
        List<TextField> fields = new ArrayList<>();
        for (String name : names) {
          labels.add(new Label(name + " (%)"));
          TextField percent = new TextField(flag.split().stream().filter(s -> s.variant().equals(name)).findFirst()
              .map(s -> String.valueOf(Math.round(s.percent()))).orElse(""));
          percent.setId("split-" + name);
          percent.setPromptText("0–100");
          fields.add(percent);
        }
        reasonThen("Fractional split of " + what, labels, fields, reason -> {
          java.util.LinkedHashMap<String, Integer> percents = new java.util.LinkedHashMap<>();
          for (int i = 0; i < names.size(); i++) {
            String text = fields.get(i).getText() == null ? "" : fields.get(i).getText().strip();
            if (text.isEmpty()) {
              continue; // left out: the engine gives it what the others leave of 100
            }
            try {
              percents.put(names.get(i), Integer.parseInt(text));
            } catch (NumberFormatException e) {
              overlays.toast("✖ " + names.get(i) + ": give a whole percentage from 0 to 100, not '" + text + "'", "danger");
              return;
            }
          }
          FlagChange change;
          try {
            change = new FlagChange.SetFractions(percents);
          } catch (IllegalArgumentException e) {
            overlays.toast("✖ " + e.getMessage(), "danger");
            return;
          }
          confirmFlag(app, flag.key(), change, reason);
        });
      }
      default -> throw new IllegalArgumentException(action.name());
    }
  }

  private void confirmFlag(String app, String key, FlagChange change, String reason) {
    String title = "Set flag " + key + " of " + app + ": " + change.describe();
    confirm(title, () -> console.previewSetFlag(app, key, change, reason, true),
        () -> console.setFlag(app, key, change, reason, true), "setting " + key + " " + change.describe());
  }

  /** Concludes the selected experiment (or the selected application's) after a reason and the preview. */
  private void conclude(ExperimentConclusion conclusion) {
    tabs.getSelectionModel().select(experimentsTab);
    Optional<ExperimentView> experiment = experimentsPane.selected();
    if (experiment.isEmpty()) {
      overlays.toast("No experiment to conclude: none runs" + (selected == null ? "" : " in " + selected), "info");
      return;
    }
    String app = experiment.get().application();
    String verb = conclusion == ExperimentConclusion.PROMOTE ? "promote B" : "keep A";
    String title = "Conclude " + experiment.get().name() + " of " + app + ": " + verb;
    reasonThen(title, List.of(), List.of(), reason ->
        confirm(title, () -> console.previewConclude(app, conclusion, reason),
            () -> console.conclude(app, conclusion, reason), "concluding " + experiment.get().name() + ": " + verb));
  }

  /** A form asking for a reason (first) and {@code fields}; an empty reason is refused. */
  private void reasonThen(String title, List<Label> labels, List<? extends Region> fields, Consumer<String> then) {
    TextField reason = new TextField();
    reason.setId("reason");
    reason.setPromptText("why: recorded in the commit with who did it");
    reason.setPrefColumnCount(30);
    List<Label> allLabels = new ArrayList<>(List.of(new Label("Reason")));
    allLabels.addAll(labels);
    List<Region> allFields = new ArrayList<>(List.of(reason));
    allFields.addAll(fields);
    form(title, allLabels, allFields, () -> {
      String why = reason.getText() == null ? "" : reason.getText().strip();
      if (why.isEmpty()) {
        overlays.toast("✖ give a reason: it is recorded with who did it", "danger");
        return;
      }
      then.accept(why + " (" + WHY + ")");
    });
  }

  private void freezeAll() {
    reasonAndDuration("Freeze every application", "incident", Duration.ofHours(1),
        (reason, duration) -> confirm("Freeze every application", () -> console.previewFreeze(null, reason, duration),
            () -> console.freeze(null, reason, duration), "freezing every application"));
  }

  private void unfreezeAll() {
    confirm("Unfreeze every application", () -> console.previewUnfreeze(null), () -> console.unfreeze(null),
        "unfreezing every application");
  }

  private void switchContext(String context) {
    overlays.confirm("Switch to context " + context, () -> console.previewSwitchContext(context),
        () -> console.switchContext(context), "switching to " + context, result -> {});
    if (shown != null) {
      header.update(shown); // the switcher shows the current context until the switch is done
    }
  }

  /** Durations offered for a freeze or a hotfix. */
  static final List<String> DURATIONS = List.of("30m", "1h", "2h", "4h", "8h", "24h", "72h");

  private void reasonAndDuration(String title, String reasonDefault, Duration durationDefault,
      BiConsumer<String, Duration> then) {
    TextField reason = new TextField(reasonDefault);
    reason.setId("reason");
    reason.setPrefColumnCount(30);
    ComboBox<String> duration = new ComboBox<>();
    duration.setId("duration");
    duration.getItems().setAll(DURATIONS);
    duration.setValue(durationDefault.toHours() >= 1 ? durationDefault.toHours() + "h" : durationDefault.toMinutes() + "m");
    form(title, List.of(new Label("Reason"), new Label("For")), List.of(reason, duration), () -> {
      String why = reason.getText() == null ? "" : reason.getText().strip();
      if (why.isEmpty()) {
        overlays.toast("✖ give a reason: it is recorded with who did it", "danger");
        return;
      }
      then.accept(why + " (" + WHY + ")", parse(duration.getValue()));
    });
  }

  static Duration parse(String text) {
    String t = text.strip();
    long n = Long.parseLong(t.substring(0, t.length() - 1));
    return t.endsWith("m") ? Duration.ofMinutes(n) : Duration.ofHours(n);
  }

  /** A small form: labels and fields in two columns, Next (Enter) and Cancel (Esc). */
  private void form(String title, List<Label> labels, List<? extends Region> fields, Runnable next) {
    VBox card = new VBox();
    card.getStyleClass().add("dialog-card");
    card.setPrefWidth(520);
    Label heading = new Label(title);
    heading.getStyleClass().add("dialog-title");
    GridPane grid = new GridPane();
    grid.setHgap(10);
    grid.setVgap(8);
    for (int i = 0; i < fields.size(); i++) {
      grid.add(labels.get(i), 0, i);
      grid.add(fields.get(i), 1, i);
      GridPane.setHgrow(fields.get(i), Priority.ALWAYS);
    }
    Button cancel = new Button("Cancel (Esc)");
    cancel.setOnAction(e -> overlays.close());
    Button go = new Button("Next: preview (Enter)");
    go.setId("form-next");
    go.setDefaultButton(true);
    go.getStyleClass().add("accent");
    go.setOnAction(e -> {
      overlays.close();
      next.run();
    });
    Region gap = new Region();
    HBox.setHgrow(gap, Priority.ALWAYS);
    card.getChildren().addAll(heading, grid, new HBox(8, gap, cancel, go));
    card.setOnKeyPressed(e -> {
      if (e.getCode() == KeyCode.ENTER) {
        go.fire();
        e.consume();
      }
    });
    overlays.show(card, fields.getFirst(), () -> {});
  }

  private void help() {
    ConsoleView view = view();
    VBox card = new VBox(6);
    card.getStyleClass().add("dialog-card");
    card.setPrefWidth(520);
    Label heading = new Label("Keys of " + view.title());
    heading.getStyleClass().add("dialog-title");
    card.getChildren().add(heading);
    GridPane grid = new GridPane();
    grid.setHgap(16);
    grid.setVgap(4);
    int row = 0;
    for (ConsoleAction action : view.actions()) {
      Label key = new Label(action.shortcut());
      key.getStyleClass().add("key");
      grid.add(key, 0, row);
      grid.add(new Label(action.words()), 1, row++);
    }
    Label palette = new Label(ConsoleAction.COMMAND.shortcut());
    palette.getStyleClass().add("key");
    grid.add(palette, 0, row);
    grid.add(new Label("every action, application, view, context and theme"), 1, row);
    card.getChildren().add(grid);
    overlays.show(card, card, () -> {});
  }

  void openPalette() {
    palette.open();
  }

  /** Every action of the engine's table, the views, applications, contexts and themes. */
  List<CommandPalette.Entry> paletteEntries() {
    List<CommandPalette.Entry> out = new ArrayList<>();
    for (ConsoleAction action : ConsoleAction.values()) {
      if (action == ConsoleAction.COMMAND || action == ConsoleAction.SWITCH_CONTEXT) {
        continue;
      }
      String words = Character.toUpperCase(action.words().charAt(0)) + action.words().substring(1);
      out.add(new CommandPalette.Entry(words, action.shortcut(), () -> act(action)));
    }
    out.add(new CommandPalette.Entry("Go to Application", "", () -> tabs.getSelectionModel().select(applicationTab)));
    out.add(new CommandPalette.Entry("Go to Diff", ConsoleAction.DIFF.shortcut(), () -> act(ConsoleAction.DIFF)));
    out.add(new CommandPalette.Entry("Go to History", ConsoleAction.HISTORY.shortcut(), () -> act(ConsoleAction.HISTORY)));
    out.add(new CommandPalette.Entry("Go to Events", ConsoleAction.EVENTS.shortcut(), () -> act(ConsoleAction.EVENTS)));
    out.add(new CommandPalette.Entry("Go to Flags", "", () -> tabs.getSelectionModel().select(flagsTab)));
    out.add(new CommandPalette.Entry("Go to Experiments", "", () -> tabs.getSelectionModel().select(experimentsTab)));
    if (shown != null) {
      for (ApplicationView app : shown.applications()) {
        out.add(new CommandPalette.Entry("Open " + app.name(), "", () -> {
          select(app.name());
          tabs.getSelectionModel().select(applicationTab);
        }));
      }
      for (String context : shown.contexts()) {
        if (!context.equals(shown.header().context())) {
          out.add(new CommandPalette.Entry("Switch to context " + context, "", () -> switchContext(context)));
        }
      }
    }
    for (Theme theme : Theme.values()) {
      out.add(new CommandPalette.Entry("Theme: " + theme.id(), "", () -> themes.accept(theme)));
    }
    return out;
  }

  // ------------------------------------------------------------------------------------------
  // for tests and the screenshot run

  ApplicationList list() {
    return list;
  }

  ApplicationPane applicationPane() {
    return applicationPane;
  }

  DiffPane diffPane() {
    return diffPane;
  }

  HistoryPane historyPane() {
    return historyPane;
  }

  EventsPane eventsPane() {
    return eventsPane;
  }

  FlagsPane flagsPane() {
    return flagsPane;
  }

  ExperimentsPane experimentsPane() {
    return experimentsPane;
  }

  Overlays overlays() {
    return overlays;
  }

  TabPane tabs() {
    return tabs;
  }

  Header header() {
    return header;
  }

  CommandPalette palette() {
    return palette;
  }

  Optional<ConsoleSnapshot> shown() {
    return Optional.ofNullable(shown);
  }
}
