package dev.weir.sandbox.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.time.ManualClock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class TableConverterTest {
  @ParameterizedTest(name = "{0}s -> {1}")
  @CsvSource({
    "0, 0s",
    "45, 45s",
    "119, 119s",
    "192, 3m12s",
    "300, 5m",
    "4200, 70m",
    "18000, 5h",
    "19800, 5h30m",
    "172800, 2d",
    "190800, 2d5h",
    "2592000, 30d",
    "94608000, 3y",
  })
  void agesReadLikeKubectls(long seconds, String expected) {
    assertThat(TableConverter.humanDuration(Duration.ofSeconds(seconds))).isEqualTo(expected);
  }

  @Test
  void deploymentRowsShowReadinessAgainstDesiredReplicas() {
    ManualClock clock = new ManualClock();
    KindInfo deployment = KindRegistry.builtin().byKind("apps/v1", "Deployment").orElseThrow();
    var object =
        PatchEngineTest.json(
            "{'metadata':{'name':'web','creationTimestamp':'2026-01-01T09:55:00Z'},"
                + "'spec':{'replicas':3},'status':{'readyReplicas':2,'updatedReplicas':3,'availableReplicas':2}}");
    var table = new TableConverter(clock).table(deployment, List.of(object), null);
    assertThat(table.path("columnDefinitions").findValuesAsText("name"))
        .startsWith("Name", "Ready", "Up-to-date", "Available", "Age");
    assertThat(table.path("rows").get(0).path("cells").toString()).isEqualTo("[\"web\",\"2/3\",3,2,\"5m\",\"\",\"\",\"<none>\"]");
    assertThat(table.path("rows").get(0).path("object").path("kind").asText()).isEqualTo("PartialObjectMetadata");
  }
}
