package dev.weir.engine.console;

import dev.weir.engine.cluster.ClusterStatus;
import dev.weir.engine.diff.ApplicationDiff;
import dev.weir.engine.diff.IgnoreRules;
import dev.weir.engine.diff.ResourceDiff;
import dev.weir.engine.diff.ResourceDiffer;
import dev.weir.engine.model.Health;
import dev.weir.engine.model.HealthStatus;
import dev.weir.engine.model.LiveObject;
import dev.weir.engine.model.ResourceKey;
import dev.weir.engine.model.SyncStatus;
import dev.weir.engine.reconcile.Freeze;
import dev.weir.engine.reconcile.LastSync;
import dev.weir.engine.reconcile.SyncResult;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * An application {@code inventory} whose Deployment someone scaled with {@code kubectl edit} (Git
 * 3, live 5 at 10:42) and whose Secret's password was changed by hand at 10:43, compared by the
 * engine's own {@link ResourceDiffer} so that the console shows the engine's text; a Service in
 * sync; a tree Deployment → ReplicaSet → Pod; a freeze and two events. Shared by both faces' screen
 * tests, so both show the same drift.
 */
public final class DriftFixtures {
  private DriftFixtures() {}

  public static final String SECRET_VALUE = "aHVudGVyMg==";
  public static final String LIVE_SECRET_VALUE = "czNjcjN0LXB3";
  public static final ResourceKey DEPLOYMENT = new ResourceKey("apps", "Deployment", "shop", "inventory");
  public static final ResourceKey SECRET = new ResourceKey("", "Secret", "shop", "inventory-db");
  public static final ResourceKey SERVICE = new ResourceKey("", "Service", "shop", "inventory");

  @SuppressWarnings("unchecked")
  public static Map<String, Object> yaml(String text) {
    return new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
  }

  public static String deployment(int replicas, String managed) {
    return """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: inventory
          namespace: shop
          uid: d-1
        %s
        spec:
          replicas: %d
          template:
            spec:
              containers:
              - {name: app, image: "inventory:1.4"}
        """
        .formatted(managed, replicas);
  }

  public static String secret(String value, String managed) {
    return """
        apiVersion: v1
        kind: Secret
        metadata:
          name: inventory-db
          namespace: shop
        %s
        data:
          password: %s
          user: YWRtaW4=
        """
        .formatted(managed, value);
  }

  public static String managed(String manager, String time, String fields) {
    return "  managedFields: [{manager: %s, operation: Update, time: \"%s\", fieldsV1: %s}]"
        .formatted(manager, time, fields);
  }

  public static ApplicationView inventory() {
    return inventory(
        new LastSync(
            "77c01aa5e2b94d1f0a3c8e7b6d5f4a3b2c1d0e9f",
            SyncResult.Outcome.SUCCEEDED,
            "synced",
            Instant.parse("2026-01-01T10:02:00Z"),
            "automated"));
  }

