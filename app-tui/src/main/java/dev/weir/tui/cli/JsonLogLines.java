package dev.weir.tui.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.engine.console.ConsoleEvent;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code --log-format json}: every log line as one JSON object ({@code time}, {@code level},
 * {@code logger} or {@code application}/{@code kind}/{@code who}, {@code message}), as log
 * collectors in a cluster (Loki, Elasticsearch, Cloud Logging) take them.
 *
 * <p>Design note. The engine logs through slf4j-simple, whose line layout is fixed; rather than a
 * second logging back end, the lines slf4j-simple writes to stderr (configured to {@code LEVEL
 * logger - message}) are turned into objects as they are written: {@link #wrap} puts a stream in
 * front of stderr that does so line by line. A line of anything else (a stack trace's) becomes an
 * object of its own with the level of the line before it. The console's events, printed by {@code
 * weir reconcile}, become objects directly ({@link #event}).
 */
final class JsonLogLines {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern SIMPLE =
      Pattern.compile("^(TRACE|DEBUG|INFO|WARN|ERROR) (\\S+) - (.*)$", Pattern.DOTALL);

  private JsonLogLines() {}

  /** Tells slf4j-simple to write {@code LEVEL logger - message}; call before the first logger. */
  static void configureSimpleLogger() {
    System.setProperty("org.slf4j.simpleLogger.showDateTime", "false");
    System.setProperty("org.slf4j.simpleLogger.showThreadName", "false");
    System.setProperty("org.slf4j.simpleLogger.showLogName", "true");
    System.setProperty("org.slf4j.simpleLogger.levelInBrackets", "false");
  }

  /** One console event as a JSON object on one line. */
  static String event(ConsoleEvent event) {
    ObjectNode node = JSON.createObjectNode();
    node.put("time", event.at().toString());
    node.put("level", event.severity().name());
    node.put("kind", event.kind().name());
    if (!event.application().isEmpty()) {
      node.put("application", event.application());
    }
    if (!event.who().isEmpty()) {
      node.put("who", event.who());
    }
    node.put("message", event.message());
    return node.toString();
  }

  /** One line of text (not from a logger) as a JSON object. */
  static String line(String level, String message, Clock clock) {
    ObjectNode node = JSON.createObjectNode();
    node.put("time", clock.instant().toString());
    node.put("level", level);
    node.put("message", message);
    return node.toString();
  }

  /** A stream that writes every line written to it to {@code target} as a JSON object. */
  static PrintStream wrap(PrintStream target, Clock clock) {
    return new PrintStream(new LineObjects(target, clock), true, StandardCharsets.UTF_8);
  }

  private static final class LineObjects extends OutputStream {
    private final PrintStream target;
    private final Clock clock;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private String lastLevel = "INFO";

    LineObjects(PrintStream target, Clock clock) {
      this.target = target;
      this.clock = clock;
    }

    @Override
    public synchronized void write(int b) {
      if (b == '\n') {
        emit();
      } else if (b != '\r') {
        line.write(b);
      }
    }

    @Override
    public synchronized void flush() {
      target.flush();
    }

    private void emit() {
      String text = line.toString(StandardCharsets.UTF_8);
      line.reset();
      if (text.isBlank()) {
        return;
      }
      ObjectNode node = JSON.createObjectNode();
      node.put("time", clock.instant().toString());
      Matcher m = SIMPLE.matcher(text);
      if (m.matches()) {
        lastLevel = m.group(1);
        node.put("level", lastLevel);
        node.put("logger", m.group(2));
        node.put("message", m.group(3));
      } else {
        node.put("level", lastLevel);
        node.put("message", text);
      }
      target.println(node.toString());
      target.flush();
    }
  }
}
