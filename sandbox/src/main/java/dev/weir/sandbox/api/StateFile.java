package dev.weir.sandbox.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The sandbox's state on disk: the resourceVersion counter, the kinds in use and every object, as
 * one JSON document. Saved atomically (a temporary file in the same directory, flushed to disk,
 * then moved over the old one), readable only by the user (it holds Secrets).
 *
 * <p>Not thread-safe by itself; the server serialises saves.
 */
final class StateFile {
  private static final int FORMAT = 1;

  private final Path file;

  StateFile(Path file) {
    this.file = file;
  }

  Path path() {
    return file;
  }

  /**
   * What a state file holds: the objects and, under {@code extensions}, the in-flight state of the
   * sandbox's other parts (its simulated world), by name.
   */
  record Contents(ObjectStore.Snapshot snapshot, Map<String, JsonNode> extensions) {}

  /**
   * Reads the saved state; empty when there is no file yet. Kinds missing from {@code registry} are
   * registered as schemaless kinds.
   *
   * @throws IOException when the file cannot be read or is not a sandbox state file
   */
  Optional<Contents> load(KindRegistry registry) throws IOException {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(file.toFile());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      var where = e.getLocation();
      String position = where == null ? "" : ":" + where.getLineNr() + ":" + where.getColumnNr();
      throw new IOException(
          file + position + ": not a sandbox state file: " + e.getOriginalMessage(), e);
    }
    if (root == null || root.path("format").asInt(-1) != FORMAT) {
      throw new IOException(file + ": not a sandbox state file of format " + FORMAT);
    }
    for (JsonNode kind : root.path("kinds")) {
      String group = kind.path("group").asText("");
      String version = kind.path("version").asText();
      String plural = kind.path("plural").asText();
      if (registry.byResource(group, version, plural).isEmpty()) {
        registry.register(
            KindInfo.of(
                group,
                version,
                kind.path("kind").asText(),
                plural,
                kind.path("namespaced").asBoolean(true)));
      }
    }
    List<StoredObject> objects = new ArrayList<>();
    for (JsonNode entry : root.path("objects")) {
      String group = entry.path("group").asText("");
      String version = entry.path("version").asText();
      String plural = entry.path("plural").asText();
      KindInfo kind =
          registry
              .byResource(group, version, plural)
              .orElseThrow(
                  () ->
                      new IOException(
                          file + ": object of unknown resource " + plural + "." + group));
      if (!(entry.get("object") instanceof ObjectNode object)) {
        throw new IOException(file + ": an entry of " + plural + " has no object");
      }
      objects.add(StoredObject.of(kind, object));
    }
    Map<String, JsonNode> extensions = new TreeMap<>();
    root.path("extensions").properties().forEach(e -> extensions.put(e.getKey(), e.getValue()));
    return Optional.of(
        new Contents(
            new ObjectStore.Snapshot(root.path("resourceVersion").asLong(0), objects), extensions));
  }

  /** Writes {@code snapshot} and the extensions' states atomically. */
  void save(ObjectStore.Snapshot snapshot, Map<String, JsonNode> extensions) throws IOException {
    Path directory = file.toAbsolutePath().getParent();
    Files.createDirectories(directory);
    boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    Path temp = directory.resolve(file.getFileName() + ".tmp");
    Files.deleteIfExists(temp);
    if (posix) {
      Files.createFile(
          temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }
    try (FileChannel channel =
            FileChannel.open(
                temp,
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        OutputStream out = java.nio.channels.Channels.newOutputStream(channel);
        JsonGenerator json = Json.MAPPER.getFactory().createGenerator(out)) {
      json.writeStartObject();
      json.writeNumberField("format", FORMAT);
      json.writeNumberField("resourceVersion", snapshot.resourceVersion());
      json.writeArrayFieldStart("kinds");
      List<KindInfo> written = new ArrayList<>();
      for (StoredObject object : snapshot.objects()) {
        if (!written.contains(object.kind())) {
          written.add(object.kind());
          json.writeStartObject();
          json.writeStringField("group", object.kind().group());
          json.writeStringField("version", object.kind().version());
          json.writeStringField("kind", object.kind().kind());
          json.writeStringField("plural", object.kind().plural());
          json.writeBooleanField("namespaced", object.kind().namespaced());
          json.writeEndObject();
        }
      }
      json.writeEndArray();
      json.writeArrayFieldStart("objects");
      for (StoredObject object : snapshot.objects()) {
        json.writeStartObject();
        json.writeStringField("group", object.kind().group());
        json.writeStringField("version", object.kind().version());
        json.writeStringField("plural", object.kind().plural());
        json.writeFieldName("object");
        json.writeRawValue(new String(object.json(), StandardCharsets.UTF_8));
        json.writeEndObject();
      }
      json.writeEndArray();
      if (!extensions.isEmpty()) {
        json.writeObjectFieldStart("extensions");
        for (var extension : new TreeMap<>(extensions).entrySet()) {
          json.writeFieldName(extension.getKey());
          json.writeTree(extension.getValue());
        }
        json.writeEndObject();
      }
      json.writeEndObject();
      json.flush();
      channel.force(true);
    }
    try {
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
