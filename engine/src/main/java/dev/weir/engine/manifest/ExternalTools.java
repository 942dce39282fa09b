package dev.weir.engine.manifest;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Where kustomize, kubectl and helm are found and how they are run: an explicit search path (the
 * {@code PATH} by default, injectable for tests), a time limit and a directory for temporary files.
 * Output goes to temporary files rather than pipes, so a chatty tool cannot block on a full pipe,
 * and no reader threads are needed.
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

  /**
   * Runs {@code command} in {@code workDir}, waiting at most {@link #timeout()}. Standard output
   * larger than {@code maxOutputBytes} is an {@link IOException}.
   */
  Output run(List<String> command, Path workDir, long maxOutputBytes)
      throws IOException, InterruptedException, TimedOut {
    Path out = Files.createTempFile(tempRoot, "weir-tool-", ".out");
    Path err = Files.createTempFile(tempRoot, "weir-tool-", ".err");
    Process process = null;
    try {
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .directory(workDir.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(nullDevice()))
              .redirectOutput(out.toFile())
              .redirectError(err.toFile());
      process = builder.start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new TimedOut();
      }
      long size = Files.size(out);
      if (size > maxOutputBytes) {
        throw new IOException(
            "output is " + size + " bytes, over the limit of " + maxOutputBytes + " bytes");
      }
      String stderr =
          Files.size(err) > 64 * 1024 ? "(error output too long)" : Files.readString(err);
      return new Output(process.exitValue(), Files.readAllBytes(out), stderr);
    } finally {
      if (process != null && process.isAlive()) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
      }
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  private static File nullDevice() {
    return new File(File.separatorChar == '\\' ? "NUL" : "/dev/null");
  }
}
