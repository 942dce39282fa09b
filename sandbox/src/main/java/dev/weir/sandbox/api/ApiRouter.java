package dev.weir.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpsExchange;
import dev.weir.engine.time.EngineClock;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes HTTP requests to discovery, the {@link ResourceHandler} verbs and watch streams, after
 * authenticating the caller (client certificate or bearer token) and authorising the verb. Every
 * refusal is written as a {@code Status} object with its HTTP code.
 *
 * <p>URL shapes: {@code /api/v1/[namespaces/NS/]PLURAL[/NAME[/status]]} and {@code
 * /apis/GROUP/VERSION/[namespaces/NS/]PLURAL[/NAME[/status]]}; {@code /version}, {@code /healthz},
 * {@code /livez} and {@code /readyz} need no token. {@code /openapi/v3} serves the minimal
 * documents of {@link OpenApiDocuments}; {@code /openapi/v2} answers 404. {@code
 * /api/v1/namespaces/NS/services/NAME:PORT/proxy/…} is the {@link ServiceProxy}.
 *
 * <p>Thread-safe: one instance serves every exchange concurrently; a watch occupies its (virtual)
 * thread until it ends.
 */
final class ApiRouter implements HttpHandler {
  private static final Logger LOG = LoggerFactory.getLogger(ApiRouter.class);
  private static final int MAX_BODY = 16 * 1024 * 1024;
  private static final Duration DEFAULT_WATCH_TIMEOUT = Duration.ofMinutes(30);
  private static final byte[] NEWLINE = {'\n'};

  private final KindRegistry registry;
  private final ObjectStore store;
  private final ResourceHandler resources;
  private final Discovery discovery;
  private final OpenApiDocuments openApi;
  private final TableConverter tables;
  private final Authenticator authenticator;
  private final EngineClock clock;
  private final Duration bookmarkInterval;
  private final Supplier<String> serverAddress;
  private volatile PodLogSource logs;
  private final ServiceProxy services;

  ApiRouter(
      KindRegistry registry,
      ObjectStore store,
      ResourceHandler resources,
      Authenticator authenticator,
      EngineClock clock,
      Duration bookmarkInterval,
      Supplier<String> serverAddress) {
    this.registry = registry;
    this.store = store;
    this.resources = resources;
    this.discovery = new Discovery(registry);
    this.openApi = new OpenApiDocuments(registry);
    this.tables = new TableConverter(clock);
    this.authenticator = authenticator;
    this.clock = clock;
    this.bookmarkInterval = bookmarkInterval;
    this.serverAddress = serverAddress;
    this.services = new ServiceProxy(registry, store);
  }

  /** The service proxy, {@code /api/v1/namespaces/NS/services/NAME:PORT/proxy/}. */
  ServiceProxy services() {
    return services;
  }

  /** Serves {@code pods/NAME/log} from {@code source} from now on. */
  void serveLogs(PodLogSource source) {
    this.logs = source;
  }

