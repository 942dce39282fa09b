package dev.weir.engine.git;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ProtocolException;
import java.net.Proxy;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.KeyManager;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.jgit.transport.http.HttpConnection;
import org.eclipse.jgit.transport.http.HttpConnectionFactory;
import org.eclipse.jgit.transport.http.JDKHttpConnectionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JGit's HTTP connections for one repository, with rules JGit alone does not keep.
 *
 * <ul>
 *   <li>An {@code Authorization} header goes only to the repository's own origin over https. JGit
 *       keeps the login it has across a redirect to another port of the same host, and sends a
 *       login found in a URL over plain http; here such a header is dropped, whatever set it (JGit,
 *       an {@code http.extraHeader} of the user's git config).
 *   <li>TLS is always verified: an {@code http.sslVerify=false} in a git config, which JGit would
 *       obey, is not, since a token sent over an unverified connection goes to whoever answers.
 *   <li>TLS trusts the certificates in the PEM file named by {@value #CA_VARIABLE}, as git does,
 *       instead of the JDK's; without it the JDK's trust store is used.
 * </ul>
 *
 * <p>Thread-safe; each connection is used by one thread, as JGit does.
 */
final class RepositoryHttp implements HttpConnectionFactory {
  private static final Logger LOG = LoggerFactory.getLogger(RepositoryHttp.class);

  /** The environment variable naming a PEM file of the certificates to trust, as for git. */
  static final String CA_VARIABLE = "GIT_SSL_CAINFO";

  private final RemoteUrl remote;
  private final TrustManager[] trust;
  private final HttpConnectionFactory connections = new JDKHttpConnectionFactory();

  private RepositoryHttp(RemoteUrl remote, TrustManager[] trust) {
    this.remote = remote;
    this.trust = trust;
  }

  /**
   * The connections for {@code remote}, trusting {@value #CA_VARIABLE} when the environment sets it
   * and the remote is reached over HTTP(S).
   *
   * @throws GitException {@code INVALID_REQUEST} when that file holds no readable certificate
   */
  static RepositoryHttp forRemote(RemoteUrl remote, Map<String, String> environment) {
    String caFile = environment.get(CA_VARIABLE);
    boolean overHttp = remote.isHttps() || remote.isHttp();
    return new RepositoryHttp(
        remote,
        !overHttp || caFile == null || caFile.isBlank() ? null : trustManagers(Path.of(caFile)));
  }

  private static TrustManager[] trustManagers(Path pem) {
    try (InputStream in = Files.newInputStream(pem)) {
      Collection<? extends Certificate> certificates =
          CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (certificates.isEmpty()) {
        throw new GeneralSecurityException("no certificate in it");
      }
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (Certificate certificate : certificates) {
        store.setCertificateEntry("ca-" + i++, certificate);
      }
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      return factory.getTrustManagers();
    } catch (IOException | GeneralSecurityException e) {
      throw new GitException(
          GitError.Reason.INVALID_REQUEST,
          CA_VARIABLE + "=" + pem + ": cannot read the certificates to trust: " + e.getMessage());
    }
  }

  @Override
  public HttpConnection create(URL url) throws IOException {
    return create(url, null);
  }

  @Override
  public HttpConnection create(URL url, Proxy proxy) throws IOException {
    HttpConnection connection =
        proxy == null ? connections.create(url) : connections.create(url, proxy);
    if (trust != null && "https".equalsIgnoreCase(url.getProtocol())) {
      try {
        connection.configure(null, trust, null);
      } catch (GeneralSecurityException e) {
        throw new IOException("cannot set up TLS for " + url.getHost() + ": " + e.getMessage(), e);
      }
    }
    boolean mayAuthorize =
        remote.isHttps() && remote.sameOrigin(url.getProtocol(), url.getHost(), url.getPort());
    return new Guarded(connection, mayAuthorize);
  }

  /**
   * A connection whose TLS settings are fixed, and that sends an {@code Authorization} header only
   * when {@code mayAuthorize}.
   */
  private static final class Guarded implements HttpConnection {
    private final HttpConnection delegate;
    private final boolean mayAuthorize;

    Guarded(HttpConnection delegate, boolean mayAuthorize) {
      this.delegate = delegate;
      this.mayAuthorize = mayAuthorize;
    }

    @Override
    public void setRequestProperty(String key, String value) {
      if (!mayAuthorize && "Authorization".equalsIgnoreCase(key)) {
        LOG.debug(
            "not sending credentials to {}://{}: not the repository's https origin",
            delegate.getURL().getProtocol(),
            delegate.getURL().getAuthority().replaceFirst("^.*@", ""));
        return;
      }
      delegate.setRequestProperty(key, value);
    }

    @Override
    public int getResponseCode() throws IOException {
      return delegate.getResponseCode();
    }

    @Override
    public URL getURL() {
      return delegate.getURL();
    }

    @Override
    public String getResponseMessage() throws IOException {
      return delegate.getResponseMessage();
    }

    @Override
    public Map<String, List<String>> getHeaderFields() {
      return delegate.getHeaderFields();
    }

    @Override
    public void setRequestMethod(String method) throws ProtocolException {
      delegate.setRequestMethod(method);
    }

    @Override
    public void setUseCaches(boolean usecaches) {
      delegate.setUseCaches(usecaches);
    }

    @Override
    public void setConnectTimeout(int timeout) {
      delegate.setConnectTimeout(timeout);
    }

    @Override
    public void setReadTimeout(int timeout) {
      delegate.setReadTimeout(timeout);
    }

    @Override
    public String getContentType() {
      return delegate.getContentType();
    }

    @Override
    public InputStream getInputStream() throws IOException {
      return delegate.getInputStream();
    }

    @Override
    public String getHeaderField(String name) {
      return delegate.getHeaderField(name);
    }

    @Override
    public List<String> getHeaderFields(String name) {
      return delegate.getHeaderFields(name);
    }

    @Override
    public int getContentLength() {
      return delegate.getContentLength();
    }

    @Override
    public void setInstanceFollowRedirects(boolean followRedirects) {
      delegate.setInstanceFollowRedirects(followRedirects);
    }

    @Override
    public void setDoOutput(boolean dooutput) {
      delegate.setDoOutput(dooutput);
    }

    @Override
    public void setFixedLengthStreamingMode(int contentLength) {
      delegate.setFixedLengthStreamingMode(contentLength);
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
      return delegate.getOutputStream();
    }

    @Override
    public void setChunkedStreamingMode(int chunklen) {
      delegate.setChunkedStreamingMode(chunklen);
    }

    @Override
    public String getRequestMethod() {
      return delegate.getRequestMethod();
    }

    @Override
    public boolean usingProxy() {
      return delegate.usingProxy();
    }

    @Override
    public void connect() throws IOException {
      delegate.connect();
    }

    /** Ignored: JGit calls it only to turn certificate checks off ({@code http.sslVerify}). */
    @Override
    public void configure(KeyManager[] km, TrustManager[] tm, SecureRandom random) {
      LOG.warn("ignoring http.sslVerify=false: Weir always verifies TLS");
    }

    /** Ignored: JGit calls it only to turn host name checks off ({@code http.sslVerify}). */
    @Override
    public void setHostnameVerifier(HostnameVerifier hostnameverifier) {
      // as configure
    }
  }
}
