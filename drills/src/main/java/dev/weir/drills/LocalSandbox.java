package dev.weir.drills;

import dev.weir.engine.analysis.MetricProvider;
import dev.weir.engine.analysis.PrometheusMetricProvider;
import dev.weir.engine.analysis.PrometheusSettings;
import dev.weir.sandbox.api.SandboxApiServer;
import dev.weir.sandbox.api.SandboxOptions;
import dev.weir.sandbox.api.SandboxStateLocation;
import dev.weir.sandbox.world.SandboxWorld;
import dev.weir.sandbox.world.WorldSettings;
import dev.weir.engine.time.EngineClock;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The user's one sandbox: the cluster state kept under the data directory, served by exactly one
 * process at a time. Every command given {@code --sandbox}, and the consoles without a kubeconfig,
 * {@link #attach attach} to it: they reach the process that serves it ({@code weir sandbox serve})
 * through its kubeconfig, or, when none does, start the API server in-process on a free loopback
 * port. Either way the engine talks to it over HTTPS through a kubeconfig, like any cluster. It
 * runs on the wall clock: drills play on a {@link ScratchSandbox} copy, in virtual time, and leave
 * it as it was.
 *
 * <p>Design note. A file lock ({@code sandbox.lock}) marks the owner, so two processes never serve
 * (and save) the same state. The owner writes the kubeconfig next to the state; a serving owner
 * also writes {@code serve.properties} (URL, pid, kubeconfig) so that others can reach it. A lock
 * nobody holds means nobody serves, whatever stale files say.
 *
 * <p>Not thread-safe; one instance per command.
 */
public final class LocalSandbox implements AutoCloseable {
  private static final String SERVE_FILE = "serve.properties";

  private final SandboxStateLocation location;
  private final Path kubeconfig;
  private final URI url;
  private final SandboxApiServer server; // null when reached in another process
  private final SandboxWorld world; // null when reached in another process
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final boolean serving;

  private LocalSandbox(
      SandboxStateLocation location,
      Path kubeconfig,
      URI url,
      SandboxApiServer server,
      SandboxWorld world,
      FileChannel lockChannel,
      FileLock lock,
      boolean serving) {
    this.location = location;
    this.world = world;
    this.kubeconfig = kubeconfig;
    this.url = url;
    this.server = server;
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.serving = serving;
  }

  /**
   * Reaches the sandbox: through the process serving it, or by serving it in-process until {@link
   * #close()}.
   *
   * @throws IllegalStateException when another Weir process owns the sandbox without serving it
   */
  public static LocalSandbox attach(SandboxStateLocation location, EngineClock clock) throws IOException {
    Files.createDirectories(location.directory());
    Owned owned = acquire(location);
    if (owned == null) {
      Path serveFile = location.directory().resolve(SERVE_FILE);
      if (Files.isRegularFile(serveFile)) {
        Properties served = read(serveFile);
        return new LocalSandbox(location, Path.of(served.getProperty("kubeconfig")),
            URI.create(served.getProperty("url")), null, null, null, null, false);
      }
      throw new IllegalStateException("the sandbox in " + location.directory()
          + " is in use by another weir process; run 'weir sandbox serve' to share it between commands");
    }
    return own(location, clock, 0, location.directory().resolve("kubeconfig"), owned.channel(), owned.lock(), false);
  }

  /**
   * Serves the sandbox from this process until {@link #close()}, so that other commands, consoles and
   * kubectl reach it through {@code kubeconfig}.
   *
   * @param port the loopback port, 0 for any free one
   * @throws IllegalStateException when another process already owns the sandbox
   */
  public static LocalSandbox serve(SandboxStateLocation location, EngineClock clock, int port, Path kubeconfig)
      throws IOException {
    Files.createDirectories(location.directory());
    Owned owned = acquire(location);
    if (owned == null) {
      throw new IllegalStateException("the sandbox in " + location.directory()
          + " is already served or in use by another weir process");
    }
    return own(location, clock, port, kubeconfig, owned.channel(), owned.lock(), true);
  }

  private static LocalSandbox own(SandboxStateLocation location, EngineClock clock, int port, Path kubeconfig,
      FileChannel channel, FileLock lock, boolean serving) throws IOException {
    SandboxApiServer server;
    SandboxWorld world;
    try {
      server = SandboxApiServer.start(
          SandboxOptions.builder().stateFile(location.stateFile()).port(port).clock(clock).build());
      try {
        server.writeKubeconfig(kubeconfig, server.adminToken());
        world = SandboxWorld.attach(server, SandboxWorld.withSavedSeed(server, WorldSettings.defaults()));
      } catch (IOException | RuntimeException e) {
        server.close();
        throw e;
      }
    } catch (IOException | RuntimeException e) {
      release(location, channel, lock);
      throw e;
    }
    if (!serving) {
      Files.deleteIfExists(location.directory().resolve(SERVE_FILE)); // left by a server that was killed
    } else {
      Properties served = new Properties();
      served.setProperty("url", server.url().toString());
      served.setProperty("pid", Long.toString(ProcessHandle.current().pid()));
      served.setProperty("kubeconfig", kubeconfig.toAbsolutePath().toString());
      write(location.directory().resolve(SERVE_FILE), served);
    }
    return new LocalSandbox(location, kubeconfig.toAbsolutePath(), server.url(), server, world, channel, lock, serving);
  }

  /** The admin kubeconfig that reaches this sandbox (context {@code weir-sandbox}). */
  public Path kubeconfig() {
    return kubeconfig;
  }

  /** The API server's URL. */
  public URI url() {
    return url;
  }

  /** The API server, when this process serves the sandbox; empty when it reaches another process. */
  public Optional<SandboxApiServer> server() {
    return Optional.ofNullable(server);
  }

  /**
   * The simulated world (controllers, traffic, metrics) running on the API server, when this
   * process serves the sandbox; empty when it reaches another process, where the world runs.
   */
  public Optional<SandboxWorld> world() {
    return Optional.ofNullable(world);
  }

  /**
   * Starts the sandbox afresh: deletes its saved state (objects, metrics, what was seeded) and its
   * kubeconfig. Returns whether there was state to delete.
   *
   * @throws IllegalStateException when a Weir process serves or uses the sandbox now
   */
  public static boolean reset(SandboxStateLocation location) throws IOException {
    if (!Files.isDirectory(location.directory())) {
      return false;
    }
    Owned owned = acquire(location);
    if (owned == null) {
      throw new IllegalStateException("the sandbox in " + location.directory()
          + " is in use by another weir process (weir sandbox serve?); stop it first");
    }
    try {
      boolean existed = Files.deleteIfExists(location.stateFile());
      Files.deleteIfExists(location.directory().resolve("kubeconfig"));
      Files.deleteIfExists(location.directory().resolve(SERVE_FILE));
      return existed;
    } finally {
      release(location, owned.channel(), owned.lock());
    }
  }

  /** Where the sandbox keeps its state. */
  public SandboxStateLocation location() {
    return location;
  }

  /** Stops serving (saving the state) when this process served it; otherwise does nothing. */
  @Override
  public void close() throws IOException {
    if (server == null) {
      return;
    }
    try {
      if (serving) {
        Files.deleteIfExists(location.directory().resolve(SERVE_FILE));
      }
      server.close();
    } finally {
      release(location, lockChannel, lock);
    }
  }

  /** The lock on the sandbox, held by this process: its channel and lock. */
  private record Owned(FileChannel channel, FileLock lock) {}

  /**
   * The lock files this process holds. A lock is the process's (POSIX record locks): closing any
   * channel this process opened on the file releases it, even a channel that never held it. So
   * nobody here opens a second channel on a lock this process holds: {@code weir sandbox serve}'s
   * own commands (its warm-up status, forwarded statuses) reach the sandbox it serves without
   * losing its lock, which would let the next console serve a second sandbox beside it.
   */
  private static final java.util.Set<Path> HELD = new java.util.HashSet<>();

  /** Takes the sandbox's lock, or null when another process or this one holds it. */
  private static synchronized Owned acquire(SandboxStateLocation location) throws IOException {
    Path file = lockFile(location);
    if (HELD.contains(file)) {
      return null; // held by this very process
    }
    FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    if (lock == null) {
      channel.close();
      return null;
    }
    HELD.add(file);
    return new Owned(channel, lock);
  }

  private static synchronized void release(SandboxStateLocation location, FileChannel channel, FileLock lock)
      throws IOException {
    try {
      lock.release();
      channel.close();
    } finally {
      HELD.remove(lockFile(location));
    }
  }

  private static Path lockFile(SandboxStateLocation location) {
    return location.directory().resolve("sandbox.lock").toAbsolutePath().normalize();
  }

  private static Properties read(Path file) throws IOException {
    Properties properties = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      properties.load(in);
    }
    return properties;
  }

  private static void write(Path file, Properties properties) throws IOException {
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    try (OutputStream out = Files.newOutputStream(temp)) {
      properties.store(out, "written by weir sandbox serve; removed when it stops");
    }
    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
