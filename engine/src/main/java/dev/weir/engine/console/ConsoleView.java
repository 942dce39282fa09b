package dev.weir.engine.console;

import java.util.List;

/**
 * The views both consoles have, each with its actions in the order the footer shows them (the most
 * urgent first). A face draws its footer, help and buttons from {@link #actions()}; a test checks
 * that it binds every one.
 */
public enum ConsoleView {
  ATTENTION(
      "attention",
      "Needs attention",
      List.of(
          ConsoleAction.OPEN,
          ConsoleAction.ABORT,
          ConsoleAction.PROMOTE,
          ConsoleAction.SYNC,
          ConsoleAction.ROLLBACK,
          ConsoleAction.BACKPORT,
          ConsoleAction.FREEZE,
          ConsoleAction.FILTER,
          ConsoleAction.HELP)),
  APPLICATIONS(
      "apps",
      "Applications",
      List.of(
          ConsoleAction.OPEN,
          ConsoleAction.SYNC,
          ConsoleAction.SYNC_ALL,
          ConsoleAction.DIFF,
          ConsoleAction.ROLLOUT,
          ConsoleAction.HISTORY,
          ConsoleAction.ROLLBACK,
          ConsoleAction.FREEZE,
          ConsoleAction.UNFREEZE,
          ConsoleAction.REFRESH,
          ConsoleAction.FILTER,
          ConsoleAction.HELP)),
  APPLICATION(
      "app",
      "Application",
      List.of(
          ConsoleAction.SYNC,
          ConsoleAction.DIFF,
          ConsoleAction.HOTFIX,
          ConsoleAction.BACKPORT,
          ConsoleAction.ROLLOUT,
          ConsoleAction.HISTORY,
          ConsoleAction.EVENTS,
          ConsoleAction.FREEZE,
          ConsoleAction.BACK,
          ConsoleAction.HELP)),
  DIFF(
      "diff",
      "Drift",
      List.of(
          ConsoleAction.SYNC,
          ConsoleAction.HOTFIX,
          ConsoleAction.BACKPORT,
          ConsoleAction.DIFF_MODE,
          ConsoleAction.BACK,
          ConsoleAction.HELP)),
  ROLLOUT(
      "rollouts",
      "Rollout",
      List.of(
          ConsoleAction.PROMOTE,
          ConsoleAction.PROMOTE_FULL,
          ConsoleAction.ABORT,
          ConsoleAction.PAUSE_RESUME,
          ConsoleAction.SET_WEIGHT,
          ConsoleAction.RETRY,
          ConsoleAction.BACK,
          ConsoleAction.HELP)),
  HISTORY(
      "history",
      "History",
      List.of(ConsoleAction.ROLLBACK, ConsoleAction.DIFF, ConsoleAction.BACK, ConsoleAction.HELP)),
  EVENTS(
      "events",
      "Events",
      List.of(ConsoleAction.EXPORT, ConsoleAction.FILTER, ConsoleAction.BACK, ConsoleAction.HELP)),
  FLAGS(
      "flags",
      "Flags",
      List.of(
          ConsoleAction.FLAG_TOGGLE,
          ConsoleAction.FLAG_DEFAULT,
          ConsoleAction.FLAG_SPLIT,
          ConsoleAction.FILTER,
          ConsoleAction.BACK,
          ConsoleAction.HELP)),
  EXPERIMENTS(
      "experiments",
      "Experiments",
      List.of(
          ConsoleAction.EXPERIMENT_PROMOTE,
          ConsoleAction.EXPERIMENT_KEEP,
          ConsoleAction.BACK,
          ConsoleAction.HELP)),
  CONTEXTS(
      "ctx",
      "Contexts",
      List.of(ConsoleAction.SWITCH_CONTEXT, ConsoleAction.BACK, ConsoleAction.HELP));

  private final String command;
  private final String title;
  private final List<ConsoleAction> actions;

  ConsoleView(String command, String title, List<ConsoleAction> actions) {
    this.command = command;
    this.title = title;
    this.actions = List.copyOf(actions);
  }

  /** The name after {@code :} that jumps to it in the terminal ({@code :apps}). */
  public String command() {
    return command;
  }

  /** Its title. */
  public String title() {
    return title;
  }

  /** Its actions, most urgent first. */
  public List<ConsoleAction> actions() {
    return actions;
  }
}
