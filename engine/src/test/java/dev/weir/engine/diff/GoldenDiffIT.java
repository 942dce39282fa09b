package dev.weir.engine.diff;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.cluster.ApplyOptions;
import dev.weir.engine.cluster.LeaseHolder;
import dev.weir.engine.cluster.kube.KubeClusterGateway;
import dev.weir.engine.model.Application;
import dev.weir.engine.model.IgnoreDifference;
import dev.weir.engine.model.SyncPolicy;
import dev.weir.engine.reconcile.Comparison;
import dev.weir.engine.reconcile.LiveSource;
import dev.weir.engine.reconcile.Reconciler;
import dev.weir.engine.reconcile.SyncRequest;
import dev.weir.engine.reconcile.SyncResult;
import dev.weir.engine.reconcile.SyncTarget;
import dev.weir.engine.testkit.DesiredStates;
import dev.weir.engine.testkit.TestCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Golden diffs: each folder of {@code src/test/resources/golden/} is one case, run through the
 * production path against the sandbox API server.
 *
 * <ul>
 *   <li>{@code live.yaml}: the objects as Weir synced them earlier (server-side apply as {@code
 *       weir}, at 10:00 on the test clock);
 *   <li>{@code changes.yaml} (optional): later writes by other field managers, one document each:
 *       {@code {manager, minutesLater, object}} (server-side apply as that manager, forced, as
 *       {@code kubectl edit} takes ownership), or {@code {manager, status}} for a controller's
 *       status;
 *   <li>{@code application.yaml} (optional): {@code ignoreDifferences} of the application;
 *   <li>{@code desired.yaml}: Git's objects now;
 *   <li>{@code expected.diff}: what {@code weir diff} prints, without colour, times in UTC.
 * </ul>
 *
 * <p>Regenerate with {@code -Dgolden.update=true} and review the change. The sandbox fills in the
 * defaults a real API server's defaulting functions fill in (see docs/sandbox-fidelity.md), so the
 * diffs' context lines show them as against a real cluster; they are not drift.
 */
class GoldenDiffIT {
  static final Path GOLDEN = Path.of("src/test/resources/golden");
  static final boolean UPDATE = Boolean.getBoolean("golden.update");
  @org.junit.jupiter.api.io.TempDir Path dir;
  TestCluster cluster;
  KubeClusterGateway gateway;

  static Stream<String> cases() throws IOException {
    try (Stream<Path> dirs = Files.list(GOLDEN)) {
      return dirs
          .filter(Files::isDirectory)
          .map(p -> p.getFileName().toString())
          .sorted()
          .toList()
          .stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void diffMatchesTheGoldenFile(String name) throws Exception {
    // a cluster per case, so that every case starts at 10:00 on its own clock
    try (TestCluster own = new TestCluster(dir.resolve(name))) {
      cluster = own;
      gateway = own.gateway();
      run(name);
    }
  }

  private void run(String name) throws Exception {
    Path folder = GOLDEN.resolve(name);
    String ns = "golden-" + name;
    Application app = DesiredStates.application(name, ns, SyncPolicy.MANUAL, ignoreRules(folder));
    Reconciler reconciler =
        new Reconciler(
            gateway,
            cluster.clock,
            LeaseHolder.of("golden", "test"),
            Reconciler.Options.defaults());
    var start = cluster.clock.instant();
    String live =
        "apiVersion: v1\nkind: Namespace\nmetadata: {name: "
            + ns
            + "}\n---\n"
            + Files.readString(folder.resolve("live.yaml"));
    SyncResult synced =
        reconciler.sync(
            SyncTarget.of(DesiredStates.of(app, "1111111" + "a".repeat(33), live)),
            SyncRequest.manual(),
            "golden",
            LiveSource.direct(gateway),
            r -> {});
    assertThat(synced.succeeded()).as(synced.message()).isTrue();
    applyChanges(folder.resolve("changes.yaml"), ns, start);

    String desired =
        "apiVersion: v1\nkind: Namespace\nmetadata: {name: "
            + ns
            + "}\n---\n"
            + Files.readString(folder.resolve("desired.yaml"));
    Comparison comparison =
        reconciler.compare(
            DesiredStates.of(app, "2222222" + "b".repeat(33), desired),
            reconciler.state(app),
            LiveSource.direct(gateway));
    ApplicationDiff diff = comparison.diff();
    String actual =
        "# "
            + diff.resources().size()
            + " objects compared, "
            + diff.drifted().size()
            + " drifted\n"
            + DiffPrinter.text(List.of(diff), ZoneOffset.UTC, false);

    Path expected = folder.resolve("expected.diff");
    if (UPDATE) {
      Files.writeString(expected, actual);
    }
    assertThat(actual).isEqualTo(Files.readString(expected));
  }

  @SuppressWarnings("unchecked")
  static List<IgnoreDifference> ignoreRules(Path folder) throws IOException {
    Path file = folder.resolve("application.yaml");
    if (!Files.exists(file)) {
      return List.of();
    }
    Map<String, Object> root =
        new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file));
    List<IgnoreDifference> rules = new ArrayList<>();
    for (Object item : (List<Object>) root.getOrDefault("ignoreDifferences", List.of())) {
      Map<String, Object> r = (Map<String, Object>) item;
      rules.add(
          new IgnoreDifference(
              (String) r.get("group"),
              (String) r.get("kind"),
              (String) r.get("name"),
              (String) r.get("namespace"),
              (List<String>) r.get("jsonPointers"),
              (List<String>) r.get("jqPathExpressions")));
    }
    return rules;
  }

  @SuppressWarnings("unchecked")
  void applyChanges(Path file, String ns, java.time.Instant start) throws IOException {
    if (!Files.exists(file)) {
      return;
    }
    for (Object loaded :
        new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(Files.readString(file))) {
      Map<String, Object> change = (Map<String, Object>) loaded;
      String manager = (String) change.get("manager");
      Map<String, Object> object = new LinkedHashMap<>((Map<String, Object>) change.get("object"));
      Map<String, Object> metadata =
          new LinkedHashMap<>((Map<String, Object>) object.get("metadata"));
      metadata.putIfAbsent("namespace", ns);
      object.put("metadata", metadata);
      int minutes = ((Number) change.getOrDefault("minutesLater", 0)).intValue();
      Duration wait =
          Duration.between(cluster.clock.instant(), start.plus(Duration.ofMinutes(minutes)));
      if (!wait.isNegative()) {
        cluster.clock.advance(wait);
      }
      if (change.get("status") instanceof Map<?, ?> status) {
        var key =
            dev.weir.engine.model.ResourceKey.of(
                (String) object.get("apiVersion"),
                (String) object.get("kind"),
                ns,
                (String) metadata.get("name"));
        gateway.patchStatus(key, (Map<String, Object>) status, manager);
      } else {
        gateway.apply(object, new ApplyOptions(manager, true, false));
      }
    }
  }
}
