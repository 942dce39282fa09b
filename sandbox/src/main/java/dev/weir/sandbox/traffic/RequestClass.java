package dev.weir.sandbox.traffic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A share of an entry's requests that look alike to routers: the same path, headers and cookies.
 *
 * @param share between 0 and 1
 * @param request what those requests carry
 */
public record RequestClass(double share, SimulatedRequest request) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The classes of an entry from its {@code sandbox.weir.dev/request-classes} annotation — a JSON
   * list of {@code {"share":0.1,"path":"/","headers":{…},"cookies":{…}}} — plus the plain rest.
   * Without the annotation (null), every request is plain. A value that cannot be read is reported
   * to {@code problems} and ignored.
   */
  public static List<RequestClass> parse(String annotation, Consumer<String> problems) {
    List<RequestClass> classes = new ArrayList<>();
    double rest = 1;
    if (annotation != null) {
      try {
        JsonNode list = JSON.readTree(annotation);
        if (!list.isArray()) {
          throw new IllegalArgumentException("not a JSON list");
        }
        for (JsonNode item : list) {
          double share = item.path("share").asDouble(-1);
          if (share < 0 || share > rest + 1e-9) {
            throw new IllegalArgumentException(
                "shares must be between 0 and 1 and add up to at most 1");
          }
          rest -= share;
          classes.add(
              new RequestClass(
                  share,
                  new SimulatedRequest(
                      item.path("path").asText("/"),
                      strings(item.path("headers")),
                      strings(item.path("cookies")))));
        }
      } catch (Exception e) {
        problems.accept(
            "sandbox.weir.dev/request-classes: "
                + e.getMessage().lines().findFirst().orElse("unreadable")
                + "; every request is plain");
        classes.clear();
        rest = 1;
      }
    }
    if (rest > 1e-9) {
      classes.add(new RequestClass(rest, SimulatedRequest.plain()));
    }
    return List.copyOf(classes);
  }

  private static Map<String, String> strings(JsonNode map) {
    Map<String, String> result = new LinkedHashMap<>();
    map.properties().forEach(e -> result.put(e.getKey(), e.getValue().asText()));
    return result;
  }
}
