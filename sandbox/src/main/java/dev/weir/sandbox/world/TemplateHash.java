package dev.weir.sandbox.world;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.sandbox.Draws;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code pod-template-hash} of a pod template: FNV-1a (32 bit) over the template in a canonical
 * form (object keys sorted), encoded as Kubernetes encodes it ({@link Draws#safeEncode}). Equal
 * templates give equal hashes in every run, as with a real controller; the values differ from a
 * real cluster's (which hashes Go's printed form of the typed object).
 */
final class TemplateHash {
  private TemplateHash() {}

  static String of(JsonNode template) {
    StringBuilder canonical = new StringBuilder();
    write(template, canonical);
    int hash = 0x811C9DC5;
    for (byte b : canonical.toString().getBytes(StandardCharsets.UTF_8)) {
      hash ^= b & 0xFF;
      hash *= 0x01000193;
    }
    return Draws.safeEncode(Integer.toUnsignedLong(hash));
  }

  private static void write(JsonNode node, StringBuilder out) {
    if (node == null || node.isMissingNode() || node.isNull()) {
      out.append("null");
    } else if (node.isObject()) {
      List<String> names = new ArrayList<>();
      node.fieldNames().forEachRemaining(names::add);
      names.sort(null);
      out.append('{');
      for (String name : names) {
        out.append(name).append(':');
        write(node.get(name), out);
        out.append(',');
      }
      out.append('}');
    } else if (node.isArray()) {
      out.append('[');
      for (JsonNode item : node) {
        write(item, out);
        out.append(',');
      }
      out.append(']');
    } else {
      out.append(node.toString());
    }
  }
}
