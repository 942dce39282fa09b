package dev.weir.engine.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TelemetrySettingsTest {

  @Test
  void defaultsPushAsJobWeirFromThisMachine() {
    var settings = TelemetrySettings.of(URI.create("http://pushgateway:9091"));

    assertThat(settings.job()).isEqualTo("weir");
    assertThat(settings.instance()).contains("@").isEqualTo(TelemetrySettings.thisMachine());
    assertThat(settings.interval()).isEqualTo(Duration.ofSeconds(15));
    assertThat(settings.timeout()).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void thePasswordIsNeverShownAndCredentialsInTheAddressAreRefused() {
    var settings =
        TelemetrySettings.of(URI.create("http://pushgateway:9091"))
            .withBasicAuth("ops", "hunter2-secret");

    assertThat(settings.toString()).contains("ops:***").doesNotContain("hunter2-secret");
    assertThat(
            new PushgatewayTelemetry(settings, dev.weir.engine.time.EngineClock.system())
                .toString())
        .doesNotContain("hunter2-secret");
    assertThatThrownBy(
            () -> TelemetrySettings.of(URI.create("http://ops:hunter2-secret@pushgateway:9091")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("hunter2-secret");
  }

  @Test
  void noopTelemetryAcceptsEverythingAndDoesNothing() {
    Telemetry telemetry = Telemetry.noop();

    telemetry.recordReconcile("a", Duration.ofSeconds(1));
    telemetry.setDrift("a", 3);
    telemetry.recordSyncError("a", "Forbidden");
    telemetry.setRollout("a", "Paused", 25);
    telemetry.recordAnalysisVerdict("a", "m", "Pass");

    assertThat(telemetry).isSameAs(Telemetry.noop());
  }
}