  /** inventory whose last sync is {@code last}. */
  public static ApplicationView inventory(LastSync last) {
    ResourceDiff deployment =
        ResourceDiffer.compare(
            DEPLOYMENT,
            yaml(deployment(3, "")),
            false,
            new LiveObject(
                DEPLOYMENT,
                "apps/v1",
                yaml(deployment(5, managed("kubectl-edit", "2026-01-01T10:42:00Z", "{f:spec: {f:replicas: {}}}")))),
            IgnoreRules.none(),
            "");
    ResourceDiff secret =
        ResourceDiffer.compare(
            SECRET,
            yaml(secret(SECRET_VALUE, "")),
            false,
            new LiveObject(
                SECRET,
                "v1",
                yaml(secret(LIVE_SECRET_VALUE, managed("hand-edit", "2026-01-01T10:43:00Z", "{f:data: {f:password: {}}}")))),
            IgnoreRules.none(),
            "");
    ResourceDiff service = new ResourceDiff(SERVICE, ResourceDiff.Status.SYNCED, List.of(), "", "");
    String revision = "77c01aa5e2b94d1f0a3c8e7b6d5f4a3b2c1d0e9f";
    List<ResourceView> resources =
        List.of(
            new ResourceView(DEPLOYMENT, SyncStatus.OutOfSync, Health.healthy(), deployment, false),
            new ResourceView(SECRET, SyncStatus.OutOfSync, Health.healthy(), secret, false),
            new ResourceView(SERVICE, SyncStatus.Synced, Health.healthy(), service, false));
    ResourceTree tree =
        new ResourceTree(
            List.of(
                new ResourceNode(
                    DEPLOYMENT,
                    Optional.of(SyncStatus.OutOfSync),
                    Health.healthy(),
                    List.of(
                        new ResourceNode(
                            new ResourceKey("apps", "ReplicaSet", "shop", "inventory-7c9d"),
                            Optional.empty(),
                            Health.healthy(),
                            List.of(
                                new ResourceNode(
                                    new ResourceKey("", "Pod", "shop", "inventory-7c9d-a1b2"),
                                    Optional.empty(),
                                    Health.of(HealthStatus.Progressing, "starting"),
                                    List.of()))))),
                new ResourceNode(SECRET, Optional.of(SyncStatus.OutOfSync), Health.healthy(), List.of()),
                new ResourceNode(SERVICE, Optional.of(SyncStatus.Synced), Health.healthy(), List.of())));
    return new ApplicationView(
        "inventory",
        "shop",
        revision,
        SyncStatus.OutOfSync,
        Health.healthy(),
        resources,
        new ApplicationDiff("inventory", revision, List.of(deployment, secret, service), List.of()),
        "rendered rev 77c01aa (3 resources)",
        List.of(),
        Optional.of(last),
        Optional.of(
            new Freeze(
                "incident 4711",
                "alice",
                Instant.parse("2026-01-01T10:30:00Z"),
                Instant.parse("2026-01-01T12:30:00Z"))),
        Optional.empty(),
        List.of(),
        Optional.empty(),
        false,
        List.of(),
        tree)
        .withDriver(DRIVER);
  }

  /**
   * inventory's driver: the replica {@code weir-7d9f-x2x}, its Lease renewed 3 s before the fake's
   * snapshot (13:00:00).
   */
  public static final ApplicationDriver DRIVER =
      ApplicationDriver.replica(
          "weir-7d9f-x2x",
          "weir-7d9f-x2x (pid 1, weir reconcile)",
          Instant.parse("2026-01-01T12:59:57Z"),
          Instant.parse("2026-01-01T13:00:12Z"),
          Instant.parse("2026-01-01T13:00:00Z"));

  public static List<ConsoleEvent> events() {
    return List.of(
        new ConsoleEvent(
            Instant.parse("2026-01-01T10:02:00Z"), "inventory", ConsoleEvent.Kind.SYNC, Severity.INFO,
            "automated", "synced to 77c01aa", Map.of()),
        new ConsoleEvent(
            Instant.parse("2026-01-01T10:42:05Z"), "inventory", ConsoleEvent.Kind.DRIFT, Severity.WARNING,
            "kubectl-edit", "drift: spec.replicas 3→5", Map.of()));
  }

  /** A fake showing {@code inventory} and a healthy {@code payments}, with the events. */
  public static FakeConsole console() {
    return console(inventory());
  }

  /** As {@link #console()}, with this {@code inventory}. */
  public static FakeConsole console(ApplicationView inventory) {
    ConsoleSnapshot snapshot =
        new ConsoleSnapshot(
            0,
            FakeConsole.AT.plusSeconds(3 * 3600),
            Optional.empty(),
            ClusterStatus.reachable("fake", "https://fake.example.com:6443"),
            List.of(inventory, FakeConsole.application("payments")),
            events(),
            Optional.empty(),
            "https://git.example.com/fake.git",
            "main",
            List.of("fake"),
            Optional.empty());
    return new FakeConsole(snapshot);
  }
}
