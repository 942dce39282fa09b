package dev.weir.engine.flags;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.engine.model.FlagChange;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Applies a {@link FlagChange} to a flag file's text, surgically: only the characters of the values
 * that change are replaced (a weight, a state, a default), or one targeting branch inserted or cut
 * out, so the file keeps its formatting, key order and every other byte — the diff a reviewer sees
 * is the change and nothing else. The new text must validate ({@link FlagFile#parse}), else the
 * edit is refused and nothing is written. Pure: no I/O.
 */
public final class FlagEditor {

  private FlagEditor() {}

  /** The outcome of an edit: the file's new text, or why there is none. */
  public sealed interface Result permits Edited, Refused {}

  /**
   * The new text.
   *
   * @param file the file edited, as read
   * @param text its new text, validated
   * @param changed false when the flag already was so: the text is the file's own
   */
  public record Edited(FlagFile file, String text, boolean changed) implements Result {}

  /** No edit: one line saying why. */
  public record Refused(String reason) implements Result {}

  private record Replacement(int start, int end, String text) {}

  /** Applies {@code change} to the flag {@code key} of {@code file}. */
  public static Result apply(FlagFile file, String key, FlagChange change) {
    Objects.requireNonNull(change, "change");
    FlagDefinition flag = file.flag(key).orElse(null);
    if (flag == null) {
      return new Refused(file.path() + " has no flag named '" + key + "'");
    }
    JsonSpans spans;
    JsonNode root;
    try {
      spans = JsonSpans.of(file.text());
      root = FlagFile.JSON.readTree(file.text());
    } catch (JsonProcessingException e) {
      return new Refused(file.path() + " is not JSON: " + e.getOriginalMessage());
    }
    String at = "/flags/" + JsonSpans.escape(key);
    JsonNode node = root.get("flags").get(key);
    List<Replacement> edits = new ArrayList<>();
    String refusal =
        switch (change) {
          case FlagChange.SetState s -> {
            edits.add(replace(spans, at + "/state", s.enabled() ? "\"ENABLED\"" : "\"DISABLED\""));
            yield null;
          }
          case FlagChange.SetDefault d -> {
            if (!flag.variants().containsKey(d.variant())) {
              yield "flag " + key + " has no variant '" + d.variant() + "' (variants: "
                  + String.join(", ", flag.variants().keySet()) + ")";
            }
            edits.add(replace(spans, at + "/defaultVariant", FlagChange.Segment.quote(d.variant())));
            yield null;
          }
          case FlagChange.SetFractions f -> fractions(spans, node, at, key, f, edits);
          case FlagChange.AddSegment a -> addSegment(file.text(), spans, node, at, flag, a.segment(), edits);
          case FlagChange.RemoveSegment r -> removeSegment(spans, node, at, key, r.segment(), edits);
        };
    if (refusal != null) {
      return new Refused(refusal);
    }
    String text = splice(file.text(), edits);
    return switch (FlagFile.parse(file.path(), text)) {
      case FlagFile.Invalid invalid ->
          new Refused("the edit would make " + file.path() + " invalid: " + invalid.problems().getFirst());
      case FlagFile.Valid valid -> new Edited(file, text, !text.equals(file.text()));
    };
  }

  private static Replacement replace(JsonSpans spans, String pointer, String text) {
    JsonSpans.Span span = spans.at(pointer).orElseThrow();
    return new Replacement(span.start(), span.end(), text);
  }

  private static String splice(String text, List<Replacement> edits) {
    List<Replacement> sorted = new ArrayList<>(edits);
    sorted.sort(Comparator.comparingInt(Replacement::start).reversed());
    StringBuilder out = new StringBuilder(text);
    for (Replacement r : sorted) {
      out.replace(r.start(), r.end(), r.text());
    }
    return out.toString();
  }

  /** The pointer (from the flag's targeting) of its first {@code fractional}'s arguments. */
  private static String fractionalPointer(JsonNode node, String pointer) {
    if (node == null) {
      return null;
    }
    if (node.isObject()) {
      if (node.has("fractional") && node.get("fractional").isArray()) {
        return pointer + "/fractional";
      }
      for (var e : node.properties()) {
        String found = fractionalPointer(e.getValue(), pointer + "/" + JsonSpans.escape(e.getKey()));
        if (found != null) {
          return found;
        }
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        String found = fractionalPointer(node.get(i), pointer + "/" + i);
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }

  private static JsonNode at(JsonNode root, String relative) {
    return root.at(relative.isEmpty() ? "" : relative);
  }

  private static String fractions(
      JsonSpans spans, JsonNode flag, String at, String key, FlagChange.SetFractions change,
      List<Replacement> edits) {
    String pointer = fractionalPointer(flag.get("targeting"), "/targeting");
    if (pointer == null) {
      return "flag " + key + " has no fractional split to change; add one to its targeting first";
    }
    JsonNode args = at(flag, pointer);
    Map<String, Integer> buckets = new LinkedHashMap<>();
    Map<String, Integer> index = new LinkedHashMap<>();
    for (int i = 0; i < args.size(); i++) {
      JsonNode bucket = args.get(i);
      if (bucket.isArray() && !bucket.isEmpty() && bucket.get(0).isTextual()) {
        buckets.put(bucket.get(0).asText(), bucket.size() > 1 ? bucket.get(1).asInt() : 1);
        index.put(bucket.get(0).asText(), i);
      }
    }
    for (String variant : change.percents().keySet()) {
      if (!buckets.containsKey(variant)) {
        return "flag " + key + "'s fractional split has no bucket '" + variant + "' (buckets: "
            + String.join(", ", buckets.keySet()) + ")";
      }
    }
    Map<String, Integer> next = new LinkedHashMap<>(change.percents());
    List<String> missing = buckets.keySet().stream().filter(v -> !next.containsKey(v)).toList();
    int sum = next.values().stream().mapToInt(Integer::intValue).sum();
    if (missing.size() == 1 && sum <= 100) {
      next.put(missing.getFirst(), 100 - sum);
    } else if (!missing.isEmpty()) {
      return "name every bucket of flag " + key + "'s split but at most one (missing: "
          + String.join(", ", missing) + ")";
    }
    int total = next.values().stream().mapToInt(Integer::intValue).sum();
    if (total != 100) {
      return "the percentages of flag " + key + "'s split must sum to 100, not " + total;
    }
    for (var e : next.entrySet()) {
      String bucketAt = at + pointer + "/" + index.get(e.getKey());
      if (spans.at(bucketAt + "/1").isPresent()) {
        edits.add(replace(spans, bucketAt + "/1", String.valueOf(e.getValue())));
      } else { // shorthand [variant]: weight 1 implied; write the weight after the variant
        JsonSpans.Span variant = spans.at(bucketAt + "/0").orElseThrow();
        edits.add(new Replacement(variant.end(), variant.end(), ", " + e.getValue()));
      }
    }
    return null;
  }

  private static String addSegment(
      String text, JsonSpans spans, JsonNode flag, String at, FlagDefinition definition,
      FlagChange.Segment segment, List<Replacement> edits) {
    if (!definition.variants().containsKey(segment.variant())) {
      return "flag " + definition.key() + " has no variant '" + segment.variant() + "' (variants: "
          + String.join(", ", definition.variants().keySet()) + ")";
    }
    if (findSegment(flag, segment) >= 0) {
      return "flag " + definition.key() + " already has the segment " + segment.describe();
    }
    String branch = segment.condition() + ", " + FlagChange.Segment.quote(segment.variant());
    JsonNode targeting = flag.get("targeting");
    if (targeting == null) {
      JsonSpans.Span last = lastMember(spans, flag, at);
      String indent = indentOf(text, last.memberStart());
      edits.add(new Replacement(last.end(), last.end(),
          ",\n" + indent + "\"targeting\": {\"if\": [" + branch + "]}"));
      return null;
    }
    if (targeting.isEmpty()) {
      edits.add(replace(spans, at + "/targeting", "{\"if\": [" + branch + "]}"));
      return null;
    }
    if (targeting.size() == 1 && targeting.has("if") && targeting.get("if").isArray()
        && !targeting.get("if").isEmpty()) {
      JsonSpans.Span first = spans.at(at + "/targeting/if/0").orElseThrow();
      JsonSpans.Span list = spans.at(at + "/targeting/if").orElseThrow();
      String between = text.substring(list.start() + 1, first.start());
      String separator = between.contains("\n") ? "," + between : ", ";
      edits.add(new Replacement(first.start(), first.start(), branch + separator));
      return null;
    }
    JsonSpans.Span whole = spans.at(at + "/targeting").orElseThrow();
    edits.add(new Replacement(whole.start(), whole.end(),
        "{\"if\": [" + branch + ", " + text.substring(whole.start(), whole.end()) + "]}"));
    return null;
  }

  private static JsonSpans.Span lastMember(JsonSpans spans, JsonNode flag, String at) {
    JsonSpans.Span last = null;
    for (var e : flag.properties()) {
      JsonSpans.Span span = spans.at(at + "/" + JsonSpans.escape(e.getKey())).orElseThrow();
      if (last == null || span.end() > last.end()) {
        last = span;
      }
    }
    return last;
  }

  /**
   * Cuts the member {@code name} of the flag with its separator, so that removing the last segment
   * of a flag that had no targeting gives back the file as it was (no {@code "targeting": {}} left
   * behind); a flag with no other member keeps an empty object instead.
   */
  private static Replacement cutMember(JsonSpans spans, JsonNode flag, String at, String name) {
    JsonSpans.Span cut = spans.at(at + "/" + JsonSpans.escape(name)).orElseThrow();
    JsonSpans.Span before = null;
    JsonSpans.Span after = null;
    for (var e : flag.properties()) {
      JsonSpans.Span span = spans.at(at + "/" + JsonSpans.escape(e.getKey())).orElseThrow();
      if (span.end() <= cut.memberStart() && (before == null || span.end() > before.end())) {
        before = span;
      } else if (span.memberStart() >= cut.end()
          && (after == null || span.memberStart() < after.memberStart())) {
        after = span;
      }
    }
    if (before != null) {
      return new Replacement(before.end(), cut.end(), "");
    }
    if (after != null) {
      return new Replacement(cut.memberStart(), after.memberStart(), "");
    }
    return new Replacement(cut.start(), cut.end(), "{}");
  }

  private static String indentOf(String text, int offset) {
    int lineStart = text.lastIndexOf('\n', offset - 1) + 1;
    String before = text.substring(lineStart, offset);
    return before.isBlank() ? before : "";
  }

  /** The index in the flag's top-level {@code if} of the segment's condition, or -1. */
  private static int findSegment(JsonNode flag, FlagChange.Segment segment) {
    JsonNode targeting = flag.get("targeting");
    if (targeting == null || !targeting.has("if") || !targeting.get("if").isArray()) {
      return -1;
    }
    JsonNode condition;
    try {
      condition = FlagFile.JSON.readTree(segment.condition());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    JsonNode args = targeting.get("if");
    for (int i = 0; i + 1 < args.size(); i += 2) {
      if (args.get(i).equals(condition) && args.get(i + 1).isTextual()
          && args.get(i + 1).asText().equals(segment.variant())) {
        return i;
      }
    }
    return -1;
  }

  private static String removeSegment(
      JsonSpans spans, JsonNode flag, String at, String key, FlagChange.Segment segment,
      List<Replacement> edits) {
    int i = findSegment(flag, segment);
    if (i < 0) {
      return "flag " + key + " has no segment " + segment.describe() + " in its targeting";
    }
    JsonNode args = flag.get("targeting").get("if");
    String list = at + "/targeting/if";
    int remaining = args.size() - 2;
    if (remaining == 0) {
      edits.add(cutMember(spans, flag, at, "targeting"));
    } else if (remaining == 1) {
      int other = i == 0 ? 2 : 0;
      JsonSpans.Span keep = spans.at(list + "/" + other).orElseThrow();
      JsonSpans.Span whole = spans.at(at + "/targeting").orElseThrow();
      edits.add(new Replacement(whole.start(), whole.end(),
          textOf(spans, keep, flag, at)));
    } else if (i + 2 < args.size()) {
      int from = spans.at(list + "/" + i).orElseThrow().start();
      int to = spans.at(list + "/" + (i + 2)).orElseThrow().start();
      edits.add(new Replacement(from, to, ""));
    } else {
      int from = spans.at(list + "/" + (i - 1)).orElseThrow().end();
      int to = spans.at(list + "/" + (i + 1)).orElseThrow().end();
      edits.add(new Replacement(from, to, ""));
    }
    return null;
  }

  private static String textOf(JsonSpans spans, JsonSpans.Span span, JsonNode flag, String at) {
    return spans.source().substring(span.start(), span.end());
  }
}
