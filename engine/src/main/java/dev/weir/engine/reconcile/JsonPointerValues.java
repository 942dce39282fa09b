package dev.weir.engine.reconcile;

import java.util.Map;
import java.util.Optional;

/** Reads the value at an RFC 6901 JSON pointer of an object tree ({@code /spec/replicas}). */
public final class JsonPointerValues {
  private JsonPointerValues() {}

  /** The value at {@code pointer}, empty when absent. */
  public static Optional<Object> get(Map<String, Object> tree, String pointer) {
    return JsonPointers.get(tree, pointer);
  }
}
