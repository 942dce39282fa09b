package dev.weir.tui.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** How {@code weir status} cuts a line to 80 columns, and that {@code -o wide} never does. */
class StatusFitTest {
  record Case(String name, String line, boolean wide, String expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static List<Case> cases() {
    String eighty = "a".repeat(80);
    String arrow = "x".repeat(78) + "3→5 at 12:00";
    String emoji = "y".repeat(78) + "🙂🙂🙂";
    return List.of(
        new Case("a line of 80 is left as it is", eighty, false, eighty),
        new Case("a line of 81 ends in … at column 80", eighty + "b", false, "a".repeat(79) + "…"),
        new Case("wide leaves any line as it is", eighty + "bcd", true, eighty + "bcd"),
        new Case("an arrow counts as one column", arrow, false, "x".repeat(78) + "3…"),
        new Case(
            "a character beyond the 16-bit range is never split",
            emoji,
            false,
            "y".repeat(78) + "🙂…"));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void fit(Case c) {
    String fitted = StatusCommand.fit(c.line(), c.wide());
    assertThat(fitted).isEqualTo(c.expected());
    if (!c.wide()) {
      assertThat(fitted.codePointCount(0, fitted.length())).isLessThanOrEqualTo(StatusCommand.WIDTH);
    }
  }
}
