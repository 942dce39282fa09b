package dev.weir.engine.manifest;

import dev.weir.engine.model.SourceLocation;
import java.util.Map;
import java.util.Objects;

/**
 * One document of a YAML or JSON file: a mapping, deeply immutable, in the file's key order, with
 * its position. Holds no file name, so that one parse serves every path with the same content.
 *
 * <p>Scalars are {@code String}, {@code Boolean}, {@code Integer}/{@code Long}/{@code BigInteger},
 * {@code Double} or {@code null}, as Jackson would give for the same JSON; timestamps and {@code
 * 1:20}-style sexagesimals stay strings, as in kubectl.
 *
 * @param index 0-based position among the file's non-empty documents
 * @param line 1-based line where the document's mapping starts
 * @param column 1-based column where the document's mapping starts
 * @param content the mapping
 * @param positions positions of some nodes, by JSON pointer: always the root ("") and each element
 *     of a top-level {@code items} list; every node for {@code weir.dev} documents, whose fields
 *     are validated with precise positions
 */
public record YamlDocument(
    int index, int line, int column, Map<String, Object> content, Map<String, Position> positions) {

  /** A 1-based line and column in a file. */
  public record Position(int line, int column) {

    public SourceLocation in(String file) {
      return new SourceLocation(file, line, column);
    }
  }

  public YamlDocument {
    Objects.requireNonNull(content, "content");
    positions = Map.copyOf(positions);
  }

  /** Where the document starts, in {@code file}. */
  public SourceLocation location(String file) {
    return new SourceLocation(file, line, column);
  }

  /**
   * Where the node at {@code pointer} (a JSON pointer such as {@code /spec/source/path}) is, or the
   * nearest recorded ancestor, or the document start.
   */
  public SourceLocation location(String file, String pointer) {
    String p = pointer;
    while (true) {
      Position found = positions.get(p);
      if (found != null) {
        return found.in(file);
      }
      int slash = p.lastIndexOf('/');
      if (slash < 0) {
        return location(file);
      }
      p = p.substring(0, slash);
    }
  }

  /** A string field of the mapping, or null when absent or not a string. */
  public String string(String key) {
    return content.get(key) instanceof String s ? s : null;
  }
}
