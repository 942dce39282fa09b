package dev.weir.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.engine.time.EngineClock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Field ownership ({@code metadata.managedFields}) and server-side apply, after the real server's
 * structured-merge-diff field manager.
 *
 * <ul>
 *   <li>An <b>Update</b> (create, update, patch) gives its manager every field whose value it
 *       changed, and takes those fields from every other manager, without conflicts.
 *   <li>An <b>Apply</b> merges the applied configuration into the live object (lists by their
 *       {@link ListKeys}), fails with 409 when it would change a field another manager owns (the
 *       message and causes name the manager and the field, as a real server's do) unless forced,
 *       which moves the field to the applier; fields the applier owned before and no longer applies
 *       are removed unless another manager still owns them.
 *   <li>Each manager's entry records its operation, apiVersion, time (from the {@link EngineClock})
 *       and, for the status subresource, {@code subresource: status}. Fields that no longer exist
 *       leave every entry; empty entries are dropped.
 * </ul>
 *
 * <p>Stateless apart from the clock; thread-safe.
 */
final class FieldManager {
  private static final String APPLY = "Apply";
  private static final String UPDATE = "Update";

  private final EngineClock clock;

  FieldManager(EngineClock clock) {
    this.clock = clock;
  }

  private static final class Entry {
    final String manager;
    final String operation;
    final String subresource;
    String apiVersion;
    String time;
    final FieldSet fields;

    Entry(
        String manager,
        String operation,
        String subresource,
        String apiVersion,
        String time,
        FieldSet fields) {
      this.manager = manager;
      this.operation = operation;
      this.subresource = subresource;
      this.apiVersion = apiVersion;
      this.time = time;
      this.fields = fields;
    }
  }

  private record Conflict(Entry owner, List<String> path) {}

  /**
   * Records an Update by {@code manager} on {@code next} (which is modified): {@code previous} is
   * the object before the write, null for a create; {@code subresource} is {@code ""}, {@code
   * status} or {@code scale}.
   */
  void recordUpdate(
      KindInfo kind, ObjectNode previous, ObjectNode next, String manager, String subresource) {
    List<Entry> entries = read(previous);
    FieldSet changed = new FieldSet();
    FieldSet candidate = FieldSet.of(kind, next, subresource);
    for (List<String> leaf : candidate.leaves()) {
      List<String> valuePath = valuePath(leaf);
      JsonNode before = previous == null ? null : FieldSet.resolve(previous, valuePath);
      JsonNode after = FieldSet.resolve(next, valuePath);
      boolean isItemMarker = leaf.get(leaf.size() - 1).equals(".");
      if (isItemMarker ? before == null : !Objects.equals(before, after)) {
        changed.add(leaf);
      }
    }
    if (!changed.isEmpty()) {
      Entry mine = null;
      for (Entry entry : entries) {
        if (entry.manager.equals(manager)
            && entry.operation.equals(UPDATE)
            && entry.subresource.equals(subresource)) {
          mine = entry;
        } else {
          entry.fields.removeAll(changed);
        }
      }
      if (mine == null) {
        mine = new Entry(manager, UPDATE, subresource, kind.apiVersion(), now(), new FieldSet());
        entries.add(mine);
      }
      mine.fields.addAll(changed);
      mine.time = now();
      mine.apiVersion = kind.apiVersion();
    }
    write(next, entries);
  }

  /**
   * Server-side apply of {@code applied} by {@code manager} onto {@code live} (null: the object
   * does not exist yet). Returns the new object; {@code live} is not modified.
   *
   * @throws StatusException 409 Conflict naming the other managers' fields, unless {@code force}
   */
  ObjectNode apply(
      KindInfo kind,
      ObjectNode live,
      ObjectNode applied,
      String manager,
      boolean force,
      boolean statusSubresource) {
    List<Entry> entries = read(live);
    String subresource = statusSubresource ? "status" : "";
    ObjectNode config = applied.deepCopy();
    Json.metadata(config).remove("managedFields");
    KindStrategy.dropEmptyCollections(kind, config);
    FieldSet appliedFields = FieldSet.of(kind, config, subresource);
    ObjectNode base = live == null ? Json.MAPPER.createObjectNode() : live.deepCopy();
    ObjectNode merged = StrategicMergePatch.mergeStructurally(kind, base, config);

    List<Conflict> conflicts = new ArrayList<>();
    if (live != null) {
      // every other entry counts, whichever subresource made it: a field `kubectl scale` set
      // through the scale subresource conflicts with a later apply of it, as on a real server
      for (Entry entry : entries) {
        if (entry.manager.equals(manager) && entry.subresource.equals(subresource)) {
          continue;
        }
        for (List<String> leaf : appliedFields.leaves()) {
          if (leaf.get(leaf.size() - 1).equals(".") || !entry.fields.contains(leaf)) {
            continue;
          }
          JsonNode before = FieldSet.resolve(live, leaf);
          JsonNode after = FieldSet.resolve(merged, leaf);
          if (!Objects.equals(before, after)) {
            conflicts.add(new Conflict(entry, leaf));
          }
        }
      }
    }
    if (!conflicts.isEmpty() && !force) {
      throw conflictError(kind, Json.meta(applied, "name"), conflicts);
    }
    for (Conflict conflict : conflicts) {
      conflict.owner().fields.remove(conflict.path());
    }

    Entry mine = null;
    for (Entry entry : entries) {
      if (entry.manager.equals(manager)
          && entry.operation.equals(APPLY)
          && entry.subresource.equals(subresource)) {
        mine = entry;
      }
    }
    if (mine != null) {
      for (List<String> leaf : mine.fields.leaves()) {
        if (appliedFields.contains(leaf)) {
          continue;
        }
        List<String> target = valuePath(leaf);
        boolean ownedByOthers = false;
        for (Entry entry : entries) {
          if (entry != mine && entry.fields.containsPrefix(target)) {
            ownedByOthers = true;
          }
        }
        if (!ownedByOthers) {
          FieldSet.delete(merged, target);
        }
      }
      mine.fields.removeAll(mine.fields);
      mine.fields.addAll(appliedFields);
      mine.time = now();
      mine.apiVersion = kind.apiVersion();
    } else {
      entries.add(new Entry(manager, APPLY, subresource, kind.apiVersion(), now(), appliedFields));
    }
    write(merged, entries);
    return merged;
  }

  private static StatusException conflictError(
      KindInfo kind, String name, List<Conflict> conflicts) {
    Map<String, List<String>> byManager = new LinkedHashMap<>();
    List<StatusException.Cause> causes = new ArrayList<>();
    for (Conflict conflict : conflicts) {
      String who = "\"" + conflict.owner().manager + "\"" + usingClause(conflict.owner());
      String field = FieldSet.describe(conflict.path());
      byManager.computeIfAbsent(who, w -> new ArrayList<>()).add(field);
      causes.add(new StatusException.Cause("FieldManagerConflict", "conflict with " + who, field));
    }
    StringBuilder message = new StringBuilder("Apply failed with ").append(conflicts.size());
    message.append(conflicts.size() == 1 ? " conflict: " : " conflicts: ");
    if (conflicts.size() == 1) {
      message.append("conflict with ").append(byManager.keySet().iterator().next()).append(": ");
      message.append(byManager.values().iterator().next().get(0));
    } else {
      boolean first = true;
      for (Map.Entry<String, List<String>> entry : byManager.entrySet()) {
        if (!first) {
          message.append('\n');
        }
        first = false;
        message
            .append(entry.getValue().size() == 1 ? "conflict with " : "conflicts with ")
            .append(entry.getKey());
        message.append(':');
        for (String field : entry.getValue()) {
          message.append("\n- ").append(field);
        }
      }
    }
    return new StatusException(
        StatusException.Reason.CONFLICT,
        message.toString(),
        name,
        kind.group(),
        kind.kind(),
        causes);
  }

  /**
   * What follows the manager's name in a conflict, as the real field manager prints its manager
   * identifier: the subresource, then (for Update managers only) the apiVersion.
   */
  private static String usingClause(Entry entry) {
    StringBuilder text = new StringBuilder();
    if (!entry.subresource.isEmpty()) {
      text.append(" with subresource \"").append(entry.subresource).append('"');
    }
    if (entry.operation.equals(UPDATE) && entry.apiVersion != null && !entry.apiVersion.isEmpty()) {
      text.append(" using ").append(entry.apiVersion);
    }
    return text.toString();
  }

  private static List<String> valuePath(List<String> leaf) {
    return leaf.get(leaf.size() - 1).equals(".") ? leaf.subList(0, leaf.size() - 1) : leaf;
  }

  private List<Entry> read(ObjectNode object) {
    List<Entry> entries = new ArrayList<>();
    if (object == null) {
      return entries;
    }
    JsonNode managed = object.path("metadata").path("managedFields");
    for (JsonNode node : managed) {
      entries.add(
          new Entry(
              node.path("manager").asText(""),
              node.path("operation").asText(UPDATE),
              node.path("subresource").asText(""),
              node.path("apiVersion").asText(""),
              node.path("time").asText(""),
              FieldSet.fromFieldsV1(node.get("fieldsV1"))));
    }
    return entries;
  }

  private static void write(ObjectNode object, List<Entry> entries) {
    ArrayNode array = Json.MAPPER.createArrayNode();
    for (Entry entry : entries) {
      entry.fields.retainExisting(object);
      if (entry.fields.isEmpty()) {
        continue;
      }
      ObjectNode node = array.addObject();
      node.put("manager", entry.manager);
      node.put("operation", entry.operation);
      node.put("apiVersion", entry.apiVersion);
      node.put("time", entry.time);
      node.put("fieldsType", "FieldsV1");
      node.set("fieldsV1", entry.fields.toFieldsV1());
      if (!entry.subresource.isEmpty()) {
        node.put("subresource", entry.subresource);
      }
    }
    ObjectNode metadata = Json.metadata(object);
    if (array.isEmpty()) {
      metadata.remove("managedFields");
    } else {
      metadata.set("managedFields", array);
    }
  }

  private String now() {
    return Timestamps.format(clock.instant());
  }
}
