package dev.weir.engine.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MetricSeriesBufferTest {
  private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");

  @Test
  void keepsTheNewestPointsUpToItsCapacityAndSnapshotsDoNotChangeAfterwards() {
    MetricSpec metric = MetricSpec.threshold("errors", "q", "result < 0.01");
    MetricSeriesBuffer buffer = new MetricSeriesBuffer(metric, 3);
    for (int i = 0; i < 5; i++) {
      buffer.add(
          MeasurementAssessor.assess(
              metric, new Observation.Value(MetricValue.scalar(i / 1000.0)), T0.plusSeconds(i)));
    }
    MetricSeries before = buffer.snapshot();
    buffer.add(
        MeasurementAssessor.assess(
            metric, new Observation.Value(MetricValue.scalar(0.5)), T0.plusSeconds(5)));

    assertThat(before.points())
        .extracting(MetricSeries.Point::canary)
        .containsExactly(0.002, 0.003, 0.004);
    assertThat(buffer.snapshot().points())
        .extracting(MetricSeries.Point::at)
        .containsExactly(T0.plusSeconds(3), T0.plusSeconds(4), T0.plusSeconds(5));
    assertThat(buffer.snapshot().points().getLast().phase()).isEqualTo(AnalysisPhase.FAILED);
    assertThat(before.thresholds())
        .containsExactly(
            new MetricSeries.Threshold(
                MetricSeries.Threshold.Kind.SUCCESS_BOUND, 0.01, "result < 0.01"));
  }

  @Test
  void errorsAddNoPointAndComplexConditionsDrawNoLine() {
    MetricSpec metric = MetricSpec.threshold("errors", "q", "all(result, x -> x < 1)");
    MetricSeriesBuffer buffer = new MetricSeriesBuffer(metric, 10);

    buffer.add(
        new Measurement(
            "errors",
            T0,
            new Observation.Failed(new ProviderError(ProviderError.Reason.TIMEOUT, "no answer")),
            AnalysisPhase.ERROR,
            Optional.empty(),
            "no answer"));

    assertThat(buffer.snapshot().points()).isEmpty();
    assertThat(buffer.snapshot().thresholds()).isEmpty();
  }
}
