package dev.weir.tui.console;

import com.googlecode.lanterna.input.KeyStroke;
import dev.weir.engine.console.ApplicationView;
import dev.weir.engine.console.ConsoleAction;
import dev.weir.engine.console.ConsoleSnapshot;
import dev.weir.engine.console.ConsoleView;
import dev.weir.engine.console.FlagView;
import dev.weir.engine.model.FlagChange;
import dev.weir.themes.Token;
import dev.weir.tui.screen.Painter;
import dev.weir.tui.screen.Text;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The feature flags of every application, or of one ({@code :flags} from an application): one row
 * per flag with its state, default variant, fractional split and targeting, read from the
 * snapshot's {@link FlagView}s. {@code x} turns the selected flag on or off, {@code D} sets its
 * default variant, {@code %} its split; each asks for a reason, shows the engine's preview (the
 * file, the commit, the push and the sync) and sends the change only on {@code y}.
 */
final class FlagsPage implements Page {
  private final Optional<String> application;
  private final Selection selection = new Selection();
  private String filter = "";
  private int rows = 10;

  /** One row: a flag and its application. */
  record Row(String application, FlagView flag) {
    String key() {
      return application + "/" + flag.key();
    }
  }

  FlagsPage(Optional<String> application) {
    this.application = application;
  }

  @Override
  public ConsoleView view() {
    return ConsoleView.FLAGS;
  }

  @Override
  public String breadcrumb() {
    return application.map(a -> a + " › flags").orElse("flags");
  }

  @Override
  public Optional<String> application(ConsoleSnapshot snapshot) {
    return application.isPresent() ? application : selected(snapshot).map(Row::application);
  }

  List<Row> rows(ConsoleSnapshot snapshot) {
    List<Row> out = new ArrayList<>();
    for (ApplicationView app : snapshot.applications()) {
      if (application.isPresent() && !application.get().equals(app.name())) {
        continue;
      }
      for (FlagView flag : app.flags()) {
        Row row = new Row(app.name(), flag);
        if (filter.isEmpty() || row.key().toLowerCase(Locale.ROOT).contains(filter.toLowerCase(Locale.ROOT))) {
          out.add(row);
        }
      }
    }
    return out;
  }

  private static List<String> keys(List<Row> rows) {
    return rows.stream().map(Row::key).toList();
  }

  Optional<Row> selected(ConsoleSnapshot snapshot) {
    List<Row> all = rows(snapshot);
    int index = selection.index(keys(all));
    return index < 0 ? Optional.empty() : Optional.of(all.get(index));
  }

  @Override
  public void draw(Painter box, ConsoleSnapshot snapshot) {
    List<Row> all = rows(snapshot);
    String title =
        "Flags" + application.map(a -> " of " + a).orElse("") + "  (" + all.size() + ")"
            + (filter.isEmpty() ? "" : "  /" + filter);
    Frames.box(box, title, Token.BORDER, Token.BACKGROUND);
    int width = box.width() - 2;
    Painter inner = box.region(1, 1, width, box.height() - 2);
    if (all.isEmpty()) {
      inner.fitted(
          1, 0,
          filter.isEmpty()
              ? "no flags: " + application.map(a -> a + " has").orElse("no application has") + " flagd files"
              : "no flag matches /" + filter,
          width - 1, Token.FG_MUTED, Token.BACKGROUND);
      return;
    }
    boolean wide = width >= 100;
    int app = wide ? 16 : 12;
    int key = wide ? 24 : 18;
    int state = 9;
    int def = wide ? 12 : 8;
    int split = wide ? 22 : 17;
    inner.fitted(
        0, 0,
        " " + Text.pad("APPLICATION", app) + Text.pad("FLAG", key) + Text.pad("STATE", state)
            + Text.pad("DEFAULT", def) + Text.pad("SPLIT", split) + "TARGETING",
        width, Token.FG_MUTED, Token.BACKGROUND);
    List<String> keys = keys(all);
    rows = inner.height() - 1;
    int top = selection.top(keys, rows);
    int chosenIndex = selection.index(keys);
    for (int r = 0; r < rows && top + r < all.size(); r++) {
      Row row = all.get(top + r);
      FlagView flag = row.flag();
      boolean chosen = top + r == chosenIndex;
      Token ground = chosen ? Token.SELECTION_BG : Token.BACKGROUND;
      Token plain = chosen ? Token.SELECTION_FG : Token.FG_DEFAULT;
      Painter line = inner.region(0, r + 1, width, 1);
      line.fill(0, 0, width, ' ', plain, ground);
      int x = line.text(0, 0, chosen ? "▶" : " ", Token.ACCENT, ground);
      x = line.text(x, 0, Text.pad(Text.fit(row.application(), app - 1), app), plain, ground);
      x = line.text(x, 0, Text.pad(Text.fit(flag.key(), key - 1), key), chosen ? plain : Token.ACCENT, ground);
      x = line.text(x, 0, Text.pad(flag.enabled() ? "ENABLED" : "DISABLED", state), chosen ? plain : flag.enabled() ? Token.SUCCESS : Token.FG_MUTED, ground);
      x = line.text(x, 0, Text.pad(Text.fit(flag.defaultVariant(), def - 1), def), plain, ground);
      x = line.text(x, 0, Text.pad(Text.fit(flag.split().isEmpty() ? "—" : flag.splitText(), split - 1), split), plain, ground);
      line.fitted(x, 0, flag.targeting(), width - x, chosen ? plain : Token.FG_MUTED, ground);
    }
  }

