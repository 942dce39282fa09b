package dev.weir.engine.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AnalysisTemplateParserTest {

  private static final String DESIGN_EXAMPLE =
      """
      apiVersion: weir.dev/v1alpha1
      kind: AnalysisTemplate
      metadata: {name: success-rate}
      spec:
        args: [{name: service}]
        metrics:
        - name: success-rate
          interval: 1m
          count: 5
          failureLimit: 1
          successCondition: result >= 0.99
          provider:
            prometheus:
              query: sum(rate(http_requests_total{service="{{args.service}}",code!~"5.."}[1m])) / sum(rate(http_requests_total{service="{{args.service}}"}[1m]))
      """;

  @Test
  void readsTheDesignDocumentsExampleWithArgoDefaults() {
    AnalysisTemplateSpec spec = Templates.spec(DESIGN_EXAMPLE);

    assertThat(spec.name()).isEqualTo("success-rate");
    assertThat(spec.args()).containsExactly(new ArgSpec("service", Optional.empty()));
    MetricSpec metric = spec.metrics().getFirst();
    assertThat(metric.interval()).contains(Duration.ofMinutes(1));
    assertThat(metric.count()).contains(5);
    assertThat(metric.failureLimit()).isEqualTo(1);
    assertThat(metric.inconclusiveLimit()).isZero();
    assertThat(metric.consecutiveErrorLimit()).isEqualTo(4);
    assertThat(metric.initialDelay()).isZero();
    assertThat(metric.successCondition().map(Condition::source)).contains("result >= 0.99");
    assertThat(metric.prometheus().query().orElseThrow()).contains("{{args.service}}");
    assertThat(spec.scored()).isFalse();
    assertThat(spec.source().toString()).isEqualTo("apps/shop/analysis.yaml:1:1");
  }

  @Test
  void readsAComparisonMetricWithItsJudgeSettingsAndScoring() {
    AnalysisTemplateSpec spec =
        Templates.spec(
            """
            apiVersion: weir.dev/v1alpha1
            kind: AnalysisTemplate
            metadata: {name: canary-vs-stable}
            spec:
              scoring: {marginal: 60, pass: 90}
              metrics:
              - name: p99-latency
                interval: 30s
                count: 10
                initialDelay: 1m30s
                compare: {direction: increase, effectSize: 0.2, confidence: 0.95, minSamples: 20, weight: 3,
                          critical: true, window: 2m, step: 5s, unit: ms}
                provider:
                  prometheus:
                    canaryQuery: latency{track="canary"}
                    stableQuery: latency{track="stable"}
            """);

    MetricSpec metric = spec.metrics().getFirst();
    ComparisonSpec compare = metric.compare().orElseThrow();
    assertThat(compare.judge()).isEqualTo(new JudgeSettings(Direction.INCREASE, 0.2, 0.95, 20));
    assertThat(compare.weight()).isEqualTo(3);
    assertThat(compare.critical()).isTrue();
    assertThat(compare.window()).isEqualTo(Duration.ofMinutes(2));
    assertThat(compare.step()).isEqualTo(Duration.ofSeconds(5));
    assertThat(compare.unit()).isEqualTo("ms");
    assertThat(metric.initialDelay()).isEqualTo(Duration.ofSeconds(90));
    assertThat(spec.scoring()).isEqualTo(new ScoringSpec(60, 90));
    assertThat(spec.scored()).isTrue();
  }

  @Test
  void comparisonDefaultsAreKayentasAndWeirs() {
    AnalysisTemplateSpec spec =
        Templates.spec(
            """
            apiVersion: weir.dev/v1alpha1
            kind: AnalysisTemplate
            metadata: {name: t}
            spec:
              metrics:
              - name: errors
                compare: {}
                provider: {prometheus: {canaryQuery: a, stableQuery: b}}
            """);

    ComparisonSpec compare = spec.metrics().getFirst().compare().orElseThrow();
    assertThat(compare.judge()).isEqualTo(new JudgeSettings(Direction.EITHER, 0.10, 0.98, 10));
    assertThat(compare.weight()).isEqualTo(1);
    assertThat(compare.critical()).isFalse();
    assertThat(spec.scoring()).isEqualTo(new ScoringSpec(75, 95));
    assertThat(spec.metrics().getFirst().effectiveCount()).contains(1);
  }

  record Case(String name, String metricYaml, String expectedError) {
    @Override
    public String toString() {
      return name;
    }
  }

  static List<Case> invalid() {
    return List.of(
        new Case(
            "bad interval",
            "interval: 5 min\n  successCondition: result > 1\n  provider: {prometheus: {query: q}}",
            "apps/shop/analysis.yaml:12:1: spec.metrics[0].interval: not a duration: \"5 min\" (use"
                + " e.g. 30s, 1m, 1h30m)"),
        new Case(
            "negative failure limit",
            "failureLimit: -2\n  successCondition: result > 1\n  provider: {prometheus:"
                + " {query: q}}",
            "apps/shop/analysis.yaml:12:1: spec.metrics[0].failureLimit: must be at least -1, got"
                + " -2"),
        new Case(
            "count not a number",
            "count: many\n  interval: 1m\n  successCondition: result > 1\n  provider:"
                + " {prometheus: {query: q}}",
            "apps/shop/analysis.yaml:12:1: spec.metrics[0].count: must be a whole number, got"
                + " \"many\""),
        new Case(
            "count without interval",
            "count: 3\n  successCondition: result > 1\n  provider: {prometheus: {query:" + " q}}",
            "apps/shop/analysis.yaml:12:1: spec.metrics[0].interval: required when count is more"
                + " than 1"),
        new Case(
            "condition does not parse",
            "successCondition: result >= \n  provider: {prometheus: {query: q}}",
            "apps/shop/analysis.yaml:12:1: spec.metrics[0].successCondition: invalid condition"
                + " `result >=`"),
        new Case(
            "no condition",
            "provider: {prometheus: {query: q}}",
            "apps/shop/analysis.yaml:12:1: spec.metrics[0]: needs a successCondition or a"
                + " failureCondition"),
        new Case(
            "unknown provider",
            "successCondition: result > 1\n  provider: {datadog: {query: q}}",
            "apps/shop/analysis.yaml:12:1: spec.metrics[0].provider.datadog: unsupported provider"
                + " (supported: prometheus)"),
        new Case(
            "undeclared argument",
            "successCondition: result > 1\n  provider: {prometheus: {query:"
                + " 'up{job=\"{{args.job}}\"}'}}",
            "apps/shop/analysis.yaml:12:1: spec.metrics[0].provider.prometheus.query:"
                + " uses {{args.job}} but spec.args declares no argument \"job\""),
        new Case(
            "comparison with a condition",
            "compare: {}\n  successCondition: result > 1\n  provider: {prometheus:"
                + " {canaryQuery: a, stableQuery: b}}",
            "apps/shop/analysis.yaml:12:1: spec.metrics[0].compare: a comparison"
                + " metric is judged statistically"),
        new Case(
            "comparison without stable query",
            "compare: {direction: increase}\n  provider: {prometheus:" + " {canaryQuery: a}}",
            "apps/shop/analysis.yaml:12:1: spec.metrics[0].provider.prometheus: a comparison"
                + " metric needs canaryQuery and stableQuery"),
        new Case(
            "bad direction",
            "compare: {direction: up}\n  provider: {prometheus: {canaryQuery: a, stableQuery: b}}",
            "apps/shop/analysis.yaml:12:1: spec.metrics[0].compare.direction: must be increase,"
                + " decrease or either, got \"up\""),
        new Case(
            "confidence of 1",
            "compare: {confidence: 1}\n  provider: {prometheus: {canaryQuery: a, stableQuery:"
                + " b}}",
            "apps/shop/analysis.yaml:12:1: spec.metrics[0].compare.confidence: must be between 0"
                + " and 1 (exclusive), got 1"),
        new Case(
            "missing provider",
            "successCondition: result > 1",
            "apps/shop/analysis.yaml:12:1: spec.metrics[0].provider: missing"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void invalidSpecsNameFileLineAndField(Case c) {
    String yaml =
        """
        apiVersion: weir.dev/v1alpha1
        kind: AnalysisTemplate
        metadata: {name: broken}
        spec:
          metrics:
          - name: m
            %s
        """
            .formatted(c.metricYaml().replace("\n  ", "\n    "));

    var result =
        AnalysisTemplateParser.parse(Templates.manifest(yaml, "apps/shop/analysis.yaml", 12));

    assertThat(result).isInstanceOf(AnalysisTemplateParser.Result.Invalid.class);
    List<String> errors =
        ((AnalysisTemplateParser.Result.Invalid) result)
            .errors().stream().map(Object::toString).toList();
    assertThat(errors).anySatisfy(e -> assertThat(e).startsWith(c.expectedError()));
  }

  @Test
  void everyProblemIsReportedNotJustTheFirst() {
    var result =
        AnalysisTemplateParser.parse(
            Templates.manifest(
                """
                apiVersion: weir.dev/v1alpha1
                kind: AnalysisTemplate
                metadata: {name: broken}
                spec:
                  scoring: {marginal: 99, pass: 90}
                  metrics:
                  - name: a
                    interval: soon
                    successCondition: result > 1
                    provider: {prometheus: {query: q}}
                  - name: a
                    successCondition: result > 1
                    provider: {prometheus: {query: q}}
                """,
                "a.yaml",
                40));

    List<String> errors =
        ((AnalysisTemplateParser.Result.Invalid) result)
            .errors().stream().map(Object::toString).toList();
    assertThat(errors)
        .containsExactly(
            "a.yaml:40:1: spec.scoring.marginal: must not be above pass (90), got 99",
            "a.yaml:40:1: spec.metrics[0].interval: not a duration: \"soon\" (use e.g. 30s, 1m,"
                + " 1h30m)",
            "a.yaml:40:1: spec.metrics[1].name: duplicate metric name \"a\"");
  }

  @Test
  void readsArgoRolloutsTemplatesAndRejectsOtherVersions() {
    // issue 17 / decision 0026: argoproj.io/v1alpha1 templates are read as Weir's own
    var argo =
        AnalysisTemplateParser.parse(
            Templates.manifest(
                """
                apiVersion: argoproj.io/v1alpha1
                kind: ClusterAnalysisTemplate
                metadata: {name: t}
                spec: {metrics: [{name: m, successCondition: result > 1, provider: {prometheus: {query: q}}}]}
                """,
                "t.yaml",
                3));
    var other =
        AnalysisTemplateParser.parse(
            Templates.manifest(
                """
                apiVersion: example.com/v1
                kind: AnalysisTemplate
                metadata: {name: t}
                spec: {metrics: [{name: m, successCondition: result > 1, provider: {prometheus: {query: q}}}]}
                """,
                "t.yaml",
                3));

    assertThat(argo).isInstanceOf(AnalysisTemplateParser.Result.Parsed.class);
    assertThat(((AnalysisTemplateParser.Result.Invalid) other).errors().getFirst().toString())
        .isEqualTo(
            "t.yaml:3:1: apiVersion: expected weir.dev/v1alpha1 or argoproj.io/v1alpha1, got"
                + " example.com/v1");
  }

  @Test
  void goDurationsParse() {
    assertThat(AnalysisTemplateParser.parseDuration("1h30m")).contains(Duration.ofMinutes(90));
    assertThat(AnalysisTemplateParser.parseDuration("500ms")).contains(Duration.ofMillis(500));
    assertThat(AnalysisTemplateParser.parseDuration("1.5s")).contains(Duration.ofMillis(1500));
    assertThat(AnalysisTemplateParser.parseDuration("10")).isEmpty();
    assertThat(AnalysisTemplateParser.parseDuration("1m x")).isEmpty();
  }
}
