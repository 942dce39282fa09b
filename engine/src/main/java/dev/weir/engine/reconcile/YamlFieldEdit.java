package dev.weir.engine.reconcile;

import java.io.StringReader;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Changes one scalar of a YAML file in place, keeping every other byte (comments, order, quoting
 * elsewhere): the Git side of a hotfix backport. The field is found by JSON pointer inside the
 * document that starts at a given line; its text is replaced by the new value, plain when YAML
 * reads it back as the same value, double-quoted otherwise.
 *
 * <p>Only scalars that Git's file already sets can be changed: a field that Git does not set, or
 * that is a map or a list, is refused with a reason. Pure and thread-safe.
 */
public final class YamlFieldEdit {
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./][A-Za-z0-9_./:@+-]*");
  private static final Pattern NOT_A_STRING =
      Pattern.compile(
          "(?i)(true|false|yes|no|on|off|y|n|null|~|[-+]?[0-9.][0-9._eExXoObB+-]*|\\.inf|\\.nan)");

  private YamlFieldEdit() {}

  /** The edited text, or why it cannot be edited. */
  public sealed interface Outcome permits Edited, Refused {}

  /** The whole file, edited. */
  public record Edited(String text) implements Outcome {}

  /** Why the field cannot be changed in place, in one line. */
  public record Refused(String reason) implements Outcome {}

  /**
   * @param text the file
   * @param documentLine the 1-based line where the document's mapping starts
   * @param pointer the field, e.g. {@code /spec/replicas}
   * @param value the new value: a string, number or boolean
   */
  public static Outcome replace(String text, int documentLine, String pointer, Object value) {
    if (value instanceof java.util.Map<?, ?> || value instanceof List<?> || value == null) {
      return new Refused(pointer + " is not a single value; change Git by hand");
    }
    LoaderOptions options = new LoaderOptions();
    options.setMaxAliasesForCollections(50);
    Node document = null;
    for (Node node : new Yaml(options).composeAll(new StringReader(text))) {
      if (node != null
          && node.getStartMark().getLine() + 1 <= documentLine
          && node.getEndMark().getLine() + 1 >= documentLine) {
        document = node;
        break;
      }
    }
    if (document == null) {
      return new Refused("no YAML document starts at line " + documentLine);
    }
    Optional<Node> found = find(document, JsonPointers.parse(pointer));
    if (found.isEmpty()) {
      return new Refused(pointer + " is not set in Git's file; add it by hand");
    }
    if (!(found.get() instanceof ScalarNode scalar)) {
      return new Refused(pointer + " is not a single value in Git's file; change it by hand");
    }
    int start = scalar.getStartMark().getIndex();
    int end = scalar.getEndMark().getIndex();
    if (scalar.getScalarStyle() == org.yaml.snakeyaml.DumperOptions.ScalarStyle.LITERAL
        || scalar.getScalarStyle() == org.yaml.snakeyaml.DumperOptions.ScalarStyle.FOLDED) {
      return new Refused(pointer + " is a block scalar in Git's file; change it by hand");
    }
    return new Edited(text.substring(0, start) + render(value) + text.substring(end));
  }

  private static Optional<Node> find(Node node, List<String> path) {
    Node current = node;
    for (String part : path) {
      if (current instanceof MappingNode mapping) {
        Node next = null;
        for (NodeTuple tuple : mapping.getValue()) {
          if (tuple.getKeyNode() instanceof ScalarNode key && key.getValue().equals(part)) {
            next = tuple.getValueNode();
          }
        }
        if (next == null) {
          return Optional.empty();
        }
        current = next;
      } else if (current instanceof SequenceNode sequence) {
        int index;
        try {
          index = Integer.parseInt(part);
        } catch (NumberFormatException e) {
          return Optional.empty();
        }
        if (index < 0 || index >= sequence.getValue().size()) {
          return Optional.empty();
        }
        current = sequence.getValue().get(index);
      } else {
        return Optional.empty();
      }
    }
    return Optional.of(current);
  }

  private static String render(Object value) {
    if (value instanceof String s) {
      if (PLAIN.matcher(s).matches() && !NOT_A_STRING.matcher(s).matches()) {
        return s;
      }
      StringBuilder out = new StringBuilder("\"");
      for (char c : s.toCharArray()) {
        switch (c) {
          case '"' -> out.append("\\\"");
          case '\\' -> out.append("\\\\");
          case '\n' -> out.append("\\n");
          default -> out.append(c);
        }
      }
      return out.append('"').toString();
    }
    return String.valueOf(value);
  }
}
