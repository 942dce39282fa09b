package dev.weir.engine.manifest;

import java.io.StringReader;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.reader.StreamReader;

/**
 * SnakeYAML's {@link StreamReader} over text already in memory. SnakeYAML's own reader refills a
 * 1 KiB window by copying everything not yet consumed, which makes one long scalar (a base64 Secret
 * value, a long JSON string) cost time quadratic in its length: about a second per MiB. This reader
 * decodes the code points once and looks ahead in place, with the same line and column accounting.
 * The text must have passed {@link #firstNonPrintable(int[])} first. Single use, not thread-safe.
 */
final class WholeTextReader extends StreamReader {

  private final int[] data;
  private int pointer;
  private int index;
  private int documentIndex;
  private int line;
  private int column;

  WholeTextReader(int[] codePoints) {
    super(new StringReader(""));
    this.data = codePoints;
  }

  /** Index of the first code point SnakeYAML does not accept, or -1. */
  static int firstNonPrintable(int[] codePoints) {
    for (int i = 0; i < codePoints.length; i++) {
      if (!StreamReader.isPrintable(codePoints[i])) {
        return i;
      }
    }
    return -1;
  }

  private boolean available(int size) {
    return pointer + size < data.length;
  }

  @Override
  public Mark getMark() {
    return new Mark("input", index, line, column, data, pointer);
  }

  @Override
  public void forward() {
    forward(1);
  }

  @Override
  public void forward(int length) {
    for (int i = 0; i < length && available(0); i++) {
      int c = data[pointer++];
      index++;
      documentIndex++;
      if (c == '\n' || c == 0x85 || c == 0x2028 || c == 0x2029 || (c == '\r' && available(0) && data[pointer] != '\n')) {
        line++;
        column = 0;
      } else if (c != 0xFEFF) {
        column++;
      }
    }
  }

  @Override
  public int peek() {
    return available(0) ? data[pointer] : 0;
  }

  @Override
  public int peek(int offset) {
    return available(offset) ? data[pointer + offset] : 0;
  }

  @Override
  public String prefix(int length) {
    if (length == 0) {
      return "";
    }
    return new String(data, pointer, Math.min(length, data.length - pointer));
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
