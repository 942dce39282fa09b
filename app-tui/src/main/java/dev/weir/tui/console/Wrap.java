package dev.weir.tui.console;

import java.util.ArrayList;
import java.util.List;

/**
 * Wraps lines at spaces to a width, continuation lines indented as the line they continue plus two
 * spaces: a confirmation says all of what the engine's preview says, even in 80 columns.
 */
final class Wrap {
  private Wrap() {}

  static List<String> lines(List<String> lines, int width) {
    List<String> out = new ArrayList<>();
    for (String line : lines) {
      out.addAll(line(line, width));
    }
    return out;
  }

  static List<String> line(String line, int width) {
    List<String> out = new ArrayList<>();
    if (line.length() <= width) {
      out.add(line);
      return out;
    }
    int indent = 0;
    while (indent < line.length() && line.charAt(indent) == ' ') {
      indent++;
    }
    String prefix = line.startsWith("| ", indent) ? " ".repeat(indent) + "| " : " ".repeat(Math.min(indent + 2, width / 2));
    String rest = line;
    boolean first = true;
    while (rest.length() > width) {
      int cut = rest.lastIndexOf(' ', width);
      int floor = first ? indent : prefix.length();
      if (cut <= floor) {
        cut = width; // no space to break at: cut the word
      }
      out.add(rest.substring(0, cut).stripTrailing());
      rest = prefix + rest.substring(cut).stripLeading();
      first = false;
    }
    out.add(rest);
    return out;
  }
}
