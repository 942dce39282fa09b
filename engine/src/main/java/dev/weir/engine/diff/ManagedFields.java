package dev.weir.engine.diff;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.engine.model.LiveObject;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Who owns which field of a live object, read from {@code metadata.managedFields} ({@code
 * FieldsV1}: {@code f:<field>} for map keys, {@code k:{"name":"app"}} for keyed list items, {@code
 * v:<value>} for set members).
 *
 * <p>When several managers own a field (they applied the same value), the one that is not Weir and
 * wrote last is named: that is the one who changed it. Immutable.
 */
final class ManagedFields {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String WEIR = "weir";

  private record Entry(FieldOwner owner, Map<String, Object> fields) {}

  private final List<Entry> entries;

  private ManagedFields(List<Entry> entries) {
    this.entries = entries;
  }

  @SuppressWarnings("unchecked")
  static ManagedFields of(LiveObject live) {
    List<Entry> entries = new ArrayList<>();
    for (Map<String, Object> entry : live.managedFields()) {
      if (!(entry.get("manager") instanceof String manager)
          || !(entry.get("fieldsV1") instanceof Map<?, ?> fields)
          || entry.get("subresource") instanceof String sub
              && !sub.isEmpty()
              && !sub.equals("scale")) {
        continue; // status writers do not own drift: status is not compared
      }
      Optional<Instant> time = Optional.empty();
      if (entry.get("time") instanceof String text) {
        try {
          time = Optional.of(Instant.parse(text));
        } catch (DateTimeParseException e) {
          // a time we cannot read is left out
        }
      }
      String operation = entry.get("operation") instanceof String op ? op : "";
      entries.add(
          new Entry(new FieldOwner(manager, operation, time), (Map<String, Object>) fields));
    }
    return new ManagedFields(entries);
  }

  /** The manager who set the field at {@code path}, if any owns it. */
  Optional<FieldOwner> ownerOf(FieldPath path) {
    return entries.stream()
        .filter(e -> owns(e.fields, path.segments()))
        .map(Entry::owner)
        .max(
            Comparator.comparing((FieldOwner o) -> !o.manager().equals(WEIR))
                .thenComparing(o -> o.time().orElse(Instant.EPOCH)));
  }

  @SuppressWarnings("unchecked")
  private static boolean owns(Map<String, Object> fields, List<FieldPath.Segment> path) {
    Map<String, Object> node = fields;
    for (FieldPath.Segment segment : path) {
      Object child =
          switch (segment) {
            case FieldPath.Field f -> node.get("f:" + f.name());
            case FieldPath.Item item -> itemEntry(node, item);
            case FieldPath.Index i -> null;
          };
      if (!(child instanceof Map<?, ?> map)) {
        return false;
      }
      node = (Map<String, Object>) map;
    }
    return true;
  }

  private static Object itemEntry(Map<String, Object> node, FieldPath.Item item) {
    for (var entry : node.entrySet()) {
      if (!entry.getKey().startsWith("k:")) {
        continue;
      }
      try {
        Map<?, ?> keys = JSON.readValue(entry.getKey().substring(2), Map.class);
        Object value = keys.get(item.key());
        if (value != null && Objects.equals(String.valueOf(value), String.valueOf(item.value()))) {
          return entry.getValue();
        }
      } catch (JsonProcessingException e) {
        // not a key we can read
      }
    }
    return null;
  }
}
