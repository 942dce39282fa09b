package dev.weir.tui.console;

import com.googlecode.lanterna.SGR;
import dev.weir.engine.console.ConsoleSnapshot;
import dev.weir.engine.console.HeaderView;
import dev.weir.themes.Token;
import dev.weir.tui.screen.Painter;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * The header line: where you are ({@code weir › checkout › rollout}), the context, the repository
 * at its branch and revision with the time of the last fetch, and what must not be missed — a
 * freeze of everything, Git or the cluster unreachable (with since when). When the line is too
 * narrow, the warnings stay and the repository is shortened first.
 */
final class Header {
  private Header() {}

  private record Part(String text, Token token, int priority) {}

  static void draw(Painter line, ConsoleSnapshot snapshot, Page page, ZoneId zone) {
    HeaderView header = snapshot.header();
    List<Part> parts = new ArrayList<>();
    parts.add(new Part(" weir", Token.ACCENT, 0));
    parts.add(new Part(" › " + page.breadcrumb(), Token.FG_DEFAULT, 0));
    // while the sandbox starts, nothing names the context or the repository yet: say so in a word
    // rather than draw "ctx:  @"
    String unknown = snapshot.isLoading() ? "loading…" : "-";
    parts.add(
        header.context().isEmpty()
            ? new Part("  ctx:" + unknown, Token.FG_MUTED, 1)
            : new Part("  ctx:" + header.context(), Token.FG_DEFAULT, 1));
    String revision = header.revision().isEmpty() ? "" : " " + header.revision();
    String fetched = header.fetchedAt().map(at -> " " + time(at, zone)).orElse("");
    if (header.repositoryName().isEmpty()) {
      parts.add(new Part("  repo:" + unknown, Token.FG_MUTED, 3));
    } else {
      String branch = header.branch().isEmpty() ? "" : "@" + header.branch();
      parts.add(new Part("  " + header.repositoryName() + branch + revision, Token.FG_DEFAULT, 3));
    }
    parts.add(new Part(fetched, Token.FG_MUTED, 4));
    header.freezeUntil().ifPresent(until -> parts.add(new Part("  ❄ all frozen until " + time(until, zone), Token.WARNING, 1)));
    header.gitStaleSince().ifPresent(since -> parts.add(new Part("  ⚠ Git stale since " + time(since, zone), Token.DANGER, 1)));
    header.clusterUnreachableSince().ifPresent(since -> parts.add(new Part("  ⚠ cluster unreachable since " + time(since, zone), Token.DANGER, 1)));
    // drop the least important parts until the line fits
    int width = line.width();
    for (int priority = 4; priority > 0 && length(parts) > width; priority--) {
      int p = priority;
      parts.removeIf(part -> part.priority() == p);
    }
    int x = 0;
    for (Part part : parts) {
      EnumSet<SGR> bold = part.token() == Token.ACCENT ? EnumSet.of(SGR.BOLD) : EnumSet.noneOf(SGR.class);
      x = line.text(x, 0, part.text(), part.token(), Token.BACKGROUND, bold);
    }
  }

  private static int length(List<Part> parts) {
    return parts.stream().mapToInt(p -> p.text().length()).sum();
  }

  static String time(Instant at, ZoneId zone) {
    return Shell.CLOCK.format(at.atZone(zone));
  }
}
