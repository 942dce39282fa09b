package dev.weir.engine.model;

import java.util.Objects;

/**
 * Where something was read from: a file path relative to the repository root and a 1-based line
 * and column. Printed as {@code file:line:column}, the form every error message of Weir uses.
 */
public record SourceLocation(String file, int line, int column) {

  public SourceLocation {
    Objects.requireNonNull(file, "file");
  }

  public static SourceLocation ofFile(String file) {
    return new SourceLocation(file, 1, 1);
  }

  @Override
  public String toString() {
    return file + ":" + line + ":" + column;
  }
}
