package dev.weir.desktop.console;

import dev.weir.engine.cluster.ClusterStatus;
import dev.weir.engine.console.ApplicationView;
import dev.weir.engine.console.ConsoleEvent;
import dev.weir.engine.console.ConsoleSnapshot;
import dev.weir.engine.console.DriftFixtures;
import dev.weir.engine.console.FakeConsole;
import dev.weir.engine.diff.ResourceDiffer;
import dev.weir.engine.model.Health;
import dev.weir.engine.model.SyncStatus;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An application {@code inventory} whose Deployment someone scaled with {@code kubectl edit} (Git
 * 3, live 5 at 10:42) and whose Secret's password was changed by hand at 10:43, compared by the
 * engine's own {@link ResourceDiffer} so that the console shows the engine's text; a Service in
 * sync; a tree Deployment → ReplicaSet → Pod; a freeze and two events. (The engine test-jar's
 * DriftFixtures, which the terminal console's tests show too.) Also: a canary rollout, a definition that fails, many
 * applications.
 */
final class Fixtures {
  private Fixtures() {}

  // inventory's drift, the same the terminal console's screen tests show (engine test-jar)
  static final String SECRET_VALUE = DriftFixtures.SECRET_VALUE;
  static final String LIVE_SECRET_VALUE = DriftFixtures.LIVE_SECRET_VALUE;

  static ApplicationView inventory() {
    return DriftFixtures.inventory();
  }

  static List<ConsoleEvent> events() {
    return DriftFixtures.events();
  }

  /** A fake showing {@code inventory} and a healthy {@code payments}, with the events. */
  static FakeConsole console() {
    return DriftFixtures.console();
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
    return a.withFlags(flags);
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
