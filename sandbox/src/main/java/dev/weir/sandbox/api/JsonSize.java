package dev.weir.sandbox.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * How many bytes a JSON value takes written compactly, counted without keeping them and given up as
 * soon as the count passes a budget, so measuring a value of gigabytes costs no more than the
 * budget. Stateless and thread-safe.
 */
final class JsonSize {
  private JsonSize() {}

  /**
   * The size of {@code node} as compact JSON when it is at most {@code budget} bytes; otherwise
   * some number above {@code budget} (the count stops a little past it).
   */
  static long upTo(JsonNode node, long budget) {
    Counter counter = new Counter(Math.max(0, budget));
    try (JsonGenerator generator = Json.MAPPER.getFactory().createGenerator(counter)) {
      Json.MAPPER.writeTree(generator, node);
    } catch (OverBudget e) {
      return Math.max(counter.count, budget + 1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return counter.count;
  }

  /** Thrown by the counter to stop the writer; carries no stack. */
  private static final class OverBudget extends IOException {
    OverBudget() {
      super("over budget", null);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
      return this;
    }
  }

  private static final class Counter extends OutputStream {
    private final long budget;
    long count;

    Counter(long budget) {
      this.budget = budget;
    }

    @Override
    public void write(int b) throws IOException {
      add(1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      add(length);
    }

    private void add(long bytes) throws OverBudget {
      count += bytes;
      if (count > budget) {
        throw new OverBudget();
      }
    }
  }
}
