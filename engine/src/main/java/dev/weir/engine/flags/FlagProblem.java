package dev.weir.engine.flags;

import dev.weir.engine.model.SourceLocation;
import java.util.Objects;

/**
 * Why a flag file cannot be used, and where: printed as one line, {@code file:line:column: what is
 * wrong}, as every problem of Weir is. A file with a problem never reaches the cluster and is never
 * committed by an edit.
 *
 * @param location the file and the position of the value at fault
 * @param message one line for the person fixing the file
 */
public record FlagProblem(SourceLocation location, String message) {
  public FlagProblem {
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(message, "message");
  }

  @Override
  public String toString() {
    return location + ": " + message;
  }
}
