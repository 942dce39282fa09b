package dev.weir.drills;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.sandbox.api.SandboxApiServer;
import dev.weir.sandbox.api.SandboxOptions;
import dev.weir.sandbox.api.SandboxStateLocation;
import dev.weir.sandbox.world.SandboxWorld;
import dev.weir.sandbox.world.WorldSettings;
import dev.weir.engine.time.DiscreteEventClock;
import dev.weir.engine.time.EngineClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A throw-away copy of the user's sandbox for one drill: the saved state of the shared sandbox
 * ({@link LocalSandbox}) copied into a temporary directory and served there, in this process, on a
 * {@link DiscreteEventClock}. The shared sandbox is only read (its state file, which {@code weir
 * sandbox serve} keeps saving while it runs), never locked nor changed, and keeps running on real
 * time. {@link #close()} deletes the directory: the copy, its kubeconfig, and whatever the drill
 * wrote under {@link #files()} (repository copies, clones, Git's cache).
 *
 * <p>Design note. Virtual time starts where the saved state ends: one second after the latest
 * instant it records (an object's creation or last write, the world's last second of traffic).
 * The same saved state thus always gives the same start, so the same drill prints the same lines,
 * commit ids included. Nothing runs until the clock's runner runs its tasks: opening the sandbox
 * and the engine takes no sandbox time.
 *
 * <p>Not thread-safe; one instance per drill.
 */
public final class ScratchSandbox implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ScratchSandbox.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  // a scratch sandbox is thrown away: saving it on every change would be wasted work
  private static final Duration SAVE_DEBOUNCE = Duration.ofHours(1);

  private final Path directory;
  private final DiscreteEventClock clock;
  private final SandboxApiServer server;
  private final SandboxWorld world;
  private final Path kubeconfig;
  // an interrupted drill (Ctrl+C) leaves nothing behind either
  private final Thread cleanUp;

  private ScratchSandbox(
      Path directory,
      DiscreteEventClock clock,
      SandboxApiServer server,
      SandboxWorld world,
      Path kubeconfig) {
    this.directory = directory;
    this.clock = clock;
    this.server = server;
    this.world = world;
    this.kubeconfig = kubeconfig;
    this.cleanUp = new Thread(() -> delete(directory), "weir-drill-clean-up");
    Runtime.getRuntime().addShutdownHook(cleanUp);
  }

  /**
   * Copies the shared sandbox's saved state (an empty sandbox when there is none) and serves the
   * copy on a new clock.
   *
   * @param speed the clock's pace, virtual seconds per wall second at most; empty for as fast as
   *     the machine allows
   * @param seed the world's seed; empty for the saved one (1 when there is none)
   */
  public static ScratchSandbox copyOf(
      SandboxStateLocation shared, OptionalDouble speed, OptionalLong seed) throws IOException {
    Path directory = Files.createTempDirectory("weir-drill-");
    try {
      Path state = directory.resolve("state.json");
      Optional<Instant> ends = Optional.empty();
      if (Files.isRegularFile(shared.stateFile())) {
        Files.copy(shared.stateFile(), state);
        ends = latestInstant(state);
      }
      Instant start = startAfter(ends, EngineClock.system().instant());
      DiscreteEventClock clock = new DiscreteEventClock(start, speed);
      SandboxApiServer server =
          SandboxApiServer.start(
              SandboxOptions.builder()
                  .stateFile(state)
                  .clock(clock)
                  .saveDebounce(SAVE_DEBOUNCE)
                  .build());
      try {
        WorldSettings settings = SandboxWorld.withSavedSeed(server, WorldSettings.defaults());
        if (seed.isPresent()) {
          settings = settings.withSeed(seed.getAsLong());
        }
        SandboxWorld world = SandboxWorld.attach(server, settings);
        Path kubeconfig = directory.resolve("kubeconfig");
        server.writeKubeconfig(kubeconfig, server.adminToken());
        Files.createDirectories(directory.resolve("files"));
        return new ScratchSandbox(directory, clock, server, world, kubeconfig);
      } catch (IOException | RuntimeException e) {
        server.close();
        throw e;
      }
    } catch (IOException | RuntimeException e) {
      delete(directory);
      throw e;
    }
  }

  /** The clock the copy runs on. */
  public DiscreteEventClock clock() {
    return clock;
  }

  /** The copy's API server, in this process. */
  public SandboxApiServer server() {
    return server;
  }

  /** The copy's simulated world. */
  public SandboxWorld world() {
    return world;
  }

  /** An admin kubeconfig reaching the copy (context {@code weir-sandbox}). */
  public Path kubeconfig() {
    return kubeconfig;
  }

  /** A folder the drill may write to (repository copies, clones, Git's cache); deleted at close. */
  public Path files() {
    return directory.resolve("files");
  }

  /** What {@code weir sandbox init} seeded into the shared sandbox, as the copy records it. */
  public Optional<SampleCluster.Seeded> seeded() {
    return SampleCluster.seeded(server);
  }

  /** Stops the copy and deletes its directory. */
  @Override
  public void close() throws IOException {
    try {
      server.close();
    } finally {
      delete(directory);
      try {
        Runtime.getRuntime().removeShutdownHook(cleanUp);
      } catch (IllegalStateException e) {
        // the JVM is shutting down: the hook runs anyway, and finds nothing to delete
      }
    }
  }

  /**
   * The first second after {@code ends}, or (no saved state, or one whose times cannot be right
   * on this machine's clock: more than half an hour ahead, as an old sped-up run could leave, or
   * so old that the copy's TLS certificate would not be valid yet) the wall clock's second.
   */
  static Instant startAfter(Optional<Instant> ends, Instant wallNow) {
    Instant wall = wallNow.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    if (ends.isEmpty()
        || ends.get().isAfter(wall.plus(Duration.ofMinutes(30)))
        || ends.get().isBefore(wall.minus(Duration.ofDays(300)))) {
      return wall;
    }
    return ends.get().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).plusSeconds(1);
  }

  /**
   * The latest instant a state file records: objects' creation and write times ({@code
   * managedFields}) and the world's last simulated second.
   */
  static Optional<Instant> latestInstant(Path stateFile) throws IOException {
    JsonNode root = JSON.readTree(stateFile.toFile());
    Instant latest = null;
    for (JsonNode entry : root.path("objects")) {
      JsonNode metadata = entry.path("object").path("metadata");
      latest = later(latest, metadata.path("creationTimestamp").asText(""));
      for (JsonNode field : metadata.path("managedFields")) {
        latest = later(latest, field.path("time").asText(""));
      }
    }
    JsonNode lastSecond = root.path("extensions").path("world").path("metrics").path("lastSecond");
    if (lastSecond.canConvertToLong() && lastSecond.asLong() != Long.MIN_VALUE) {
      Instant traffic = Instant.ofEpochSecond(lastSecond.asLong());
      latest = latest == null || traffic.isAfter(latest) ? traffic : latest;
    }
    return Optional.ofNullable(latest);
  }

  private static Instant later(Instant latest, String timestamp) {
    if (timestamp.isEmpty()) {
      return latest;
    }
    try {
      Instant at = Instant.parse(timestamp);
      return latest == null || at.isAfter(latest) ? at : latest;
    } catch (DateTimeParseException e) {
      return latest;
    }
  }

  private static void delete(Path root) {
    try (var paths = Files.walk(root)) {
      for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      LOG.warn("could not delete the scratch sandbox {}: {}", root, e.getMessage());
    }
  }
}
