package dev.weir.engine.diff;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Who last set a field, from the live object's {@code managedFields}: the field manager ({@code
 * kubectl-edit}, {@code weir}, {@code helm} …), how ({@code Apply} or {@code Update}) and when.
 * Immutable.
 */
public record FieldOwner(String manager, String operation, Optional<Instant> time) {
  public FieldOwner {
    Objects.requireNonNull(manager, "manager");
    operation = operation == null ? "" : operation;
    Objects.requireNonNull(time, "time");
  }
}
