/**
 * Metric analysis: the {@link dev.weir.engine.analysis.MetricProvider} port and its Prometheus
 * adapter (straight to an address, or through the API server's service proxy), which Prometheus
 * analyses query ({@link dev.weir.engine.analysis.PrometheusSelection}: {@code --prometheus}, a
 * template's address, discovery in the cluster), AnalysisTemplate parsing, analysis runs as a pure
 * state machine ({@link dev.weir.engine.analysis.AnalysisRun}) carried out by an {@link
 * dev.weir.engine.analysis.AnalysisRunExecutor}, threshold conditions in a sandboxed expression
 * language, the statistical canary judge ({@link dev.weir.engine.analysis.MannWhitneyJudge} and
 * {@link dev.weir.engine.analysis.CanaryScorer}), what-if re-judgement and the chart series.
 *
 * <p>Principle 4 of DESIGN.md holds throughout: a provider error, an empty result or NaN is never a
 * success, and an inconclusive metric never promotes.
 */
package dev.weir.engine.analysis;
