package dev.weir.engine.rollout;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One version of a Deployment's pod template: a content hash (what makes two templates the same)
 * and a human version for messages ({@code v2.4.1}). Immutable.
 *
 * @param hash the first 10 hex digits of the SHA-256 of the template's canonical JSON (keys
 *     sorted), so the same template in two commits has the same hash
 * @param version {@code v} + the {@code app.kubernetes.io/version} label, else the first
 *     container's image tag, else the hash
 */
public record PodTemplateRef(String hash, String version) {
  public PodTemplateRef {
    Objects.requireNonNull(hash, "hash");
    Objects.requireNonNull(version, "version");
  }

  /** The template of a Deployment object (its {@code spec.template}); an empty one when absent. */
  public static PodTemplateRef ofDeployment(Map<String, Object> deployment) {
    return of(child(child(deployment, "spec"), "template"));
  }

  /** A pod template ({@code {metadata, spec}}). */
  public static PodTemplateRef of(Map<String, Object> template) {
    String hash = hash(template);
    return new PodTemplateRef(hash, version(template, hash));
  }

  /** The template's canonical content hash, as {@link #hash()}. */
  public static String hash(Map<String, Object> template) {
    StringBuilder canonical = new StringBuilder();
    canonical(withoutHashLabel(template), canonical);
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, 10);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /** {@code template} without the hash label, which names the template and is not part of it. */
  private static Map<String, Object> withoutHashLabel(Map<String, Object> template) {
    Map<String, Object> labels = child(child(template, "metadata"), "labels");
    if (!labels.containsKey(RolloutExecutor.HASH_LABEL)) {
      return template;
    }
    Map<String, Object> lessLabels = new java.util.LinkedHashMap<>(labels);
    lessLabels.remove(RolloutExecutor.HASH_LABEL);
    Map<String, Object> metadata = new java.util.LinkedHashMap<>(child(template, "metadata"));
    metadata.put("labels", lessLabels);
    Map<String, Object> copy = new java.util.LinkedHashMap<>(template);
    copy.put("metadata", metadata);
    return copy;
  }

  private static String version(Map<String, Object> template, String hash) {
    Object label = child(child(template, "metadata"), "labels").get("app.kubernetes.io/version");
    if (label != null && !String.valueOf(label).isBlank()) {
      return prefixed(String.valueOf(label));
    }
    if (child(template, "spec").get("containers") instanceof List<?> containers
        && !containers.isEmpty()
        && containers.getFirst() instanceof Map<?, ?> first
        && first.get("image") instanceof String image) {
      int slash = image.lastIndexOf('/');
      int colon = image.lastIndexOf(':');
      int at = image.indexOf('@');
      if (at > 0) {
        return image.substring(slash + 1, Math.min(at, image.length()));
      }
      if (colon > slash) {
        return prefixed(image.substring(colon + 1));
      }
    }
    return hash.substring(0, 7);
  }

  private static String prefixed(String version) {
    return !version.isEmpty() && Character.isDigit(version.charAt(0)) ? "v" + version : version;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> child(Map<String, Object> map, String key) {
    return map != null && map.get(key) instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  private static void canonical(Object value, StringBuilder out) {
    if (value instanceof Map<?, ?> map) {
      out.append('{');
      boolean first = true;
      for (var entry : new TreeMap<>(map).entrySet()) {
        if (!first) {
          out.append(',');
        }
        first = false;
        quote(String.valueOf(entry.getKey()), out);
        out.append(':');
        canonical(entry.getValue(), out);
      }
      out.append('}');
    } else if (value instanceof List<?> list) {
      out.append('[');
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        canonical(list.get(i), out);
      }
      out.append(']');
    } else if (value instanceof String s) {
      quote(s, out);
    } else {
      out.append(value);
    }
  }

  private static void quote(String s, StringBuilder out) {
    out.append('"');
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') {
        out.append('\\');
      }
      out.append(c);
    }
    out.append('"');
  }

  @Override
  public String toString() {
    return version + " (" + hash + ")";
  }
}
