package dev.weir.engine.sandbox.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;

/**
 * Bearer-token authentication and the sandbox's two-role authorization: the admin token is user
 * {@code admin} and may do everything; the read-only token is user {@code viewer} and may only
 * {@code get}, {@code list} and {@code watch}. Tokens are compared in constant time and never
 * logged or echoed.
 *
 * <p>Immutable and thread-safe.
 */
final class Authenticator {
  /** An authenticated caller. */
  record User(String name, boolean admin) {}

  private static final List<String> READ_VERBS = List.of("get", "list", "watch");

  private final byte[] adminToken;
  private final byte[] readOnlyToken;

  Authenticator(String adminToken, String readOnlyToken) {
    this.adminToken = adminToken.getBytes(StandardCharsets.UTF_8);
    this.readOnlyToken = readOnlyToken.getBytes(StandardCharsets.UTF_8);
  }

  /** The user for an {@code Authorization} header value; empty when missing or unknown. */
  Optional<User> authenticate(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Optional.empty();
    }
    byte[] presented = authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8);
    if (MessageDigest.isEqual(presented, adminToken)) {
      return Optional.of(new User("admin", true));
    }
    if (MessageDigest.isEqual(presented, readOnlyToken)) {
      return Optional.of(new User("viewer", false));
    }
    return Optional.empty();
  }

  static StatusException unauthorized() {
    return new StatusException(StatusException.Reason.UNAUTHORIZED, "Unauthorized");
  }

  /**
   * Refuses {@code verb} for a non-admin user with a real server's RBAC message, e.g. {@code
   * deployments.apps "web" is forbidden: User "viewer" cannot patch resource "deployments" in API
   * group "apps" in the namespace "shop"}.
   */
  static void authorize(
      User user, String verb, KindInfo kind, String subresource, String namespace, String name) {
    if (user.admin() || READ_VERBS.contains(verb)) {
      return;
    }
    String resource = subresource == null ? kind.plural() : kind.plural() + "/" + subresource;
    StringBuilder message = new StringBuilder(kind.qualifiedResource());
    if (name != null && !name.isEmpty()) {
      message.append(" \"").append(name).append('"');
    }
    message.append(" is forbidden: User \"").append(user.name()).append("\" cannot ").append(verb);
    message
        .append(" resource \"")
        .append(resource)
        .append("\" in API group \"")
        .append(kind.group())
        .append('"');
    if (kind.namespaced() && namespace != null && !namespace.isEmpty()) {
      message.append(" in the namespace \"").append(namespace).append('"');
    } else {
      message.append(" at the cluster scope");
    }
    throw new StatusException(
        StatusException.Reason.FORBIDDEN,
        message.toString(),
        name,
        kind.group(),
        kind.plural(),
        List.of());
  }
}
