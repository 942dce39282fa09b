package dev.weir.tui.console;

import com.googlecode.lanterna.input.KeyStroke;
import dev.weir.engine.console.ConsoleAction;
import dev.weir.engine.console.ConsoleSnapshot;
import dev.weir.engine.console.ConsoleView;
import dev.weir.engine.console.ExperimentConclusion;
import dev.weir.engine.console.ExperimentView;
import dev.weir.themes.Token;
import dev.weir.tui.screen.Painter;
import dev.weir.tui.screen.Text;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The A/B experiments of every application: one row per experiment (application, where it stands
 * and what to do, B's traffic share and conversion rate against A's, the uplift with its
 * always-valid interval, the p-value), and under the list the selected one as the engine writes it
 * ({@link ExperimentView#lines()}: each variant's traffic and conversions). {@code B} concludes it
 * promoting B, {@code A} keeping A; each asks for a reason, shows the engine's preview and sends
 * the conclusion only on {@code y}.
 */
final class ExperimentsPage implements Page {
  private final Selection selection = new Selection();
  private int rows = 5;

  @Override
  public ConsoleView view() {
    return ConsoleView.EXPERIMENTS;
  }

  @Override
  public String breadcrumb() {
    return "experiments";
  }

  @Override
  public Optional<String> application(ConsoleSnapshot snapshot) {
    return selected(snapshot).map(ExperimentView::application);
  }

  private static String key(ExperimentView e) {
    return e.application() + "/" + e.rollout() + "/" + e.name();
  }

  private static List<String> keys(ConsoleSnapshot snapshot) {
    return snapshot.experiments().stream().map(ExperimentsPage::key).toList();
  }

  Optional<ExperimentView> selected(ConsoleSnapshot snapshot) {
    int index = selection.index(keys(snapshot));
    return index < 0 ? Optional.empty() : Optional.of(snapshot.experiments().get(index));
  }

  @Override
  public void draw(Painter body, ConsoleSnapshot snapshot) {
    List<ExperimentView> all = snapshot.experiments();
    Optional<ExperimentView> chosen = selected(snapshot);
    int detail = chosen.map(e -> Math.min(e.lines().size() + 2, body.height() / 2)).orElse(0);
    int listHeight = Math.max(4, Math.min(body.height() - detail, all.size() + 3));
    Painter box = body.region(0, 0, body.width(), listHeight);
    Frames.box(box, "Experiments  (" + all.size() + ")", Token.BORDER, Token.BACKGROUND);
    int width = box.width() - 2;
    Painter inner = box.region(1, 1, width, box.height() - 2);
    if (all.isEmpty()) {
      inner.fitted(1, 0, "no experiment: no rollout has an experiment step", width - 1, Token.FG_MUTED, Token.BACKGROUND);
      return;
    }
    boolean wide = width >= 100;
    int app = wide ? 16 : 12;
    int outcome = wide ? 26 : 22;
    int share = wide ? 22 : 0;
    int uplift = 19;
    inner.fitted(
        0, 0,
        " " + Text.pad("APPLICATION", app) + Text.pad("OUTCOME", outcome)
            + (wide ? Text.pad("B SHARE · CONV", share) : "") + Text.pad("UPLIFT [INTERVAL]", uplift) + "P",
        width, Token.FG_MUTED, Token.BACKGROUND);
    List<String> keys = keys(snapshot);
    rows = inner.height() - 1;
    int top = selection.top(keys, rows);
    int index = selection.index(keys);
    for (int r = 0; r < rows && top + r < all.size(); r++) {
      ExperimentView e = all.get(top + r);
      boolean sel = top + r == index;
      Token ground = sel ? Token.SELECTION_BG : Token.BACKGROUND;
      Token plain = sel ? Token.SELECTION_FG : Token.FG_DEFAULT;
      Painter line = inner.region(0, r + 1, width, 1);
      line.fill(0, 0, width, ' ', plain, ground);
      int x = line.text(0, 0, sel ? "▶" : " ", Token.ACCENT, ground);
      x = line.text(x, 0, Text.pad(Text.fit(e.application(), app - 1), app), plain, ground);
      String stands = e.outcome() + e.concluded().map(c -> ", " + e.decision()).orElse(" → " + e.decision());
      x = line.text(x, 0, Text.pad(Text.fit(stands, outcome - 1), outcome), sel ? plain : outcomeToken(e), ground);
      if (wide) {
        String b =
            e.variants().stream()
                .filter(v -> v.name().equals("B"))
                .findFirst()
                .map(v -> percent(v.trafficShare()) + " · " + percent(v.rate()))
                .orElse("—");
        x = line.text(x, 0, Text.pad(b, share), plain, ground);
      }
      x = line.text(x, 0, Text.pad(uplift(e), uplift), plain, ground);
      line.fitted(x, 0, pValue(e.pValue()), width - x, plain, ground);
    }
    if (chosen.isPresent() && body.height() - listHeight >= 3) {
      Painter below = body.region(0, listHeight, body.width(), body.height() - listHeight);
      Frames.box(below, chosen.get().application(), Token.ACCENT, Token.BACKGROUND);
      Painter text = below.region(1, 1, below.width() - 2, below.height() - 2);
      List<String> lines = Wrap.lines(chosen.get().lines(), Math.max(20, text.width()));
      for (int i = 0; i < lines.size() && i < text.height(); i++) {
        text.fitted(0, i, lines.get(i), text.width(), i == 0 ? outcomeToken(chosen.get()) : Token.FG_DEFAULT, Token.BACKGROUND);
      }
    }
  }

  private static Token outcomeToken(ExperimentView e) {
    return switch (e.outcome()) {
      case "B wins" -> Token.SUCCESS;
      case "B harms" -> Token.DANGER;
      case "Unknown" -> Token.WARNING;
      case "Running" -> Token.INFO;
      default -> Token.FG_MUTED;
    };
  }

  /** {@code +3.1 [+1.2, +5.0]} in points, or {@code —} until measured. */
  static String uplift(ExperimentView e) {
    if (Double.isNaN(e.uplift())) {
      return "—";
    }
    return String.format(Locale.ROOT, "%+.1f [%s, %s]", 100 * e.uplift(), bound(e.lower()), bound(e.upper()));
  }

  private static String bound(double value) {
    if (Double.isInfinite(value)) {
      return value > 0 ? "+∞" : "−∞";
    }
    return String.format(Locale.ROOT, "%+.1f", 100 * value);
  }

  private static String pValue(double p) {
    if (Double.isNaN(p)) {
      return "—";
    }
    return p < 1e-4 ? String.format(Locale.ROOT, "%.1e", p) : String.format(Locale.ROOT, "%.4f", p);
  }

  private static String percent(double share) {
    return Double.isNaN(share) ? "–" : String.format(Locale.ROOT, "%.1f%%", 100 * share);
  }

  @Override
  public boolean handle(KeyStroke key, ConsoleSnapshot snapshot, Shell shell) {
    return selection.move(key, keys(snapshot), rows);
  }

  @Override
  public boolean act(ConsoleAction action, ConsoleSnapshot snapshot, Shell shell) {
    Optional<ExperimentView> found = selected(snapshot);
    if (found.isEmpty()) {
      return false;
    }
    String app = found.get().application();
    ExperimentConclusion conclusion =
        switch (action) {
          case EXPERIMENT_PROMOTE -> ExperimentConclusion.PROMOTE;
          case EXPERIMENT_KEEP -> ExperimentConclusion.KEEP;
          default -> null;
        };
    if (conclusion == null) {
      return Acts.on(action, app, shell);
    }
    String title =
        "Conclude the experiment of " + app + ": " + (conclusion == ExperimentConclusion.PROMOTE ? "promote B" : "keep A");
    shell.ask(
        "reason to " + (conclusion == ExperimentConclusion.PROMOTE ? "promote B" : "keep A") + " in " + app,
        reason ->
            shell.confirm(
                title,
                () -> shell.console().previewConclude(app, conclusion, reason),
                () -> shell.console().conclude(app, conclusion, reason),
                "concluding the experiment of " + app + " (" + conclusion.word() + ")"));
    return true;
  }
}
