package dev.weir.desktop.console;

import dev.weir.engine.cluster.ClusterStatus;
import dev.weir.engine.console.ApplicationView;
import dev.weir.engine.console.ConsoleEvent;
import dev.weir.engine.console.ConsoleSnapshot;
import dev.weir.engine.console.FakeConsole;
import dev.weir.engine.console.ResourceNode;
import dev.weir.engine.console.ResourceTree;
import dev.weir.engine.console.ResourceView;
import dev.weir.engine.console.Severity;
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
 * sync; a tree Deployment → ReplicaSet → Pod; a freeze and two events. (As the terminal console's
 * DriftFixtures, which live in its tests.) Also: a canary rollout, a definition that fails, many
 * applications.
 */
final class Fixtures {
  private Fixtures() {}

  static final String SECRET_VALUE = "aHVudGVyMg==";
  static final String LIVE_SECRET_VALUE = "czNjcjN0LXB3";
  static final ResourceKey DEPLOYMENT = new ResourceKey("apps", "Deployment", "shop", "inventory");
  static final ResourceKey SECRET = new ResourceKey("", "Secret", "shop", "inventory-db");
  static final ResourceKey SERVICE = new ResourceKey("", "Service", "shop", "inventory");

  @SuppressWarnings("unchecked")
  static Map<String, Object> yaml(String text) {
    return new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
  }

  static String deployment(int replicas, String managed) {
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

  static String secret(String value, String managed) {
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

  static String managed(String manager, String time, String fields) {
    return "  managedFields: [{manager: %s, operation: Update, time: \"%s\", fieldsV1: %s}]"
        .formatted(manager, time, fields);
  }

  static ApplicationView inventory() {
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
        Optional.of(new LastSync(revision, SyncResult.Outcome.SUCCEEDED, "synced", Instant.parse("2026-01-01T10:02:00Z"), "automated")),
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
        tree);
  }

  static List<ConsoleEvent> events() {
    return List.of(
        new ConsoleEvent(
            Instant.parse("2026-01-01T10:02:00Z"), "inventory", ConsoleEvent.Kind.SYNC, Severity.INFO,
            "automated", "synced to 77c01aa", Map.of()),
        new ConsoleEvent(
            Instant.parse("2026-01-01T10:42:05Z"), "inventory", ConsoleEvent.Kind.DRIFT, Severity.WARNING,
            "kubectl-edit", "drift: spec.replicas 3→5", Map.of()));
  }

  /** A fake showing {@code inventory} and a healthy {@code payments}, with the events. */
  static FakeConsole console() {
    ConsoleSnapshot snapshot =
        new ConsoleSnapshot(
            0,
            FakeConsole.AT.plusSeconds(3 * 3600),
            Optional.empty(),
            ClusterStatus.reachable("fake", "https://fake.example.com:6443"),
            List.of(inventory(), FakeConsole.application("payments")),
            events(),
            Optional.empty(),
            "https://git.example.com/fake.git",
            "main",
            List.of("fake"),
            Optional.empty());
    return new FakeConsole(snapshot);
  }

  /** {@code checkout}, whose canary is at step 4 of 7 with 25% of the traffic ({@code phase}). */
  static ApplicationView checkout(dev.weir.engine.rollout.RolloutPhase phase, String message) {
    return canary("checkout", phase, message);
  }

  /** {@code name}, whose canary (named as it) is at step 4 of 7 with 25% of the traffic. */
  static ApplicationView canary(String name, dev.weir.engine.rollout.RolloutPhase phase, String message) {
    ApplicationView plain = FakeConsole.application(name);
    return new ApplicationView(
        plain.name(), "shop", plain.revision(), SyncStatus.Synced, Health.healthy(), List.of(), plain.diff(),
        plain.render(), List.of(), Optional.empty(), Optional.empty(), Optional.empty(), List.of(), Optional.empty(),
        true,
        List.of(
            new dev.weir.engine.rollout.RolloutStatus(
                name, name, "canary", phase, message, 4, 7, 25, name + ":1.8",
                Optional.of(name + ":1.9"), Optional.empty(), Optional.empty(), Optional.empty())));
  }

  /** A snapshot of {@code applications} with {@code events}, contexts fake and prod-eu. */
  static ConsoleSnapshot snapshot(List<ApplicationView> applications, List<ConsoleEvent> events,
      List<dev.weir.engine.console.DefinitionFailure> failures) {
    return new ConsoleSnapshot(
        0,
        FakeConsole.AT.plusSeconds(3 * 3600),
        Optional.empty(),
        ClusterStatus.reachable("fake", "https://fake.example.com:6443"),
        applications,
        events,
        Optional.empty(),
        "https://git.example.com/shop/deploy.git",
        "main",
        List.of("fake", "prod-eu"),
        Optional.empty(),
        failures);
  }

  /** {@code search}'s Application file lacks spec.source.path. */
  static dev.weir.engine.console.DefinitionFailure searchFails() {
    return new dev.weir.engine.console.DefinitionFailure(
        Optional.of("search"),
        new dev.weir.engine.model.SourceLocation("apps/search/application.yaml", 6, 11),
        "INVALID_APPLICATION",
        "Application search: spec.source.path is required");
  }

  /** The usual window: inventory (drift, freeze), payments, checkout (a paused canary), search failing to load. */
  static FakeConsole full() {
    return new FakeConsole(
        snapshot(
            List.of(inventory(), FakeConsole.application("payments"),
                checkout(dev.weir.engine.rollout.RolloutPhase.PAUSED, "paused at step 4, waiting for promote"),
                FakeConsole.application("search")),
            events(),
            List.of(searchFails())));
  }

  /** {@code application} with {@code flags} (its flagd files), the rest as it is. */
  static ApplicationView withFlags(ApplicationView a, List<dev.weir.engine.console.FlagView> flags) {
    return new ApplicationView(a.name(), a.namespace(), a.revision(), a.sync(), a.health(), a.resources(), a.diff(),
        a.render(), a.problems(), a.lastSync(), a.freeze(), a.pin(), a.hotfixes(), a.lease(), a.automated(), a.rollouts(),
        a.tree(), a.rolloutViews(), flags);
  }

  /** payments' flags: new-checkout off with a 10/90 split, dark-mode on with three colours. */
  static List<dev.weir.engine.console.FlagView> paymentsFlags() {
    return List.of(
        new dev.weir.engine.console.FlagView("new-checkout", false, "off",
            orderedMap("on", "true", "off", "false"),
            List.of(new dev.weir.engine.console.FlagView.Share("on", 10), new dev.weir.engine.console.FlagView.Share("off", 90)),
            "fractional by targetingKey", "apps/payments/flags.json:3:5",
            Optional.of("3f2a1c9 Ann Lee 2026-01-01T09:12:00Z Set flag new-checkout: fractional on 10% / off 90%")),
        new dev.weir.engine.console.FlagView("theme", true, "blue",
            orderedMap("blue", "\"#0000ff\"", "green", "\"#00ff00\"", "red", "\"#ff0000\""), List.of(),
            "email ends_with @shop.example → green", "apps/payments/flags.json:20:5", Optional.empty()));
  }

  private static Map<String, String> orderedMap(String... kv) {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      out.put(kv[i], kv[i + 1]);
    }
    return out;
  }

