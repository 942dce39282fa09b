package dev.weir.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.engine.time.EngineClock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Server-side printing: {@code meta.k8s.io/v1 Table} responses for clients that ask for them
 * ({@code Accept: application/json;as=Table;v=v1;g=meta.k8s.io}, as {@code kubectl get} does), with
 * the columns a real server prints for the sandbox's kinds (Deployment {@code READY}, {@code
 * UP-TO-DATE}, {@code AVAILABLE}; Service {@code TYPE}, {@code CLUSTER-IP}, {@code PORT(S)}; Pod
 * {@code READY}, {@code STATUS}, {@code RESTARTS} …), {@code NAME} and {@code AGE} for the rest.
 * Ages are measured on the {@link EngineClock} and formatted like kubectl's.
 *
 * <p>Stateless apart from the clock; thread-safe.
 */
final class TableConverter {
  private record Column(String name, String type, int priority, Function<JsonNode, Object> cell) {}

  private final EngineClock clock;

  TableConverter(EngineClock clock) {
    this.clock = clock;
  }

  /** Whether an {@code Accept} header asks for a Table. */
  static boolean wanted(String accept) {
    return accept != null && accept.contains("as=Table") && accept.contains("g=meta.k8s.io");
  }

  /** A Table of {@code objects}; {@code metadata} is the list metadata to carry over. */
  ObjectNode table(KindInfo kind, List<ObjectNode> objects, ObjectNode metadata) {
    List<Column> columns = columns(kind);
    ObjectNode table = Json.MAPPER.createObjectNode();
    table.put("kind", "Table");
    table.put("apiVersion", "meta.k8s.io/v1");
    table.set("metadata", metadata == null ? Json.MAPPER.createObjectNode() : metadata);
    ArrayNode definitions = table.putArray("columnDefinitions");
    for (Column column : columns) {
      ObjectNode definition = definitions.addObject();
      definition.put("name", column.name());
      definition.put("type", column.type());
      definition.put("format", column.name().equals("Name") ? "name" : "");
      definition.put("description", "");
      definition.put("priority", column.priority());
    }
    ArrayNode rows = table.putArray("rows");
    for (ObjectNode object : objects) {
      ObjectNode row = rows.addObject();
      ArrayNode cells = row.putArray("cells");
      for (Column column : columns) {
        Object value = column.cell().apply(object);
        if (value instanceof Number number) {
          cells.add(number.longValue());
        } else {
          cells.add(String.valueOf(value));
        }
      }
      ObjectNode partial = row.putObject("object");
      partial.put("kind", "PartialObjectMetadata");
      partial.put("apiVersion", "meta.k8s.io/v1");
      ObjectNode meta = object.path("metadata").deepCopy();
      meta.remove("managedFields");
      partial.set("metadata", meta);
    }
    return table;
  }

