package dev.weir.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Decodes request bodies in Kubernetes' protobuf envelope ({@code
 * application/vnd.kubernetes.protobuf}): the magic {@code k8s\0}, then a {@code runtime.Unknown}
 * message whose {@code typeMeta} names the kind and whose {@code raw} bytes are the object's own
 * message. kubectl's typed commands ({@code create
 * namespace|configmap|secret|deployment|service|serviceaccount|job|ingress}) send their objects
 * this way.
 *
 * <p>Design: a generic reader of the protobuf wire format, driven by the field table in {@code
 * protobuf-fields.txt} (the built-in kinds the sandbox serves and every message they contain),
 * turns the message into the JSON a Go client would have sent for the same object: zero scalars
 * omitted unless the Go field is a pointer or is written even when empty, embedded structs inlined,
 * times, quantities, int-or-strings and bytes in their JSON forms. A field the table does not know
 * is skipped when it holds the zero value (Go's encoder writes every non-pointer field) and refused
 * with 415 otherwise, so an undecodable body never becomes a wrong object.
 *
 * <p>Stateless; the table is read once. Thread-safe.
 */
final class ProtobufBodies {
  private static final byte[] MAGIC = {'k', '8', 's', 0};
  private static final int MAX_DEPTH = 64;
  private static final DateTimeFormatter SECONDS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter MICROS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'", Locale.ROOT)
          .withZone(ZoneOffset.UTC);
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private ProtobufBodies() {}

  /** Whether {@code contentType} is Kubernetes' protobuf media type. */
  static boolean isProtobuf(String contentType) {
    return contentType != null
        && contentType
            .split(";")[0]
            .trim()
            .toLowerCase(Locale.ROOT)
            .equals("application/vnd.kubernetes.protobuf");
  }

  /**
   * The object in a protobuf-enveloped body, as JSON with {@code apiVersion} and {@code kind} from
   * the envelope.
   *
   * @throws StatusException 400 when the bytes are not a well-formed envelope or message; 415 when
   *     the kind or one of its fields is not in the table
   */
  static ObjectNode decode(byte[] body) {
    if (body.length < MAGIC.length
        || body[0] != MAGIC[0]
        || body[1] != MAGIC[1]
        || body[2] != MAGIC[2]
        || body[3] != MAGIC[3]) {
      throw StatusException.badRequest(
          "the protobuf body does not start with the Kubernetes envelope's magic bytes (k8s\\0)");
    }
    Reader envelope = new Reader(body, MAGIC.length, body.length);
    String apiVersion = "";
    String kind = "";
    byte[] raw = new byte[0];
    String encoding = "";
    while (envelope.more()) {
      long tag = envelope.varint();
      int number = (int) (tag >>> 3);
      int wire = (int) (tag & 7);
      switch (number) {
        case 1 -> {
          Reader typeMeta = envelope.nested(wire, "runtime.Unknown.typeMeta");
          while (typeMeta.more()) {
            long inner = typeMeta.varint();
            switch ((int) (inner >>> 3)) {
              case 1 -> apiVersion = typeMeta.string((int) (inner & 7), "typeMeta.apiVersion");
              case 2 -> kind = typeMeta.string((int) (inner & 7), "typeMeta.kind");
              default -> typeMeta.skip((int) (inner & 7));
            }
          }
        }
        case 2 -> raw = envelope.bytes(wire, "runtime.Unknown.raw");
        case 3 -> encoding = envelope.string(wire, "runtime.Unknown.contentEncoding");
        default -> envelope.skip(wire);
      }
    }
    if (!encoding.isEmpty()) {
      throw unsupported("a protobuf body with contentEncoding \"" + encoding + "\"");
    }
    Table table = Table.INSTANCE;
    String root =
        kind.equals("DeleteOptions") ? "DeleteOptions" : table.roots.get(apiVersion + " " + kind);
    if (root == null) {
      throw unsupported(
          "a protobuf body of "
              + (kind.isEmpty() ? "no kind" : kind + " " + apiVersion)
              + " (the sandbox decodes protobuf only for its built-in kinds)");
    }
    ObjectNode object = NODES.objectNode();
    object.put("apiVersion", apiVersion);
    object.put("kind", kind);
    object.setAll(
        new Decoder(table).message(table.message(root), new Reader(raw, 0, raw.length), 0));
    return object;
  }

  private static StatusException unsupported(String what) {
    return new StatusException(
        StatusException.Reason.UNSUPPORTED_MEDIA_TYPE,
        "the body of the request was in an unknown format - accepted media types include:"
            + " application/json, application/yaml, application/vnd.kubernetes.protobuf;"
            + " the sandbox cannot decode "
            + what
            + ": send it as JSON");
  }

  private static StatusException malformed(String where, String problem) {
    return StatusException.badRequest("the protobuf body is not valid: " + where + ": " + problem);
  }

  /** Turns messages into JSON by the table. */
  private record Decoder(Table table) {
    ObjectNode message(Message message, Reader in, int depth) {
      if (depth > MAX_DEPTH) {
        throw malformed(message.name, "nested more than " + MAX_DEPTH + " levels deep");
      }
      ObjectNode object = NODES.objectNode();
      Set<Integer> seen = new HashSet<>();
      while (in.more()) {
        long tag = in.varint();
        int number = (int) (tag >>> 3);
        int wire = (int) (tag & 7);
        Field field = message.fields.get(number);
        if (field == null) {
          if (!in.skipZero(wire)) {
            throw unsupported(
                "field "
                    + number
                    + " of the protobuf message "
                    + message.name
                    + " (not in its field table)");
          }
          continue;
        }
        seen.add(number);
        String where = message.name + "." + field.json;
        if (field.map) {
          Reader entry = in.nested(wire, where);
          String key = "";
          JsonNode value = null;
          while (entry.more()) {
            long inner = entry.varint();
            switch ((int) (inner >>> 3)) {
              case 1 -> key = entry.string((int) (inner & 7), where + " key");
              case 2 -> value = value(field, (int) (inner & 7), entry, where, depth);
              default -> entry.skip((int) (inner & 7));
            }
          }
          if (value == null) {
            value = zero(field.type);
          }
          if (value != null) {
            child(object, field.json).set(key, value);
          }
        } else if (field.repeated) {
          ArrayNode array =
              object.get(field.json) instanceof ArrayNode existing
                  ? existing
                  : object.putArray(field.json);
          if (field.type.equals("i") && wire == 2) {
            Reader packed = in.nested(wire, where);
            while (packed.more()) {
              array.add(number(packed.varint()));
            }
          } else {
            JsonNode value = value(field, wire, in, where, depth);
            array.add(value == null ? NODES.nullNode() : value);
          }
        } else {
          JsonNode value = value(field, wire, in, where, depth);
          if (field.json.equals("^")) {
            if (value instanceof ObjectNode inlined) {
              object.setAll(inlined);
            }
          } else if (value == null || (isZero(value) && !field.pointer && !field.keepZero)) {
            object.remove(field.json);
          } else {
            object.set(field.json, value);
          }
        }
      }
      for (Field field : message.fields.values()) {
        if (field.keepZero && !field.repeated && !field.map && !seen.contains(field.number)) {
          object.set(field.json, zero(field.type));
        }
      }
      return object;
    }

    /** One value; null for a zero time (Go writes {@code null}, which the server drops). */
    private JsonNode value(Field field, int wire, Reader in, String where, int depth) {
      return switch (field.type) {
        case "s" -> NODES.textNode(in.string(wire, where));
        case "b" -> NODES.booleanNode(in.scalar(wire, where) != 0);
        case "i" -> number(in.scalar(wire, where));
        case "y" -> NODES.textNode(Base64.getEncoder().encodeToString(in.bytes(wire, where)));
        case "time", "microtime" -> {
          Reader time = in.nested(wire, where);
          long seconds = 0;
          long nanos = 0;
          while (time.more()) {
            long inner = time.varint();
            switch ((int) (inner >>> 3)) {
              case 1 -> seconds = time.scalar((int) (inner & 7), where + ".seconds");
              case 2 -> nanos = time.scalar((int) (inner & 7), where + ".nanos");
              default -> time.skip((int) (inner & 7));
            }
          }
          if (seconds == 0 && nanos == 0) {
            yield null;
          }
          Instant instant = Instant.ofEpochSecond(seconds, nanos);
          yield NODES.textNode((field.type.equals("time") ? SECONDS : MICROS).format(instant));
        }
        case "quantity" -> {
          Reader quantity = in.nested(wire, where);
          String text = "";
          while (quantity.more()) {
            long inner = quantity.varint();
            if ((inner >>> 3) == 1) {
              text = quantity.string((int) (inner & 7), where);
            } else {
              quantity.skip((int) (inner & 7));
            }
          }
          yield NODES.textNode(text.isEmpty() ? "0" : text);
        }
        case "intorstring" -> {
          Reader value = in.nested(wire, where);
          long type = 0;
          long intVal = 0;
          String strVal = "";
          while (value.more()) {
            long inner = value.varint();
            switch ((int) (inner >>> 3)) {
              case 1 -> type = value.scalar((int) (inner & 7), where + ".type");
              case 2 -> intVal = value.scalar((int) (inner & 7), where + ".intVal");
              case 3 -> strVal = value.string((int) (inner & 7), where + ".strVal");
              default -> value.skip((int) (inner & 7));
            }
          }
          yield type == 1 ? NODES.textNode(strVal) : number(intVal);
        }
        case "fieldsv1" -> {
          Reader fields = in.nested(wire, where);
          byte[] raw = new byte[0];
          while (fields.more()) {
            long inner = fields.varint();
            if ((inner >>> 3) == 1) {
              raw = fields.bytes((int) (inner & 7), where);
            } else {
              fields.skip((int) (inner & 7));
            }
          }
          try {
            yield raw.length == 0 ? NODES.objectNode() : Json.MAPPER.readTree(raw);
          } catch (IOException e) {
            throw malformed(where, "fieldsV1 is not JSON");
          }
        }
        default -> message(table.message(field.type), in.nested(wire, where), depth + 1);
      };
    }

    /** An int node when the value fits, as Jackson parses the same number from JSON. */
    private static JsonNode number(long value) {
      return value == (int) value ? NODES.numberNode((int) value) : NODES.numberNode(value);
    }

    private static ObjectNode child(ObjectNode parent, String name) {
      return parent.get(name) instanceof ObjectNode existing ? existing : parent.putObject(name);
    }

    private static boolean isZero(JsonNode value) {
      return (value.isTextual() && value.asText().isEmpty())
          || (value.isIntegralNumber() && value.asLong() == 0)
          || (value.isBoolean() && !value.asBoolean());
    }

    private static JsonNode zero(String type) {
      return switch (type) {
        case "s", "y" -> NODES.textNode("");
        case "b" -> NODES.booleanNode(false);
        case "i" -> NODES.numberNode(0);
        default -> null;
      };
    }
  }

  /** A reader of the protobuf wire format over a slice of bytes. */
  private static final class Reader {
    private final byte[] bytes;
    private int position;
    private final int end;

    Reader(byte[] bytes, int from, int to) {
      this.bytes = bytes;
      this.position = from;
      this.end = to;
    }

    boolean more() {
      return position < end;
    }

    long varint() {
      long value = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        if (position >= end) {
          throw malformed("a varint", "the body ends inside it");
        }
        byte b = bytes[position++];
        value |= (long) (b & 0x7f) << shift;
        if ((b & 0x80) == 0) {
          return value;
        }
      }
      throw malformed("a varint", "longer than 10 bytes");
    }

    /** A varint field's value (wire type 0). */
    long scalar(int wire, String where) {
      if (wire != 0) {
        throw malformed(where, "expected a varint, found wire type " + wire);
      }
      return varint();
    }

    Reader nested(int wire, String where) {
      int length = length(wire, where);
      Reader nested = new Reader(bytes, position, position + length);
      position += length;
      return nested;
    }

    byte[] bytes(int wire, String where) {
      int length = length(wire, where);
      byte[] copy = java.util.Arrays.copyOfRange(bytes, position, position + length);
      position += length;
      return copy;
    }

    String string(int wire, String where) {
      int length = length(wire, where);
      String text = new String(bytes, position, length, StandardCharsets.UTF_8);
      position += length;
      return text;
    }

    private int length(int wire, String where) {
      if (wire != 2) {
        throw malformed(where, "expected length-delimited bytes, found wire type " + wire);
      }
      long length = varint();
      if (length < 0 || length > end - position) {
        throw malformed(where, "a length of " + length + " runs past the end of the message");
      }
      return (int) length;
    }

    void skip(int wire) {
      switch (wire) {
        case 0 -> varint();
        case 1 -> advance(8);
        case 2 -> advance(length(2, "an unknown field"));
        case 5 -> advance(4);
        default -> throw malformed("an unknown field", "unsupported wire type " + wire);
      }
    }

    /** Skips a field holding its type's zero value and says so; leaves any other in place. */
    boolean skipZero(int wire) {
      int start = position;
      boolean zero =
          switch (wire) {
            case 0 -> varint() == 0;
            case 2 -> length(2, "an unknown field") == 0;
            default -> false;
          };
      if (!zero) {
        position = start;
      }
      return zero;
    }

    private void advance(int count) {
      if (count > end - position) {
        throw malformed("an unknown field", "it runs past the end of the message");
      }
      position += count;
    }
  }

  private record Field(
      int number,
      String json,
      String type,
      boolean repeated,
      boolean map,
      boolean pointer,
      boolean keepZero) {}

  private record Message(String name, Map<Integer, Field> fields) {}

  /** The field table, read once from {@code protobuf-fields.txt}. */
  private static final class Table {
    static final Table INSTANCE = load();

    final Map<String, Message> messages;
    final Map<String, String> roots;

    private Table(Map<String, Message> messages, Map<String, String> roots) {
      this.messages = messages;
      this.roots = roots;
    }

    Message message(String name) {
      Message message = messages.get(name);
      if (message == null) {
        throw new IllegalStateException("protobuf-fields.txt has no message " + name);
      }
      return message;
    }

    private static Table load() {
      Map<String, Message> messages = new HashMap<>();
      Map<String, String> roots = new HashMap<>();
      try (InputStream in = ProtobufBodies.class.getResourceAsStream("protobuf-fields.txt")) {
        if (in == null) {
          throw new IllegalStateException("protobuf-fields.txt is missing from the classpath");
        }
        BufferedReader reader =
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        Message current = null;
        for (String line; (line = reader.readLine()) != null; ) {
          if (line.isBlank() || line.startsWith("#")) {
            continue;
          }
          List<String> parts = List.of(line.trim().split(" +"));
          if (line.startsWith("@")) {
            roots.put(parts.get(1) + " " + parts.get(2), parts.get(2));
          } else if (!line.startsWith(" ")) {
            current = new Message(parts.get(0), new LinkedHashMap<>());
            messages.put(current.name, current);
          } else {
            String type = parts.get(2);
            boolean repeated = type.startsWith("[");
            boolean map = type.startsWith("{");
            String flags = parts.size() > 3 ? parts.get(3) : "";
            int number = Integer.parseInt(parts.get(0));
            current.fields.put(
                number,
                new Field(
                    number,
                    parts.get(1),
                    repeated || map ? type.substring(1) : type,
                    repeated,
                    map,
                    flags.contains("*"),
                    flags.contains("!")));
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return new Table(Map.copyOf(messages), Map.copyOf(roots));
    }
  }
}
