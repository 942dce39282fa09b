package dev.weir.tui.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.console.AttentionItem;
import dev.weir.engine.console.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code weir attention}'s table: 80 columns, the message cut, ages in five columns at most. */
class AttentionCommandTest {
  static final Instant NOW = Instant.parse("2026-01-01T10:30:00Z");

  @Test
  void theTableFitsEightyColumnsAndCutsTheMessage() {
    List<AttentionItem> items =
        List.of(
            new AttentionItem(
                Severity.CRITICAL,
                AttentionItem.Kind.ROLLOUT_FAILED,
                "storefront",
                NOW.minus(Duration.ofMinutes(25)),
                "rollout failed: v2.4.1 rolled back: success-rate 0.91 (result[0] >= 0.99 not met)"
                    + " at step 3; revert in Git: weir rollback storefront --to 9f8e7d6",
                AttentionItem.Action.ROLLBACK),
            new AttentionItem(
                Severity.WARNING,
                AttentionItem.Kind.OUT_OF_SYNC,
                "a-very-long-application-name",
                NOW.minus(Duration.ofHours(2).plusMinutes(5)),
                "OutOfSync: 1 drifted",
                AttentionItem.Action.SYNC));

    String table = AttentionCommand.table(items, NOW);

    assertThat(table.lines().toList())
        .containsExactly(
            "SEV   AGE    APPLICATION       ACTION    WHAT",
            "crit  25m    storefront        rollback  rollout failed: v2.4.1 rolled back: su…",
            "warn  2h5m   a-very-long-app…  sync      OutOfSync: 1 drifted");
    assertThat(table.lines()).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(80));
    assertThat(AttentionCommand.table(List.of(), NOW)).isEqualTo("nothing needs attention\n");
  }

  @ParameterizedTest(name = "{0} s → {1}")
  @CsvSource({"0, 0s", "59, 59s", "60, 1m", "3599, 59m", "3600, 1h", "7500, 2h5m", "36600, 10h",
      "90000, 1d1h", "864000, 10d"})
  void agesTakeFiveColumnsAtMost(long seconds, String shown) {
    assertThat(AttentionCommand.age(Duration.ofSeconds(seconds))).isEqualTo(shown);
  }
}
