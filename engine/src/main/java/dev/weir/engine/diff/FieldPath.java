package dev.weir.engine.diff;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where a field is in an object: map keys, items of keyed lists ({@code containers[name=app]}) and
 * list positions. Printed as {@code spec.template.spec.containers[name=app].image}. Immutable.
 */
public record FieldPath(List<Segment> segments) implements Comparable<FieldPath> {

  /** One step of a path. */
  public sealed interface Segment permits Field, Item, Index {}

  /** A map key. */
  public record Field(String name) implements Segment {}

  /** The item of a keyed list whose {@code key} field is {@code value}. */
  public record Item(String key, Object value) implements Segment {}

  /** A list position. */
  public record Index(int index) implements Segment {}

  public static final FieldPath ROOT = new FieldPath(List.of());

  public FieldPath {
    segments = List.copyOf(segments);
  }

  /** {@code spec.replicas} → a path of fields. */
  public static FieldPath of(String... fields) {
    List<Segment> segments = new ArrayList<>();
    for (String field : fields) {
      segments.add(new Field(field));
    }
    return new FieldPath(segments);
  }

  public FieldPath field(String name) {
    return append(new Field(name));
  }

  public FieldPath item(String key, Object value) {
    return append(new Item(key, value));
  }

  public FieldPath index(int index) {
    return append(new Index(index));
  }

  private FieldPath append(Segment segment) {
    List<Segment> next = new ArrayList<>(segments.size() + 1);
    next.addAll(segments);
    next.add(segment);
    return new FieldPath(next);
  }

  /** Whether this path is {@code prefix} or below it. */
  public boolean startsWith(FieldPath prefix) {
    return segments.size() >= prefix.segments.size()
        && segments.subList(0, prefix.segments.size()).equals(prefix.segments);
  }

  /** The first field name, "" for the root. */
  public String head() {
    return segments.isEmpty() || !(segments.getFirst() instanceof Field f) ? "" : f.name();
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder();
    for (Segment segment : segments) {
      switch (segment) {
        case Field f -> {
          if (!out.isEmpty()) {
            out.append('.');
          }
          out.append(f.name());
        }
        case Item i -> out.append('[').append(i.key()).append('=').append(i.value()).append(']');
        case Index i -> out.append('[').append(i.index()).append(']');
      }
    }
    return out.toString();
  }

  @Override
  public int compareTo(FieldPath other) {
    return toString().compareTo(other.toString());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FieldPath p && p.segments.equals(segments);
  }

  @Override
  public int hashCode() {
    return Objects.hash(segments);
  }
}
