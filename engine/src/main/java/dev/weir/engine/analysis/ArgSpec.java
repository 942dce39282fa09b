package dev.weir.engine.analysis;

import java.util.Objects;
import java.util.Optional;

/** A template argument ({@code spec.args[]}): a name and an optional default value. Immutable. */
public record ArgSpec(String name, Optional<String> value) {
  public ArgSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
  }
}
