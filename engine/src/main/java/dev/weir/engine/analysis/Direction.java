package dev.weir.engine.analysis;

import java.util.Locale;
import java.util.Optional;

/** Which way a canary metric may not move: Kayenta's "direction". */
public enum Direction {
  /** A higher canary value is bad (latency, errors): only High fails. */
  INCREASE,
  /** A lower canary value is bad (success rate, throughput): only Low fails. */
  DECREASE,
  /** Any significant difference beyond the effect size fails. */
  EITHER;

  /**
   * The word used in templates and on the command line: {@code increase}, {@code decrease}, {@code
   * either}.
   */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses the template/command-line word, case-insensitively. */
  public static Optional<Direction> fromWord(String word) {
    for (Direction direction : values()) {
      if (direction.name().equalsIgnoreCase(word == null ? "" : word.trim())) {
        return Optional.of(direction);
      }
    }
    return Optional.empty();
  }
}
