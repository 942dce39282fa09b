package dev.weir.engine.manifest;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A reference in a kustomization or a Chart.yaml that kustomize or helm would fetch over the
 * network: an {@code http(s)://}, {@code ssh://}, {@code git://}, {@code oci://} or {@code file://}
 * URL, kustomize's {@code git::} and {@code gh:} forms, an scp-like {@code git@host:org/repo}, or a
 * scheme-less {@code github.com/org/repo} (or {@code host.tld/...} that is no path of the
 * repository, as older kustomize versions fetch those too). Immutable.
 *
 * <p>Weir renders without network access unless the operator allows remote sources; even then,
 * {@link #refusalEvenWhenAllowed()} refuses {@code file://} (a path of the operator's machine) and
 * hosts that are link-local (169.254.0.0/16, fe80::/10) or cloud metadata services, whose answers
 * are credentials.
 *
 * @param scheme {@code https}, {@code ssh}, {@code file} ...; {@code ""} for the scheme-less forms
 * @param host the host name or address, lower case, without brackets or port ({@code ""} for {@code
 *     file://})
 * @param display the reference without user information or query, safe to print
 */
record RemoteSource(String scheme, String host, String display) {

  private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*");
  private static final Pattern SCP =
      Pattern.compile("([A-Za-z0-9._~-]+)@([A-Za-z0-9.-]+|\\[[0-9A-Fa-f:.]+\\]):(.*)");
  private static final Pattern GITHUB = Pattern.compile("(?i)github\\.com[/:].*");
  private static final Pattern HOST_LIKE =
      Pattern.compile("(?i)((?:[a-z0-9-]+\\.)+[a-z][a-z0-9-]*)(:\\d+)?/.*");
  private static final Pattern CANONICAL_IPV4 =
      Pattern.compile("(0|[1-9]\\d{0,2})(\\.(0|[1-9]\\d{0,2})){3}");
  private static final Pattern NUMBER = Pattern.compile("(?i)0x[0-9a-f]*|[0-9]+");

  /** Host names of cloud metadata services (their addresses are checked as addresses). */
  private static final Set<String> METADATA_HOSTS =
      Set.of(
          "metadata",
          "metadata.google.internal",
          "metadata.goog",
          "instance-data",
          "instance-data.ec2.internal",
          "metadata.tencentyun.com");

  /**
   * Metadata services outside the link-local ranges: AWS over IPv6, Alibaba Cloud, Oracle Cloud.
   */
  private static final Set<String> METADATA_ADDRESSES =
      Set.of("fd00:ec2:0:0:0:0:0:254", "100.100.100.200", "192.0.0.192");

  /**
   * The remote source {@code reference} names, or empty for a local path. {@code existsLocally}
   * tells whether the reference, read as a path, names a file or directory of the repository: a
   * scheme-less {@code host.tld/...} is a path when it does.
   */
  static Optional<RemoteSource> of(String reference, boolean existsLocally) {
    String s = reference.strip();
    if (s.regionMatches(true, 0, "git::", 0, 5)) {
      s = s.substring(5);
    }
    if (s.regionMatches(true, 0, "gh:", 0, 3)) {
      return Optional.of(
          new RemoteSource("gh", "github.com", "gh:" + withoutQuery(s.substring(3))));
    }
    int separator = s.indexOf("://");
    if (separator > 0 && SCHEME.matcher(s.substring(0, separator)).matches()) {
      String scheme = s.substring(0, separator).toLowerCase(Locale.ROOT);
      String rest = s.substring(separator + 3);
      int end = rest.length();
      for (char c : new char[] {'/', '?', '#'}) {
        int i = rest.indexOf(c);
        end = i >= 0 ? Math.min(end, i) : end;
      }
      String authority = rest.substring(0, end);
      int at = authority.lastIndexOf('@');
      String hostPort = authority.substring(at + 1);
      String display =
          scheme + "://" + (at >= 0 ? "***@" : "") + hostPort + withoutQuery(rest.substring(end));
      return Optional.of(new RemoteSource(scheme, hostOf(hostPort), display));
    }
    Matcher scp = SCP.matcher(s);
    if (scp.matches()) {
      String user = scp.group(1).equals("git") ? "git" : "***";
      return Optional.of(
          new RemoteSource(
              "ssh",
              hostOf(scp.group(2)),
              user + "@" + scp.group(2) + ":" + withoutQuery(scp.group(3))));
    }
    if (GITHUB.matcher(s).matches()) {
      return Optional.of(new RemoteSource("", "github.com", withoutQuery(s)));
    }
    Matcher hostLike = HOST_LIKE.matcher(s);
    if (hostLike.matches() && !existsLocally) {
      return Optional.of(
          new RemoteSource("", hostLike.group(1).toLowerCase(Locale.ROOT), withoutQuery(s)));
    }
    return Optional.empty();
  }

  /**
   * Why this source is refused even when the operator allows remote sources, or empty. Host names
   * are resolved (the operator allowed network access) and every address is checked; a name that
   * does not resolve is left to the tool, which will fail to reach it.
   */
  Optional<String> refusalEvenWhenAllowed() {
    if (scheme.equals("file")) {
      return Optional.of("a file:// source reads the machine Weir runs on, not the repository");
    }
    if (host.isEmpty()) {
      return Optional.of("it names no host");
    }
    if (METADATA_HOSTS.contains(host)) {
      return Optional.of("it is a cloud metadata service (" + host + ")");
    }
    boolean literal = host.contains(":") || CANONICAL_IPV4.matcher(host).matches();
    if (!literal && isNumericSpelling(host)) {
      // 2852039166, 0xa9fea9fe, 0251.0376.0251.0376: other spellings of 169.254.169.254.
      return Optional.of("its host " + host + " is not a canonical address or name");
    }
    InetAddress[] addresses;
    try {
      addresses = InetAddress.getAllByName(host);
    } catch (UnknownHostException | SecurityException e) {
      return literal ? Optional.of("its host " + host + " is not an address") : Optional.empty();
    }
    for (InetAddress address : addresses) {
      if (address.isLinkLocalAddress()) {
        return Optional.of(
            "it is link-local (" + address.getHostAddress() + "), where metadata services live");
      }
      if (METADATA_ADDRESSES.contains(address.getHostAddress())) {
        return Optional.of("it is a cloud metadata service (" + address.getHostAddress() + ")");
      }
    }
    return Optional.empty();
  }

  /** Whether {@code host} is one to four numbers (decimal, octal or hex), as inet_aton reads. */
  private static boolean isNumericSpelling(String host) {
    String[] parts = host.split("\\.", -1);
    if (parts.length > 4) {
      return false;
    }
    for (String part : parts) {
      if (!NUMBER.matcher(part).matches()) {
        return false;
      }
    }
    return true;
  }

  private static String hostOf(String hostPort) {
    String host;
    if (hostPort.startsWith("[")) {
      int close = hostPort.indexOf(']');
      host = close < 0 ? hostPort.substring(1) : hostPort.substring(1, close);
    } else {
      int colon = hostPort.lastIndexOf(':');
      host = colon < 0 ? hostPort : hostPort.substring(0, colon);
    }
    host = host.toLowerCase(Locale.ROOT);
    return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
  }

  private static String withoutQuery(String path) {
    int query = path.indexOf('?');
    String shown = query < 0 ? path : path.substring(0, query);
    return ApplicationReader.printable(shown);
  }
}
