package dev.weir.engine.analysis;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Reads a series of numbers for offline judging ({@code weir analyze}): either one number per line,
 * or CSV whose first line is a header with a {@code value} column. Blank lines and lines starting
 * with {@code #} are skipped. Numbers use a dot for decimals ({@code 12.5}, {@code 1e-3}); anything
 * else is an error naming the file and line: {@code baseline.txt:7: not a number: "12,5x"}.
 *
 * <p>Pure apart from reading the file; thread-safe.
 */
public final class SampleFile {
  private static final Pattern NUMBER =
      Pattern.compile("[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?");

  private SampleFile() {}

  /** The outcome: the numbers, or one line saying what is wrong and where. */
  public sealed interface Result permits Result.Read, Result.Invalid {
    /** The file's numbers, in file order. */
    record Read(double[] values) implements Result {
      public Read {
        values = values.clone();
      }

      @Override
      public double[] values() {
        return values.clone();
      }

      @Override
      public boolean equals(Object other) {
        return other instanceof Read read && java.util.Arrays.equals(read.values, values);
      }

      @Override
      public int hashCode() {
        return java.util.Arrays.hashCode(values);
      }

      @Override
      public String toString() {
        return "Read" + java.util.Arrays.toString(values);
      }
    }

    /** A line such as {@code baseline.txt:7: not a number: "12,5x"}. */
    record Invalid(String message) implements Result {
      public Invalid {
        Objects.requireNonNull(message, "message");
      }
    }
  }

  /**
   * Reads {@code file}.
   *
   * @param shownAs how to name the file in messages (as the user typed it)
   */
  public static Result read(Path file, String shownAs) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return new Result.Invalid(shownAs + ": no such file");
    } catch (MalformedInputException e) {
      return new Result.Invalid(shownAs + ": not a UTF-8 text file");
    } catch (IOException e) {
      return new Result.Invalid(
          shownAs
              + ": cannot read: "
              + (Files.isDirectory(file) ? "is a directory" : e.getMessage()));
    }
    return parse(lines, shownAs);
  }

  /** Parses the lines of a file named {@code shownAs}. */
  public static Result parse(List<String> lines, String shownAs) {
    double[] values = new double[lines.size()];
    int n = 0;
    int column = -1;
    int columns = 0;
    boolean first = true;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (i == 0 && line.startsWith("\uFEFF")) {
        line = line.substring(1);
      }
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String where = shownAs + ":" + (i + 1) + ": ";
      if (first) {
        first = false;
        String[] header = line.split(",", -1);
        boolean allWords = header.length > 1;
        for (int c = 0; c < header.length; c++) {
          String name = unquote(header[c]);
          if (name.toLowerCase(Locale.ROOT).equals("value")) {
            column = c;
          }
          allWords &=
              !name.isEmpty()
                  && !NUMBER.matcher(name).matches()
                  && Character.isLetter(name.charAt(0));
        }
        if (column >= 0) {
          columns = header.length;
          continue;
        }
        if (allWords) {
          return new Result.Invalid(where + "CSV header has no \"value\" column: " + line);
        }
      }
      String cell = line;
      if (column >= 0) {
        String[] cells = line.split(",", -1);
        if (cells.length != columns) {
          return new Result.Invalid(
              where + "expected " + columns + " columns like the header, found " + cells.length);
        }
        cell = unquote(cells[column]);
      }
      if (!NUMBER.matcher(cell).matches()) {
        return new Result.Invalid(where + "not a number: \"" + cell + "\"");
      }
      values[n++] = Double.parseDouble(cell);
    }
    return new Result.Read(java.util.Arrays.copyOf(values, n));
  }

  private static String unquote(String cell) {
    String trimmed = cell.strip();
    if (trimmed.length() >= 2 && trimmed.startsWith("\"") && trimmed.endsWith("\"")) {
      return trimmed.substring(1, trimmed.length() - 1).strip();
    }
    return trimmed;
  }
}
