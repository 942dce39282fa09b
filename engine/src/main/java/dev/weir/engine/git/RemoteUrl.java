package dev.weir.engine.git;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A repository URL taken apart: where it points (scheme, host, port), the URL to store and hand to
 * JGit without any credential in it, and the login its user info carried, kept in memory only.
 *
 * <p>Credentials in a URL ({@code https://alice:PASSWORD@host/…}, {@code https://TOKEN@host/…})
 * never reach the clone's {@code config}: the stored URL has no user info, and the login goes to
 * {@link HttpsCredentials}, which offers it only to this URL's own https host and port. An SSH user
 * name ({@code ssh://git@host/…}, {@code git@host:path}) is the login of the key, not a secret, and
 * is kept; a password in an SSH URL is dropped (Weir authenticates SSH with keys only).
 *
 * @param given the URL as given (may hold credentials: show it only through {@link #display()})
 * @param stored the URL without credentials, for the clone's config and JGit
 * @param scheme the scheme in lower case ({@code https}, {@code ssh}, {@code file} …); {@code ssh}
 *     for the scp-like form
 * @param host the host in lower case, without brackets; empty for {@code file} URLs
 * @param port the port, or the scheme's default (443, 80, 22), or -1 when unknown
 * @param user the user name of the user info, decoded; null when none
 * @param password the password of the user info, decoded; null when none
 */
record RemoteUrl(
    String given,
    String stored,
    String scheme,
    String host,
    int port,
    String user,
    String password) {

  private static final Pattern WITH_SCHEME =
      Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*)://([^/?#]*)(.*)$", Pattern.DOTALL);
  private static final Pattern SCP_LIKE = Pattern.compile("^(?:([^/\\s@]+)@)?([^/\\s:]+):(.*)$");
  private static final Set<String> SSH_SCHEMES = Set.of("ssh", "git+ssh", "ssh+git");

  /** Parses a URL or scp-like location as {@link JGitSource#toUrl} produces it. */
  static RemoteUrl parse(String url) {
    Matcher m = WITH_SCHEME.matcher(url);
    if (m.matches()) {
      String scheme = m.group(1).toLowerCase(Locale.ROOT);
      String authority = m.group(2);
      String rest = m.group(3);
      int at = authority.lastIndexOf('@');
      String userInfo = at < 0 ? null : authority.substring(0, at);
      String hostPort = authority.substring(at + 1);
      String user = null;
      String password = null;
      if (userInfo != null) {
        int colon = userInfo.indexOf(':');
        user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
        password = colon < 0 ? null : decode(userInfo.substring(colon + 1));
      }
      String host;
      String portText;
      if (hostPort.startsWith("[") && hostPort.indexOf(']') > 0) {
        int close = hostPort.indexOf(']');
        host = hostPort.substring(1, close);
        portText =
            hostPort.substring(close + 1).startsWith(":") ? hostPort.substring(close + 2) : "";
      } else {
        int colon = hostPort.lastIndexOf(':');
        host = colon < 0 ? hostPort : hostPort.substring(0, colon);
        portText = colon < 0 ? "" : hostPort.substring(colon + 1);
      }
      int port = portText.matches("[0-9]{1,5}") ? Integer.parseInt(portText) : defaultPort(scheme);
      boolean ssh = SSH_SCHEMES.contains(scheme);
      String keptUser =
          ssh && userInfo != null ? (userInfo.contains(":") ? rawUser(userInfo) : userInfo) : null;
      String stored =
          m.group(1) + "://" + (keptUser == null ? "" : keptUser + "@") + hostPort + rest;
      return new RemoteUrl(
          url,
          stored,
          scheme,
          host.toLowerCase(Locale.ROOT),
          port,
          ssh ? null : user,
          ssh ? null : password);
    }
    Matcher scp = SCP_LIKE.matcher(url);
    if (scp.matches()) {
      return new RemoteUrl(url, url, "ssh", scp.group(2).toLowerCase(Locale.ROOT), 22, null, null);
    }
    return new RemoteUrl(url, url, "", "", -1, null, null);
  }

  /** The URL for messages: its user info masked whole ({@code https://***@host/…}). */
  String display() {
    return Redaction.url(given);
  }

  /** Whether the URL carried a login (user name, password or both) for HTTP. */
  boolean hasLogin() {
    return user != null;
  }

  boolean isHttps() {
    return scheme.equals("https");
  }

  boolean isHttp() {
    return scheme.equals("http");
  }

  /** Whether {@code scheme://host:port} is this URL's own origin; ports compared with defaults. */
  boolean sameOrigin(String otherScheme, String otherHost, int otherPort) {
    if (otherScheme == null || otherHost == null) {
      return false;
    }
    String s = otherScheme.toLowerCase(Locale.ROOT);
    int p = otherPort > 0 ? otherPort : defaultPort(s);
    return s.equals(scheme)
        && unbracket(otherHost).toLowerCase(Locale.ROOT).equals(host)
        && p == port
        && p > 0;
  }

  /** {@code host:port} as a person writes it, for messages. */
  String hostAndPort() {
    String h = host.contains(":") ? "[" + host + "]" : host;
    return port > 0 && port != defaultPort(scheme) ? h + ":" + port : h;
  }

  static int defaultPort(String scheme) {
    return switch (scheme == null ? "" : scheme.toLowerCase(Locale.ROOT)) {
      case "https" -> 443;
      case "http" -> 80;
      case "ssh", "git+ssh", "ssh+git" -> 22;
      case "git" -> 9418;
      default -> -1;
    };
  }

  private static String unbracket(String host) {
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }

  private static String rawUser(String userInfo) {
    return userInfo.substring(0, userInfo.indexOf(':'));
  }

  /** Percent-decoding as in a URL's user info: a {@code +} stays a plus. */
  private static String decode(String text) {
    try {
      return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return text;
    }
  }

  /** Never shows the credentials. */
  @Override
  public String toString() {
    return display();
  }
}
