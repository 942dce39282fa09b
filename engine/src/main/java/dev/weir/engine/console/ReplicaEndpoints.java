package dev.weir.engine.console;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The in-cluster reconciler's HTTP endpoints for the kubelet and Prometheus: {@code /healthz}
 * (200 while the process and its Lease keeper run, else 503: restart me), {@code /readyz} (200
 * once the repository is read, every application compared and the Leases reached, else 503) and
 * {@code /metrics} (Prometheus text exposition format 0.0.4). Plain JDK HTTP server, one virtual
 * thread per request; nothing else is served (404), and only GET (405).
 */
final class ReplicaEndpoints implements AutoCloseable {
  /** What the endpoints report. */
  interface Probe {
    boolean healthy();

    boolean ready();

    String metrics();
  }

  private final HttpServer server;
  private final ExecutorService threads;

  private ReplicaEndpoints(HttpServer server, ExecutorService threads) {
    this.server = server;
    this.threads = threads;
  }

  static ReplicaEndpoints start(String host, int port, Probe probe) {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(host, port), 64);
    } catch (IOException e) {
      throw new ConsoleException(
          ConsoleException.Kind.BAD_INPUT,
          "--listen " + host + ":" + port + ": cannot listen there: " + e.getMessage());
    }
    ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    server.setExecutor(threads);
    server.createContext(
        "/healthz", exchange -> answer(exchange, () -> probe.healthy() ? "ok\n" : null, "text/plain"));
    server.createContext(
        "/readyz", exchange -> answer(exchange, () -> probe.ready() ? "ok\n" : null, "text/plain"));
    server.createContext(
        "/metrics",
        exchange -> answer(exchange, probe::metrics, "text/plain; version=0.0.4; charset=utf-8"));
    server.createContext("/", exchange -> send(exchange, 404, "not found\n", "text/plain"));
    server.start();
    return new ReplicaEndpoints(server, threads);
  }

  /** The port bound. */
  int port() {
    return server.getAddress().getPort();
  }

  private static void answer(HttpExchange exchange, Supplier<String> body, String type)
      throws IOException {
    if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
      send(exchange, 405, "only GET\n", "text/plain");
      return;
    }
    if (!exchange.getRequestURI().getPath().equals(exchange.getHttpContext().getPath())) {
      send(exchange, 404, "not found\n", "text/plain");
      return;
    }
    String text;
    try {
      text = body.get();
    } catch (RuntimeException e) {
      send(exchange, 500, "error: " + e.getClass().getSimpleName() + "\n", "text/plain");
      return;
    }
    if (text == null) {
      send(exchange, 503, "not yet\n", "text/plain");
    } else {
      send(exchange, 200, text, type);
    }
  }

  private static void send(HttpExchange exchange, int status, String text, String type)
      throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    boolean head = "HEAD".equals(exchange.getRequestMethod());
    exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      if (!head) {
        out.write(bytes);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