  @Override
  public boolean handle(KeyStroke key, ConsoleSnapshot snapshot, Shell shell) {
    return selection.move(key, keys(rows(snapshot)), rows);
  }

  @Override
  public boolean act(ConsoleAction action, ConsoleSnapshot snapshot, Shell shell) {
    Optional<Row> found = selected(snapshot);
    if (found.isEmpty()) {
      return false;
    }
    String app = found.get().application();
    FlagView flag = found.get().flag();
    switch (action) {
      case FLAG_TOGGLE -> change(shell, app, flag, new FlagChange.SetState(!flag.enabled()));
      case FLAG_DEFAULT ->
          shell.ask(
              "default variant of " + flag.key() + " (" + String.join(", ", flag.variants().keySet()) + ")",
              variant -> change(shell, app, flag, new FlagChange.SetDefault(variant)));
      case FLAG_SPLIT ->
          shell.ask(
              "split of " + flag.key() + " as VARIANT=PCT,… (now " + (flag.split().isEmpty() ? "none" : flag.splitText()) + ")",
              text -> {
                try {
                  change(shell, app, flag, new FlagChange.SetFractions(fractions(text)));
                } catch (IllegalArgumentException e) {
                  shell.say("✖ " + e.getMessage() + "; nothing sent", Token.DANGER);
                }
              });
      default -> {
        return Acts.on(action, app, shell);
      }
    }
    return true;
  }

  /** Asks for the reason, then shows the engine's preview; {@code y} sends the change. */
  private static void change(Shell shell, String app, FlagView flag, FlagChange change) {
    shell.ask(
        "reason for " + flag.key() + " " + change.describe(),
        reason ->
            shell.confirm(
                "Set flag " + flag.key() + " of " + app + ": " + change.describe(),
                () -> shell.console().previewSetFlag(app, flag.key(), change, reason, true),
                () -> shell.console().setFlag(app, flag.key(), change, reason, true),
                "setting flag " + flag.key() + " of " + app + " " + change.describe()));
  }

  /** {@code on=10,off=90} (a {@code %} after a number is allowed) as variants and percentages. */
  static Map<String, Integer> fractions(String text) {
    Map<String, Integer> out = new LinkedHashMap<>();
    for (String part : text.split(",")) {
      String[] pair = part.trim().split("=", -1);
      if (pair.length != 2 || pair[0].isBlank()) {
        throw new IllegalArgumentException("'" + part.trim() + "' is not VARIANT=PCT");
      }
      String number = pair[1].trim();
      if (number.endsWith("%")) {
        number = number.substring(0, number.length() - 1).trim();
      }
      try {
        out.put(pair[0].trim(), Integer.parseInt(number));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("'" + pair[1].trim() + "' is not a whole percentage for " + pair[0].trim());
      }
    }
    return out;
  }

  @Override
  public void filter(String text) {
    filter = text;
  }

  @Override
  public String filter() {
    return filter;
  }
}
