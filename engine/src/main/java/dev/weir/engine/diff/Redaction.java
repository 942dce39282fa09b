package dev.weir.engine.diff;

import dev.weir.engine.model.ResourceKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Which values are sensitive and what is shown instead. A sensitive value never appears in a diff,
 * a message or a log line; people see only whether it changed.
 *
 * <p>Sensitive: every value under {@code data} and {@code stringData} of a core {@code Secret}; the
 * {@code value} of an environment variable whose name says it holds a secret (contains {@code
 * PASSWORD}, {@code PASSWD}, {@code SECRET}, {@code TOKEN}, {@code API_KEY}, {@code APIKEY}, {@code
 * PRIVATE_KEY}, {@code CREDENTIAL}, any case). The {@code
 * kubectl.kubernetes.io/last-applied-configuration} annotation, which can copy a Secret, is dropped
 * by {@link Normalization} before any comparison.
 */
public final class Redaction {
  /** What is shown for a sensitive value. */
  public static final String REDACTED = "<redacted>";

  /** What is shown on Git's side for a sensitive value that differs from the cluster's. */
  public static final String REDACTED_CHANGED = "<redacted, changed>";

  private static final Pattern SENSITIVE_NAME =
      Pattern.compile("(?i).*(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL).*");

  private Redaction() {}

  /** Whether objects of this kind carry sensitive values in {@code data} and {@code stringData}. */
  public static boolean isSecret(ResourceKey key) {
    return key.group().isEmpty() && key.kind().equals("Secret");
  }

  /** Whether the value at {@code path} of an object identified by {@code key} is sensitive. */
  public static boolean isSensitive(ResourceKey key, FieldPath path) {
    String head = path.head();
    if (isSecret(key) && (head.equals("data") || head.equals("stringData"))) {
      return true;
    }
    List<FieldPath.Segment> segments = path.segments();
    for (int i = 1; i < segments.size(); i++) {
      if (segments.get(i - 1) instanceof FieldPath.Field f
          && f.name().equals("env")
          && segments.get(i) instanceof FieldPath.Item item
          && item.key().equals("name")
          && SENSITIVE_NAME.matcher(String.valueOf(item.value())).matches()) {
        return i + 1 >= segments.size()
            || (segments.get(i + 1) instanceof FieldPath.Field v && v.name().equals("value"));
      }
    }
    return false;
  }

  /** Whether an environment variable's name says it holds a secret. */
  static boolean isSensitiveVariable(Object name) {
    return name instanceof String s && SENSITIVE_NAME.matcher(s).matches();
  }

  /** {@code value} with every scalar replaced by {@link #REDACTED}; structure kept. */
  static Object redactAll(Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new HashMap<>();
      map.forEach((k, v) -> copy.put(String.valueOf(k), redactAll(v)));
      return copy;
    }
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>();
      list.forEach(v -> copy.add(redactAll(v)));
      return copy;
    }
    return value == null ? null : REDACTED;
  }

  /**
   * Replaces, in place, the sensitive values of both sides of one object before they are printed:
   * equal values become {@link #REDACTED} on both sides; different ones {@link #REDACTED} in the
   * cluster's and {@link #REDACTED_CHANGED} in Git's.
   */
  @SuppressWarnings("unchecked")
  static void redactPair(ResourceKey key, Map<String, Object> git, Map<String, Object> live) {
    if (isSecret(key)) {
      for (String field : List.of("data", "stringData")) {
        Map<String, Object> gitData =
            git == null ? null : (Map<String, Object>) asMap(git.get(field));
        Map<String, Object> liveData =
            live == null ? null : (Map<String, Object>) asMap(live.get(field));
        redactMaps(gitData, liveData);
      }
    }
    redactEnv(git, live);
  }

  private static Map<?, ?> asMap(Object value) {
    return value instanceof Map<?, ?> m ? m : null;
  }

  private static void redactMaps(Map<String, Object> git, Map<String, Object> live) {
    if (git != null) {
      for (var entry : git.entrySet()) {
        Object other = live == null ? null : live.get(entry.getKey());
        entry.setValue(
            other != null && !Objects.equals(other, entry.getValue())
                ? REDACTED_CHANGED
                : REDACTED);
      }
    }
    if (live != null) {
      live.replaceAll((k, v) -> REDACTED);
    }
  }

  /** Walks both trees in step and redacts the values of sensitive env variables. */
  @SuppressWarnings("unchecked")
  private static void redactEnv(Object git, Object live) {
    if (git instanceof Map<?, ?> || live instanceof Map<?, ?>) {
      Map<String, Object> g = git instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
      Map<String, Object> l = live instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
      java.util.Set<String> keys = new java.util.HashSet<>(g.keySet());
      keys.addAll(l.keySet());
      for (String k : keys) {
        if (k.equals("env")) {
          redactEnvList(g.get(k), l.get(k));
        } else {
          redactEnv(g.get(k), l.get(k));
        }
      }
    } else if (git instanceof List<?> || live instanceof List<?>) {
      List<Object> g = git instanceof List<?> x ? (List<Object>) x : List.of();
      List<Object> l = live instanceof List<?> x ? (List<Object>) x : List.of();
      Map<Object, Object> liveByName = byName(l);
      java.util.Set<Object> paired =
          java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
      for (int i = 0; i < g.size(); i++) {
        Object item = g.get(i);
        Object name = item instanceof Map<?, ?> m ? m.get("name") : null;
        Object partner = name != null ? liveByName.get(name) : (i < l.size() ? l.get(i) : null);
        if (partner != null) {
          paired.add(partner);
        }
        redactEnv(item, partner);
      }
      for (Object item : l) {
        if (!paired.contains(item)) {
          redactEnv(null, item);
        }
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static void redactEnvList(Object git, Object live) {
    List<Object> g = git instanceof List<?> x ? (List<Object>) x : List.of();
    List<Object> l = live instanceof List<?> x ? (List<Object>) x : List.of();
    Map<Object, Object> liveByName = byName(l);
    for (Object item : g) {
      if (item instanceof Map<?, ?> m
          && isSensitiveVariable(m.get("name"))
          && m.containsKey("value")) {
        Object other = liveByName.get(m.get("name"));
        Object otherValue = other instanceof Map<?, ?> o ? o.get("value") : null;
        ((Map<String, Object>) m)
            .put(
                "value",
                otherValue != null && !Objects.equals(otherValue, m.get("value"))
                    ? REDACTED_CHANGED
                    : REDACTED);
      }
    }
    for (Object item : l) {
      if (item instanceof Map<?, ?> m
          && isSensitiveVariable(m.get("name"))
          && m.containsKey("value")) {
        ((Map<String, Object>) m).put("value", REDACTED);
      }
    }
  }

  private static Map<Object, Object> byName(List<Object> list) {
    Map<Object, Object> byName = new java.util.LinkedHashMap<>();
    for (Object item : list) {
      if (item instanceof Map<?, ?> m && m.get("name") != null) {
        byName.put(m.get("name"), item);
      }
    }
    return byName;
  }
}
