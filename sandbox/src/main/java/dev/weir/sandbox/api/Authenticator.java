package dev.weir.sandbox.api;

import java.nio.charset.StandardCharsets;
import dev.weir.engine.time.EngineClock;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Authentication as kube-apiserver's union of x509 and static-token authenticators, and the
 * sandbox's two-role authorization.
 *
 * <p>Authentication: a client certificate that {@link SandboxCertificates#verifyClient} accepts
 * is user = its subject CN, groups = its O values; otherwise a bearer token of the token table;
 * otherwise nobody (401). A certificate of an unknown CA does not authenticate, but a valid token
 * on the same request still does, as with a real server. The admin token is user {@code admin} in
 * {@code system:masters}; the read-only token user {@code viewer}; more tokens can be added and
 * revoked at run time ({@link #addToken}, {@link #revokeToken}). Tokens are kept and looked up by
 * their SHA-256 digest and never logged or echoed.
 *
 * <p>Authorization: a user in group {@code system:masters} may do everything (as the built-in
 * {@code cluster-admin} binding grants a real cluster); every other user may only {@code get},
 * {@code list} and {@code watch}.
 *
 * <p>Thread-safe.
 */
final class Authenticator {
  /** An authenticated caller. */
  record User(String name, List<String> groups) {
    User {
      groups = List.copyOf(groups);
    }

    boolean admin() {
      return groups.contains(MASTERS);
    }
  }

  static final String MASTERS = "system:masters";
  private static final String AUTHENTICATED = "system:authenticated";
  private static final List<String> READ_VERBS = List.of("get", "list", "watch");

  private final Map<String, User> tokens = new ConcurrentHashMap<>();
  private final SandboxCertificates certificates;
  private final EngineClock clock;

  Authenticator(
      String adminToken, String readOnlyToken, SandboxCertificates certificates, EngineClock clock) {
    this.certificates = certificates;
    this.clock = clock;
    addToken(adminToken, "admin", List.of(MASTERS));
    addToken(readOnlyToken, "viewer", List.of());
  }

  /** Lets {@code token} authenticate as {@code user} in {@code groups}. */
  void addToken(String token, String user, List<String> groups) {
    List<String> all = new ArrayList<>(groups);
    all.add(AUTHENTICATED);
    tokens.put(digest(token), new User(user, all));
  }

  /** Stops {@code token} from authenticating; true when it did. */
  boolean revokeToken(String token) {
    return tokens.remove(digest(token)) != null;
  }

  /**
   * The user for a request: its verified client certificate {@code chain} (null when none was
   * presented), else its {@code Authorization} header value; empty when neither authenticates.
   */
  Optional<User> authenticate(Certificate[] chain, String authorization) {
    if (chain != null && certificates != null) {
      Optional<SandboxCertificates.Identity> identity =
          certificates.verifyClient(chain, clock.instant());
      if (identity.isPresent()) {
        List<String> groups = new ArrayList<>(identity.get().groups());
        groups.add(AUTHENTICATED);
        return Optional.of(new User(identity.get().user(), groups));
      }
    }
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Optional.empty();
    }
    return Optional.ofNullable(tokens.get(digest(authorization.substring(7).trim())));
  }

  private static String digest(String token) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
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
