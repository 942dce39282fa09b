package dev.weir.engine.git;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.errors.UnsupportedCredentialItem;
import org.eclipse.jgit.transport.CredentialItem;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.URIish;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTPS credentials for JGit: the token in {@code WEIR_GIT_TOKEN}, else whatever the user's git
 * credential helper answers to {@code git credential fill}. JGit has no provider that runs
 * credential helpers, hence this one. It answers only for http(s) URLs, so an HTTPS token is never
 * offered as an SSH key passphrase, and never prompts.
 *
 * <p>Every secret it hands out is remembered so that {@link #scrub} can remove it from messages.
 * Thread-safe.
 */
final class HttpsCredentials extends CredentialsProvider {
  private static final Logger LOG = LoggerFactory.getLogger(HttpsCredentials.class);

  private record Login(String user, char[] password) {}

  private final Map<String, String> environment;
  private final boolean useHelper;
  private final Duration helperTimeout;
  private final Map<String, Login> cache = new ConcurrentHashMap<>();
  private final Set<String> handedOut = ConcurrentHashMap.newKeySet();

  HttpsCredentials(Map<String, String> environment, boolean useHelper, Duration helperTimeout) {
    this.environment = environment;
    this.useHelper = useHelper;
    this.helperTimeout = helperTimeout;
    String token = environment.get(GitSettings.TOKEN_VARIABLE);
    if (token != null && !token.isBlank()) {
      handedOut.add(token);
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
    Login login = cache.computeIfAbsent(key(uri), k -> lookUp(uri));
    if (login.user() == null) {
      return false;
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
    cache.remove(key(uri));
  }

  /** The text with every secret this provider handed out, and every URL password, masked. */
  String scrub(String text) {
    return Redaction.text(text, handedOut);
  }

  private static String key(URIish uri) {
    return uri.getScheme() + "://" + uri.getHost() + ":" + uri.getPort() + "/" + uri.getPath();
  }

  private Login lookUp(URIish uri) {
    String token = environment.get(GitSettings.TOKEN_VARIABLE);
    if (token != null && !token.isBlank()) {
      String user = environment.getOrDefault(GitSettings.USERNAME_VARIABLE, "x-access-token");
      return new Login(user.isBlank() ? "x-access-token" : user, token.toCharArray());
    }
    if (useHelper) {
      Login fromHelper = askHelper(uri);
      if (fromHelper != null) {
        handedOut.add(new String(fromHelper.password()));
        return fromHelper;
      }
    }
    return new Login(null, null);
  }

  /** Runs {@code git credential fill}; null when git or the helper has nothing to offer. */
  private Login askHelper(URIish uri) {
    StringBuilder request = new StringBuilder();
    request.append("protocol=").append(uri.getScheme()).append('\n');
    request.append("host=").append(uri.getHost());
    if (uri.getPort() > 0) {
      request.append(':').append(uri.getPort());
    }
    request.append('\n');
    String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/+", "");
    if (!path.isEmpty()) {
      request.append("path=").append(path).append('\n');
    }
    if (uri.getUser() != null) {
      request.append("username=").append(uri.getUser()).append('\n');
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
    try {
      try (OutputStream in = process.getOutputStream()) {
        in.write(request.toString().getBytes(StandardCharsets.UTF_8));
      }
      byte[] answer = process.getInputStream().readAllBytes();
      if (!process.waitFor(helperTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        LOG.warn("git credential fill did not answer within {}", helperTimeout);
        return null;
      }
      if (process.exitValue() != 0) {
        LOG.debug("git credential fill found no credentials for {}", uri.getHost());
        return null;
      }
      String user = null;
      String password = null;
      for (String line : new String(answer, StandardCharsets.UTF_8).split("\n")) {
        if (line.startsWith("username=")) {
          user = line.substring("username=".length());
        } else if (line.startsWith("password=")) {
          password = line.substring("password=".length());
        }
      }
      return user == null || password == null ? null : new Login(user, password.toCharArray());
    } catch (IOException e) {
      LOG.debug("git credential fill failed ({})", e.getClass().getSimpleName());
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      return null;
    }
  }
}