  private List<Column> columns(KindInfo kind) {
    List<Column> columns = new ArrayList<>();
    columns.add(new Column("Name", "string", 0, o -> o.path("metadata").path("name").asText()));
    Column age = new Column("Age", "string", 0, o -> age(o.path("metadata").path("creationTimestamp").asText("")));
    String key = kind.group() + "/" + kind.kind();
    switch (key) {
      case "apps/Deployment" -> {
        columns.add(text("Ready", o -> count(o, "status", "readyReplicas") + "/" + count(o, "spec", "replicas")));
        columns.add(number("Up-to-date", o -> count(o, "status", "updatedReplicas")));
        columns.add(number("Available", o -> count(o, "status", "availableReplicas")));
        columns.add(age);
        addWorkloadWide(columns);
      }
      case "apps/ReplicaSet" -> {
        columns.add(number("Desired", o -> count(o, "spec", "replicas")));
        columns.add(number("Current", o -> count(o, "status", "replicas")));
        columns.add(number("Ready", o -> count(o, "status", "readyReplicas")));
        columns.add(age);
        addWorkloadWide(columns);
      }
      case "apps/StatefulSet" -> {
        columns.add(text("Ready", o -> count(o, "status", "readyReplicas") + "/" + count(o, "spec", "replicas")));
        columns.add(age);
        addWorkloadWide(columns);
      }
      case "apps/DaemonSet" -> {
        columns.add(number("Desired", o -> count(o, "status", "desiredNumberScheduled")));
        columns.add(number("Current", o -> count(o, "status", "currentNumberScheduled")));
        columns.add(number("Ready", o -> count(o, "status", "numberReady")));
        columns.add(number("Up-to-date", o -> count(o, "status", "updatedNumberScheduled")));
        columns.add(number("Available", o -> count(o, "status", "numberAvailable")));
        columns.add(age);
      }
      case "/Pod" -> {
        columns.add(text("Ready", TableConverter::podReady));
        columns.add(text("Status", o -> orNone(o.path("status").path("phase").asText("Pending"))));
        columns.add(number("Restarts", TableConverter::podRestarts));
        columns.add(age);
        columns.add(new Column("IP", "string", 1, o -> orNone(o.path("status").path("podIP").asText(""))));
        columns.add(new Column("Node", "string", 1, o -> orNone(o.path("spec").path("nodeName").asText(""))));
      }
      case "/Service" -> {
        columns.add(text("Type", o -> o.path("spec").path("type").asText("ClusterIP")));
        columns.add(text("Cluster-IP", o -> orNone(o.path("spec").path("clusterIP").asText(""))));
        columns.add(text("External-IP", TableConverter::externalIps));
        columns.add(text("Port(s)", TableConverter::servicePorts));
        columns.add(age);
        columns.add(new Column("Selector", "string", 1, o -> selector(o.path("spec").path("selector"))));
      }
      case "/ConfigMap" -> {
        columns.add(number("Data", o -> o.path("data").size() + o.path("binaryData").size()));
        columns.add(age);
      }
      case "/Secret" -> {
        columns.add(text("Type", o -> o.path("type").asText("Opaque")));
        columns.add(number("Data", o -> o.path("data").size()));
        columns.add(age);
      }
      case "/Namespace" -> {
        columns.add(text("Status", o -> o.path("status").path("phase").asText("Active")));
        columns.add(age);
      }
      case "/Event" -> {
        columns.clear();
        columns.add(text("Last Seen", o -> age(o.path("lastTimestamp").asText(o.path("eventTime").asText("")))));
        columns.add(text("Type", o -> o.path("type").asText("")));
        columns.add(text("Reason", o -> o.path("reason").asText("")));
        columns.add(
            text(
                "Object",
                o -> o.path("involvedObject").path("kind").asText("").toLowerCase(java.util.Locale.ROOT)
                    + "/" + o.path("involvedObject").path("name").asText("")));
        columns.add(text("Message", o -> o.path("message").asText("")));
        columns.add(new Column("Name", "string", 1, o -> o.path("metadata").path("name").asText()));
      }
      case "batch/Job" -> {
        columns.add(
            text(
                "Completions",
                o -> count(o, "status", "succeeded") + "/" + o.path("spec").path("completions").asInt(1)));
        columns.add(age);
      }
      case "coordination.k8s.io/Lease" -> {
        columns.add(text("Holder", o -> o.path("spec").path("holderIdentity").asText("")));
        columns.add(age);
      }
      case "networking.k8s.io/Ingress" -> {
        columns.add(text("Class", o -> orNone(o.path("spec").path("ingressClassName").asText(""))));
        columns.add(text("Hosts", TableConverter::ingressHosts));
        columns.add(age);
      }
      default -> columns.add(age);
    }
    return columns;
  }

  private static void addWorkloadWide(List<Column> columns) {
    columns.add(new Column("Containers", "string", 1, o -> containers(o, "name")));
    columns.add(new Column("Images", "string", 1, o -> containers(o, "image")));
    columns.add(new Column("Selector", "string", 1, o -> selector(o.path("spec").path("selector").path("matchLabels"))));
  }

  private static Column text(String name, Function<JsonNode, Object> cell) {
    return new Column(name, "string", 0, cell);
  }

  private static Column number(String name, Function<JsonNode, Object> cell) {
    return new Column(name, "integer", 0, cell);
  }

  private static int count(JsonNode object, String part, String field) {
    return object.path(part).path(field).asInt(0);
  }

  private static String orNone(String value) {
    return value.isEmpty() ? "<none>" : value;
  }

