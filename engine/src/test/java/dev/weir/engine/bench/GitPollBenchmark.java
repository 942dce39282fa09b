package dev.weir.engine.bench;

import dev.weir.engine.git.GitSettings;
import dev.weir.engine.git.GitStatus;
import dev.weir.engine.git.JGitSource;
import dev.weir.engine.git.WorkspaceSpec;
import dev.weir.engine.time.ManualClock;
import dev.weir.engine.testkit.RepoBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A no-op poll: fetch from a local remote with nothing new, so no re-render. Target: under 100 ms.
 * The remote has 200 commits and 500 files so the advertisement and the clone are not trivial.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class GitPollBenchmark {
  private Path root;
  private JGitSource source;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    root = Files.createTempDirectory("weir-poll-bench");
    try (RepoBuilder remote = RepoBuilder.init(root.resolve("remote"))) {
      for (int c = 0; c < 200; c++) {
        var commit = remote.commit("change " + c);
        for (int f = 0; f < (c == 0 ? 500 : 3); f++) {
          int file = c == 0 ? f : (c * 7 + f) % 500;
          commit.add("apps/app" + (file % 50) + "/cm" + file + ".yaml",
              "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm" + file + "\ndata:\n  rev: \"" + c + "\"\n");
        }
        commit.create();
      }
    }
    GitSettings settings = GitSettings.from(Map.of(), root.resolve("home")).withCacheRoot(root.resolve("cache"));
    source = JGitSource.open(WorkspaceSpec.of(root.resolve("remote").toString()), settings, new ManualClock());
  }

  @Benchmark
  public GitStatus noOpPoll() {
    return source.fetch();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    source.close();
    try (var walk = Files.walk(root)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
