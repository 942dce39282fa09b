package dev.weir.engine.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real {@code prometheus} or {@code prometheus-pushgateway} process (the Debian packages) on a
 * free loopback port with its data in a temporary directory, ready when {@link #start} returns.
 * Missing binaries fail the test with what to install: CI installs them, so a silent skip would
 * hide a broken setup.
 */
public final class PrometheusProcess implements AutoCloseable {
  private static final String INSTALL =
      "; install the Debian packages: apt-get install -y --no-install-recommends"
          + " prometheus prometheus-pushgateway (CI installs them through .ci/run)";

  private final Process process;
  private final URI address;
  private final Path log;

  private PrometheusProcess(Process process, URI address, Path log) {
    this.process = process;
    this.address = address;
    this.log = log;
  }

  /**
   * Prometheus with {@code scrapeConfigs} (YAML list items under {@code scrape_configs:}) scraping
   * every second.
   */
  public static PrometheusProcess prometheus(Path dir, String scrapeConfigs) throws IOException {
    int port = freePort();
    Files.createDirectories(dir);
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(
        config,
        "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n"
            + scrapeConfigs);
    return start(
        dir,
        "prometheus",
        List.of(
            "--config.file=" + config,
            "--storage.tsdb.path=" + dir.resolve("data"),
            "--web.listen-address=127.0.0.1:" + port,
            "--web.enable-lifecycle"),
        port);
  }

  /** A Pushgateway on a free port. */
  public static PrometheusProcess pushgateway(Path dir) throws IOException {
    return pushgatewayOn(dir, freePort());
  }

  /** A Pushgateway on {@code port} (e.g. to bring one back where it was). */
  public static PrometheusProcess pushgatewayOn(Path dir, int port) throws IOException {
    return start(
        dir,
        "prometheus-pushgateway",
        List.of(
            "--web.listen-address=127.0.0.1:" + port,
            "--persistence.file=" + dir.resolve("pg.store")),
        port);
  }

  private static PrometheusProcess start(Path dir, String binary, List<String> args, int port)
      throws IOException {
    Path executable = find(binary);
    Files.createDirectories(dir);
    Path log = dir.resolve(binary + ".log");
    List<String> command = new ArrayList<>();
    command.add(executable.toString());
    command.addAll(args);
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    URI address = URI.create("http://127.0.0.1:" + port + "/");
    PrometheusProcess started = new PrometheusProcess(process, address, log);
    started.awaitReady(binary);
    return started;
  }

  /** The base URL, ending with {@code /}. */
  public URI address() {
    return address;
  }

  /** The port it listens on. */
  public int port() {
    return address.getPort();
  }

  /** Stops it (SIGTERM, then SIGKILL after 10 s). */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  /** The process output so far, for failure messages. */
  public String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  // Waiting on an external process to become ready is the one place a test polls real time.
  private void awaitReady(String binary) throws IOException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException(binary + " exited with " + process.exitValue() + ":\n" + log());
      }
      try {
        HttpResponse<Void> response =
            http.send(
                HttpRequest.newBuilder(address.resolve("-/ready"))
                    .timeout(Duration.ofSeconds(1))
                    .build(),
                HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for " + binary, e);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for " + binary, e);
      }
    }
    close();
    throw new IOException(binary + " was not ready within 20 s:\n" + log());
  }

  private static Path find(String binary) {
    for (String dir :
        System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(java.io.File.pathSeparator)) {
      Path candidate = Path.of(dir, binary);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    throw new AssertionError(binary + " is not on PATH" + INSTALL);
  }

  /** A free loopback port (closed again; a small race with other processes is accepted). */
  public static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
