package dev.weir.engine.analysis;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Where and how to reach a Prometheus server. Immutable; {@link #toString()} shows no secret.
 *
 * <p>TLS certificates and host names are always verified: by default against the JDK's trust store,
 * or against the certificates given with {@link #withTrustedCertificates(Path)}. There is
 * deliberately no switch to turn verification off.
 *
 * @param address the server's base URL, e.g. {@code http://prometheus:9090/} (a path prefix is
 *     kept); any user-info in it is rejected, pass credentials instead
 * @param credentials basic auth or a bearer token, if the server needs one
 * @param timeout how long one query may take, connection included
 * @param sslContext the trust to use for https, when not the JDK's default
 */
public record PrometheusSettings(
    URI address,
    Optional<MetricsCredentials> credentials,
    Duration timeout,
    Optional<SSLContext> sslContext) {

  /** The timeout when none is given. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  public PrometheusSettings {
    Objects.requireNonNull(address, "address");
    if (!"http".equals(address.getScheme()) && !"https".equals(address.getScheme())) {
      throw new IllegalArgumentException(
          "Prometheus address must be http:// or https://, got " + safe(address));
    }
    if (address.getRawUserInfo() != null) {
      throw new IllegalArgumentException(
          "Prometheus address must not carry credentials; give them as basic auth or a bearer"
              + " token: "
              + safe(address));
    }
    if (!address.toString().endsWith("/")) {
      address = URI.create(address + "/");
    }
    Objects.requireNonNull(credentials, "credentials");
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, got " + timeout);
    }
    Objects.requireNonNull(sslContext, "sslContext");
  }

  /** Plain settings: no credentials, the default timeout, the JDK's trust store. */
  public static PrometheusSettings of(URI address) {
    return new PrometheusSettings(address, Optional.empty(), DEFAULT_TIMEOUT, Optional.empty());
  }

  public PrometheusSettings withBasicAuth(String username, String password) {
    return new PrometheusSettings(
        address,
        Optional.of(new MetricsCredentials.Basic(username, password)),
        timeout,
        sslContext);
  }

  public PrometheusSettings withBearerToken(String token) {
    return new PrometheusSettings(
        address, Optional.of(new MetricsCredentials.Bearer(token)), timeout, sslContext);
  }

  public PrometheusSettings withTimeout(Duration value) {
    return new PrometheusSettings(address, credentials, value, sslContext);
  }

  public PrometheusSettings withSslContext(SSLContext value) {
    return new PrometheusSettings(address, credentials, timeout, Optional.of(value));
  }

  /**
   * Trusts exactly the certificates in a PEM file (a private CA, a self-signed server), still
   * verifying host names.
   *
   * @throws IOException when the file cannot be read or holds no certificate
   */
  public PrometheusSettings withTrustedCertificates(Path pemFile) throws IOException {
    try (InputStream in = Files.newInputStream(pemFile)) {
      return withTrustedCertificates(in, pemFile.toString());
    }
  }

  /**
   * As {@link #withTrustedCertificates(Path)}, from PEM text (a kubeconfig's {@code
   * certificate-authority-data}, decoded); {@code origin} names it in errors.
   */
  public PrometheusSettings withTrustedCertificates(String pem, String origin) throws IOException {
    return withTrustedCertificates(
        new java.io.ByteArrayInputStream(pem.getBytes(java.nio.charset.StandardCharsets.US_ASCII)),
        origin);
  }

  private PrometheusSettings withTrustedCertificates(InputStream in, String origin)
      throws IOException {
    try {
      var certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (certificates.isEmpty()) {
        throw new IOException(origin + ": no certificate found");
      }
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (Certificate certificate : certificates) {
        store.setCertificateEntry("ca-" + i++, certificate);
      }
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return withSslContext(context);
    } catch (GeneralSecurityException e) {
      throw new IOException(origin + ": not a usable certificate file: " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "PrometheusSettings[address="
        + address
        + ", credentials="
        + credentials.map(Object::toString).orElse("none")
        + ", timeout="
        + timeout
        + ", trust="
        + (sslContext.isPresent() ? "custom" : "default")
        + "]";
  }

  private static String safe(URI address) {
    return address.getScheme()
        + "://"
        + address.getHost()
        + (address.getPort() < 0 ? "" : ":" + address.getPort())
        + (address.getRawPath() == null ? "" : address.getRawPath());
  }
}
