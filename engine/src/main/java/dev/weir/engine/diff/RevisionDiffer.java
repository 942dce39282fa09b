package dev.weir.engine.diff;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import com.github.difflib.patch.Patch;
import dev.weir.engine.model.ResourceKey;
import java.util.List;
import java.util.Map;

/**
 * Compares one object as Git had it at two revisions (a history's "what changed since"): both
 * sides normalised as the drift diff normalises them, sensitive values redacted ({@link
 * Redaction}), printed as a unified diff ({@code a/<revision>/…}, {@code b/<revision>/…}).
 *
 * <p>Stateless and thread-safe.
 */
public final class RevisionDiffer {
  private RevisionDiffer() {}

  /**
   * The unified diff of {@code key} from {@code before} to {@code after}, without colour; "" when
   * the two are the same.
   *
   * @param before the object at the first revision, {@code null} when it did not exist
   * @param after the object at the second revision, {@code null} when it does not exist
   * @param from the first revision, short, for the file names
   * @param to the second revision, short
   */
  public static String unified(
      ResourceKey key, Map<String, Object> before, Map<String, Object> after, String from, String to) {
    Map<String, Object> was = before == null ? null : Normalization.normalize(before);
    Map<String, Object> is = after == null ? null : Normalization.normalize(after);
    if (was != null && was.equals(is)) {
      return "";
    }
    Redaction.redactPair(key, is, was);
    List<String> old = was == null ? List.of() : YamlText.lines(was);
    List<String> now = is == null ? List.of() : YamlText.lines(is);
    Patch<String> patch = DiffUtils.diff(old, now);
    if (patch.getDeltas().isEmpty()) {
      return "";
    }
    String name = ResourceDiffer.fileName(key);
    List<String> lines =
        UnifiedDiffUtils.generateUnifiedDiff(
            was == null ? "/dev/null" : "a/" + from + "/" + name,
            is == null ? "/dev/null" : "b/" + to + "/" + name,
            old,
            patch,
            3);
    return String.join("\n", lines) + "\n";
  }
}
