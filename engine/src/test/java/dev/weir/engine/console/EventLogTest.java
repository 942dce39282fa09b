package dev.weir.engine.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Events are kept per application, each list with its own bound. */
class EventLogTest {
  static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");

  static ConsoleEvent event(String application, int second, String what) {
    return new ConsoleEvent(T0.plusSeconds(second), application, what);
  }

  @Test
  void aBusyApplicationDoesNotPushAQuietOnesEventsOut() {
    EventLog log = new EventLog(3);
    log.add(event("payments", 0, "synced"));
    for (int i = 1; i <= 10; i++) {
      log.add(event("storefront", i, "measured " + i));
    }

    assertThat(log.of("payments")).extracting(ConsoleEvent::message).containsExactly("synced");
    assertThat(log.of("storefront"))
        .extracting(ConsoleEvent::message)
        .containsExactly("measured 8", "measured 9", "measured 10");
    assertThat(log.latest(3))
        .as("the newest of all, oldest first")
        .extracting(ConsoleEvent::message)
        .containsExactly("measured 8", "measured 9", "measured 10");
    assertThat(log.byApplication()).containsOnlyKeys("payments", "storefront");
  }

  @Test
  void eventsReadBackLateTakeTheirPlaceInTimeAndAreNotKeptTwice() {
    EventLog log = new EventLog(10);
    log.add(event("storefront", 30, "rollout ROLLED_BACK: v2.4.1 rolled back"));
    log.addAbsent(
        java.util.List.of(
            new ConsoleEvent(
                T0.plusSeconds(10),
                "storefront",
                ConsoleEvent.Kind.SYNC,
                Severity.INFO,
                "alice",
                "synced storefront to 3f2a1c9",
                Map.of()),
            new ConsoleEvent(
                T0.plusMillis(30_400),
                "storefront",
                ConsoleEvent.Kind.ROLLOUT,
                Severity.CRITICAL,
                "weir",
                "rollout ROLLED_BACK: v2.4.1 rolled back",
                Map.of())));

    assertThat(log.of("storefront"))
        .extracting(ConsoleEvent::message)
        .containsExactly("synced storefront to 3f2a1c9", "rollout ROLLED_BACK: v2.4.1 rolled back");
    assertThat(log.since(T0.plusSeconds(20), null)).hasSize(1);
  }
}
