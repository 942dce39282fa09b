package dev.weir.tui.console;

import dev.weir.engine.console.ConsoleSnapshot;
import dev.weir.engine.console.ConsoleView;
import java.util.Optional;

/** Makes the page of each view; the one place that knows every page class. */
final class Pages {
  private final Shell shell;

  Pages(Shell shell) {
    this.shell = shell;
  }

  Page open(ConsoleView view, Optional<String> application) {
    return switch (view) {
      case ATTENTION -> new AttentionPage();
      case APPLICATIONS -> new ApplicationsPage();
      case APPLICATION -> new ApplicationPage(application.orElse(""), shell);
      case DIFF -> new DiffPage(application.orElse(""), shell);
      case HISTORY -> new HistoryPage(shell, application.orElseThrow());
      case EVENTS -> new EventsPage(shell, application);
      case CONTEXTS -> new ContextsPage(shell.snapshot());
      case ROLLOUT -> new RolloutPage(application.orElse(""), shell.zone());
      case FLAGS -> new FlagsPage(application);
      case EXPERIMENTS -> new ExperimentsPage();
    };
  }

  /** Whether the console should open on the attention queue. */
  boolean needsAttention(ConsoleSnapshot snapshot) {
    return !snapshot.attention().isEmpty();
  }

  Shell shell() {
    return shell;
  }
}
