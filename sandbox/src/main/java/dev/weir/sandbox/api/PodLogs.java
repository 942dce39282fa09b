package dev.weir.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code GET …/pods/NAME/log}: picks the container as the API server and kubelet do (the one named
 * by {@code container}, or the only one), refuses a container that has not started with the
 * kubelet's 400, reads the lines from the {@link PodLogSource} and applies {@code sinceSeconds},
 * {@code sinceTime}, {@code tailLines}, {@code timestamps} and {@code limitBytes}. {@code follow}
 * answers what is there and ends.
 *
 * <p>Stateless; thread-safe.
 */
final class PodLogs {
  private static final DateTimeFormatter NANOS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'", Locale.ROOT)
          .withZone(ZoneOffset.UTC);

  private PodLogs() {}

  static byte[] read(
      ObjectStore store,
      PodLogSource source,
      KindInfo kind,
      String namespace,
      String name,
      Map<String, String> query,
      Instant now) {
    StoredObject stored = store.get(kind, namespace == null ? "" : namespace, name);
    if (stored == null) {
      throw StatusException.notFound(kind, name);
    }
    ObjectNode pod = stored.tree();
    List<String> containers = new ArrayList<>();
    pod.path("spec").path("containers").forEach(c -> containers.add(c.path("name").asText()));
    String container = query.getOrDefault("container", "");
    if (container.isEmpty()) {
      if (containers.size() != 1) {
        throw StatusException.badRequest(
            "a container name must be specified for pod "
                + name
                + ", choose one of: "
                + containers.toString().replace(",", ""));
      }
      container = containers.get(0);
    } else if (!containers.contains(container)) {
      throw StatusException.badRequest("container " + container + " is not valid for pod " + name);
    }
    boolean previous = isTrue(query.get("previous"));
    JsonNode status = containerStatus(pod, container);
    boolean ranBefore = status.path("lastState").has("terminated");
    if (previous && !ranBefore) {
      throw StatusException.badRequest(
          "previous terminated container \"" + container + "\" in pod \"" + name + "\" not found");
    }
    JsonNode waiting = status.path("state").path("waiting");
    if (!previous && (status.isMissingNode() || (!waiting.isMissingNode() && !ranBefore))) {
      throw StatusException.badRequest(
          "container \""
              + container
              + "\" in pod \""
              + name
              + "\" is waiting to start: "
              + waiting.path("reason").asText("ContainerCreating"));
    }

    List<PodLogSource.Line> lines = new ArrayList<>(source.log(pod, container, previous));
    Instant since = since(query, now);
    if (since != null) {
      lines.removeIf(line -> line.at().isBefore(since));
    }
    long tail = number(query.get("tailLines"), "tailLines");
    if (tail >= 0 && tail < lines.size()) {
      lines = lines.subList(lines.size() - (int) tail, lines.size());
    }
    boolean timestamps = isTrue(query.get("timestamps"));
    StringBuilder text = new StringBuilder();
    for (PodLogSource.Line line : lines) {
      if (timestamps) {
        text.append(NANOS.format(line.at())).append(' ');
      }
      text.append(line.text()).append('\n');
    }
    byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
    long limit = number(query.get("limitBytes"), "limitBytes");
    if (limit >= 0 && limit < bytes.length) {
      bytes = java.util.Arrays.copyOf(bytes, (int) limit);
    }
    return bytes;
  }

  private static JsonNode containerStatus(ObjectNode pod, String container) {
    for (JsonNode status : pod.path("status").path("containerStatuses")) {
      if (status.path("name").asText().equals(container)) {
        return status;
      }
    }
    return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
  }

  private static Instant since(Map<String, String> query, Instant now) {
    long seconds = number(query.get("sinceSeconds"), "sinceSeconds");
    if (seconds > 0) {
      return now.minusSeconds(seconds);
    }
    String time = query.get("sinceTime");
    if (time == null || time.isEmpty()) {
      return null;
    }
    try {
      return Instant.parse(time);
    } catch (DateTimeParseException e) {
      throw StatusException.badRequest(
          "sinceTime: Invalid value: \"" + time + "\": must be an RFC 3339 time");
    }
  }

  /** A non-negative number parameter, or -1 when absent. */
  private static long number(String value, String name) {
    if (value == null || value.isEmpty()) {
      return -1;
    }
    try {
      long parsed = Long.parseLong(value);
      if (parsed < 0) {
        throw StatusException.badRequest(
            name + ": Invalid value: " + value + ": must be greater than or equal to 0");
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw StatusException.badRequest(
          name + ": Invalid value: \"" + value + "\": must be an integer");
    }
  }

  private static boolean isTrue(String value) {
    return value != null && (value.equals("true") || value.equals("1"));
  }
}
