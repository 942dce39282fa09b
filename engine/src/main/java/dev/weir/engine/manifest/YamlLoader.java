package dev.weir.engine.manifest;

import dev.weir.engine.manifest.RenderProblem.Reason;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Loads the documents of a YAML or JSON file (JSON is read as YAML) within {@link YamlLimits}.
 *
 * <p>Design note: SnakeYAML composes a node graph (which keeps line and column marks) with its own
 * limits on aliases, nesting and document size; this class then turns nodes into plain immutable
 * maps, lists and scalars itself rather than through SnakeYAML's constructor, because it must also
 * bound alias <em>expansion</em> (few aliases can still describe an exponential tree, and every
 * later deep copy or print would expand it), refuse recursive aliases, report duplicate keys with
 * both lines, and type scalars as kubectl does (timestamps and sexagesimals stay strings).
 *
 * <p>Every failure is a value: {@link ParsedFile.Unloadable} with a one-line message and position.
 * Input is checked before parsing: size, NUL bytes (binary) and UTF-8 validity; a UTF-8 byte order
 * mark is skipped, CRLF line ends are accepted. Empty documents and files are fine (no documents).
 *
 * <p>Immutable and thread-safe.
 */
public final class YamlLoader {

  private static final int SCALAR_CHARS_PER_EXPANSION_UNIT = 64;

  private final YamlLimits limits;

