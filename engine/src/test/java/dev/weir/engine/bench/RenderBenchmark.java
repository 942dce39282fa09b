package dev.weir.engine.bench;

import dev.weir.engine.manifest.RenderOptions;
import dev.weir.engine.manifest.Renderer;
import dev.weir.engine.manifest.RepositoryRender;
import dev.weir.engine.testkit.DirectoryTree;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Rendering a repository of 10 applications, 2,000 files and 10,000 resources (five documents per
 * file: Deployment, Service, ConfigMap, ServiceAccount, HorizontalPodAutoscaler).
 *
 * <ul>
 *   <li>{@code coldRender}: a fresh {@link Renderer} (empty caches) over the whole tree. Target:
 *       under 1.5 s on 2 cores.
 *   <li>{@code reRenderAfterOneFileChanged}: a warm renderer alternating between two revisions that
 *       differ in one file, so every call sees one changed blob. Target: under 50 ms.
 * </ul>
 *
 * <p>Run: {@code ./build bench RenderBenchmark -f 1 -wi 2 -i 3}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class RenderBenchmark {

  static final int APPLICATIONS = 10;
  static final int FILES_PER_APPLICATION = 200;

  /** Two snapshots of the generated repository, differing in one file. */
  @State(Scope.Benchmark)
  public static class Repository {
    Path root;
    DirectoryTree before;
    DirectoryTree after;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
      generate(this);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
      try (Stream<Path> paths = Files.walk(root)) {
        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** A renderer that has already rendered both snapshots. */
  @State(Scope.Benchmark)
  public static class WarmRenderer {
    Renderer renderer;
    boolean flip;

    @Setup(Level.Trial)
    public void setUp(Repository repository) {
      renderer = new Renderer(RenderOptions.defaults());
      check(renderer.render(repository.before), 10_000);
      check(renderer.render(repository.after), 10_000);
    }
  }

  static void generate(Repository repository) throws IOException {
    Path root = Files.createTempDirectory("weir-render-bench-");
    repository.root = root;
    root = Files.createTempDirectory("weir-render-bench-");
    Path a = root.resolve("a");
    for (int app = 0; app < APPLICATIONS; app++) {
      write(a, "weir/app-" + app + ".yaml", application(app));
      for (int file = 0; file < FILES_PER_APPLICATION; file++) {
        write(
            a,
            "apps/app-" + app + "/service-" + file + "/manifests.yaml",
            service("svc-" + file, 1));
      }
    }
    Path b = root.resolve("b");
    copy(a, b);
    write(b, "apps/app-3/service-42/manifests.yaml", service("svc-42", 7));
    repository.before = DirectoryTree.of(a);
    repository.after = DirectoryTree.of(b);
  }

  @Benchmark
  public RepositoryRender coldRender(Repository repository) {
    RepositoryRender render = new Renderer(RenderOptions.defaults()).render(repository.before);
    check(render, 10_000);
    return render;
  }

  @Benchmark
  public RepositoryRender reRenderAfterOneFileChanged(WarmRenderer warm, Repository repository) {
    warm.flip = !warm.flip;
    return warm.renderer.render(warm.flip ? repository.before : repository.after);
  }

  private static void check(RepositoryRender render, int resources) {
    int total =
        render.applications().stream()
            .mapToInt(a -> a.lastGood().orElseThrow().resources().size())
            .sum();
    if (!render.ok() || total != resources) {
      throw new IllegalStateException("benchmark repository did not render: " + render);
    }
  }

  private static String application(int app) {
    return """
    apiVersion: weir.dev/v1alpha1
    kind: Application
    metadata: {name: app-%1$d}
    spec:
      source: {path: apps/app-%1$d}
      destination: {namespace: team-%1$d}
      syncPolicy: {automated: {prune: true, selfHeal: true}}
    """
        .formatted(app);
  }

  private static String service(String name, int replicas) {
    return """
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: %1$s
      labels: {app.kubernetes.io/name: %1$s, app.kubernetes.io/part-of: shop}
    spec:
      replicas: %2$d
      selector:
        matchLabels: {app.kubernetes.io/name: %1$s}
      template:
        metadata:
          labels: {app.kubernetes.io/name: %1$s}
        spec:
          serviceAccountName: %1$s
          containers:
          - name: app
            image: registry.example.com/%1$s:1.4.2
            ports:
            - {name: http, containerPort: 8080}
            env:
            - {name: LOG_LEVEL, value: info}
            - {name: FEATURE_X, value: "true"}
            resources:
              requests: {cpu: 100m, memory: 128Mi}
              limits: {memory: 256Mi}
            readinessProbe:
              httpGet: {path: /healthz, port: http}
    ---
    apiVersion: v1
    kind: Service
    metadata:
      name: %1$s
    spec:
      selector: {app.kubernetes.io/name: %1$s}
      ports:
      - {name: http, port: 80, targetPort: http}
    ---
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: %1$s-config
    data:
      application.properties: |
        server.port=8080
        cache.size=512
    ---
    apiVersion: v1
    kind: ServiceAccount
    metadata:
      name: %1$s
    ---
    apiVersion: autoscaling/v2
    kind: HorizontalPodAutoscaler
    metadata:
      name: %1$s
    spec:
      scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: %1$s}
      minReplicas: 2
      maxReplicas: 10
      metrics:
      - type: Resource
        resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}
    """
        .formatted(name, replicas);
  }

  private static void write(Path base, String path, String text) {
    DirectoryTree.writeFile(base, path, text.getBytes(StandardCharsets.UTF_8));
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path source : paths.filter(Files::isRegularFile).toList()) {
        Path target = to.resolve(from.relativize(source));
        Files.createDirectories(target.getParent());
        Files.copy(source, target);
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
