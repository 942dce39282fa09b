package dev.weir.tui.screen;

import com.googlecode.lanterna.input.KeyStroke;

/**
 * What a {@link TerminalRunner} runs: something that draws the whole screen and answers keys. Both
 * are called on the UI thread only, one at a time.
 */
public interface TerminalApp {

  /** Draws everything; the runner then sends the terminal only what changed. */
  void draw(Painter painter);

  /** Answers a key; {@code false} ends the program. */
  boolean handle(KeyStroke key);
}