  /** checkout's A/B experiment new-checkout: B wins (+3.1 points), promote. */
  static dev.weir.engine.console.ExperimentView checkoutExperiment() {
    return new dev.weir.engine.console.ExperimentView("checkout", "checkout", "new-checkout", "header x-segment = beta",
        List.of(
            new dev.weir.engine.console.ExperimentView.Variant("A", "1.8", "stable", "the rest", 0.801, 1203, 12034),
            new dev.weir.engine.console.ExperimentView.Variant("B", "1.9", "canary", "header x-segment = beta", 0.199, 392, 2990)),
        0.031, 0.012, 0.050, 0.0012, 0.05, "B wins", "promote", java.time.Duration.ofSeconds(270), 6000,
        "B converts 13.1% against A's 10.0%: the interval lies above zero, so B wins", Optional.empty());
  }

  /** {@link #full()} with payments' flags and checkout's experiment. */
  static FakeConsole flagsAndExperiments() {
    ConsoleSnapshot s = full().snapshot();
    List<ApplicationView> apps = s.applications().stream()
        .map(a -> a.name().equals("payments") ? withFlags(a, paymentsFlags()) : a)
        .toList();
    return new FakeConsole(new ConsoleSnapshot(s.version(), s.at(), s.git(), s.cluster(), apps, s.events(), s.loading(),
        s.repository(), s.branch(), s.contexts(), s.globalFreeze(), s.definitionFailures(), s.attention(),
        s.applicationEvents(), List.of(checkoutExperiment())));
  }
}
