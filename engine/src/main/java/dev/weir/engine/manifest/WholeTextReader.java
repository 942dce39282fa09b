package dev.weir.engine.manifest;

import java.io.StringReader;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.reader.StreamReader;

/**
 * SnakeYAML's {@link StreamReader} over text already in memory. SnakeYAML's own reader refills a 1
 * KiB window by copying everything not yet consumed, which makes one long scalar (a base64 Secret
 * value, a long JSON string) cost time quadratic in its length: about a second per MiB. This reader
 * looks ahead in place, with the same line and column accounting. Text without characters outside
 * the Basic Multilingual Plane (nearly all) is read straight from the string; other text is decoded
 * into code points once. Marks carry positions but no copy of the text: Weir never prints
 * snippets. The text must have passed {@link #firstNonPrintable(String)} first. Single use, not
 * thread-safe.
 */
final class WholeTextReader extends StreamReader {

  private static final int[] NO_SNIPPET = new int[0];

  private final String text;
  private final int[] codePoints; // null when every char is a code point
  private final int length;
  private int pointer;
  private int index;
  private int documentIndex;
  private int line;
  private int column;

  WholeTextReader(String text) {
    super(new StringReader(""));
    this.text = text;
    boolean bmpOnly = text.chars().noneMatch(c -> Character.isSurrogate((char) c));
    this.codePoints = bmpOnly ? null : text.codePoints().toArray();
    this.length = bmpOnly ? text.length() : codePoints.length;
  }

  /** Char index of the first code point SnakeYAML does not accept, or -1. */
  static int firstNonPrintable(String text) {
    for (int i = 0; i < text.length(); ) {
      int c = text.codePointAt(i);
      if (!StreamReader.isPrintable(c)) {
        return i;
      }
      i += Character.charCount(c);
    }
    return -1;
  }

  private boolean available(int size) {
    return pointer + size < length;
  }

  private int at(int i) {
    return codePoints == null ? text.charAt(i) : codePoints[i];
  }

  @Override
  public Mark getMark() {
    return new Mark("input", index, line, column, NO_SNIPPET, 0);
  }

  @Override
  public void forward() {
    forward(1);
  }

  @Override
  public void forward(int length) {
    for (int i = 0; i < length && available(0); i++) {
      int c = at(pointer++);
      index++;
      documentIndex++;
      if (c == '\n'
          || c == 0x85
          || c == 0x2028
          || c == 0x2029
          || (c == '\r' && available(0) && at(pointer) != '\n')) {
        line++;
        column = 0;
      } else if (c != 0xFEFF) {
        column++;
      }
    }
  }

  @Override
  public int peek() {
    return available(0) ? at(pointer) : 0;
  }

  @Override
  public int peek(int offset) {
    return available(offset) ? at(pointer + offset) : 0;
  }

  @Override
  public String prefix(int length) {
    if (length == 0) {
      return "";
    }
    int count = Math.min(length, this.length - pointer);
    return codePoints == null
        ? text.substring(pointer, pointer + count)
        : new String(codePoints, pointer, count);
  }

  @Override
  public String prefixForward(int length) {
    String prefix = prefix(length);
    pointer += length;
    index += length;
    documentIndex += length;
    column += length; // SnakeYAML calls this only for text without line breaks
    return prefix;
  }

  @Override
  public int getColumn() {
    return column;
  }

  @Override
  public int getDocumentIndex() {
    return documentIndex;
  }

  @Override
  public void resetDocumentIndex() {
    documentIndex = 0;
  }

  @Override
  public int getIndex() {
    return index;
  }

  @Override
  public int getLine() {
    return line;
  }
}
