package dev.weir.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The API server's service proxy, {@code /api/v1/namespaces/NS/services/[SCHEME:]NAME[:PORT]/proxy/
 * PATH}, as kube-apiserver serves it: the caller is authorised for the {@code services/proxy}
 * subresource (verb from the method: {@code get} for GET), the Service must exist and the port (its
 * name or number; may be left out when the Service has one port) must be one of its ports. Then the
 * request goes to the {@link ServiceBackend} registered for that Service port; a Service with none
 * has no endpoints to the proxy, and the answer is kube-apiserver's 503 {@code no endpoints
 * available for service "NAME"}.
 *
 * <p>Thread-safe.
 */
final class ServiceProxy {
  private static final int MAX_BODY = 16 * 1024 * 1024;

  private final KindRegistry registry;
  private final ObjectStore store;
  private final Map<String, ServiceBackend> backends = new ConcurrentHashMap<>();

  ServiceProxy(KindRegistry registry, ObjectStore store) {
    this.registry = registry;
    this.store = store;
  }

  /** Serves {@code backend} behind port {@code port} of Service {@code namespace/name}. */
  void register(String namespace, String name, int port, ServiceBackend backend) {
    backends.put(namespace + "/" + name + ":" + port, backend);
  }

  /** Whether {@code segments} (decoded) name the proxy of a Service. */
  static boolean matches(List<String> segments) {
    return segments.size() >= 7
        && segments.get(0).equals("api")
        && segments.get(1).equals("v1")
        && segments.get(2).equals("namespaces")
        && segments.get(4).equals("services")
        && segments.get(6).equals("proxy");
  }

  void serve(HttpExchange exchange, Authenticator.User user, List<String> segments)
      throws IOException {
    String method = exchange.getRequestMethod();
    String namespace = segments.get(3);
    String target = segments.get(5);
    KindInfo services =
        registry
            .byKind("v1", "Service")
            .orElseThrow(
                () -> new StatusException(StatusException.Reason.NOT_FOUND, "no Services"));
    // [scheme:]name[:port]
    String[] parts = target.split(":", -1);
    String name;
    String port;
    if (parts.length == 3) {
      name = parts[1];
      port = parts[2];
    } else if (parts.length == 2) {
      name = parts[0];
      port = parts[1];
    } else {
      name = parts[0];
      port = "";
    }
    String verb =
        switch (method) {
          case "GET", "HEAD" -> "get";
          case "POST" -> "create";
          case "PUT" -> "update";
          case "PATCH" -> "patch";
          case "DELETE" -> "delete";
          default -> null;
        };
    if (verb == null) {
      throw new StatusException(
          StatusException.Reason.METHOD_NOT_ALLOWED,
          "the server does not allow this method on the requested resource");
    }
    Authenticator.authorize(user, verb, services, "proxy", namespace, name);
    StoredObject stored = store.get(services, namespace, name);
    if (stored == null) {
      throw StatusException.notFound(services, name);
    }
    Integer number = port(stored.tree(), port);
    ServiceBackend backend =
        number == null ? null : backends.get(namespace + "/" + name + ":" + number);
    if (backend == null) {
      unavailable(exchange, name);
      return;
    }
    String raw = exchange.getRequestURI().getRawPath();
    int at = raw.indexOf("/proxy", raw.indexOf("/services/"));
    String path = raw.substring(at + "/proxy".length());
    if (path.isEmpty()) {
      path = "/";
    }
    String query = exchange.getRequestURI().getRawQuery();
    String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readNBytes(MAX_BODY + 1);
    }
    if (body.length > MAX_BODY) {
      throw StatusException.badRequest("the request body is too large");
    }
    ServiceBackend.Response response =
        backend.serve(
            new ServiceBackend.Request(
                method,
                path,
                query == null ? "" : query,
                contentType == null ? "" : contentType,
                body));
    exchange.getResponseHeaders().set("Content-Type", response.contentType());
    if (method.equals("HEAD") || response.body().length == 0) {
      exchange.sendResponseHeaders(response.status(), -1);
      return;
    }
    exchange.sendResponseHeaders(response.status(), response.body().length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(response.body());
    }
  }

  /** The number of the Service's port named or numbered {@code port}; null when none is. */
  private static Integer port(ObjectNode service, String port) {
    JsonNode ports = service.path("spec").path("ports");
    if (port.isEmpty()) {
      return ports.size() == 1 && ports.get(0).path("port").isInt()
          ? ports.get(0).path("port").asInt()
          : null;
    }
    for (JsonNode entry : ports) {
      if (port.equals(entry.path("name").asText(null))
          || port.equals(entry.path("port").asText(null))) {
        return entry.path("port").asInt();
      }
    }
    return null;
  }

  /** kube-apiserver's answer when a Service has no ready endpoint behind the port. */
  private static void unavailable(HttpExchange exchange, String name) throws IOException {
    ObjectNode status = Json.MAPPER.createObjectNode();
    status.put("kind", "Status");
    status.put("apiVersion", "v1");
    status.putObject("metadata");
    status.put("status", "Failure");
    status.put("message", "no endpoints available for service \"" + name + "\"");
    status.put("reason", "ServiceUnavailable");
    status.put("code", 503);
    byte[] body = Json.bytes(status);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(503, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}
