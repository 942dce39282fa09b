package dev.weir.engine.git;

import java.io.File;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.eclipse.jgit.api.TransportCommand;
import org.eclipse.jgit.errors.NoRemoteRepositoryException;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.sshd.JGitKeyCache;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.eclipse.jgit.transport.sshd.SshdSessionFactoryBuilder;

/**
 * Everything a JGit network command needs, configured once per workspace: HTTPS credentials, the
 * Apache MINA SSH session factory with strict known_hosts checking and the ssh-agent, the timeout —
 * and the translation of JGit's failures into {@link GitError}s without credentials in them.
 *
 * <p>Thread-safe. The SSH factory is created on first use and closed with this object.
 */
final class Transports implements AutoCloseable {
  private final GitSettings settings;
  private final HttpsCredentials credentials;
  private final StrictKnownHosts knownHosts;
  private SshdSessionFactory ssh;

  Transports(GitSettings settings) {
    this.settings = settings;
    this.credentials =
        new HttpsCredentials(
            settings.environment(), settings.credentialHelper(), settings.networkTimeout());
    Path sshDir = settings.sshDirectory();
    this.knownHosts =
        new StrictKnownHosts(
            List.of(sshDir.resolve("known_hosts"), sshDir.resolve("known_hosts2")));
  }

  /** Applies credentials, SSH and timeout to a JGit command. */
  <C extends TransportCommand<C, ?>> C configure(C command) {
    command.setCredentialsProvider(credentials);
    command.setTimeout((int) Math.max(1, settings.networkTimeout().toSeconds()));
    command.setTransportConfigCallback(
        transport -> {
          if (transport instanceof SshTransport sshTransport) {
            sshTransport.setSshSessionFactory(sshFactory());
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

  /** Text with every secret and URL password masked. */
  String scrub(String text) {
    return credentials.scrub(text);
  }

  /**
   * Translates a JGit failure of {@code action} (e.g. "fetch") against {@code url} into an error
   * value whose message carries no credential.
   */
  GitError classify(Throwable failure, String action, String url) {
    String where = action + " " + Redaction.url(url);
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
      if (lower.contains("not authorized")
          || lower.contains("authentication is required")
          || lower.contains("authentication not supported")
          || lower.contains("no more authentication methods")
          || lower.contains("auth fail")
          || lower.contains("401 unauthorized")) { // not a bare "401": paths and ids contain digits
        return new GitError(GitError.Reason.AUTH_FAILED, where + " failed: " + authHint(url));
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
    String cleaned = scrub(detail).replace(Redaction.url(url) + ": ", "").replace(url + ": ", "");
    return new GitError(GitError.Reason.REMOTE_ERROR, where + " failed: " + cleaned);
  }

  private String authHint(String url) {
    if (url.startsWith("http://") || url.startsWith("https://")) {
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
