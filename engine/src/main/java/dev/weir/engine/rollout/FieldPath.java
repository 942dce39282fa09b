package dev.weir.engine.rollout;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Kubernetes field path into a document, as Argo Rollouts' {@code valueFrom.fieldRef.fieldPath}
 * takes it: dotted names, list indexes ({@code containers[0]}) and quoted keys ({@code
 * metadata.labels['app.kubernetes.io/name']}). Pure.
 */
final class FieldPath {
  private static final Pattern STEP =
      Pattern.compile("\\.?([A-Za-z0-9_-]+)|\\[(\\d+)]|\\[['\"]([^'\"]+)['\"]]");

  private FieldPath() {}

  /** The value at {@code path} in {@code document}; empty when it is not there or malformed. */
  static Optional<Object> read(Map<String, Object> document, String path) {
    Object at = document;
    Matcher matcher = STEP.matcher(path.strip());
    int end = 0;
    while (matcher.find()) {
      if (matcher.start() != end) {
        return Optional.empty();
      }
      end = matcher.end();
      if (matcher.group(2) != null) {
        int index = Integer.parseInt(matcher.group(2));
        if (!(at instanceof List<?> list) || index >= list.size()) {
          return Optional.empty();
        }
        at = list.get(index);
      } else {
        String key = matcher.group(1) != null ? matcher.group(1) : matcher.group(3);
        if (!(at instanceof Map<?, ?> map) || !map.containsKey(key)) {
          return Optional.empty();
        }
        at = map.get(key);
      }
    }
    return end == path.strip().length() && end > 0 ? Optional.ofNullable(at) : Optional.empty();
  }
}