  public YamlLoader(YamlLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  public YamlLimits limits() {
    return limits;
  }

  /** How a file's text is read: {@code *.json} files as JSON, everything else as YAML. */
  public enum Syntax {
    YAML,
    /** JSON, read as YAML after tabs between tokens (legal in JSON, not in YAML) became spaces. */
    JSON;

    public static Syntax of(String file) {
      return file.toLowerCase(java.util.Locale.ROOT).endsWith(".json") ? JSON : YAML;
    }
  }

  /** Loads {@code content}, naming {@code file} in the problem when it cannot be loaded. */
  public List<YamlDocument> load(String file, byte[] content) throws ManifestException {
    return switch (parse(content, Syntax.of(file))) {
      case ParsedFile.Documents d -> d.documents();
      case ParsedFile.Unloadable u -> throw new ManifestException(u.problemIn(file));
    };
  }

  /** Parses YAML {@code content}; never throws for bad input. */
  public ParsedFile parse(byte[] content) {
    return parse(content, Syntax.YAML);
  }

  /** Parses {@code content}; never throws for bad input. */
  public ParsedFile parse(byte[] content, Syntax syntax) {
    return parse(content, syntax, false);
  }

  /**
   * Parses {@code content} recording the position of every node, as for {@code weir.dev} documents:
   * for files whose fields Weir checks itself (kustomizations, Chart.yaml).
   */
  ParsedFile parseWithPositions(byte[] content, Syntax syntax) {
    return parse(content, syntax, true);
  }

  private ParsedFile parse(byte[] content, Syntax syntax, boolean everyPosition) {
    if (content.length > limits.maxFileBytes()) {
      return ParsedFile.Unloadable.overLimit(content.length, limits.maxFileBytes());
    }
    int start = hasUtf8Bom(content) ? 3 : 0;
    for (int i = start; i < content.length; i++) {
      if (content[i] == 0) {
        int[] position = positionOfByte(content, start, i);
        return new ParsedFile.Unloadable(
            position[0],
            position[1],
            Reason.ENCODING,
            "not a text file: binary content (a NUL byte)");
      }
    }
    String text;
    try {
      text = decodeUtf8(content, start);
    } catch (BadByte bad) {
      int[] position = positionOfByte(content, start, bad.offset);
      return new ParsedFile.Unloadable(
          position[0],
          position[1],
          Reason.ENCODING,
          String.format("not UTF-8 text: invalid byte 0x%02X", content[bad.offset] & 0xff));
    }
    return compose(
        syntax == Syntax.JSON ? tabsBetweenTokensToSpaces(text) : trailingTabsToSpaces(text),
        everyPosition);
  }

  /**
   * Tabs at the end of a line (before its line break) become spaces, one character for one so every
   * line and column stays, as kubectl's go-yaml reads them as white space where SnakeYAML refuses
   * some ({@code spec:<TAB>}: "found character '\t(TAB)' that cannot start any token"). Lines that
   * may be the content of a block scalar ({@code |}, {@code >}) are left alone, since a tab there is
   * part of the value: every line after a block scalar's header that is blank or more indented than
   * the header line. Tabs in indentation stay refused, as go-yaml refuses them.
   */
  static String trailingTabsToSpaces(String text) {
    if (text.indexOf('\t') < 0) {
      return text;
    }
    char[] chars = text.toCharArray();
    int blockIndent = -1; // indentation of a block scalar's header line while inside its content
    int lineStart = 0;
    while (lineStart < chars.length) {
      int lineEnd = lineStart;
      while (lineEnd < chars.length && chars[lineEnd] != '\n') {
        lineEnd++;
      }
      int end = lineEnd > lineStart && chars[lineEnd - 1] == '\r' ? lineEnd - 1 : lineEnd;
      int indent = 0;
      while (lineStart + indent < end && chars[lineStart + indent] == ' ') {
        indent++;
      }
      int contentEnd = end;
      while (contentEnd > lineStart
          && (chars[contentEnd - 1] == ' ' || chars[contentEnd - 1] == '\t')) {
        contentEnd--;
      }
      boolean blank = contentEnd == lineStart;
      if (blockIndent >= 0 && (blank || indent > blockIndent)) {
        lineStart = lineEnd + 1; // content of a block scalar: tabs are part of the value
        continue;
      }
      blockIndent = -1;
      for (int i = contentEnd; i < end; i++) {
        if (chars[i] == '\t') {
          chars[i] = ' ';
        }
      }
      if (opensBlockScalar(chars, lineStart + indent, contentEnd)) {
        blockIndent = indent;
      }
      lineStart = lineEnd + 1;
    }
    return new String(chars);
  }

  /**
   * Whether the line's content ends with a block scalar header ({@code |}, {@code >-}, {@code |2+}
   * …), possibly followed by a comment. Errs towards yes: a false yes only leaves tabs alone.
   */
  private static boolean opensBlockScalar(char[] chars, int from, int to) {
    String line = new String(chars, from, to - from);
    int hash = line.indexOf(" #");
    if (hash >= 0) {
      line = line.substring(0, hash).stripTrailing();
    }
    return BLOCK_HEADER.matcher(line).find();
  }

  private static final Pattern BLOCK_HEADER =
      Pattern.compile("(^|[\\s:-])[|>][-+0-9]*$");

  /**
   * JSON allows tabs as whitespace anywhere between tokens, YAML not in indentation. Raw tabs
   * cannot occur inside valid JSON strings, but those are left alone so invalid JSON stays invalid.
   * One character for one keeps every line and column.
   */
  private static String tabsBetweenTokensToSpaces(String json) {
    if (json.indexOf('\t') < 0) {
      return json;
    }
    char[] chars = json.toCharArray();
    boolean inString = false;
    for (int i = 0; i < chars.length; i++) {
      char c = chars[i];
      if (inString) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          inString = false;
        }
      } else if (c == '"') {
        inString = true;
      } else if (c == '\t') {
        chars[i] = ' ';
      }
    }
    return new String(chars);
  }

  private ParsedFile compose(String text, boolean everyPosition) {
    int bad = WholeTextReader.firstNonPrintable(text);
    if (bad >= 0) {
      int line = 1;
      int lineStart = 0;
      for (int i = 0; i < bad; i++) {
        if (text.charAt(i) == '\n') {
          line++;
          lineStart = i + 1;
        }
      }
      return new ParsedFile.Unloadable(
          line,
          text.codePointCount(lineStart, bad) + 1,
          Reason.ENCODING,
          String.format("not a text file: control character U+%04X", text.codePointAt(bad)));
    }
    LoaderOptions options = new LoaderOptions();
    options.setMaxAliasesForCollections(limits.maxAliasesForCollections());
    options.setNestingDepthLimit(limits.maxNestingDepth());
    options.setCodePointLimit(limits.maxDocumentCodePoints());
    options.setAllowDuplicateKeys(false);
    options.setAllowRecursiveKeys(false);
    options.setProcessComments(false);
    Composer composer =
        new Composer(
            new ParserImpl(new WholeTextReader(text), options), new Resolver(), options);
    List<YamlDocument> documents = new ArrayList<>();
    int documentStartLine = 1;
    int seen = 0;
    try {
      while (composer.checkNode()) {
        Node root = composer.getNode();
        seen++;
        if (seen > limits.maxDocumentsPerFile()) {
          return new ParsedFile.Unloadable(
              line(root.getStartMark()),
              1,
              Reason.LIMIT,
              "more than " + limits.maxDocumentsPerFile() + " documents in one file");
        }
        documentStartLine = line(root.getEndMark());
        if (root instanceof ScalarNode scalar && Tag.NULL.equals(scalar.getTag())) {
          continue; // an empty document, as between two "---"
        }
        if (!(root instanceof MappingNode mapping)) {
          return new ParsedFile.Unloadable(
              line(root.getStartMark()),
              column(root.getStartMark()),
              Reason.INVALID_OBJECT,
              "expected a Kubernetes object (a mapping), found " + describe(root));
        }
        documents.add(new Converter(limits, everyPosition).document(documents.size(), mapping));
      }
    } catch (Failure f) {
      return new ParsedFile.Unloadable(f.line, f.column, f.reason, f.getMessage());
    } catch (MarkedYAMLException e) {
      return marked(e);
    } catch (YAMLException e) {
      return unmarked(e, documentStartLine);
    } catch (StackOverflowError e) {
      // Cannot happen within the nesting limit on a normal stack; kept as a last line of defence.
      return new ParsedFile.Unloadable(documentStartLine, 1, Reason.LIMIT, "nested too deeply");
    }
    return new ParsedFile.Documents(documents);
  }

  private ParsedFile marked(MarkedYAMLException e) {
    Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
    String problem = e.getProblem() != null ? e.getProblem() : e.getContext();
    int line = mark == null ? 1 : line(mark);
    int column = mark == null ? 1 : column(mark);
    String message = oneLine(problem == null ? "invalid YAML" : problem);
    if (message.startsWith("Nesting Depth exceeded")) {
      return new ParsedFile.Unloadable(
          line, column, Reason.LIMIT, "nested deeper than " + limits.maxNestingDepth() + " levels");
    }
    if (message.contains("Number of aliases")) {
      return new ParsedFile.Unloadable(line, column, Reason.LIMIT, aliasLimitMessage());
    }
    if (e.getContext() != null && e.getProblem() != null && e.getProblemMark() != null) {
      message = oneLine(e.getContext()) + ": " + message;
    }
    return new ParsedFile.Unloadable(line, column, Reason.SYNTAX, "invalid YAML: " + message);
  }

  private ParsedFile unmarked(YAMLException e, int line) {
    String message = oneLine(String.valueOf(e.getMessage()));
    if (message.contains("exceeds the limit")) {
      return new ParsedFile.Unloadable(
          line,
          1,
          Reason.LIMIT,
          "document is larger than the limit of " + limits.maxDocumentCodePoints() + " characters");
    }
    if (message.startsWith("Nesting Depth exceeded")) {
      return new ParsedFile.Unloadable(
          line, 1, Reason.LIMIT, "nested deeper than " + limits.maxNestingDepth() + " levels");
    }
    if (message.contains("Number of aliases")) {
      return new ParsedFile.Unloadable(line, 1, Reason.LIMIT, aliasLimitMessage());
    }
    return new ParsedFile.Unloadable(line, 1, Reason.SYNTAX, "invalid YAML: " + message);
  }

  private String aliasLimitMessage() {
    return "more than " + limits.maxAliasesForCollections() + " aliases to mappings or sequences";
  }

  private static String oneLine(String text) {
    return text.strip().replaceAll("\\s+", " ");
  }

  private static String describe(Node node) {
    return switch (node) {
      case SequenceNode s -> "a list";
      case ScalarNode s -> "a scalar";
      default -> "a " + node.getNodeId();
    };
  }

  private static boolean hasUtf8Bom(byte[] b) {
    return b.length >= 3 && (b[0] & 0xff) == 0xEF && (b[1] & 0xff) == 0xBB && (b[2] & 0xff) == 0xBF;
  }

  private static final class BadByte extends Exception {
    private static final long serialVersionUID = 1L;
    final int offset;

    BadByte(int offset) {
      super(null, null, false, false);
      this.offset = offset;
    }
  }

  private static String decodeUtf8(byte[] content, int start) throws BadByte {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(content, start, content.length - start);
    CharBuffer out = CharBuffer.allocate(content.length - start);
    CoderResult result = decoder.decode(in, out, true);
    if (result.isError()) {
      throw new BadByte(in.position());
    }
    result = decoder.flush(out);
    if (result.isError()) {
      throw new BadByte(in.position());
    }
    out.flip();
    return out.toString();
  }

  /** 1-based line and column (in bytes) of {@code offset}. */
  private static int[] positionOfByte(byte[] content, int start, int offset) {
    int line = 1;
    int lineStart = start;
    for (int i = start; i < offset; i++) {
      if (content[i] == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    return new int[] {line, offset - lineStart + 1};
  }

  private static int line(Mark mark) {
    return mark.getLine() + 1;
  }

  private static int column(Mark mark) {
    return mark.getColumn() + 1;
  }

  /** A problem found while converting nodes; unwinds to {@link #compose}. */
  private static final class Failure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int line;
    final int column;
    final transient Reason reason;

    Failure(Mark mark, Reason reason, String message) {
      super(message, null, false, false);
      this.line = line(mark);
      this.column = column(mark);
      this.reason = reason;
    }
  }

  /** Turns one document's nodes into immutable maps, lists and scalars; single use. */
  private static final class Converter {
    private final YamlLimits limits;
    private final Set<Node> inProgress = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Set<Node> anchoredSeen = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Map<String, YamlDocument.Position> positions = new HashMap<>();
    private boolean recordAll;
    private Mark aliasSite;
    private int aliasDepth;
    private long expansion;

    private final boolean everyPosition;

    Converter(YamlLimits limits, boolean everyPosition) {
      this.limits = limits;
      this.everyPosition = everyPosition;
    }

    @SuppressWarnings("unchecked")
    YamlDocument document(int index, MappingNode root) {
      recordAll = everyPosition || isWeirDocument(root);
      Map<String, Object> content = (Map<String, Object>) convert(root, null, "", 0);
      Mark start = root.getStartMark();
      return new YamlDocument(index, line(start), column(start), content, positions);
    }

    /**
     * A document whose fields Weir checks itself and names by position: Weir's own kinds, and Argo
     * CD's {@code Application} (decision 0041), whose problems are otherwise told at the document's
     * start.
     */
    private static boolean isWeirDocument(MappingNode root) {
      String apiVersion = null;
      String kind = null;
      for (NodeTuple tuple : root.getValue()) {
        if (tuple.getKeyNode() instanceof ScalarNode key
            && tuple.getValueNode() instanceof ScalarNode value) {
          if ("apiVersion".equals(key.getValue())) {
            apiVersion = value.getValue();
          } else if ("kind".equals(key.getValue())) {
            kind = value.getValue();
          }
        }
      }
      if (apiVersion == null) {
        return false;
      }
      return apiVersion.startsWith("weir.dev/")
          || apiVersion.startsWith("argoproj.io/") && "Application".equals(kind);
    }

    /** Converts {@code node}, found in {@code parent} (null for the root). */
    private Object convert(Node node, Node parent, String pointer, int depth) {
      if (depth > limits.maxNestingDepth()) {
        throw new Failure(
            node.getStartMark(),
            Reason.LIMIT,
            "nested deeper than " + limits.maxNestingDepth() + " levels");
      }
      boolean alias = false;
      if (node.getAnchor() != null && !anchoredSeen.add(node)) {
        alias = true;
        if (aliasDepth++ == 0) {
          aliasSite = (parent == null ? node : parent).getStartMark();
        }
      }
      try {
        if (aliasDepth > 0) {
          expansion +=
              node instanceof ScalarNode s
                  ? 1 + s.getValue().length() / SCALAR_CHARS_PER_EXPANSION_UNIT
                  : 1;
          if (expansion > limits.maxAliasExpansion()) {
            throw new Failure(
                aliasSite,
                Reason.LIMIT,
                "aliases expand to more than "
                    + limits.maxAliasExpansion()
                    + " nodes (an alias bomb?)");
          }
        }
        if (pointer != null) {
          positions.put(
              pointer,
              new YamlDocument.Position(line(node.getStartMark()), column(node.getStartMark())));
        }
        return switch (node) {
          case ScalarNode scalar -> scalar(scalar);
          case SequenceNode sequence -> guarded(sequence, () -> sequence(sequence, pointer, depth));
          case MappingNode mapping -> guarded(mapping, () -> mapping(mapping, pointer, depth));
          default -> throw new Failure(node.getStartMark(), Reason.SYNTAX, "unsupported YAML node");
        };
      } finally {
        if (alias) {
          aliasDepth--;
        }
      }
    }

    private Object guarded(Node node, java.util.function.Supplier<Object> body) {
      if (!inProgress.add(node)) {
        throw new Failure(
            node.getStartMark(), Reason.LIMIT, "recursive alias: a node contains itself");
      }
      try {
        return body.get();
      } finally {
        inProgress.remove(node);
      }
    }

    private List<Object> sequence(SequenceNode sequence, String pointer, int depth) {
      List<Node> items = sequence.getValue();
      List<Object> out = new ArrayList<>(items.size());
      boolean track = pointer != null && (recordAll || pointer.equals("/items"));
      for (int i = 0; i < items.size(); i++) {
        out.add(convert(items.get(i), sequence, track ? pointer + "/" + i : null, depth + 1));
      }
      return Collections.unmodifiableList(out);
    }

    private Map<String, Object> mapping(MappingNode mapping, String pointer, int depth) {
      Map<String, Object> out = new LinkedHashMap<>();
      Map<String, Mark> keyMarks = new HashMap<>();
      List<Node> merges = null;
      for (NodeTuple tuple : mapping.getValue()) {
        Node keyNode = tuple.getKeyNode();
        if (!(keyNode instanceof ScalarNode keyScalar)) {
          throw new Failure(
              keyNode.getStartMark(),
              Reason.SYNTAX,
              "a mapping key must be a scalar, found " + describe(keyNode));
        }
        if (Tag.MERGE.equals(keyScalar.getTag())) {
          merges = merges == null ? new ArrayList<>() : merges;
          merges.add(tuple.getValueNode());
          continue;
        }
        String key = keyScalar.getValue();
        Mark first = keyMarks.putIfAbsent(key, keyScalar.getStartMark());
        if (first != null) {
          throw new Failure(
              keyScalar.getStartMark(),
              Reason.SYNTAX,
              "duplicate key \"" + key + "\" (first at line " + line(first) + ")");
        }
        String child = childPointer(pointer, depth, key);
        out.put(key, convert(tuple.getValueNode(), mapping, child, depth + 1));
      }
      if (merges != null) {
        for (Node merge : merges) {
          mergeInto(out, merge, depth);
        }
      }
      return Collections.unmodifiableMap(out);
    }

    private String childPointer(String pointer, int depth, String key) {
      if (pointer == null) {
        return null;
      }
      if (recordAll) {
        return pointer + "/" + key.replace("~", "~0").replace("/", "~1");
      }
      return depth == 0 && key.equals("items") ? "/items" : null;
    }

    /**
     * YAML merge keys ({@code <<: *base}): keys of the merged mappings that are not set explicitly.
     */
    @SuppressWarnings("unchecked")
    private void mergeInto(Map<String, Object> out, Node merge, int depth) {
      List<Node> sources = merge instanceof SequenceNode seq ? seq.getValue() : List.of(merge);
      for (Node source : sources) {
        if (!(source instanceof MappingNode)) {
          throw new Failure(
              source.getStartMark(),
              Reason.SYNTAX,
              "a merge key (<<) needs a mapping or a list of mappings");
        }
        Map<String, Object> merged = (Map<String, Object>) convert(source, merge, null, depth + 1);
        merged.forEach(out::putIfAbsent);
      }
    }

    private static Object scalar(ScalarNode node) {
      String value = node.getValue();
      Tag tag = node.getTag();
      if (Tag.STR.equals(tag)) {
        return value;
      }
      if (Tag.NULL.equals(tag)) {
        return null;
      }
      if (Tag.BOOL.equals(tag)) {
        return switch (value.toLowerCase(java.util.Locale.ROOT)) {
          case "true", "yes", "on" -> Boolean.TRUE;
          case "false", "no", "off" -> Boolean.FALSE;
          default ->
              throw new Failure(
                  node.getStartMark(), Reason.SYNTAX, "not a boolean: " + abbreviate(value));
        };
      }
      if (Tag.INT.equals(tag)) {
        return value.indexOf(':') >= 0 ? value : integer(node, value);
      }
      if (Tag.FLOAT.equals(tag)) {
        return value.indexOf(':') >= 0 ? value : floating(node, value);
      }
      return value; // timestamps, !!binary and unknown tags: the text, as kubectl keeps it
    }

    private static Object integer(ScalarNode node, String text) {
      String value = text.replace("_", "");
      int sign = 1;
      if (value.startsWith("-") || value.startsWith("+")) {
        sign = value.charAt(0) == '-' ? -1 : 1;
        value = value.substring(1);
      }
      int radix = 10;
      if (value.startsWith("0b")) {
        radix = 2;
        value = value.substring(2);
      } else if (value.startsWith("0x")) {
        radix = 16;
        value = value.substring(2);
      } else if (value.length() > 1 && value.startsWith("0")) {
        radix = 8;
        value = value.substring(1);
      }
      try {
        BigInteger big = new BigInteger(value, radix);
        if (sign < 0) {
          big = big.negate();
        }
        if (big.bitLength() < 32) {
          return big.intValue();
        }
        if (big.bitLength() < 64) {
          return big.longValue();
        }
        return big;
      } catch (NumberFormatException e) {
        throw new Failure(
            node.getStartMark(), Reason.SYNTAX, "not an integer: " + abbreviate(text));
      }
    }

    private static Object floating(ScalarNode node, String text) {
      String value = text.replace("_", "").toLowerCase(java.util.Locale.ROOT);
      return switch (value) {
        case ".inf", "+.inf" -> Double.POSITIVE_INFINITY;
        case "-.inf" -> Double.NEGATIVE_INFINITY;
        case ".nan" -> Double.NaN;
        default -> {
          try {
            yield Double.parseDouble(value);
          } catch (NumberFormatException e) {
            throw new Failure(
                node.getStartMark(), Reason.SYNTAX, "not a number: " + abbreviate(text));
          }
        }
      };
    }

    private static String abbreviate(String text) {
      String line = oneLine(text);
      return line.length() <= 40 ? line : line.substring(0, 40) + "…";
    }
  }
}
