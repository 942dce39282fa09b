package dev.weir.engine.flags;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where each value of a JSON text is, by JSON pointer: the character range of the value, the start
 * of its member (its key, for an object member) and its line and column. Validation uses it to name
 * {@code file:line:column}; {@link FlagEditor} uses it to replace exactly one value's characters,
 * so an edit keeps every other byte of the file. Immutable.
 */
final class JsonSpans {

  /**
   * One value's place.
   *
   * @param start the first character of the value
   * @param end one past its last character
   * @param memberStart the first character of its member: the key's opening quote in an object,
   *     the value itself in an array
   * @param line 1-based line of the value
   * @param column 1-based column of the value
   * @param memberLine 1-based line of its member (its key in an object)
   * @param memberColumn 1-based column of its member
   */
  record Span(
      int start, int end, int memberStart, int line, int column, int memberLine, int memberColumn) {}

  private static final JsonFactory FACTORY = new JsonFactory();

  private final Map<String, Span> spans;
  private final String source;

  private JsonSpans(Map<String, Span> spans, String source) {
    this.spans = Map.copyOf(spans);
    this.source = source;
  }

  /** The text the spans are in. */
  String source() {
    return source;
  }

  /**
   * The spans of {@code text}.
   *
   * @throws JsonProcessingException when it is not JSON; its location says where
   */
  static JsonSpans of(String text) throws JsonProcessingException {
    Map<String, Span> spans = new HashMap<>();
    try (JsonParser parser = FACTORY.createParser(text)) {
      if (parser.nextToken() == null) {
        throw new com.fasterxml.jackson.core.JsonParseException(parser, "the file is empty");
      }
      read(parser, "", null, spans);
      if (parser.nextToken() != null) {
        throw new com.fasterxml.jackson.core.JsonParseException(
            parser, "more than one JSON value in the file");
      }
    } catch (JsonProcessingException e) {
      throw e;
    } catch (IOException e) {
      throw new IllegalStateException("reading a string cannot fail", e);
    }
    return new JsonSpans(spans, text);
  }

  private static void read(
      JsonParser parser, String pointer, JsonLocation member, Map<String, Span> out)
      throws IOException {
    JsonLocation at = parser.currentTokenLocation();
    int start = (int) at.getCharOffset();
    JsonToken token = parser.currentToken();
    if (token == JsonToken.START_OBJECT) {
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        JsonLocation key = parser.currentTokenLocation();
        String child = pointer + "/" + escape(parser.currentName());
        parser.nextToken();
        read(parser, child, key, out);
      }
    } else if (token == JsonToken.START_ARRAY) {
      int index = 0;
      while (parser.nextToken() != JsonToken.END_ARRAY) {
        read(parser, pointer + "/" + index++, null, out);
      }
    } else if (token == JsonToken.VALUE_STRING) {
      parser.getText(); // strings are read lazily: finish it so the end is after its closing quote
    }
    int end = (int) parser.currentLocation().getCharOffset();
    JsonLocation m = member == null ? at : member;
    out.put(
        pointer,
        new Span(
            start,
            end,
            (int) m.getCharOffset(),
            at.getLineNr(),
            at.getColumnNr(),
            m.getLineNr(),
            m.getColumnNr()));
  }

  /** A JSON pointer token: {@code ~} as {@code ~0}, {@code /} as {@code ~1}. */
  static String escape(String key) {
    return key.replace("~", "~0").replace("/", "~1");
  }

  Optional<Span> at(String pointer) {
    return Optional.ofNullable(spans.get(pointer));
  }

  /**
   * The span of {@code pointer}, or of its nearest ancestor that has one (the root always does).
   */
  Span nearest(String pointer) {
    String p = pointer;
    while (!spans.containsKey(p) && !p.isEmpty()) {
      p = p.substring(0, Math.max(0, p.lastIndexOf('/')));
    }
    return spans.get(p);
  }
}
