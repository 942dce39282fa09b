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
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jgit.errors.RepositoryNotFoundException;
import org.eclipse.jgit.http.server.GitServlet;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.ReceivePack;

/**
 * A real smart-HTTP Git server on a loopback port: JGit's {@link GitServlet} in Jetty 12 (ee10),
 * behind HTTP basic authentication with one user, serving fetch and push for the bare repositories
 * under a root directory at {@code http://127.0.0.1:PORT/git/NAME} — or {@code https://} with a
 * {@link TestTls} certificate. It records every request it receives (with its {@code Authorization}
 * header), and can send authorized requests on to another server with a redirect.
 */
public final class HttpGitServer implements AutoCloseable {
  /** One request as the server received it. */
  public record Received(String method, String path, String authorization) {}

  private final Server server;
  private final int port;
  private final String scheme;
  private final AtomicReference<Runnable> beforeNextPush;
  private final AtomicInteger refusedLogins;
  private final List<Received> received;
  private final AtomicReference<String> redirectTo;

  private HttpGitServer(
      Server server,
      int port,
      String scheme,
      AtomicReference<Runnable> beforeNextPush,
      AtomicInteger refused,
      List<Received> received,
      AtomicReference<String> redirectTo) {
    this.server = server;
    this.port = port;
    this.scheme = scheme;
    this.beforeNextPush = beforeNextPush;
    this.refusedLogins = refused;
    this.received = received;
    this.redirectTo = redirectTo;
  }

  /**
   * Starts a plain-http server for the repositories under {@code root}, admitting {@code
   * user}:{@code password}.
   */
  public static HttpGitServer start(Path root, String user, String password) {
    return start(root, user, password, null);
  }

  /**
   * Starts an https server for the repositories under {@code root} with the certificate {@code
   * tls}, admitting {@code user}:{@code password}.
   */
  public static HttpGitServer startHttps(Path root, String user, String password, TestTls tls) {
    return start(root, user, password, tls);
  }

  private static HttpGitServer start(Path root, String user, String password, TestTls tls) {
    AtomicReference<Runnable> beforeNextPush = new AtomicReference<>();
    AtomicInteger refused = new AtomicInteger();
    List<Received> received = new CopyOnWriteArrayList<>();
    AtomicReference<String> redirectTo = new AtomicReference<>();
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
          String query = request.getQueryString() == null ? "" : "?" + request.getQueryString();
          received.add(
              new Received(
                  request.getMethod(),
                  request.getRequestURI() + query,
                  request.getHeader("Authorization")));
          HttpServletResponse response = (HttpServletResponse) res;
          if (!expected.equals(request.getHeader("Authorization"))) {
            if (request.getHeader("Authorization") != null) {
              refused.incrementAndGet();
            }
            response.setHeader("WWW-Authenticate", "Basic realm=\"git\"");
            response.sendError(HttpServletResponse.SC_UNAUTHORIZED);
            return;
          }
          String target = redirectTo.get();
          if (target != null) {
            response.setHeader("Location", target + request.getRequestURI() + query);
            response.setStatus(HttpServletResponse.SC_FOUND);
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
    ServerConnector connector;
    if (tls == null) {
      connector = new ServerConnector(server);
    } else {
      SslContextFactory.Server ssl = new SslContextFactory.Server();
      ssl.setKeyStore(tls.keyStore());
      ssl.setKeyStorePassword(TestTls.PASSWORD);
      HttpConfiguration https = new HttpConfiguration();
      SecureRequestCustomizer secure = new SecureRequestCustomizer();
      secure.setSniHostCheck(false);
      https.addCustomizer(secure);
      connector =
          new ServerConnector(
              server, new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(https));
    }
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
    return new HttpGitServer(
        server,
        connector.getLocalPort(),
        tls == null ? "http" : "https",
        beforeNextPush,
        refused,
        received,
        redirectTo);
  }

  public int port() {
    return port;
  }

  /** The URL of the repository {@code name} under the root. */
  public String url(String name) {
    return url("127.0.0.1", name);
  }

  /** The URL of the repository {@code name} under the root, naming this machine {@code host}. */
  public String url(String host, String name) {
    return base(host) + "/git/" + name;
  }

  /** {@code scheme://host:port}, naming this machine {@code host}. */
  public String base(String host) {
    return scheme + "://" + host + ":" + port;
  }

  /**
   * From now on, answers every request that carries the right login with a redirect to the same
   * path under {@code base} ({@code https://host:port}), as a moved repository does.
   */
  public void redirectAuthorizedTo(String base) {
    redirectTo.set(base);
  }

  /** Every request received so far, in order. */
  public List<Received> received() {
    return List.copyOf(received);
  }

  /** The {@code Authorization} headers received so far, in order. */
  public List<String> authorizations() {
    return received.stream().map(Received::authorization).filter(a -> a != null).toList();
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
