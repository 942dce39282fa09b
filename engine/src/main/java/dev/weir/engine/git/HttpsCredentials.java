package dev.weir.engine.git;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jgit.errors.UnsupportedCredentialItem;
import org.eclipse.jgit.transport.CredentialItem;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.URIish;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTPS credentials for JGit, for one repository: the login in the repository URL's user info, else
 * the token in {@code WEIR_GIT_TOKEN}, else whatever the user's git credential helper answers to
 * {@code git credential fill}, else a user name alone in the URL (a token given as the user name)
 * with an empty password. JGit has no provider that runs credential helpers, hence this one.
 *
 * <p>Credentials go only where they belong: this provider answers only for {@code https} and only
 * for the repository's own host and port. A plain {@code http} repository, a redirect to another
 * host or port, or any other URL gets nothing, and the helper is not even asked. It never answers
 * for SSH (so a token is never offered as a key passphrase) and never prompts. The helper gets
 * {@link #helperTimeout} to answer; one that does not is ended, with its child processes.
 *
 * <p>Every secret it holds or hands out is remembered so that {@link #scrub} can remove it from
 * messages. Thread-safe.
 */
final class HttpsCredentials extends CredentialsProvider {
  private static final Logger LOG = LoggerFactory.getLogger(HttpsCredentials.class);

  private record Login(String user, char[] password) {}

  private static final String ORIGIN = "origin";

  private final Map<String, String> environment;
  private final boolean useHelper;
  private final Duration helperTimeout;
  private final RemoteUrl remote;
  private final Map<String, Login> cache = new ConcurrentHashMap<>();
  private final Set<String> secrets = ConcurrentHashMap.newKeySet();
  private volatile String problem;

  /**
   * @param environment the environment of {@code git credential fill} and the token's source
   * @param useHelper whether to ask the git credential helper
   * @param helperTimeout how long the helper may take before it is ended
   * @param remote the repository these credentials are for; they go to its https origin only
   */
  HttpsCredentials(
      Map<String, String> environment,
      boolean useHelper,
      Duration helperTimeout,
      RemoteUrl remote) {
    this.environment = environment;
    this.useHelper = useHelper;
    this.helperTimeout = helperTimeout;
    this.remote = remote;
    remember(environment.get(GitSettings.TOKEN_VARIABLE));
    remember(remote.password());
    if (remote.password() == null) {
      remember(remote.user()); // a user name alone is often a token
    }
  }

  @Override
  public boolean isInteractive() {
    return false;
  }

  @Override
  public boolean supports(CredentialItem... items) {
    for (CredentialItem item : items) {
      if (!(item instanceof CredentialItem.Username
          || item instanceof CredentialItem.Password
          || item instanceof CredentialItem.InformationalMessage)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public boolean get(URIish uri, CredentialItem... items) throws UnsupportedCredentialItem {
    String scheme = uri.getScheme();
    if (scheme == null || !(scheme.equals("https") || scheme.equals("http"))) {
      return false;
    }
    if (!remote.isHttps()) {
      problem = "Weir sends credentials only over https, and " + remote.display() + " is not";
      LOG.debug("no credentials for {}: not https", remote.display());
      return false;
    }
    if (!remote.sameOrigin(scheme, uri.getHost(), uri.getPort())) {
      String elsewhere =
          scheme + "://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
      problem =
          "the remote sent Weir to "
              + elsewhere
              + ", and Weir sends credentials only to the repository's own host "
              + remote.hostAndPort()
              + " over https";
      LOG.warn("no credentials for {}: not the host of {}", elsewhere, remote.display());
      return false;
    }
    Login login = cache.get(ORIGIN);
    if (login == null) {
      login = lookUp();
      if (login == null) {
        return false; // not cached: the helper is asked again next time
      }
      cache.put(ORIGIN, login);
    }
    for (CredentialItem item : items) {
      if (item instanceof CredentialItem.Username username) {
        username.setValue(login.user());
      } else if (item instanceof CredentialItem.Password password) {
        password.setValue(login.password().clone());
      } else if (!(item instanceof CredentialItem.InformationalMessage)) {
        throw new UnsupportedCredentialItem(uri, item.getClass().getSimpleName());
      }
    }
    return true;
  }

  @Override
  public void reset(URIish uri) {
    cache.clear();
  }

  /** The text with every secret this provider holds, and every URL's user info, masked. */
  String scrub(String text) {
    return Redaction.text(text, secrets);
  }

  /**
   * Why no credentials were offered the last time the remote asked for them (not https, another
   * host, the helper did not answer), or null. Never contains a secret.
   */
  String problem() {
    return problem;
  }

  /** Forgets the last {@link #problem()}: called as a network operation starts. */
  void startOperation() {
    problem = null;
  }

  private void remember(String secret) {
    if (secret != null && !secret.isBlank()) {
      secrets.add(secret);
    }
  }

  /** The login for the repository, in the order of the class comment; null when there is none. */
  private Login lookUp() {
    if (remote.user() != null && remote.password() != null) {
      return new Login(remote.user(), remote.password().toCharArray());
    }
    String token = environment.get(GitSettings.TOKEN_VARIABLE);
    if (token != null && !token.isBlank()) {
      String user =
          remote.user() != null
              ? remote.user()
              : environment.getOrDefault(GitSettings.USERNAME_VARIABLE, "x-access-token");
      return new Login(user.isBlank() ? "x-access-token" : user, token.toCharArray());
    }
    if (useHelper) {
      Login fromHelper = askHelper();
      if (fromHelper != null) {
        remember(new String(fromHelper.password()));
        return fromHelper;
      }
    }
    if (remote.user() != null) {
      // https://TOKEN@host/…: the user name is the credential, as git hosts accept it.
      return new Login(remote.user(), new char[0]);
    }
    return null;
  }

  /** Runs {@code git credential fill} for the repository; null when it has nothing to offer. */
  private Login askHelper() {
    StringBuilder request = new StringBuilder();
    request.append("protocol=https\n");
    request.append("host=").append(remote.hostAndPort()).append('\n');
    String path = pathOf(remote.stored());
    if (!path.isEmpty()) {
      request.append("path=").append(path).append('\n');
    }
    if (remote.user() != null) {
      request.append("username=").append(remote.user()).append('\n');
    }
    request.append('\n');

    ProcessBuilder builder = new ProcessBuilder("git", "credential", "fill");
    builder.environment().clear();
    builder.environment().putAll(environment);
    builder.environment().put("GIT_TERMINAL_PROMPT", "0");
    builder.environment().put("GCM_INTERACTIVE", "never");
    builder.environment().put("GIT_ASKPASS", "");
    builder.environment().put("SSH_ASKPASS", "");
    builder.redirectError(ProcessBuilder.Redirect.DISCARD);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      LOG.debug("no git credential helper: cannot run git ({})", e.getClass().getSimpleName());
      return null;
    }
    // Read on another thread: a helper that never closes its output must not block the timeout.
    FutureTask<byte[]> answer = new FutureTask<>(() -> process.getInputStream().readAllBytes());
    Thread.ofPlatform().daemon().name("git-credential-fill").start(answer);
    try {
      try (OutputStream in = process.getOutputStream()) {
        in.write(request.toString().getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        LOG.debug(
            "git credential fill did not read its request ({})", e.getClass().getSimpleName());
      }
      long deadline = System.nanoTime() + helperTimeout.toNanos();
      boolean exited = process.waitFor(helperTimeout.toNanos(), TimeUnit.NANOSECONDS);
      byte[] output =
          exited
              ? answer.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)
              : null;
      if (output == null) {
        throw new TimeoutException();
      }
      if (process.exitValue() != 0) {
        LOG.debug("git credential fill found no credentials for {}", remote.hostAndPort());
        return null;
      }
      return parse(new String(output, StandardCharsets.UTF_8));
    } catch (TimeoutException e) {
      problem =
          "the git credential helper did not answer within "
              + describe(helperTimeout)
              + " and was stopped";
      LOG.warn("{}", problem);
      return null;
    } catch (ExecutionException e) {
      LOG.debug("git credential fill failed ({})", e.getCause().getClass().getSimpleName());
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } finally {
      if (process.isAlive()) {
        destroyTree(process);
      }
      answer.cancel(true);
    }
  }

  /** Ends git and whatever helper it started: children first, found before the parent goes. */
  private static void destroyTree(Process process) {
    List<ProcessHandle> children = process.descendants().toList();
    process.destroyForcibly();
    children.forEach(ProcessHandle::destroyForcibly);
  }

  private static Login parse(String answer) {
    String user = null;
    String password = null;
    String protocol = null;
    for (String line : answer.split("\n")) {
      if (line.startsWith("username=")) {
        user = line.substring("username=".length());
      } else if (line.startsWith("password=")) {
        password = line.substring("password=".length());
      } else if (line.startsWith("protocol=")) {
        protocol = line.substring("protocol=".length());
      }
    }
    if (protocol != null && !protocol.equals("https")) {
      return null;
    }
    return user == null || password == null ? null : new Login(user, password.toCharArray());
  }

  private static String pathOf(String url) {
    int scheme = url.indexOf("://");
    int slash = scheme < 0 ? -1 : url.indexOf('/', scheme + 3);
    return slash < 0 ? "" : url.substring(slash).replaceFirst("^/+", "");
  }

  private static String describe(Duration duration) {
    long millis = duration.toMillis();
    return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
  }
}
