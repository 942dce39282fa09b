package dev.weir.engine.diff;

import dev.weir.engine.model.ResourceKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The structural comparison of two normalised objects, field by field, with keyed lists matched by
 * key. Values of sensitive fields are redacted as changes are made (see {@link Redaction}).
 *
 * <p>Stateless.
 */
final class ObjectComparison {

  /** How much of the cluster's object counts. */
  enum Mode {
    /**
     * Git's side is what the API server would make of Git's object (a server-side dry-run apply,
     * which keeps the fields that others own): every difference counts.
     */
    FULL,
    /**
     * Git's side is Git's object itself (no dry run was possible): only the fields Git sets count;
     * fields only the cluster has (defaults, other managers' fields) are not drift.
     */
    GIT_FIELDS
  }

  private ObjectComparison() {}

  static List<FieldChange> compare(
      ResourceKey key, Map<String, Object> git, Map<String, Object> live, Mode mode) {
    List<FieldChange> out = new ArrayList<>();
    compare(key, FieldPath.ROOT, git, live, mode, out);
    return out;
  }

  @SuppressWarnings("unchecked")
  private static void compare(
      ResourceKey key, FieldPath path, Object git, Object live, Mode mode, List<FieldChange> out) {
    if (Objects.equals(git, live)) {
      return;
    }
    if (git instanceof Map<?, ?> g && live instanceof Map<?, ?> l) {
      TreeSet<String> keys = new TreeSet<>();
      g.keySet().forEach(k -> keys.add((String) k));
      l.keySet().forEach(k -> keys.add((String) k));
      for (String field : keys) {
        Object gv = g.get(field);
        Object lv = l.get(field);
        FieldPath child = path.field(field);
        if (gv == null) {
          if (mode == Mode.FULL) {
            out.add(change(key, child, FieldChange.Kind.REMOVED, null, lv));
          }
        } else if (lv == null) {
          out.add(change(key, child, FieldChange.Kind.ADDED, gv, null));
        } else {
          compare(key, child, gv, lv, mode, out);
        }
      }
      return;
    }
    if (git instanceof List<?> g && live instanceof List<?> l) {
      String field =
          path.segments().isEmpty() || !(path.segments().getLast() instanceof FieldPath.Field f)
              ? ""
              : f.name();
      String listKey = ListKeys.keyOf(field, g, l);
      if (listKey != null) {
        Map<Object, Object> liveByKey = new LinkedHashMap<>();
        for (Object item : l) {
          liveByKey.put(((Map<?, ?>) item).get(listKey), item);
        }
        for (Object item : g) {
          Object id = ((Map<?, ?>) item).get(listKey);
          Object partner = liveByKey.remove(id);
          FieldPath child = path.item(listKey, id);
          if (partner == null) {
            out.add(change(key, child, FieldChange.Kind.ADDED, item, null));
          } else {
            compare(key, child, item, partner, mode, out);
          }
        }
        if (mode == Mode.FULL) {
          for (var rest : liveByKey.entrySet()) {
            out.add(
                change(
                    key,
                    path.item(listKey, rest.getKey()),
                    FieldChange.Kind.REMOVED,
                    null,
                    rest.getValue()));
          }
        }
        return;
      }
    }
    out.add(change(key, path, FieldChange.Kind.CHANGED, git, live));
  }

  private static FieldChange change(
      ResourceKey key, FieldPath path, FieldChange.Kind kind, Object git, Object live) {
    if (Redaction.isSensitive(key, path)) {
      if (kind == FieldChange.Kind.CHANGED
          && !(git instanceof Map<?, ?>)
          && !(git instanceof List<?>)) {
        return new FieldChange(
            path, kind, Redaction.REDACTED_CHANGED, Redaction.REDACTED, Optional.empty());
      }
      return new FieldChange(
          path, kind, Redaction.redactAll(git), Redaction.redactAll(live), Optional.empty());
    }
    return new FieldChange(
        path, kind, scrub(key, path, git), scrub(key, path, live), Optional.empty());
  }

  /** {@code value} at {@code path} with every sensitive field below it redacted. */
  @SuppressWarnings("unchecked")
  static Object scrub(ResourceKey key, FieldPath path, Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new HashMap<>();
      for (var entry : ((Map<String, Object>) map).entrySet()) {
        FieldPath child = path.field(entry.getKey());
        copy.put(
            entry.getKey(),
            Redaction.isSensitive(key, child)
                ? Redaction.redactAll(entry.getValue())
                : scrub(key, child, entry.getValue()));
      }
      return copy;
    }
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>();
      for (int i = 0; i < list.size(); i++) {
        Object item = list.get(i);
        FieldPath child =
            item instanceof Map<?, ?> m && m.get("name") != null
                ? path.item("name", m.get("name"))
                : path.index(i);
        copy.add(
            Redaction.isSensitive(key, child)
                ? Redaction.redactAll(item)
                : scrub(key, child, item));
      }
      return copy;
    }
    return value;
  }

  /**
   * The part of {@code live} that Git's object sets: keys Git has, items of keyed lists Git has,
   * other lists whole. For showing a {@link Mode#GIT_FIELDS} comparison as text.
   */
  @SuppressWarnings("unchecked")
  static Object project(Object live, Object git, String field) {
    if (live instanceof Map<?, ?> l && git instanceof Map<?, ?> g) {
      Map<String, Object> copy = new HashMap<>();
      for (var entry : ((Map<String, Object>) g).entrySet()) {
        Object lv = l.get(entry.getKey());
        if (lv != null) {
          copy.put(entry.getKey(), project(lv, entry.getValue(), entry.getKey()));
        }
      }
      return copy;
    }
    if (live instanceof List<?> l && git instanceof List<?> g) {
      String listKey = ListKeys.keyOf(field, g, l);
      if (listKey != null) {
        Map<Object, Object> gitByKey = new HashMap<>();
        g.forEach(item -> gitByKey.put(((Map<?, ?>) item).get(listKey), item));
        List<Object> copy = new ArrayList<>();
        for (Object item : l) {
          Object partner = gitByKey.get(((Map<?, ?>) item).get(listKey));
          if (partner != null) {
            copy.add(project(item, partner, ""));
          }
        }
        return copy;
      }
    }
    return live;
  }
}