  /** A parsed resource URL. */
  private record Target(KindInfo kind, String namespace, String name, String subresource) {}

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      try {
        route(exchange);
      } catch (StatusException e) {
        LOG.debug(
            "{} {} -> {} {}",
            exchange.getRequestMethod(),
            exchange.getRequestURI().getRawPath(),
            e.code(),
            e.reason().wire());
        respond(exchange, e.code(), Json.bytes(e.toStatus()));
      } catch (IOException e) {
        LOG.debug(
            "{} {}: connection closed: {}",
            exchange.getRequestMethod(),
            exchange.getRequestURI().getRawPath(),
            e.getMessage());
      } catch (RuntimeException e) {
        LOG.warn(
            "{} {} failed", exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), e);
        StatusException error =
            new StatusException(
                StatusException.Reason.INTERNAL_ERROR,
                "internal error: " + e.getClass().getSimpleName());
        respondQuietly(exchange, error);
      }
    }
  }

  private void route(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    List<String> segments = segments(exchange.getRequestURI().getRawPath());
    Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
    if (segments.size() == 1 && List.of("healthz", "livez", "readyz").contains(segments.get(0))) {
      respond(exchange, 200, "ok".getBytes(StandardCharsets.UTF_8), "text/plain; charset=utf-8");
      return;
    }
    if (segments.size() == 1 && segments.get(0).equals("version")) {
      respondJson(exchange, 200, discovery.version());
      return;
    }
    Authenticator.User user =
        authenticator
            .authenticate(
                peerCertificates(exchange), exchange.getRequestHeaders().getFirst("Authorization"))
            .orElseThrow(Authenticator::unauthorized);
    if (segments.isEmpty()) {
      throw notFound();
    }
    switch (segments.get(0)) {
      case "api" -> {
        if (segments.size() == 1) {
          requireGet(method);
          respondJson(exchange, 200, discovery.coreVersions(serverAddress.get()));
        } else if (!segments.get(1).equals("v1")) {
          throw notFound();
        } else if (segments.size() == 2) {
          requireGet(method);
          respondJson(exchange, 200, discovery.resources("", "v1"));
        } else if (ServiceProxy.matches(segments)) {
          services.serve(exchange, user, segments);
        } else {
          resource(exchange, user, query, target("", "v1", segments.subList(2, segments.size())));
        }
      }
      case "apis" -> {
        if (segments.size() == 1) {
          requireGet(method);
          respondJson(exchange, 200, discovery.groups());
        } else if (segments.size() == 2) {
          requireGet(method);
          respondJson(exchange, 200, orNotFound(discovery.group(segments.get(1))));
        } else if (segments.size() == 3) {
          requireGet(method);
          respondJson(
              exchange, 200, orNotFound(discovery.resources(segments.get(1), segments.get(2))));
        } else {
          resource(
              exchange,
              user,
              query,
              target(segments.get(1), segments.get(2), segments.subList(3, segments.size())));
        }
      }
      case "openapi" -> {
        requireGet(method);
        if (segments.size() == 2 && segments.get(1).equals("v3")) {
          respondJson(exchange, 200, openApi.root());
        } else if (segments.size() == 4
            && segments.get(1).equals("v3")
            && segments.get(2).equals("api")) {
          respondJson(exchange, 200, orNotFound(openApi.groupVersion("", segments.get(3))));
        } else if (segments.size() == 5
            && segments.get(1).equals("v3")
            && segments.get(2).equals("apis")) {
          respondJson(
              exchange, 200, orNotFound(openApi.groupVersion(segments.get(3), segments.get(4))));
        } else {
          throw notFound();
        }
      }
      default -> throw notFound();
    }
  }

  /** The client certificate chain the TLS handshake received; null over HTTP or when none. */
  /** The client certificate chain of an HTTPS request; null when none was presented. */
  static Certificate[] peerCertificates(HttpExchange exchange) {
    if (!(exchange instanceof HttpsExchange https) || https.getSSLSession() == null) {
      return null;
    }
    try {
      return https.getSSLSession().getPeerCertificates();
    } catch (SSLPeerUnverifiedException e) {
      return null; // no certificate presented
    }
  }

  private Target target(String group, String version, List<String> rest) {
    String namespace = null;
    List<String> remaining = rest;
    boolean namespaceSubresource =
        group.isEmpty()
            && rest.size() == 3
            && (rest.get(2).equals("status") || rest.get(2).equals("finalize"));
    if (rest.get(0).equals("namespaces") && rest.size() >= 3 && !namespaceSubresource) {
      namespace = rest.get(1);
      remaining = rest.subList(2, rest.size());
    }
    if (remaining.size() > 3) {
      throw notFound();
    }
    KindInfo kind =
        registry.byResource(group, version, remaining.get(0)).orElseThrow(ApiRouter::notFound);
    if (!kind.namespaced() && namespace != null) {
      throw notFound();
    }
    String name = remaining.size() > 1 ? remaining.get(1) : null;
    String subresource = remaining.size() > 2 ? remaining.get(2) : null;
    boolean known =
        subresource == null
            || (subresource.equals("status") && kind.statusSubresource())
            || (subresource.equals("scale") && ResourceHandler.hasScale(kind))
            || (subresource.equals("log") && isPod(kind) && logs != null);
    if (!known) {
      throw notFound();
    }
    return new Target(kind, namespace, name, subresource);
  }

  private void resource(
      HttpExchange exchange, Authenticator.User user, Map<String, String> query, Target target)
      throws IOException {
    String method = exchange.getRequestMethod();
    KindInfo kind = target.kind();
    boolean watch = isTrue(query.get("watch"));
    String verb =
        switch (method) {
          case "GET" -> watch ? "watch" : target.name() == null ? "list" : "get";
          case "POST" -> target.name() == null ? "create" : null;
          case "PUT" -> target.name() == null ? null : "update";
          case "PATCH" -> target.name() == null ? null : "patch";
          case "DELETE" -> target.name() == null ? "deletecollection" : "delete";
          default -> null;
        };
    boolean subresourceVerb =
        target.subresource() != null
            && (target.subresource().equals("log")
                ? verb != null && verb.equals("get")
                : List.of("get", "update", "patch").contains(verb));
    if (verb == null
        || (target.subresource() != null && !subresourceVerb)
        || (!subresourceVerb && !kind.allows(verb))) {
      throw new StatusException(
          StatusException.Reason.METHOD_NOT_ALLOWED,
          "the server does not allow this method on the requested resource");
    }
    Authenticator.authorize(
        user, verb, kind, target.subresource(), target.namespace(), target.name());
    requireJsonAccepted(exchange.getRequestHeaders().getFirst("Accept"));
    boolean status = "status".equals(target.subresource());
    String namespace = target.namespace();
    if ("log".equals(target.subresource())) {
      respond(
          exchange,
          200,
          PodLogs.read(store, logs, kind, namespace, target.name(), query, clock.instant()),
          "text/plain");
      return;
    }
    if ("scale".equals(target.subresource())) {
      String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
      ResourceHandler.Result result =
          switch (verb) {
            case "get" -> resources.getScale(kind, namespace, target.name());
            case "update" ->
                resources.writeScale(
                    kind,
                    namespace,
                    target.name(),
                    null,
                    "application/json",
                    readBody(exchange),
                    writeOptions(exchange, query));
            default ->
                resources.writeScale(
                    kind,
                    namespace,
                    target.name(),
                    ResourceHandler.PatchType.of(contentType),
                    contentType,
                    readBody(exchange),
                    writeOptions(exchange, query));
          };
      write(exchange, result);
      return;
    }
    switch (verb) {
      case "get" -> {
        ResourceHandler.Result result = resources.get(kind, namespace, target.name());
        if (wantsTable(exchange)) {
          ObjectNode object = Json.parseStored(result.body());
          ObjectNode metadata = Json.MAPPER.createObjectNode();
          metadata.put("resourceVersion", Json.meta(object, "resourceVersion"));
          respondTable(exchange, tables.table(kind, List.of(object), metadata));
        } else {
          write(exchange, result);
        }
      }
      case "list" -> {
        ResourceHandler.Result result =
            resources.list(
                kind,
                namespace,
                LabelSelector.parse(query.get("labelSelector")),
                FieldSelector.parse(query.get("fieldSelector"), kind),
                parseLong(query.get("limit"), "limit"),
                query.get("continue"));
        if (wantsTable(exchange)) {
          ObjectNode list = Json.parseStored(result.body());
          List<ObjectNode> items = new ArrayList<>();
          list.path("items").forEach(item -> items.add((ObjectNode) item));
          respondTable(exchange, tables.table(kind, items, (ObjectNode) list.get("metadata")));
        } else {
          write(exchange, result);
        }
      }
      case "watch" -> watch(exchange, target, query);
      case "create" ->
          write(
              exchange,
              resources.create(
                  kind, namespace, body(exchange, true), writeOptions(exchange, query)));
      case "update" ->
          write(
              exchange,
              resources.update(
                  kind,
                  namespace,
                  target.name(),
                  status,
                  body(exchange, true),
                  writeOptions(exchange, query)));
      case "patch" -> {
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        ResourceHandler.PatchType type = ResourceHandler.PatchType.of(contentType);
        write(
            exchange,
            resources.patch(
                kind,
                namespace,
                target.name(),
                status,
                type,
                contentType,
                readBody(exchange),
                writeOptions(exchange, query)));
      }
      case "delete" -> {
        byte[] raw = readBody(exchange);
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        JsonNode options =
            raw.length == 0
                ? null
                : RequestBodies.node(
                    ProtobufBodies.isProtobuf(contentType) ? contentType : "application/json", raw);
        write(
            exchange,
            resources.delete(
                kind,
                namespace,
                target.name(),
                options,
                query.get("propagationPolicy"),
                withBodyDryRun(writeOptions(exchange, query), options)));
      }
      case "deletecollection" ->
          write(
              exchange,
              resources.deleteCollection(
                  kind,
                  namespace,
                  LabelSelector.parse(query.get("labelSelector")),
                  FieldSelector.parse(query.get("fieldSelector"), kind),
                  writeOptions(exchange, query)));
      default -> throw new IllegalStateException("unrouted verb " + verb);
    }
  }

  /**
   * Streams watch events as newline-delimited JSON over a chunked response until the client goes,
   * {@code timeoutSeconds} pass on the engine clock, or the server closes. With {@code
   * allowWatchBookmarks=true} a BOOKMARK carrying the current resourceVersion is sent every
   * bookmark interval.
   */
  private void watch(HttpExchange exchange, Target target, Map<String, String> query)
      throws IOException {
    KindInfo kind = target.kind();
    LabelSelector labels = LabelSelector.parse(query.get("labelSelector"));
    FieldSelector fields = FieldSelector.parse(query.get("fieldSelector"), kind);
    String namespace = kind.namespaced() ? target.namespace() : null;
    Predicate<StoredObject> selected = ResourceHandler.selectorFilter(labels, fields);
    Predicate<StoredObject> filter =
        o ->
            (namespace == null || namespace.equals(o.namespace()))
                && (target.name() == null || target.name().equals(o.name()))
                && selected.test(o);
    String rv = query.getOrDefault("resourceVersion", "");
    Long from = rv.isEmpty() || rv.equals("0") ? null : parseLong(rv, "resourceVersion");
    long timeoutSeconds = parseLong(query.get("timeoutSeconds"), "timeoutSeconds");
    Duration timeout =
        timeoutSeconds > 0 ? Duration.ofSeconds(timeoutSeconds) : DEFAULT_WATCH_TIMEOUT;

    boolean table = wantsTable(exchange);
    ObjectStore.Watch watch = store.watch(kind, filter, from);
    EngineClock.Scheduled timer = clock.schedule(timeout, watch::close);
    EngineClock.Scheduled bookmarks =
        isTrue(query.get("allowWatchBookmarks"))
            ? clock.every(bookmarkInterval, watch::bookmark)
            : null;
    byte[] bookmarkHead =
        ("{\"type\":\"BOOKMARK\",\"object\":{\"kind\":\""
                + kind.kind()
                + "\",\"apiVersion\":\""
                + kind.apiVersion()
                + "\",\"metadata\":{\"resourceVersion\":\"")
            .getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.getResponseHeaders().set("Cache-Control", "no-cache, private");
    exchange.sendResponseHeaders(200, 0);
    try (OutputStream out = exchange.getResponseBody()) {
      out.flush();
      while (true) {
        ObjectStore.WatchItem item = watch.poll();
        if (item == null) {
          out.flush();
          item = watch.take();
        }
        switch (item) {
          case ObjectStore.EventItem event -> {
            out.write(eventHead(event.type()));
            if (table) {
              ObjectNode metadata = Json.MAPPER.createObjectNode();
              metadata.put("resourceVersion", Long.toString(event.object().resourceVersion()));
              out.write(Json.bytes(tables.table(kind, List.of(event.object().tree()), metadata)));
            } else {
              out.write(event.object().json());
            }
            out.write('}');
            out.write(NEWLINE);
          }
          case ObjectStore.BookmarkItem bookmark -> {
            out.write(bookmarkHead);
            out.write(Long.toString(bookmark.resourceVersion()).getBytes(StandardCharsets.UTF_8));
            out.write("\"}}}\n".getBytes(StandardCharsets.UTF_8));
          }
          case ObjectStore.EndItem end -> {
            if (end.error() != null) {
              ObjectNode error = Json.MAPPER.createObjectNode();
              error.put("type", "ERROR");
              error.set("object", end.error().toStatus());
              out.write(Json.bytes(error));
              out.write(NEWLINE);
            }
            out.flush();
            return;
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      timer.cancel();
      if (bookmarks != null) {
        bookmarks.cancel();
      }
      watch.close();
    }
  }

  private static final byte[] ADDED =
      "{\"type\":\"ADDED\",\"object\":".getBytes(StandardCharsets.UTF_8);
  private static final byte[] MODIFIED =
      "{\"type\":\"MODIFIED\",\"object\":".getBytes(StandardCharsets.UTF_8);
  private static final byte[] DELETED =
      "{\"type\":\"DELETED\",\"object\":".getBytes(StandardCharsets.UTF_8);

  private static byte[] eventHead(ObjectStore.EventType type) {
    return switch (type) {
      case ADDED -> ADDED;
      case MODIFIED -> MODIFIED;
      case DELETED -> DELETED;
    };
  }

  private ResourceHandler.WriteOptions writeOptions(
      HttpExchange exchange, Map<String, String> query) {
    String dryRun = query.getOrDefault("dryRun", "");
    if (!dryRun.isEmpty() && !dryRun.equals("All")) {
      throw StatusException.badRequest(
          "dryRun: Unsupported value: \"" + dryRun + "\": supported values: \"All\"");
    }
    String manager = query.get("fieldManager");
    boolean given = manager != null && !manager.isEmpty();
    if (given && manager.length() > 128) {
      throw StatusException.badRequest("fieldManager: Too long: may not be longer than 128");
    }
    if (!given) {
      String agent = exchange.getRequestHeaders().getFirst("User-Agent");
      manager = agent == null || agent.isBlank() ? "unknown" : agent.split("/", 2)[0].trim();
    }
    return new ResourceHandler.WriteOptions(
        manager, given, !dryRun.isEmpty(), isTrue(query.get("force")));
  }

  /**
   * A delete is a dry run when the {@code DeleteOptions} body says {@code dryRun: ["All"]} too (as
   * client-java sends it), as on a real API server; any other value is refused as in the query.
   */
  private static ResourceHandler.WriteOptions withBodyDryRun(
      ResourceHandler.WriteOptions options, JsonNode deleteOptions) {
    JsonNode dryRun = deleteOptions == null ? null : deleteOptions.get("dryRun");
    if (dryRun == null || dryRun.isNull() || dryRun.isEmpty()) {
      return options;
    }
    if (!dryRun.isArray()) {
      throw StatusException.badRequest(
          "DeleteOptions.meta.k8s.io \"\" is invalid: dryRun: must be a list of strings");
    }
    for (JsonNode value : dryRun) {
      if (!value.asText().equals("All")) {
        throw StatusException.badRequest(
            "dryRun: Unsupported value: \"" + value.asText() + "\": supported values: \"All\"");
      }
    }
    return new ResourceHandler.WriteOptions(
        options.manager(), options.managerGiven(), true, options.force());
  }

  private static ObjectNode body(HttpExchange exchange, boolean required) throws IOException {
    byte[] bytes = readBody(exchange);
    if (bytes.length == 0 && required) {
      throw StatusException.badRequest("the request body is empty");
    }
    return RequestBodies.object(exchange.getRequestHeaders().getFirst("Content-Type"), bytes);
  }

  private static byte[] readBody(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      byte[] bytes = in.readNBytes(MAX_BODY + 1);
      if (bytes.length > MAX_BODY) {
        throw new StatusException(
            StatusException.Reason.BAD_REQUEST, "the request body is larger than 16 MiB");
      }
      return bytes;
    }
  }

  /**
   * 406 before anything is done when the client accepts only binary encodings (client-java's {@code
   * ProtoClient} accepts nothing but protobuf): the sandbox answers in JSON, which kubectl and
   * every other client also accept.
   */
  private static void requireJsonAccepted(String accept) {
    if (accept == null || accept.isBlank()) {
      return;
    }
    for (String range : accept.split(",")) {
      String type = range.split(";")[0].trim().toLowerCase(java.util.Locale.ROOT);
      if (!type.contains("protobuf") && !type.contains("cbor")) {
        return;
      }
    }
    throw new StatusException(
        StatusException.Reason.NOT_ACCEPTABLE,
        "only the following media types are accepted: application/json, application/yaml"
            + " (the sandbox answers in JSON, not in protobuf or CBOR)");
  }

  private static boolean isPod(KindInfo kind) {
    return kind.group().isEmpty() && kind.kind().equals("Pod");
  }

  private static boolean wantsTable(HttpExchange exchange) {
    return TableConverter.wanted(exchange.getRequestHeaders().getFirst("Accept"));
  }

  private static void respondTable(HttpExchange exchange, ObjectNode table) throws IOException {
    respond(exchange, 200, Json.bytes(table), "application/json;as=Table;v=v1;g=meta.k8s.io");
  }

  private static void write(HttpExchange exchange, ResourceHandler.Result result)
      throws IOException {
    respond(exchange, result.code(), result.body());
  }

  private static void respondJson(HttpExchange exchange, int code, JsonNode body)
      throws IOException {
    respond(exchange, code, Json.bytes(body));
  }

  private static void respond(HttpExchange exchange, int code, byte[] body) throws IOException {
    respond(exchange, code, body, "application/json");
  }

  private static void respond(HttpExchange exchange, int code, byte[] body, String contentType)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.getResponseHeaders().set("Cache-Control", "no-cache, private");
    if (exchange.getRequestMethod().equals("HEAD")) {
      exchange.sendResponseHeaders(code, -1);
      return;
    }
    exchange.sendResponseHeaders(code, body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private static void respondQuietly(HttpExchange exchange, StatusException error) {
    try {
      respond(exchange, error.code(), Json.bytes(error.toStatus()));
    } catch (IOException | RuntimeException ignored) {
      // headers were already sent or the client went away: nothing more to tell it
    }
  }

  private static void requireGet(String method) {
    if (!method.equals("GET") && !method.equals("HEAD")) {
      throw new StatusException(
          StatusException.Reason.METHOD_NOT_ALLOWED,
          "the server does not allow this method on the requested resource");
    }
  }

  private static ObjectNode orNotFound(ObjectNode document) {
    if (document == null) {
      throw notFound();
    }
    return document;
  }

  private static StatusException notFound() {
    return new StatusException(
        StatusException.Reason.NOT_FOUND, "the server could not find the requested resource");
  }

  private static boolean isTrue(String value) {
    return value != null && (value.equals("true") || value.equals("1"));
  }

  private static long parseLong(String value, String name) {
    if (value == null || value.isEmpty()) {
      return 0;
    }
    try {
      long parsed = Long.parseLong(value);
      if (parsed < 0) {
        throw StatusException.badRequest(
            name + ": Invalid value: " + value + ": must be non-negative");
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw StatusException.badRequest(
          name + ": Invalid value: \"" + value + "\": must be an integer");
    }
  }

  private static List<String> segments(String rawPath) {
    List<String> segments = new ArrayList<>();
    for (String part : rawPath.split("/")) {
      if (!part.isEmpty()) {
        segments.add(URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8));
      }
    }
    return segments;
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> query = new HashMap<>();
    if (raw == null || raw.isEmpty()) {
      return query;
    }
    for (String pair : raw.split("&")) {
      int equals = pair.indexOf('=');
      String key =
          URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
      String value =
          equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
      query.putIfAbsent(key, value);
    }
    return query;
  }
}
