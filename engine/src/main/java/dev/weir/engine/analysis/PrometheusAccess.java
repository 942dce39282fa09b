package dev.weir.engine.analysis;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How Weir authenticates to, and trusts, a Prometheus it is given by address ({@code --prometheus}
 * or a template's {@code provider.prometheus.address}); a Prometheus reached through the service
 * proxy uses the kubeconfig's credentials instead. Read from the environment:
 *
 * <ul>
 *   <li>{@code WEIR_PROMETHEUS_TOKEN}, or {@code WEIR_PROMETHEUS_TOKEN_FILE} (read at every query,
 *       so a rotating token stays current): a bearer token;
 *   <li>{@code WEIR_PROMETHEUS_USERNAME} with {@code WEIR_PROMETHEUS_PASSWORD} or {@code
 *       WEIR_PROMETHEUS_PASSWORD_FILE}: basic auth;
 *   <li>{@code WEIR_PROMETHEUS_CA_FILE} (or {@code --prometheus-ca}): a PEM file of the
 *       certificates to trust instead of the JDK's, for a private CA. Host names are verified
 *       either way; there is no switch to turn verification off for every Prometheus.
 *   <li>{@code WEIR_PROMETHEUS_ALLOW_INSECURE=true}: the person running Weir allows a template's
 *       {@code provider.prometheus.insecure: true} (Argo's: skip TLS verification for that
 *       metric). Without it such a metric's queries are refused, naming the file, line and field:
 *       a repository alone never turns verification off.
 * </ul>
 *
 * Credentials are sent only over https, or to a loopback address (a port-forward). Immutable;
 * {@link #toString()} shows where the credentials come from, never them.
 *
 * @param credentials what goes in the {@code Authorization} header, if anything
 * @param origin where the credentials come from, e.g. {@code WEIR_PROMETHEUS_TOKEN_FILE}
 * @param caFile the certificates to trust, when not the JDK's
 * @param insecureAllowed whether templates' {@code insecure: true} is honoured
 */
public record PrometheusAccess(
    Optional<MetricsCredentials> credentials,
    String origin,
    Optional<Path> caFile,
    boolean insecureAllowed) {

  public static final String TOKEN = "WEIR_PROMETHEUS_TOKEN";
  public static final String TOKEN_FILE = "WEIR_PROMETHEUS_TOKEN_FILE";
  public static final String USERNAME = "WEIR_PROMETHEUS_USERNAME";
  public static final String PASSWORD = "WEIR_PROMETHEUS_PASSWORD";
  public static final String PASSWORD_FILE = "WEIR_PROMETHEUS_PASSWORD_FILE";
  public static final String CA_FILE = "WEIR_PROMETHEUS_CA_FILE";
  public static final String ALLOW_INSECURE = "WEIR_PROMETHEUS_ALLOW_INSECURE";

  public PrometheusAccess {
    Objects.requireNonNull(credentials, "credentials");
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(caFile, "caFile");
  }

  public PrometheusAccess(
      Optional<MetricsCredentials> credentials, String origin, Optional<Path> caFile) {
    this(credentials, origin, caFile, false);
  }

  /** This access, allowing templates' {@code insecure: true} or not. */
  public PrometheusAccess withInsecureAllowed(boolean value) {
    return new PrometheusAccess(credentials, origin, caFile, value);
  }

  /** No credentials, the JDK's trust. */
  public static PrometheusAccess none() {
    return new PrometheusAccess(Optional.empty(), "", Optional.empty());
  }

  /**
   * The access the environment describes; {@code caFile} (a flag) beats {@code
   * WEIR_PROMETHEUS_CA_FILE}.
   *
   * @throws IllegalArgumentException one line naming the variable and file at fault, never a
   *     secret: both a token and a user name, a user name without a password, an unreadable or
   *     empty file, an unusable certificate file
   */
  public static PrometheusAccess fromEnvironment(
      Map<String, String> environment, Optional<Path> caFile) {
    String token = set(environment, TOKEN);
    String tokenFile = set(environment, TOKEN_FILE);
    String username = set(environment, USERNAME);
    String password = set(environment, PASSWORD);
    String passwordFile = set(environment, PASSWORD_FILE);
    if (token != null && tokenFile != null) {
      throw new IllegalArgumentException(
          TOKEN + " and " + TOKEN_FILE + " are both set; give one of them");
    }
    if ((token != null || tokenFile != null) && username != null) {
      String which = token != null ? TOKEN : TOKEN_FILE;
      throw new IllegalArgumentException(
          which
              + " and "
              + USERNAME
              + " are both set; give a bearer token or basic auth, not both");
    }
    if (password != null && passwordFile != null) {
      throw new IllegalArgumentException(
          PASSWORD + " and " + PASSWORD_FILE + " are both set; give one of them");
    }
    if (username == null && (password != null || passwordFile != null)) {
      throw new IllegalArgumentException(
          (password != null ? PASSWORD : PASSWORD_FILE) + " is set without " + USERNAME);
    }
    Optional<MetricsCredentials> credentials = Optional.empty();
    String origin = "";
    if (token != null) {
      credentials = Optional.of(new MetricsCredentials.Bearer(token.strip()));
      origin = TOKEN;
    } else if (tokenFile != null) {
      Path file = Path.of(tokenFile);
      readSecret(file, TOKEN_FILE); // fail now rather than at the first analysis
      credentials = Optional.of(new MetricsCredentials.BearerFile(file));
      origin = TOKEN_FILE;
    } else if (username != null) {
      if (password == null && passwordFile == null) {
        throw new IllegalArgumentException(
            USERNAME + " is set without " + PASSWORD + " or " + PASSWORD_FILE);
      }
      String secret =
          password != null ? password : readSecret(Path.of(passwordFile), PASSWORD_FILE);
      credentials = Optional.of(new MetricsCredentials.Basic(username, secret));
      origin = USERNAME + (password != null ? " and " + PASSWORD : " and " + PASSWORD_FILE);
    }
    Optional<Path> ca =
        caFile.isPresent() ? caFile : Optional.ofNullable(set(environment, CA_FILE)).map(Path::of);
    String insecure = set(environment, ALLOW_INSECURE);
    if (insecure != null && !insecure.strip().equals("true") && !insecure.strip().equals("false")) {
      throw new IllegalArgumentException(ALLOW_INSECURE + " must be true or false");
    }
    PrometheusAccess access =
        new PrometheusAccess(credentials, origin, ca, "true".equals(insecure == null ? null : insecure.strip()));
    if (ca.isPresent()) {
      // a bad file is bad input now, not a failed query later
      try {
        PrometheusSettings.of(URI.create("https://prometheus.invalid/"))
            .withTrustedCertificates(ca.get());
      } catch (IOException e) {
        throw new IllegalArgumentException(
            (caFile.isPresent() ? "--prometheus-ca" : CA_FILE) + ": " + e.getMessage());
      }
    }
    return access;
  }

  /**
   * The settings to reach {@code address} with this access.
   *
   * @throws IllegalArgumentException when the address is not http(s), carries a login, or would get
   *     credentials over plain http to a host that is not loopback
   */
  public PrometheusSettings settings(URI address) {
    PrometheusSettings settings = PrometheusSettings.of(address);
    if (credentials.isPresent()) {
      if ("http".equals(address.getScheme()) && !loopback(address.getHost())) {
        throw new IllegalArgumentException(
            "credentials from "
                + origin
                + " are sent only over https (or to localhost); "
                + address.getScheme()
                + "://"
                + address.getHost()
                + (address.getPort() < 0 ? "" : ":" + address.getPort())
                + "/ is plain http: give its https:// address");
      }
      settings =
          new PrometheusSettings(
              settings.address(), credentials, settings.timeout(), settings.sslContext());
    }
    if (caFile.isPresent()) {
      try {
        settings = settings.withTrustedCertificates(caFile.get());
      } catch (IOException e) {
        throw new IllegalArgumentException(e.getMessage());
      }
    }
    return settings;
  }

  @Override
  public String toString() {
    return "PrometheusAccess[credentials="
        + (credentials.isEmpty() ? "none" : "from " + origin)
        + ", trust="
        + caFile.map(Path::toString).orElse("default")
        + (insecureAllowed ? ", templates' insecure allowed" : "")
        + "]";
  }

  private static String set(Map<String, String> environment, String name) {
    String value = environment.get(name);
    return value == null || value.isBlank() ? null : value;
  }

  private static String readSecret(Path file, String variable) {
    String value;
    try {
      value = Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new IllegalArgumentException(
          variable + ": cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
    }
    if (value.isEmpty()) {
      throw new IllegalArgumentException(variable + ": " + file + " is empty");
    }
    return value;
  }

  private static boolean loopback(String host) {
    if (host == null) {
      return false;
    }
    if (host.equals("localhost")) {
      return true;
    }
    String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    if (!bare.matches("[0-9.]+|[0-9a-fA-F:]+")) {
      return false; // a name: not resolved here, so not trusted to be loopback
    }
    try {
      return InetAddress.getByName(bare).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
