package dev.weir.tui.console;

import com.googlecode.lanterna.SGR;
import com.googlecode.lanterna.input.KeyStroke;
import dev.weir.engine.console.CommandResult;
import dev.weir.engine.console.ConsoleAction;
import dev.weir.engine.console.ConsoleApi;
import dev.weir.engine.console.ConsoleSnapshot;
import dev.weir.engine.console.ConsoleView;
import dev.weir.engine.console.Preview;
import dev.weir.themes.Token;
import dev.weir.tui.screen.Painter;
import dev.weir.tui.screen.TerminalApp;
import dev.weir.tui.screen.Text;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The terminal console around its pages: the header (context, repository, revision, freeze, stale
 * markers), a stack of {@link Page}s (Enter pushes, Esc pops, {@code :} jumps, as in k9s), the
 * footer drawn from the view's {@link ConsoleAction}s, the status line, the {@code :} command
 * prompt with completion, the {@code /} filter, the {@code ?} help and the confirmation of
 * dangerous actions, which shows the engine's {@link Preview} before anything is sent.
 *
 * <p>Design note. Everything here runs on the UI thread. Snapshots arrive through {@link
 * #show(ConsoleSnapshot)}; command futures complete on the engine's threads and hop back through
 * the {@code ui} executor given at construction, so the UI thread never waits on the network.
 */
public final class Shell implements TerminalApp {
  static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT);

  private enum Mode {
    NORMAL,
    COMMAND,
    FILTER,
    HELP,
    CONFIRM,
    ASK
  }

  /** A dangerous action waiting for {@code y}: its preview (null while computed) and command. */
  private record Confirmation(
      String title, Preview preview, Supplier<CompletableFuture<CommandResult>> command, String doing) {}

  private final ConsoleApi console;
  private final Consumer<Runnable> ui;
  private final Executor background;
  private final ZoneId zone;
  private final Pages pages;
  private final Deque<Page> stack = new ArrayDeque<>();
  private ConsoleSnapshot snapshot;
  private final Loading loading = new Loading();
  private Mode mode = Mode.NORMAL;
  private final StringBuilder prompt = new StringBuilder();
  private Confirmation confirmation;
  private String question = ""; // what the ASK prompt asks
  private Consumer<String> answered; // what gets the ASK prompt's text on enter
  private String status = "";
  private Token statusToken = Token.FG_MUTED;
  private int running;
  private boolean touched; // a key was pressed: the first page is no longer chosen for the user

  /**
   * @param console the façade
   * @param ui runs a task on the UI thread, then redraws
   * @param zone the zone times are shown in
   */
  public Shell(ConsoleApi console, Consumer<Runnable> ui, ZoneId zone) {
    this(console, ui, zone, Executors.newVirtualThreadPerTaskExecutor());
  }

  /**
   * @param background runs work that may read the cluster or Git (the incident timeline, an
   *     export), off the UI thread: a virtual thread each; a test may run it in place
   */
  public Shell(ConsoleApi console, Consumer<Runnable> ui, ZoneId zone, Executor background) {
    this.console = console;
    this.ui = ui;
    this.background = background;
    this.zone = zone;
    this.pages = new Pages(this);
    this.snapshot = console.snapshot();
    stack.push(pages.open(ConsoleView.APPLICATIONS, Optional.empty()));
    choosePage();
  }

  // ------------------------------------------------------------------------------------------
  // What pages use

  /** The façade, for the commands a page sends. */
  public ConsoleApi console() {
    return console;
  }

  /** The zone times are shown in. */
  public ZoneId zone() {
    return zone;
  }

  /** The latest snapshot. */
  public ConsoleSnapshot snapshot() {
    return snapshot;
  }

  /** Runs {@code task} on the UI thread, then redraws (for a page's own futures). */
  public void onUi(Runnable task) {
    ui.accept(task);
  }

  /**
   * Runs {@code work} off the UI thread (it may read the cluster or Git), then {@code then} with its
   * value, or {@code failed} with what it threw, back on the UI thread.
   */
  public <T> void background(Supplier<T> work, Consumer<T> then, Consumer<Throwable> failed) {
    CompletableFuture.supplyAsync(work, background)
        .whenComplete(
            (value, failure) ->
                ui.accept(
                    () -> {
                      if (failure != null) {
                        failed.accept(
                            failure instanceof java.util.concurrent.CompletionException c
                                    && c.getCause() != null
                                ? c.getCause()
                                : failure);
                      } else {
                        then.accept(value);
                      }
                    }));
  }

  /** Opens {@code view} on top of the current page (Enter). */
  public void push(ConsoleView view, Optional<String> application) {
    stack.push(pages.open(view, application));
  }

  /** Back to the page below (Esc); the last page stays. */
  public void back() {
    if (stack.size() > 1) {
      stack.pop();
      page().shown(snapshot, this);
    }
  }

  /** The page on top. */
  public Page page() {
    return stack.peek();
  }

  /**
   * Asks before a dangerous command: computes the engine's preview, shows it, and sends {@code
   * command} on {@code y}. A preview that says the command cannot go ahead is shown, and nothing
   * is sent.
   *
   * @param title the question's first line while the preview is computed
   * @param doing what the status line says while the command runs ({@code aborting storefront})
   */
  public void confirm(
      String title,
      Supplier<CompletableFuture<Preview>> preview,
      Supplier<CompletableFuture<CommandResult>> command,
      String doing) {
    confirmation = new Confirmation(title, null, command, doing);
    mode = Mode.CONFIRM;
    Confirmation asked = confirmation;
    preview
        .get()
        .whenComplete(
            (shown, failure) ->
                ui.accept(
                    () -> {
                      if (confirmation != asked) {
                        return; // cancelled meanwhile
                      }
                      Preview p =
                          failure != null
                              ? Preview.refused(
                                  title,
                                  CommandResult.of(
                                      CommandResult.Status.FAILED,
                                      "the preview failed: " + failure.getMessage()))
                              : shown;
                      confirmation = new Confirmation(title, p, command, doing);
                    }));
  }

  /**
   * Asks for one line of text in the status line ({@code reason: …}): {@code then} gets it on
   * Enter (a blank answer asks again), Esc cancels and nothing is sent.
   *
   * @param question what the prompt says before the text, e.g. {@code reason}
   */
  public void ask(String question, Consumer<String> then) {
    this.question = question;
    this.answered = then;
    prompt.setLength(0);
    mode = Mode.ASK;
  }

  /** Sends a command that needs no confirmation; its outcome goes to the status line. */
  public void run(String doing, Supplier<CompletableFuture<CommandResult>> command) {
    running++;
    say("⟳ " + doing + "…", Token.INFO);
    command
        .get()
        .whenComplete(
            (result, failure) ->
                ui.accept(
                    () -> {
                      running--;
                      if (failure != null) {
                        say("✖ " + doing + ": " + failure.getMessage(), Token.DANGER);
                      } else {
                        say(
                            (result.ok() ? "✔ " : "✖ ") + result.message(),
                            result.ok() ? Token.SUCCESS : Token.DANGER);
                      }
                    }));
  }

  /** A line in the status line. */
  public void say(String line, Token token) {
    status = line;
    statusToken = token;
  }

  // ------------------------------------------------------------------------------------------
  // Input from the runner and the engine

  /** A new snapshot (on the UI thread). */
  public void show(ConsoleSnapshot latest) {
    if (latest.version() < snapshot.version()) {
      return;
    }
    snapshot = latest;
    loading.saw(latest);
    choosePage();
    page().shown(latest, this);
  }

  /** Until the person presses a key, the console opens on the attention queue when it has items. */
  private void choosePage() {
    if (touched || snapshot.isLoading()) {
      return;
    }
    boolean attention = pages.needsAttention(snapshot);
    ConsoleView first = attention ? ConsoleView.ATTENTION : ConsoleView.APPLICATIONS;
    if (stack.size() == 1 && stack.peek().view() != first) {
      stack.clear();
      stack.push(pages.open(first, Optional.empty()));
    }
  }

  @Override
  public boolean handle(KeyStroke key) {
    touched = true;
    String name = Keys.name(key);
    if (name.equals("ctrl+c")) {
      return false;
    }
    switch (mode) {
      case CONFIRM -> {
        answer(name);
        return true;
      }
      case HELP -> {
        mode = Mode.NORMAL;
        return true;
      }
      case COMMAND, FILTER, ASK -> {
        return edit(key, name);
      }
      case NORMAL -> {}
    }
    Page page = page();
    if (name.equals(":")) {
      mode = Mode.COMMAND;
      prompt.setLength(0);
      return true;
    }
    if (name.equals("?")) {
      mode = Mode.HELP;
      return true;
    }
    if (name.equals("/") && page.view().actions().contains(ConsoleAction.FILTER)) {
      mode = Mode.FILTER;
      prompt.setLength(0);
      prompt.append(page.filter());
      return true;
    }
    if (page.handle(key, snapshot, this)) {
      return true;
    }
    Optional<ConsoleAction> action = Keys.action(key, page.view().actions());
    if (action.isPresent()) {
      if (action.get() == ConsoleAction.BACK) {
        back();
        return true;
      }
      if (!page.act(action.get(), snapshot, this)) {
        say(action.get().words() + ": nothing selected it applies to", Token.FG_MUTED);
      }
      return true;
    }
    if (name.equals("esc")) {
      back();
    }
    return true;
  }

  private void answer(String name) {
    Confirmation asked = confirmation;
    if (name.equals("y") && asked.preview() != null && asked.preview().ok()) {
      confirmation = null;
      mode = Mode.NORMAL;
      run(asked.doing(), asked.command());
    } else if (name.equals("n") || name.equals("esc") || (asked.preview() != null && !asked.preview().ok())) {
      confirmation = null;
      mode = Mode.NORMAL;
      say("cancelled: " + asked.title(), Token.FG_MUTED);
    }
  }

  private boolean edit(KeyStroke key, String name) {
    switch (name) {
      case "esc" -> {
        if (mode == Mode.FILTER) {
          page().filter("");
        }
        if (mode == Mode.ASK) {
          say("cancelled: nothing sent", Token.FG_MUTED);
        }
        if (mode == Mode.COMMAND) {
          status = ""; // the completions were for the prompt that closes
        }
        mode = Mode.NORMAL;
      }
      case "enter" -> {
        if (mode == Mode.ASK) {
          String text = prompt.toString().trim();
          if (text.isEmpty()) {
            return true; // a blank answer asks again
          }
          mode = Mode.NORMAL;
          answered.accept(text);
          return true;
        }
        Mode was = mode;
        mode = Mode.NORMAL;
        if (was == Mode.COMMAND) {
          status = ""; // the completions were for the prompt; what the command says replaces them
          return execute(prompt.toString().trim());
        }
        page().filter(prompt.toString());
      }
      case "backspace" -> {
        if (!prompt.isEmpty()) {
          prompt.setLength(prompt.length() - 1);
        }
        if (mode == Mode.FILTER) {
          page().filter(prompt.toString());
        }
      }
      case "tab" -> {
        if (mode == Mode.COMMAND) {
          complete();
        }
      }
      default -> {
        if (key.getKeyType() == com.googlecode.lanterna.input.KeyType.Character && !key.isCtrlDown()) {
          prompt.append(key.getCharacter());
          if (mode == Mode.FILTER) {
            page().filter(prompt.toString());
          } else if (mode == Mode.COMMAND) {
            List<String> matches = commandsStartingWith(prompt.toString());
            status = matches.isEmpty() ? "no such view" : String.join("  ", matches);
            statusToken = Token.FG_MUTED;
          }
        }
      }
    }
    return true;
  }

  /** The {@code :} commands: every view's, and {@code q}. */
  static List<String> commands() {
    List<String> all = new ArrayList<>();
    for (ConsoleView view : ConsoleView.values()) {
      if (view != ConsoleView.APPLICATION && view != ConsoleView.DIFF) {
        all.add(view.command());
      }
    }
    all.add("q");
    return all;
  }

  private static List<String> commandsStartingWith(String start) {
    return commands().stream().filter(c -> c.startsWith(start)).toList();
  }

  private void complete() {
    List<String> matches = commandsStartingWith(prompt.toString());
    if (matches.size() == 1) {
      prompt.setLength(0);
      prompt.append(matches.getFirst());
    } else if (!matches.isEmpty()) {
      String common = matches.getFirst();
      for (String m : matches) {
        int i = 0;
        while (i < common.length() && i < m.length() && common.charAt(i) == m.charAt(i)) {
          i++;
        }
        common = common.substring(0, i);
      }
      prompt.setLength(0);
      prompt.append(common);
      say(String.join("  ", matches), Token.FG_MUTED);
    }
  }

  /** Runs a {@code :} command; false ends the program ({@code :q}). */
  private boolean execute(String command) {
    if (command.equals("q") || command.equals("quit") || command.equals("q!")) {
      return false;
    }
    int space = command.indexOf(' ');
    if (space > 0 && command.substring(0, space).equals(ConsoleView.EVENTS.command())) {
      String application = command.substring(space + 1).trim(); // :events storefront
      stack.clear();
      stack.push(pages.open(ConsoleView.APPLICATIONS, Optional.empty()));
      stack.push(pages.open(ConsoleView.EVENTS, Optional.of(application)));
      return true;
    }
    for (ConsoleView view : ConsoleView.values()) {
      if (view.command().equals(command)) {
        Optional<String> application =
            view == ConsoleView.EVENTS || view == ConsoleView.CONTEXTS
                ? Optional.<String>empty()
                : page().application(snapshot);
        if (view == ConsoleView.EXPERIMENTS
            || (view == ConsoleView.FLAGS
                && (page().view() == ConsoleView.APPLICATIONS
                    || page().view() == ConsoleView.ATTENTION))) {
          // every experiment, and from a list every application's flags: the rows name their
          // application; from one application's pages, its own flags
          application = Optional.empty();
        }
        boolean needsApplication =
            view == ConsoleView.HISTORY || view == ConsoleView.ROLLOUT;
        if (needsApplication && application.isEmpty()) {
          say(":" + command + " needs an application: select one first", Token.WARNING);
          return true;
        }
        stack.clear();
        if (view != ConsoleView.APPLICATIONS && view != ConsoleView.ATTENTION) {
          stack.push(pages.open(ConsoleView.APPLICATIONS, Optional.empty()));
        }
        stack.push(pages.open(view, application));
        return true;
      }
    }
    say("no view named '" + command + "'; Tab completes: " + String.join(" ", commands()), Token.WARNING);
    return true;
  }

  // ------------------------------------------------------------------------------------------
  // Drawing

  @Override
  public void draw(Painter painter) {
    painter.clear(Token.BACKGROUND);
    int width = painter.width();
    int height = painter.height();
    Header.draw(painter.region(0, 0, width, 1), snapshot, page(), zone);
    Painter body = painter.region(0, 1, width, Math.max(0, height - 3));
    if (snapshot.isLoading() && snapshot.applications().isEmpty()) {
      loading.draw(body, snapshot);
    } else {
      page().draw(body, snapshot);
    }
    if (mode == Mode.HELP) {
      Help.draw(body, page().view());
    } else if (mode == Mode.CONFIRM && confirmation != null) {
      drawConfirmation(body);
    }
    drawFooter(painter.region(0, height - 2, width, 1));
    drawStatus(painter.region(0, height - 1, width, 1));
  }

  private void drawFooter(Painter footer) {
    if (snapshot.isLoading() && snapshot.applications().isEmpty()) {
      // nothing to act on yet: the view's actions would only be refused
      int x = footer.text(0, 0, "<:q>", Token.ACCENT);
      footer.text(x, 0, " quit  (the views open once the cluster is read)", Token.FG_MUTED);
      return;
    }
    // the view's actions, most urgent first, as many as fit; "<?> more" follows when some did not
    // and there is room, so that the rest is known to be one key away
    String more = "<?> more";
    int x = 0;
    for (ConsoleAction action : page().view().actions()) {
      String key = "<" + action.key() + ">";
      int need = key.length() + 1 + action.words().length() + 2;
      if (x + need > footer.width()) {
        if (x + more.length() <= footer.width()) {
          footer.text(x, 0, more, Token.ACCENT);
        }
        return;
      }
      x = footer.text(x, 0, key, Token.ACCENT);
      x = footer.text(x, 0, " " + action.words() + "  ", Token.FG_MUTED);
    }
  }

  private void drawStatus(Painter line) {
    switch (mode) {
      case COMMAND -> {
        int x = line.text(0, 0, ":" + prompt, Token.FG_DEFAULT);
        line.text(x, 0, "▏", Token.ACCENT);
        line.fitted(x + 3, 0, status, line.width() - x - 3, Token.FG_MUTED, Token.BACKGROUND);
      }
      case ASK -> {
        int x = line.text(0, 0, question + ": ", Token.ACCENT);
        x = line.text(x, 0, prompt.toString(), Token.FG_DEFAULT);
        line.text(x, 0, "▏", Token.ACCENT);
        line.fitted(x + 2, 0, "enter: next, esc: cancel", Math.max(0, line.width() - x - 2), Token.FG_MUTED, Token.BACKGROUND);
      }
      case FILTER -> {
        int x = line.text(0, 0, "/" + prompt, Token.FG_DEFAULT);
        line.text(x, 0, "▏", Token.ACCENT);
        line.text(x + 2, 0, "enter keeps, esc clears", Token.FG_MUTED);
      }
      case CONFIRM -> {
        boolean ready = confirmation != null && confirmation.preview() != null;
        String text =
            !ready
                ? "computing what it would do…"
                : confirmation.preview().ok()
                    ? "y: do it    n or esc: cancel"
                    : "cannot go ahead (any key closes)";
        line.text(0, 0, text, ready ? Token.WARNING : Token.INFO, Token.BACKGROUND, EnumSet.of(SGR.BOLD));
      }
      default -> line.fitted(0, 0, status, line.width(), statusToken, Token.BACKGROUND);
    }
  }

  private void drawConfirmation(Painter body) {
    Preview preview = confirmation.preview();
    List<String> lines = new ArrayList<>();
    String title = preview == null ? confirmation.title() : preview.title();
    if (preview == null) {
      lines.add("computing what it would do…");
    } else {
      lines.addAll(Wrap.lines(preview.lines(), Math.max(20, body.width() - 6))); // all of it, wrapped
    }
    int width = Math.min(body.width() - 2, Math.max(40, longest(lines, title) + 4));
    int height = Math.min(body.height(), lines.size() + 4);
    int left = Math.max(0, (body.width() - width) / 2);
    int top = Math.max(0, (body.height() - height) / 2);
    Painter box = body.region(left, top, width, height);
    box.clear(Token.SURFACE);
    Token edge = preview != null && !preview.ok() ? Token.DANGER : Token.WARNING;
    Frames.box(box, title, edge, Token.SURFACE);
    for (int i = 0; i < lines.size() && i + 2 < height - 1; i++) {
      box.fitted(2, i + 2, lines.get(i), width - 4, Token.FG_DEFAULT, Token.SURFACE);
    }
  }

  private static int longest(List<String> lines, String title) {
    int longest = title.length() + 4;
    for (String line : lines) {
      longest = Math.max(longest, line.length());
    }
    return longest;
  }

  /** The text of a cut line, for pages: {@link Text#fit}. */
  static String fit(String text, int columns) {
    return Text.fit(text, columns);
  }

  /** Whether a command is under way (the status line shows it). */
  public boolean busy() {
    return running > 0;
  }
}
