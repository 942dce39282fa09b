package dev.weir.sandbox.api;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * A request the sandbox API server refuses, carried as the Kubernetes {@code Status} object a real
 * API server would return: {@code kind: Status}, {@code status: Failure}, a message, a machine
 * reason, optional details (name, group, kind, causes) and the HTTP code.
 *
 * <p>Thrown inside request handling only and turned into a response by the router; never leaves the
 * {@code sandbox.api} package as an exception. Messages never contain object data, only names.
 */
final class StatusException extends RuntimeException {
  /** The reasons a real API server gives, with their HTTP codes. */
  public enum Reason {
    BAD_REQUEST("BadRequest", 400),
    UNAUTHORIZED("Unauthorized", 401),
    FORBIDDEN("Forbidden", 403),
    NOT_FOUND("NotFound", 404),
    METHOD_NOT_ALLOWED("MethodNotAllowed", 405),
    NOT_ACCEPTABLE("NotAcceptable", 406),
    ALREADY_EXISTS("AlreadyExists", 409),
    CONFLICT("Conflict", 409),
    GONE("Expired", 410),
    REQUEST_ENTITY_TOO_LARGE("RequestEntityTooLarge", 413),
    UNSUPPORTED_MEDIA_TYPE("UnsupportedMediaType", 415),
    INVALID("Invalid", 422),
    INTERNAL_ERROR("InternalError", 500);

    private final String wire;
    private final int code;

    Reason(String wire, int code) {
      this.wire = wire;
      this.code = code;
    }

    /** The {@code reason} string on the wire, e.g. {@code NotFound}. */
    public String wire() {
      return wire;
    }

    /** The HTTP status code. */
    public int code() {
      return code;
    }
  }

  /** One entry of {@code details.causes}: a field-level reason. */
  public record Cause(String reason, String message, String field) {}

  private final Reason reason;
  private final String name;
  private final String group;
  private final String kind;
  private final List<Cause> causes;

  public StatusException(Reason reason, String message) {
    this(reason, message, null, null, null, List.of());
  }

  public StatusException(
      Reason reason, String message, String name, String group, String kind, List<Cause> causes) {
    super(message, null, false, false);
    this.reason = reason;
    this.name = name;
    this.group = group;
    this.kind = kind;
    this.causes = List.copyOf(causes);
  }

  /** {@code <resource> "<name>" not found}, e.g. {@code deployments.apps "web" not found}. */
  static StatusException notFound(KindInfo kind, String name) {
    return new StatusException(
        Reason.NOT_FOUND,
        kind.qualifiedResource() + " \"" + name + "\" not found",
        name,
        kind.group(),
        kind.plural(),
        List.of());
  }

  static StatusException alreadyExists(KindInfo kind, String name) {
    return new StatusException(
        Reason.ALREADY_EXISTS,
        kind.qualifiedResource() + " \"" + name + "\" already exists",
        name,
        kind.group(),
        kind.plural(),
        List.of());
  }

  static StatusException staleResourceVersion(KindInfo kind, String name) {
    return new StatusException(
        Reason.CONFLICT,
        "Operation cannot be fulfilled on "
            + kind.qualifiedResource()
            + " \""
            + name
            + "\": the object has been modified; please apply your changes to the latest version"
            + " and try again",
        name,
        kind.group(),
        kind.plural(),
        List.of());
  }

  /** 422 with one cause per invalid field, worded like a real server's validation errors. */
  static StatusException invalid(KindInfo kind, String name, List<Cause> causes) {
    StringBuilder message = new StringBuilder();
    message.append(kind.kind());
    if (!kind.group().isEmpty()) {
      message.append('.').append(kind.group());
    }
    message.append(" \"").append(name).append("\" is invalid: ");
    for (int i = 0; i < causes.size(); i++) {
      if (i > 0) {
        message.append(", ");
      }
      message.append(causes.get(i).field()).append(": ").append(causes.get(i).message());
    }
    return new StatusException(
        Reason.INVALID, message.toString(), name, kind.group(), kind.kind(), causes);
  }

  /**
   * 413 as kube-apiserver's {@code NewRequestEntityTooLargeError}: {@code Request entity too large:
   * …}.
   */
  static StatusException tooLarge(String message) {
    return new StatusException(
        Reason.REQUEST_ENTITY_TOO_LARGE, "Request entity too large: " + message);
  }

  static StatusException badRequest(String message) {
    return new StatusException(Reason.BAD_REQUEST, message);
  }

  public Reason reason() {
    return reason;
  }

  /** The HTTP status code of this refusal. */
  public int code() {
    return reason.code();
  }

  /** The {@code Status} object as a real API server writes it. */
  public ObjectNode toStatus() {
    ObjectNode status = JsonNodeFactory.instance.objectNode();
    status.put("kind", "Status");
    status.put("apiVersion", "v1");
    status.putObject("metadata");
    status.put("status", "Failure");
    status.put("message", getMessage());
    status.put("reason", reason.wire());
    if (name != null || kind != null || !causes.isEmpty()) {
      ObjectNode details = status.putObject("details");
      if (name != null) {
        details.put("name", name);
      }
      if (group != null && !group.isEmpty()) {
        details.put("group", group);
      }
      if (kind != null) {
        details.put("kind", kind);
      }
      if (!causes.isEmpty()) {
        var array = details.putArray("causes");
        for (Cause cause : causes) {
          ObjectNode c = array.addObject();
          c.put("reason", cause.reason());
          c.put("message", cause.message());
          if (cause.field() != null) {
            c.put("field", cause.field());
          }
        }
      }
    }
    status.put("code", reason.code());
    return status;
  }
}
