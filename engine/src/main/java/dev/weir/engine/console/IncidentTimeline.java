package dev.weir.engine.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An incident's timeline as {@code weir events} prints it, and as a console copies it for a
 * postmortem: the events of a window ({@link Console#timeline}), oldest first, as text lines, as
 * Markdown (a title, a table of time, application, what and who, then the commits and the
 * rollback) or as JSON. Times are UTC. Immutable; pure.
 *
 * @param application the application asked for, empty for all
 * @param from the window's start
 * @param to the window's end (the engine clock's now)
 * @param events the events in the window, oldest first
 */
public record IncidentTimeline(
    Optional<String> application, Instant from, Instant to, List<ConsoleEvent> events) {

  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter MINUTE =
      DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);
  private static final ObjectWriter JSON =
      new ObjectMapper()
          .writer(new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter("  ", "\n")));

  public IncidentTimeline {
    Objects.requireNonNull(application, "application");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    events = List.copyOf(events);
  }

  /** One line per event: {@code 10:02:00  storefront  commit 3f2a1c9 storefront 2.4.1  (alice)}. */
  public String text() {
    int width =
        Math.max(11, events.stream().mapToInt(e -> e.application().length()).max().orElse(0));
    StringBuilder out = new StringBuilder();
    for (ConsoleEvent event : events) {
      out.append(String.format("%s  %-" + width + "s %s%s%n",
          time(event.at()),
          event.application().isEmpty() ? "-" : event.application(),
          event.message(),
          event.who().isEmpty() ? "" : "  (" + event.who() + ")"));
    }
    if (events.isEmpty()) {
      out.append("no events between ").append(from).append(" and ").append(to).append('\n');
    }
    return out.toString();
  }

  /**
   * Ready to paste into a postmortem: {@code # Incident timeline: storefront, 2026-01-01 09:30–10:30
   * UTC}, a table of every event (time, application, what, who), the commits of the window, and
   * the rollback (rollouts rolled back or aborted, and rollbacks through Git).
   */
  public String markdown() {
    StringBuilder out = new StringBuilder();
    out.append("# Incident timeline: ")
        .append(application.orElse("all applications"))
        .append(", ")
        .append(DAY.format(from))
        .append(' ')
        .append(MINUTE.format(from))
        .append("–")
        .append(DAY.format(from).equals(DAY.format(to)) ? "" : DAY.format(to) + " ")
        .append(MINUTE.format(to))
        .append(" UTC\n\n");
    if (events.isEmpty()) {
      out.append("No events recorded in this window.\n");
      return out.toString();
    }
    out.append("| time (UTC) | application | what | who |\n");
    out.append("|---|---|---|---|\n");
    for (ConsoleEvent event : events) {
      out.append("| ")
          .append(time(event.at()))
          .append(" | ")
          .append(cell(event.application()))
          .append(" | ")
          .append(cell(event.message()))
          .append(" | ")
          .append(cell(event.who()))
          .append(" |\n");
    }
    out.append("\n## Commits\n\n");
    List<ConsoleEvent> commits = ofKind(ConsoleEvent.Kind.GIT_COMMIT);
    if (commits.isEmpty()) {
      out.append("None in this window.\n");
    }
    for (ConsoleEvent commit : commits) {
      String revision = commit.values().getOrDefault("revision", "");
      String subject = commit.message().replaceFirst("^commit \\S+ ", "");
      out.append("- `")
          .append(revision.substring(0, Math.min(7, revision.length())))
          .append("` ")
          .append(escape(subject))
          .append(" — ")
          .append(escape(commit.who()))
          .append(", ")
          .append(time(commit.at()))
          .append(" (")
          .append(commit.application())
          .append(")\n");
    }
    out.append("\n## Rollback\n\n");
    List<ConsoleEvent> rollbacks = rollbacks();
    if (rollbacks.isEmpty()) {
      out.append("None in this window.\n");
    }
    for (ConsoleEvent event : rollbacks) {
      out.append("- ")
          .append(time(event.at()))
          .append(' ')
          .append(event.application())
          .append(": ")
          .append(escape(event.message()))
          .append(event.who().isEmpty() ? "" : " (" + escape(event.who()) + ")")
          .append('\n');
    }
    return out.toString();
  }

  /**
   * {@code {"application", "from", "to", "events": [{at, application, kind, severity, who, what,
   * values}]}}.
   */
  public String json() {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("application", application.orElse(null));
    root.put("from", from.toString());
    root.put("to", to.toString());
    List<Object> list = new ArrayList<>();
    for (ConsoleEvent event : events) {
      Map<String, Object> one = new LinkedHashMap<>();
      one.put("at", event.at().toString());
      one.put("application", event.application());
      one.put("kind", event.kind().name());
      one.put("severity", event.severity().name());
      one.put("who", event.who());
      one.put("what", event.message());
      one.put("values", event.values());
      list.add(one);
    }
    root.put("events", list);
    try {
      return JSON.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The rollouts rolled back or aborted, and the rollbacks through Git, oldest first. */
  public List<ConsoleEvent> rollbacks() {
    return events.stream()
        .filter(
            e ->
                (e.kind() == ConsoleEvent.Kind.ROLLOUT
                        && List.of("ROLLED_BACK", "ABORTED")
                            .contains(e.values().getOrDefault("reason", "")))
                    || (e.kind() == ConsoleEvent.Kind.COMMAND
                        && e.message().startsWith("rollback ")))
        .toList();
  }

  private List<ConsoleEvent> ofKind(ConsoleEvent.Kind kind) {
    return events.stream().filter(e -> e.kind() == kind).toList();
  }

  private String time(Instant at) {
    return DAY.format(from).equals(DAY.format(to)) ? TIME.format(at) : DAY.format(at) + " " + TIME.format(at);
  }

  private static String cell(String text) {
    return escape(text).replace("|", "\\|");
  }

  private static String escape(String text) {
    return text.replace('\n', ' ').replace("\r", "");
  }
}
