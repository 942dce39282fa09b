package dev.weir.engine.console;

import dev.weir.engine.diff.FieldChange;
import dev.weir.engine.diff.FieldPath;
import dev.weir.engine.model.ResourceKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the names people type for an application's objects and fields: an object as the diff and
 * status print it ({@code apps/Deployment shop/checkout}) or as {@code KIND/NAME}, {@code
 * KIND/NAMESPACE/NAME} (the kind in any case, optionally {@code kind.group}); a field as the diff
 * prints it ({@code spec.template.spec.containers[name=app].image}), as a dotted path or as a JSON
 * pointer. A name that does not resolve is an {@link IllegalArgumentException} with one line for
 * the person. Stateless.
 */
final class ResourceNames {
  private ResourceNames() {}

  /** The object of {@code view} that {@code text} names. */
  static ResourceKey resource(ApplicationView view, String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("name an object of " + view.name());
    }
    List<ResourceKey> keys = view.resources().stream().map(ResourceView::key).toList();
    for (ResourceKey key : keys) {
      if (key.toString().equals(text.strip())) {
        return key;
      }
    }
    String[] parts = text.strip().split("/", -1);
    if (parts.length < 2 || parts.length > 3 || List.of(parts).stream().anyMatch(String::isBlank)) {
      throw new IllegalArgumentException(
          "'"
              + text
              + "' is not KIND/NAME, KIND/NAMESPACE/NAME or an object as the diff shows it"
              + " (apps/Deployment shop/checkout)");
    }
    String kind = parts[0];
    String namespace = parts.length == 3 ? parts[1] : null;
    String name = parts[parts.length - 1];
    List<ResourceKey> matches =
        keys.stream()
            .filter(k -> k.name().equals(name))
            .filter(k -> namespace == null || k.namespace().equals(namespace))
            .filter(
                k ->
                    k.kind().equalsIgnoreCase(kind)
                        || (k.kind() + "." + k.group()).equalsIgnoreCase(kind))
            .toList();
    if (matches.size() == 1) {
      return matches.getFirst();
    }
    throw new IllegalArgumentException(
        matches.isEmpty()
            ? view.name() + " has no object " + text
            : "'"
                + text
                + "' is ambiguous in "
                + view.name()
                + ": "
                + matches
                + "; use KIND.GROUP/NAMESPACE/NAME");
  }

  /**
   * The JSON pointer of {@code field} of {@code key}: "" (the whole object) for none, a pointer as
   * it is, a path as the diff prints it with keyed list items resolved to their position in
   * {@code live} (the object in the cluster, whose field a hotfix keeps).
   */
  static String pointer(
      ApplicationView view, ResourceKey key, String field, Optional<Map<String, Object>> live) {
    if (field == null || field.isBlank()) {
      return "";
    }
    String text = field.strip();
    if (text.startsWith("/")) {
      return text;
    }
    FieldPath path = diffPath(view, key, text).orElseGet(() -> parse(text));
    StringBuilder pointer = new StringBuilder();
    Object at = live.orElse(null);
    for (FieldPath.Segment segment : path.segments()) {
      switch (segment) {
        case FieldPath.Field f -> {
          pointer.append('/').append(escape(f.name()));
          at = at instanceof Map<?, ?> map ? map.get(f.name()) : null;
        }
        case FieldPath.Index i -> {
          pointer.append('/').append(i.index());
          at = at instanceof List<?> list && i.index() < list.size() ? list.get(i.index()) : null;
        }
        case FieldPath.Item item -> {
          int index = -1;
          if (at instanceof List<?> list) {
            for (int n = 0; n < list.size(); n++) {
              if (list.get(n) instanceof Map<?, ?> map
                  && map.get(item.key()) != null
                  && String.valueOf(map.get(item.key())).equals(String.valueOf(item.value()))) {
                index = n;
                break;
              }
            }
          }
          if (index < 0) {
            throw new IllegalArgumentException(
                key
                    + " has no "
                    + item.key()
                    + "="
                    + item.value()
                    + " in the cluster at "
                    + text
                    + "; name the field as a JSON pointer");
          }
          pointer.append('/').append(index);
          at = ((List<?>) at).get(index);
        }
      }
    }
    return pointer.toString();
  }

  /** The drifted field of {@code key} that the diff prints as {@code text}, if any. */
  private static Optional<FieldPath> diffPath(ApplicationView view, ResourceKey key, String text) {
    return view.resources().stream()
        .filter(r -> r.key().equals(key))
        .flatMap(r -> r.diff().changes().stream())
        .map(FieldChange::path)
        .filter(p -> p.toString().equals(text))
        .findFirst();
  }

  /** {@code a.b[name=x].c[0]} as a path. */
  static FieldPath parse(String text) {
    List<FieldPath.Segment> segments = new ArrayList<>();
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '.') {
        if (i == 0 || i == text.length() - 1 || text.charAt(i + 1) == '.') {
          throw notAPath(text);
        }
        i++;
      } else if (c == '[') {
        int end = text.indexOf(']', i);
        if (end < 0) {
          throw notAPath(text);
        }
        String inside = text.substring(i + 1, end);
        int equals = inside.indexOf('=');
        if (equals > 0) {
          segments.add(new FieldPath.Item(inside.substring(0, equals), inside.substring(equals + 1)));
        } else {
          try {
            segments.add(new FieldPath.Index(Integer.parseInt(inside)));
          } catch (NumberFormatException e) {
            throw notAPath(text);
          }
        }
        i = end + 1;
      } else {
        int end = i;
        while (end < text.length() && text.charAt(end) != '.' && text.charAt(end) != '[') {
          end++;
        }
        segments.add(new FieldPath.Field(text.substring(i, end)));
        i = end;
      }
    }
    if (segments.isEmpty()) {
      throw notAPath(text);
    }
    return new FieldPath(segments);
  }

  private static IllegalArgumentException notAPath(String text) {
    return new IllegalArgumentException(
        "'"
            + text
            + "' is not a field such as spec.replicas, spec.template.spec.containers[name=app].image"
            + " or /spec/replicas");
  }

  private static String escape(String name) {
    return name.replace("~", "~0").replace("/", "~1");
  }
}