  private static String containers(JsonNode object, String field) {
    List<String> values = new ArrayList<>();
    for (JsonNode container : object.path("spec").path("template").path("spec").path("containers")) {
      values.add(container.path(field).asText(""));
    }
    return String.join(",", values);
  }

  private static String selector(JsonNode labels) {
    List<String> terms = new ArrayList<>();
    for (Map.Entry<String, JsonNode> label : labels.properties()) {
      terms.add(label.getKey() + "=" + label.getValue().asText());
    }
    return terms.isEmpty() ? "<none>" : String.join(",", terms);
  }

  private static String podReady(JsonNode pod) {
    int total = pod.path("spec").path("containers").size();
    int ready = 0;
    for (JsonNode status : pod.path("status").path("containerStatuses")) {
      if (status.path("ready").asBoolean(false)) {
        ready++;
      }
    }
    return ready + "/" + total;
  }

  private static int podRestarts(JsonNode pod) {
    int restarts = 0;
    for (JsonNode status : pod.path("status").path("containerStatuses")) {
      restarts += status.path("restartCount").asInt(0);
    }
    return restarts;
  }

  private static String externalIps(JsonNode service) {
    List<String> ips = new ArrayList<>();
    service.path("spec").path("externalIPs").forEach(ip -> ips.add(ip.asText()));
    for (JsonNode ingress : service.path("status").path("loadBalancer").path("ingress")) {
      ips.add(ingress.path("ip").asText(ingress.path("hostname").asText("")));
    }
    if (ips.isEmpty()) {
      return service.path("spec").path("type").asText("").equals("LoadBalancer") ? "<pending>" : "<none>";
    }
    return String.join(",", ips);
  }

  private static String servicePorts(JsonNode service) {
    List<String> ports = new ArrayList<>();
    for (JsonNode port : service.path("spec").path("ports")) {
      String text = port.path("port").asText();
      if (port.has("nodePort")) {
        text += ":" + port.path("nodePort").asText();
      }
      ports.add(text + "/" + port.path("protocol").asText("TCP"));
    }
    return ports.isEmpty() ? "<none>" : String.join(",", ports);
  }

  private static String ingressHosts(JsonNode ingress) {
    List<String> hosts = new ArrayList<>();
    for (JsonNode rule : ingress.path("spec").path("rules")) {
      hosts.add(rule.path("host").asText("*"));
    }
    return hosts.isEmpty() ? "*" : String.join(",", hosts);
  }

  private String age(String timestamp) {
    if (timestamp.isEmpty()) {
      return "<unknown>";
    }
    try {
      return humanDuration(Duration.between(Instant.parse(timestamp), clock.instant()));
    } catch (DateTimeParseException e) {
      return "<unknown>";
    }
  }

  /** kubectl's {@code duration.HumanDuration}: {@code 45s}, {@code 3m12s}, {@code 5h}, {@code 12d} … */
  static String humanDuration(Duration duration) {
    long seconds = duration.getSeconds();
    if (seconds < -1) {
      return "<invalid>";
    }
    if (seconds < 0) {
      return "0s";
    }
    if (seconds < 60 * 2) {
      return seconds + "s";
    }
    long minutes = seconds / 60;
    if (minutes < 10) {
      long rest = seconds % 60;
      return rest == 0 ? minutes + "m" : minutes + "m" + rest + "s";
    }
    if (minutes < 60 * 3) {
      return minutes + "m";
    }
    long hours = minutes / 60;
    if (hours < 8) {
      long rest = minutes % 60;
      return rest == 0 ? hours + "h" : hours + "h" + rest + "m";
    }
    if (hours < 48) {
      return hours + "h";
    }
    if (hours < 24 * 8) {
      long rest = hours % 24;
      return rest == 0 ? hours / 24 + "d" : hours / 24 + "d" + rest + "h";
    }
    if (hours < 24 * 365 * 2) {
      return hours / 24 + "d";
    }
    if (hours < 24 * 365 * 8) {
      long days = hours / 24 % 365;
      return days == 0 ? hours / 24 / 365 + "y" : hours / 24 / 365 + "y" + days + "d";
    }
    return hours / 24 / 365 + "y";
  }
}
