package dev.weir.engine.rollout;

import dev.weir.engine.analysis.AnalysisCheckpoint;
import dev.weir.engine.analysis.AnalysisPhase;
import dev.weir.engine.analysis.AnalysisRunState;
import dev.weir.engine.analysis.AnalysisTemplateSpec;
import dev.weir.engine.analysis.Measurement;
import dev.weir.engine.analysis.MetricResult;
import dev.weir.engine.analysis.MetricSpec;
import dev.weir.engine.analysis.Observation.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the analysis runs behind one rollout analysis (one per template) into the {@link
 * AnalysisStatus} the state machines read: summed counts, the worst phase, each run's {@link
 * AnalysisCheckpoint} (recorded with the rollout, to resume from), and for a run that ended badly
 * the reason in a few words, written the way an SRE says it: {@code success-rate 0.91 < 0.99} for a
 * value that missed {@code result >= 0.99}. Pure and thread-safe.
 */
public final class AnalysisSummaries {
  private static final Pattern SIMPLE =
      Pattern.compile("^\\s*result\\s*(>=|<=|==|!=|>|<)\\s*([-+]?[0-9.]+(?:[eE][-+]?\\d+)?)\\s*$");

  private AnalysisSummaries() {}

  /**
   * The status of the run {@code run} made of {@code runs}, each the state of one template's run
   * (same order as {@code templates}).
   */
  public static AnalysisStatus of(
      String run, List<AnalysisRunState> runs, List<AnalysisTemplateSpec> templates) {
    int measured = 0;
    int successful = 0;
    int failed = 0;
    int inconclusive = 0;
    int error = 0;
    AnalysisRunState worst = null;
    boolean allSuccessful = !runs.isEmpty();
    boolean anyStarted = false;
    Measurement latest = null;
    Map<String, String> values = new LinkedHashMap<>();
    List<AnalysisCheckpoint> checkpoints = new ArrayList<>();
    for (AnalysisRunState state : runs) {
      AnalysisCheckpoint.of(state).ifPresent(checkpoints::add);
      for (MetricResult metric : state.metrics()) {
        measured += metric.count() + metric.error();
        successful += metric.successful();
        failed += metric.failed();
        inconclusive += metric.inconclusive();
        error += metric.error();
        Optional<Measurement> last = metric.last();
        if (last.isPresent()) {
          values.put(metric.name(), display(last.get()));
          if (latest == null || last.get().at().isAfter(latest.at())) {
            latest = last.get();
          }
        }
      }
      if (state.phase().unsuccessful()
          && (worst == null || state.phase().worseThan(worst.phase()))) {
        worst = state;
      }
      allSuccessful &= state.phase() == AnalysisPhase.SUCCESSFUL;
      anyStarted |= state.phase() != AnalysisPhase.PENDING;
    }
    AnalysisPhase phase =
        worst != null
            ? worst.phase()
            : allSuccessful
                ? AnalysisPhase.SUCCESSFUL
                : anyStarted ? AnalysisPhase.RUNNING : AnalysisPhase.PENDING;
    String last = latest == null ? "" : latest.metric() + " " + display(latest);
    String summary = "";
    if (worst != null) {
      summary = reason(worst, templates.get(runs.indexOf(worst)));
    } else if (allSuccessful) {
      summary =
          runs.stream().map(AnalysisRunState::message).reduce((a, b) -> a + "; " + b).orElse("");
    }
    return new AnalysisStatus(
        run,
        new AnalysisCounts(
            phase, measured, successful, failed, inconclusive, error, last, checkpoints),
        summary,
        values);
  }

  /** Why a run ended as it did, from its worst metric's last telling measurement. */
  static String reason(AnalysisRunState run, AnalysisTemplateSpec template) {
    for (MetricResult metric : run.metrics()) {
      if (metric.phase() != run.phase()) {
        continue;
      }
      Optional<MetricSpec> spec = template.metric(metric.name());
      for (int i = metric.measurements().size() - 1; i >= 0; i--) {
        Measurement m = metric.measurements().get(i);
        if (m.phase() != run.phase()) {
          continue;
        }
        if (m.phase() == AnalysisPhase.FAILED
            && m.observation() instanceof Value value
            && spec.isPresent()) {
          String shown = value.value().display();
          Optional<String> missed =
              spec.get()
                  .failureCondition()
                  .filter(c -> m.message().contains(c.source() + " met"))
                  .map(c -> as(c.source(), false))
                  .or(() -> spec.get().successCondition().map(c -> as(c.source(), true)));
          if (missed.isPresent() && !missed.get().isEmpty()) {
            return metric.name() + " " + shown + " " + missed.get();
          }
        }
        return m.message();
      }
      return metric.name() + " " + metric.phase().word() + ": " + metric.message();
    }
    return run.message();
  }

  /**
   * {@code result >= 0.99} not met reads {@code < 0.99}; a met failure condition reads as written.
   */
  private static String as(String condition, boolean inverted) {
    Matcher matcher = SIMPLE.matcher(condition);
    if (!matcher.matches()) {
      return "(" + condition + (inverted ? " not met)" : " met)");
    }
    String op = matcher.group(1);
    if (inverted) {
      op =
          switch (op) {
            case ">=" -> "<";
            case ">" -> "<=";
            case "<=" -> ">";
            case "<" -> ">=";
            case "==" -> "!=";
            default -> "==";
          };
    }
    return op + " " + matcher.group(2);
  }

  private static String display(Measurement m) {
    return m.observation() instanceof Value value ? value.value().display() : m.phase().word();
  }
}
