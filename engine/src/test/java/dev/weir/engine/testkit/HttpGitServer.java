package dev.weir.engine.testkit;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.EnumSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jgit.errors.RepositoryNotFoundException;
import org.eclipse.jgit.http.server.GitServlet;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.ReceivePack;

/**
 * A real smart-HTTP Git server on a loopback port: JGit's {@link GitServlet} in Jetty 12 (ee10),
 * behind HTTP basic authentication with one user, serving fetch and push for the bare repositories
 * under a root directory at {@code http://127.0.0.1:PORT/git/NAME}.
 */
public final class HttpGitServer implements AutoCloseable {
  private final Server server;
  private final int port;
  private final AtomicReference<Runnable> beforeNextPush;
  private final AtomicInteger refusedLogins;

  private HttpGitServer(
      Server server, int port, AtomicReference<Runnable> beforeNextPush, AtomicInteger refused) {
    this.server = server;
    this.port = port;
    this.beforeNextPush = beforeNextPush;
    this.refusedLogins = refused;
  }

  /**
   * Starts a server for the repositories under {@code root}, admitting {@code user}:{@code
   * password}.
   */
  public static HttpGitServer start(Path root, String user, String password) {
    AtomicReference<Runnable> beforeNextPush = new AtomicReference<>();
    AtomicInteger refused = new AtomicInteger();
    GitServlet git = new GitServlet();
    git.setRepositoryResolver(
        (request, name) -> {
          Path dir = root.resolve(name).normalize();
          if (!dir.startsWith(root) || !Files.isDirectory(dir)) {
            throw new RepositoryNotFoundException(name);
          }
          try {
            return new FileRepositoryBuilder().setGitDir(dir.toFile()).setMustExist(true).build();
          } catch (IOException e) {
            throw new RepositoryNotFoundException(name, e);
          }
        });
    git.setReceivePackFactory(
        (request, repository) -> {
          Runnable action = beforeNextPush.getAndSet(null);
          if (action != null) {
            action.run();
          }
          return new ReceivePack(repository);
        });
    String expected =
        "Basic "
            + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    Filter basicAuth =
        (ServletRequest req, ServletResponse res, FilterChain chain) -> {
          HttpServletRequest request = (HttpServletRequest) req;
          if (!expected.equals(request.getHeader("Authorization"))) {
            if (request.getHeader("Authorization") != null) {
              refused.incrementAndGet();
            }
            HttpServletResponse response = (HttpServletResponse) res;
            response.setHeader("WWW-Authenticate", "Basic realm=\"git\"");
            response.sendError(HttpServletResponse.SC_UNAUTHORIZED);
            return;
          }
          chain.doFilter(
              new HttpServletRequestWrapper(request) {
                @Override
                public String getRemoteUser() {
                  return user;
                }
              },
              res);
        };

    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    context.addFilter(new FilterHolder(basicAuth), "/*", EnumSet.of(DispatcherType.REQUEST));
    context.addServlet(new ServletHolder(git), "/git/*");
    server.setHandler(context);
    try {
      server.start();
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the HTTP Git server", e);
    }
    return new HttpGitServer(server, connector.getLocalPort(), beforeNextPush, refused);
  }

  public int port() {
    return port;
  }

  /** The URL of the repository {@code name} under the root. */
  public String url(String name) {
    return "http://127.0.0.1:" + port + "/git/" + name;
  }

  /**
   * Runs {@code action} once, when the next push connects, before the server advertises its refs.
   */
  public void beforeNextPush(Runnable action) {
    beforeNextPush.set(action);
  }

  /** How many requests came with wrong credentials. */
  public int refusedLogins() {
    return refusedLogins.get();
  }

  /** Stops the server: the remote "goes away". */
  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException("cannot stop the HTTP Git server", e);
    }
  }
}
