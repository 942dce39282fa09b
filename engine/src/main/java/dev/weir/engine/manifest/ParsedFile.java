package dev.weir.engine.manifest;

import dev.weir.engine.model.SourceLocation;
import java.util.List;

/**
 * The outcome of loading one file's content: its documents, or why it cannot be loaded. Holds no
 * file name, so it can be cached by content (blob id) and reused at any path. Immutable.
 */
public sealed interface ParsedFile permits ParsedFile.Documents, ParsedFile.Unloadable {

  /** Every non-empty document, in file order (possibly none). */
  record Documents(List<YamlDocument> documents) implements ParsedFile {
    public Documents {
      documents = List.copyOf(documents);
    }
  }

  /** The file cannot be loaded: where and why. */
  record Unloadable(int line, int column, RenderProblem.Reason reason, String message)
      implements ParsedFile {

    /** A file of {@code size} bytes, over the limit of {@code limit} bytes; never read. */
    public static Unloadable overLimit(long size, long limit) {
      return new Unloadable(
          1,
          1,
          RenderProblem.Reason.LIMIT,
          "file is " + size + " bytes, over the limit of " + limit + " bytes");
    }

    public RenderProblem problemIn(String file) {
      return new RenderProblem(new SourceLocation(file, line, column), reason, message);
    }
  }
}
