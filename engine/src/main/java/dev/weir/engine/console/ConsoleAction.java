package dev.weir.engine.console;

/**
 * What a person can do in a console, the same in both faces: its key in the terminal, its shortcut
 * on the desktop, its words, and whether it changes something a person should confirm first (then
 * the face shows the engine's {@link Preview} and asks). The terminal's footer and {@code ?} help
 * and the desktop's buttons, tooltips and command palette are all drawn from this one table
 * ({@link ConsoleView#actions()}), so one face cannot grow an action the other lacks.
 *
 * <p>Keys are written as the terminal console reads them: a character ({@code a}, {@code P}), or
 * {@code enter}, {@code esc}, {@code space}, {@code ctrl+r}, {@code ←/→}.
 */
public enum ConsoleAction {
  // moving around
  OPEN("enter", "Enter", "open", false),
  BACK("esc", "Escape", "back", false),
  FILTER("/", "Ctrl+F", "filter", false),
  COMMAND(":", "Ctrl+K", "command", false),
  HELP("?", "F1", "help", false),
  REFRESH("ctrl+r", "F5", "refresh", false),
  DIFF("d", "Ctrl+D", "diff", false),
  DIFF_MODE("v", "Ctrl+Shift+V", "unified/per field", false),
  HISTORY("H", "Ctrl+H", "history", false),
  EVENTS("E", "Ctrl+E", "events", false),
  ROLLOUT("o", "Ctrl+O", "rollout", false),
  // Git and the cluster
  SYNC("s", "Ctrl+S", "sync", true),
  SYNC_ALL("S", "Ctrl+Shift+S", "sync all", true),
  HOTFIX("h", "Ctrl+Shift+H", "hotfix: keep live", true),
  BACKPORT("b", "Ctrl+B", "backport to Git", true),
  ROLLBACK("r", "Ctrl+Shift+R", "roll back", true),
  FREEZE("f", "Ctrl+Shift+F", "freeze", true),
  UNFREEZE("F", "Ctrl+Alt+F", "unfreeze", true),
  // rollouts
  PROMOTE("p", "Ctrl+P", "promote", true),
  PROMOTE_FULL("P", "Ctrl+Shift+P", "promote full", true),
  ABORT("a", "Ctrl+Shift+A", "abort", true),
  PAUSE_RESUME("space", "Ctrl+Space", "pause/resume", false),
  RETRY("t", "Ctrl+T", "retry", true),
  SET_WEIGHT("w", "Ctrl+W", "set weight", true),
  // feature flags (each change a commit, pushed, then synced) and A/B experiments
  FLAG_TOGGLE("x", "Ctrl+Shift+T", "flag on/off", true),
  FLAG_DEFAULT("D", "Ctrl+Shift+D", "default variant", true),
  FLAG_SPLIT("%", "Ctrl+Shift+L", "fractional split", true),
  EXPERIMENT_PROMOTE("B", "Ctrl+Shift+B", "conclude: promote B", true),
  EXPERIMENT_KEEP("A", "Ctrl+Shift+K", "conclude: keep A", true),
  // the timeline and contexts
  EXPORT("e", "Ctrl+Shift+E", "export Markdown", false),
  SWITCH_CONTEXT("enter", "Enter", "switch", true),
  QUIT(":q", "Ctrl+Q", "quit", false);

  private final String key;
  private final String shortcut;
  private final String words;
  private final boolean confirms;

  ConsoleAction(String key, String shortcut, String words, boolean confirms) {
    this.key = key;
    this.shortcut = shortcut;
    this.words = words;
    this.confirms = confirms;
  }

  /** The terminal console's key. */
  public String key() {
    return key;
  }

  /** The desktop console's shortcut. */
  public String shortcut() {
    return shortcut;
  }

  /** What it does, in a few words ({@code promote full}). */
  public String words() {
    return words;
  }

  /** Whether the face shows the engine's preview and asks before sending the command. */
  public boolean confirms() {
    return confirms;
  }
}
