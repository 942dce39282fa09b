package dev.weir.engine.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.analysis.AnalysisPhase;
import dev.weir.engine.analysis.AnalysisRunExecutor;
import dev.weir.engine.analysis.AnalysisRunState;
import dev.weir.engine.analysis.AnalysisTemplateParser;
import dev.weir.engine.analysis.AnalysisTemplateSpec;
import dev.weir.engine.time.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AnalysisSummariesTest {

  static AnalysisTemplateSpec template(String condition) {
    String yaml =
        """
        apiVersion: weir.dev/v1alpha1
        kind: AnalysisTemplate
        metadata: {name: success-rate}
        spec:
          metrics:
          - name: success-rate
            interval: 1m
            count: 3
            failureLimit: 0
            %s
            provider: {prometheus: {query: success_rate}}
        """
            .formatted(condition);
    return ((AnalysisTemplateParser.Result.Parsed)
            AnalysisTemplateParser.parse(
                Apps.manifests(yaml, "apps/storefront/analysis.yaml").getFirst()))
        .spec();
  }

  record Case(String name, String condition, double value, AnalysisPhase phase, String summary) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case(
            "success condition missed",
            "successCondition: result >= 0.99",
            0.91,
            AnalysisPhase.FAILED,
            "success-rate 0.91 < 0.99"),
        new Case(
            "upper bound missed",
            "successCondition: result < 0.3",
            0.41,
            AnalysisPhase.FAILED,
            "success-rate 0.41 >= 0.3"),
        new Case(
            "failure condition met",
            "failureCondition: result > 0.05",
            0.07,
            AnalysisPhase.FAILED,
            "success-rate 0.07 > 0.05"),
        new Case(
            "complex condition",
            "successCondition: result >= 0.9 && result <= 1",
            0.5,
            AnalysisPhase.FAILED,
            "success-rate 0.5 (result >= 0.9 && result <= 1 not met)"),
        new Case(
            "all good",
            "successCondition: result >= 0.99",
            0.995,
            AnalysisPhase.SUCCESSFUL,
            "all 1 metric successful"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void aRunEndsWithItsReasonWrittenAsAnSreSaysIt(Case c) {
    ManualClock clock = new ManualClock();
    AnalysisTemplateSpec template = template(c.condition());
    var run =
        new AnalysisRunExecutor(
            template,
            Map.of(),
            new ScriptedMetrics().set("success_rate", c.value()),
            clock,
            Runnable::run);
    run.start();
    clock.advance(Duration.ofMinutes(5));
    AnalysisRunState state = run.state();

    AnalysisStatus status = AnalysisSummaries.of("run-1", List.of(state), List.of(template));

    assertThat(status.counts().phase()).isEqualTo(c.phase());
    assertThat(status.summary()).isEqualTo(c.summary());
    assertThat(status.values()).containsKey("success-rate");
    assertThat(status.counts().last()).startsWith("success-rate ");
  }
}
