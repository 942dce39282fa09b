package dev.weir.engine.git;

import java.io.File;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLHandshakeException;
import org.eclipse.jgit.api.TransportCommand;
import org.eclipse.jgit.errors.NoRemoteRepositoryException;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.TransportHttp;
import org.eclipse.jgit.transport.sshd.JGitKeyCache;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.eclipse.jgit.transport.sshd.SshdSessionFactoryBuilder;

/**
 * Everything a JGit network command needs, configured once per workspace: HTTPS credentials bound
 * to the repository's https origin, HTTP connections that send an {@code Authorization} header
 * nowhere else, the Apache MINA SSH session factory with strict known_hosts checking and the
 * ssh-agent, the timeout — and the translation of JGit's failures into {@link GitError}s without
 * credentials in them.
 *
 * <p>Thread-safe. The SSH factory is created on first use and closed with this object.
 */
final class Transports implements AutoCloseable {
  private final GitSettings settings;
  private final RemoteUrl remote;
  private final HttpsCredentials credentials;
  private final RepositoryHttp http;
  private final StrictKnownHosts knownHosts;
  private SshdSessionFactory ssh;

  /**
   * @throws GitException {@code INVALID_REQUEST} when {@code GIT_SSL_CAINFO} names no readable
   *     certificates
   */
  Transports(GitSettings settings, RemoteUrl remote) {
    this.settings = settings;
    this.remote = remote;
    this.credentials =
        new HttpsCredentials(
            settings.environment(), settings.credentialHelper(), settings.networkTimeout(), remote);
    this.http = RepositoryHttp.forRemote(remote, settings.environment());
    Path sshDir = settings.sshDirectory();
    this.knownHosts =
        new StrictKnownHosts(
            List.of(sshDir.resolve("known_hosts"), sshDir.resolve("known_hosts2")));
  }

  /** Applies credentials, SSH and timeout to a JGit command. */
  <C extends TransportCommand<C, ?>> C configure(C command) {
    credentials.startOperation();
    command.setCredentialsProvider(credentials);
    command.setTimeout((int) Math.max(1, settings.networkTimeout().toSeconds()));
    command.setTransportConfigCallback(
        transport -> {
          if (transport instanceof SshTransport sshTransport) {
            sshTransport.setSshSessionFactory(sshFactory());
          } else if (transport instanceof TransportHttp httpTransport) {
            httpTransport.setHttpConnectionFactory(http);
          }
        });
    return command;
  }

  private synchronized SshdSessionFactory sshFactory() {
    if (ssh == null) {
      File sshDir = settings.sshDirectory().toFile();
      ssh =
          new SshdSessionFactoryBuilder()
              .setHomeDirectory(settings.homeDirectory().toFile())
              .setSshDirectory(sshDir)
              .setDefaultKnownHostsFiles(
                  dir ->
                      List.of(
                          dir.toPath().resolve("known_hosts"),
                          dir.toPath().resolve("known_hosts2")))
              .setServerKeyDatabase((home, dir) -> knownHosts)
              .setConnectorFactory(new UnixSocketAgentConnectorFactory(settings.environment()))
              .setPreferredAuthentications("publickey")
              .build(new JGitKeyCache());
    }
    return ssh;
  }

  /** Text with every secret and every URL's user info masked. */
  String scrub(String text) {
    return credentials.scrub(text);
  }

  /**
   * Translates a JGit failure of {@code action} (e.g. "fetch") against the repository into an error
   * value whose message carries no credential.
   */
  GitError classify(Throwable failure, String action) {
    String where = action + " " + remote.display();
    String refusal = knownHosts.takeRefusal();
    if (refusal != null) {
      return new GitError(GitError.Reason.HOST_KEY_REJECTED, refusal);
    }
    String detail = "";
    for (Throwable t = failure; t != null; t = t.getCause()) {
      String message = t.getMessage() == null ? "" : t.getMessage();
      String lower = message.toLowerCase(Locale.ROOT);
      if (t instanceof UnknownHostException) {
        return new GitError(
            GitError.Reason.UNREACHABLE, where + " failed: unknown host " + scrub(message));
      }
      if (t instanceof ConnectException
          || t instanceof NoRouteToHostException
          || lower.contains("connection refused")
          || lower.contains("no route to host")) {
        return new GitError(
            GitError.Reason.UNREACHABLE,
            where
                + " failed: the remote cannot be reached ("
                + (lower.contains("no route") ? "no route to host" : "connection refused")
                + ")");
      }
      if (t instanceof SocketTimeoutException
          || (t instanceof InterruptedIOException && lower.contains("time"))
          || lower.contains("timed out")
          || lower.contains("timeout")) {
        return new GitError(
            GitError.Reason.UNREACHABLE, where + " failed: the remote did not answer in time");
      }
      if (t instanceof SSLHandshakeException || lower.contains("because of ssl problems")) {
        return new GitError(GitError.Reason.REMOTE_ERROR, where + " failed: " + tlsHint(failure));
      }
      if (lower.contains("not authorized")
          || lower.contains("authentication is required")
          || lower.contains("authentication not supported")
          || lower.contains("no more authentication methods")
          || lower.contains("auth fail")
          || lower.contains("401 unauthorized")) { // not a bare "401": paths and ids contain digits
        return new GitError(GitError.Reason.AUTH_FAILED, where + " failed: " + authHint());
      }
      if (t instanceof NoRemoteRepositoryException
          || lower.contains("repository not found")
          || lower.contains("not found") && lower.contains("repository")) {
        return new GitError(GitError.Reason.NOT_FOUND, where + " failed: no Git repository there");
      }
      if (detail.isEmpty() && !message.isBlank()) {
        detail = message;
      }
    }
    String cleaned =
        scrub(detail).replace(remote.display() + ": ", "").replace(remote.stored() + ": ", "");
    return new GitError(GitError.Reason.REMOTE_ERROR, where + " failed: " + cleaned);
  }

  /** Why TLS failed, in the words of the first cause that names the certificate or the host. */
  private static String tlsHint(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      String message = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
      if (t instanceof CertificateException
          || message.contains("certification path")
          || message.contains("subject alternative")) {
        return "the server's TLS certificate is not trusted or does not name this host; if it is"
            + " the right server, set "
            + RepositoryHttp.CA_VARIABLE
            + " to a PEM file with the certificate of its CA";
      }
    }
    return "no TLS connection could be established with the server";
  }

  private String authHint() {
    String problem = credentials.problem();
    if (remote.isHttp()) {
      return "the remote asks for credentials, and Weir sends them only over https: use the"
          + " repository's https:// URL";
    }
    if (problem != null) {
      return problem;
    }
    if (remote.isHttps()) {
      if (remote.hasLogin()) {
        return "the remote refused the login in the URL";
      }
      boolean token = settings.environment().containsKey(GitSettings.TOKEN_VARIABLE);
      return token
          ? "the remote refused the token from " + GitSettings.TOKEN_VARIABLE
          : "the remote refused the credentials (or none were found); set "
              + GitSettings.TOKEN_VARIABLE
              + " or configure a git credential helper";
    }
    return "the server accepted none of the SSH keys (" + settings.sshDirectory() + ", ssh-agent)";
  }

  @Override
  public synchronized void close() {
    if (ssh != null) {
      ssh.close();
      ssh = null;
    }
  }
}
