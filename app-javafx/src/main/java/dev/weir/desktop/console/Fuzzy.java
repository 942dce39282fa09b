package dev.weir.desktop.console;

import java.util.Locale;
import java.util.OptionalInt;

/**
 * Fuzzy matching for the command palette: every character of the query must appear in order in the
 * text (case ignored); consecutive characters and characters at the start of a word score higher,
 * so {@code rb} finds "roll back" before "refresh: backport". Pure.
 */
final class Fuzzy {
  private Fuzzy() {}

  /** The score of {@code text} for {@code query}, higher is better; empty when it does not match. */
  static OptionalInt score(String query, String text) {
    String q = query.strip().toLowerCase(Locale.ROOT);
    String t = text.toLowerCase(Locale.ROOT);
    if (q.isEmpty()) {
      return OptionalInt.of(0);
    }
    int score = 0;
    int at = 0;
    int previous = -2;
    for (int i = 0; i < q.length(); i++) {
      char c = q.charAt(i);
      if (c == ' ') {
        continue;
      }
      int found = t.indexOf(c, at);
      if (found < 0) {
        return OptionalInt.empty();
      }
      score += 1;
      if (found == previous + 1) {
        score += 5;
      }
      if (found == 0 || !Character.isLetterOrDigit(t.charAt(found - 1))) {
        score += 8;
      }
      previous = found;
      at = found + 1;
    }
    return OptionalInt.of(score * 100 - t.length());
  }
}
