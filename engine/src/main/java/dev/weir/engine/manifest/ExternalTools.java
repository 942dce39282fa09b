package dev.weir.engine.manifest;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Where kustomize, kubectl and helm are found and how they are run: an explicit search path (the
 * {@code PATH} by default, injectable for tests), a time limit and a directory for temporary files.
 * Tools run without a shell, with an {@linkplain #isolatedEnvironment isolated environment}, and
 * are killed with every process they started at the time limit. Output goes to temporary files
 * rather than pipes, so a chatty tool cannot block on a full pipe, and no reader threads are
 * needed; the files are watched so that a tool printing without end is stopped at the limit.
 *
 * <p>Immutable and thread-safe; each {@link #run} uses its own temporary files.
 */
public final class ExternalTools {

  private static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(2);

  private final List<Path> searchPath;
  private final Duration timeout;
  private final Path tempRoot;

  /**
   * @param searchPath directories searched, in order, for an executable of the wanted name
   * @param timeout how long one run may take before it is killed
   * @param tempRoot where temporary work directories are made
   */
  public ExternalTools(List<Path> searchPath, Duration timeout, Path tempRoot) {
    this.searchPath = List.copyOf(searchPath);
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.tempRoot = Objects.requireNonNull(tempRoot, "tempRoot");
  }

  /** The process's {@code PATH}, a two-minute limit and {@code java.io.tmpdir}. */
  public static ExternalTools fromEnvironment() {
    return new ExternalTools(
        pathOf(System.getenv("PATH")),
        DEFAULT_TIMEOUT,
        Path.of(System.getProperty("java.io.tmpdir")));
  }

  /** The directories of a {@code PATH}-style string. */
  public static List<Path> pathOf(String path) {
    List<Path> dirs = new ArrayList<>();
    if (path != null) {
      for (String entry : path.split(File.pathSeparator)) {
        if (!entry.isBlank()) {
          dirs.add(Path.of(entry));
        }
      }
    }
    return dirs;
  }

  public ExternalTools withSearchPath(List<Path> dirs) {
    return new ExternalTools(dirs, timeout, tempRoot);
  }

  public ExternalTools withTimeout(Duration limit) {
    return new ExternalTools(searchPath, limit, tempRoot);
  }

  public List<Path> searchPath() {
    return searchPath;
  }

  public Duration timeout() {
    return timeout;
  }

  public Path tempRoot() {
    return tempRoot;
  }

  /** The first executable file called {@code name} on the search path. */
  public Optional<Path> find(String name) {
    for (Path dir : searchPath) {
      Path candidate = dir.resolve(name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** What a finished run printed and returned. */
  record Output(int exitCode, byte[] stdout, String stderr) {}

  /** The run did not finish within the time limit and was killed. */
  static final class TimedOut extends Exception {
    private static final long serialVersionUID = 1L;

    TimedOut() {
      super(null, null, false, false);
    }
  }

  /** Where output and child processes are looked at while a tool runs. */
  private static final long POLL_MILLIS = 25;

  /** Most error output read; the rest is cut. */
  private static final int MAX_ERROR_CHARS = 64 * 1024;

  /**
   * The environment a tool runs with; nothing of Weir's own environment is passed on, so no
   * credential ({@code SSH_AUTH_SOCK}, cloud and Git tokens, {@code KUBECONFIG}) and no proxy
   * (whose URL may hold a password) reaches it:
   *
   * <ul>
   *   <li>{@code PATH} is the search path, so a tool finds what it runs (kustomize runs {@code git}
   *       for remote bases);
   *   <li>{@code HOME}, the XDG directories, helm's directories and {@code KUBECONFIG} are under
   *       {@code home}, an empty directory of the run: no {@code ~/.gitconfig}, {@code ~/.ssh},
   *       {@code ~/.kube/config}, helm repositories, registry logins or plugins of the operator;
   *   <li>{@code TMPDIR} is {@code tmp}, removed with the run;
   *   <li>Git reads no system or global configuration and never prompts;
   *   <li>without {@code network}, every proxy variable points at a closed local port and Git may
   *       use no protocol: a second line of defence behind the checks of every reference before a
   *       tool runs (Go tools do not proxy requests to localhost, so those checks are the first).
   * </ul>
   */
  Map<String, String> isolatedEnvironment(Path home, Path tmp, boolean network) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put(
        "PATH", String.join(File.pathSeparator, searchPath.stream().map(Path::toString).toList()));
    env.put("HOME", home.toString());
    env.put("XDG_CONFIG_HOME", home.resolve(".config").toString());
    env.put("XDG_CACHE_HOME", home.resolve(".cache").toString());
    env.put("XDG_DATA_HOME", home.resolve(".local/share").toString());
    env.put("XDG_STATE_HOME", home.resolve(".local/state").toString());
    env.put("TMPDIR", tmp.toString());
    env.put("KUBECONFIG", home.resolve(".kube/config").toString());
    env.put("HELM_CONFIG_HOME", home.resolve(".config/helm").toString());
    env.put("HELM_CACHE_HOME", home.resolve(".cache/helm").toString());
    env.put("HELM_DATA_HOME", home.resolve(".local/share/helm").toString());
    env.put("HELM_PLUGINS", home.resolve(".local/share/helm/plugins").toString());
    env.put("HELM_REPOSITORY_CONFIG", home.resolve(".config/helm/repositories.yaml").toString());
    env.put("HELM_REPOSITORY_CACHE", home.resolve(".cache/helm/repository").toString());
    env.put("HELM_REGISTRY_CONFIG", home.resolve(".config/helm/registry/config.json").toString());
    env.put("GIT_CONFIG_NOSYSTEM", "1");
    env.put("GIT_CONFIG_GLOBAL", nullDevice().getPath());
    env.put("GIT_ATTR_NOSYSTEM", "1");
    env.put("GIT_TERMINAL_PROMPT", "0");
    if (!network) {
      for (String proxy : List.of("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")) {
        env.put(proxy, CLOSED_PROXY);
        env.put(proxy.toLowerCase(java.util.Locale.ROOT), CLOSED_PROXY);
      }
      env.put("NO_PROXY", "");
      env.put("no_proxy", "");
      env.put("GIT_ALLOW_PROTOCOL", "none");
    }
    return env;
  }

  /** The discard port of the loopback interface: nothing listens there on a normal machine. */
  private static final String CLOSED_PROXY = "http://127.0.0.1:9";

  /**
   * Runs {@code command} in {@code workDir} with exactly {@code environment}, waiting at most
   * {@link #timeout()}; no shell is involved. Standard output or error output growing past {@code
   * maxOutputBytes} stops the run with an {@link IOException}. On a time-out or any failure the
   * tool and every process it started are killed; processes it started that are still running when
   * it exits are killed too (a process that detaches within {@value #POLL_MILLIS} ms of starting
   * can escape this: the operating system's own limits are the line behind it).
   */
  Output run(
      List<String> command, Path workDir, Map<String, String> environment, long maxOutputBytes)
      throws IOException, InterruptedException, TimedOut {
    Path out = Files.createTempFile(tempRoot, "weir-tool-", ".out");
    Path err = Files.createTempFile(tempRoot, "weir-tool-", ".err");
    Process process = null;
    Set<ProcessHandle> children = new HashSet<>();
    try {
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .directory(workDir.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(nullDevice()))
              .redirectOutput(out.toFile())
              .redirectError(err.toFile());
      builder.environment().clear();
      builder.environment().putAll(environment);
      process = builder.start();
      // The tool runs in real time, whatever the engine's clock says: its limit is a real one.
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!process.waitFor(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(children::add);
        if (Files.size(out) > maxOutputBytes || Files.size(err) > maxOutputBytes) {
          throw new IOException("output is over the limit of " + maxOutputBytes + " bytes");
        }
        if (System.nanoTime() - deadline > 0) {
          throw new TimedOut();
        }
      }
      long size = Files.size(out);
      if (size > maxOutputBytes) {
        throw new IOException(
            "output is " + size + " bytes, over the limit of " + maxOutputBytes + " bytes");
      }
      return new Output(process.exitValue(), Files.readAllBytes(out), readError(err));
    } finally {
      if (process != null) {
        killAll(process, children);
      }
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  private static String readError(Path err) throws IOException {
    try (var reader = Files.newBufferedReader(err, StandardCharsets.UTF_8)) {
      char[] buffer = new char[MAX_ERROR_CHARS];
      int length = 0;
      int read;
      while (length < buffer.length
          && (read = reader.read(buffer, length, buffer.length - length)) > 0) {
        length += read;
      }
      return new String(buffer, 0, length);
    } catch (java.nio.charset.MalformedInputException e) {
      return "(error output is not text)";
    }
  }

  /**
   * Kills {@code process} if it still runs, and every process it started that is still alive: those
   * running now and those seen earlier (a child whose parent exited is no longer a descendant).
   * Children are listed before their parent dies, and killed round by round so that one forking
   * meanwhile is caught too.
   */
  private static void killAll(Process process, Set<ProcessHandle> seen) {
    List<ProcessHandle> alive = new ArrayList<>(process.descendants().toList());
    alive.addAll(seen);
    process.destroyForcibly();
    for (int round = 0; round < 10 && !alive.isEmpty(); round++) {
      List<ProcessHandle> next = new ArrayList<>();
      for (ProcessHandle handle : alive) {
        if (handle.isAlive()) {
          next.addAll(handle.descendants().toList());
          handle.destroyForcibly();
        }
      }
      alive = next;
    }
  }

  private static File nullDevice() {
    return new File(File.separatorChar == '\\' ? "NUL" : "/dev/null");
  }
}
