package dev.weir.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A parsed {@code fieldSelector} query parameter: {@code field=value}, {@code field==value} and
 * {@code field!=value} terms joined by commas. Every kind supports {@code metadata.name} and {@code
 * metadata.namespace}; a few kinds support the extra fields their real server does (pods: {@code
 * spec.nodeName}, {@code status.phase}; events: {@code involvedObject.*}, {@code reason}, {@code
 * type}; secrets: {@code type}). Any other field is a 400 {@code field label not supported}.
 *
 * <p>Immutable and thread-safe.
 */
final class FieldSelector {
  private record Term(String field, boolean equals, String value) {}

  private static final Map<String, Set<String>> EXTRA_FIELDS =
      Map.of(
          "Pod", Set.of("spec.nodeName", "spec.serviceAccountName", "status.phase", "status.podIP"),
          "Event",
              Set.of(
                  "involvedObject.kind",
                  "involvedObject.name",
                  "involvedObject.namespace",
                  "involvedObject.uid",
                  "involvedObject.apiVersion",
                  "reason",
                  "type",
                  "source"),
          "Secret", Set.of("type"),
          "Namespace", Set.of("status.phase"));

  static final FieldSelector EVERYTHING = new FieldSelector(List.of());

  private final List<Term> terms;

  private FieldSelector(List<Term> terms) {
    this.terms = terms;
  }

  static FieldSelector parse(String text, KindInfo kind) {
    if (text == null || text.isBlank()) {
      return EVERYTHING;
    }
    List<Term> terms = new ArrayList<>();
    for (String raw : text.split(",")) {
      String term = raw.trim();
      int notEquals = term.indexOf("!=");
      int doubleEquals = term.indexOf("==");
      int equals = term.indexOf('=');
      Term parsed;
      if (notEquals > 0) {
        parsed =
            new Term(
                term.substring(0, notEquals).trim(), false, term.substring(notEquals + 2).trim());
      } else if (doubleEquals > 0) {
        parsed =
            new Term(
                term.substring(0, doubleEquals).trim(),
                true,
                term.substring(doubleEquals + 2).trim());
      } else if (equals > 0) {
        parsed =
            new Term(term.substring(0, equals).trim(), true, term.substring(equals + 1).trim());
      } else {
        throw StatusException.badRequest(
            "invalid selector: '" + term + "'; can't understand '" + term + "'");
      }
      boolean supported =
          parsed.field().equals("metadata.name")
              || parsed.field().equals("metadata.namespace")
              || EXTRA_FIELDS.getOrDefault(kind.kind(), Set.of()).contains(parsed.field());
      if (!supported) {
        throw StatusException.badRequest("field label not supported: " + parsed.field());
      }
      terms.add(parsed);
    }
    return new FieldSelector(List.copyOf(terms));
  }

  boolean matches(StoredObject object) {
    ObjectNode tree = null;
    for (Term term : terms) {
      String actual;
      if (term.field().equals("metadata.name")) {
        actual = object.name();
      } else if (term.field().equals("metadata.namespace")) {
        actual = object.namespace();
      } else {
        if (tree == null) {
          tree = object.tree();
        }
        JsonNode node = tree;
        for (String part : term.field().split("\\.")) {
          node = node.path(part);
        }
        actual = node.isValueNode() ? node.asText() : "";
      }
      if (actual.equals(term.value()) != term.equals()) {
        return false;
      }
    }
    return true;
  }

  boolean isEverything() {
    return terms.isEmpty();
  }
}
