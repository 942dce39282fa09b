package dev.weir.engine.rollout;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A rollout's reference to analysis ({@code {templates: [{templateName: …}], args: [{name,
 * value}]}}): the AnalysisTemplates to run together and the argument values they get. Immutable.
 */
public record AnalysisRef(List<String> templates, Map<String, String> args) {
  public AnalysisRef {
    templates = List.copyOf(templates);
    args = Map.copyOf(args);
    if (templates.isEmpty()) {
      throw new IllegalArgumentException("an analysis needs at least one template");
    }
  }

  /** {@code success-rate} or {@code success-rate+latency}, for messages. */
  public String describe() {
    return String.join("+", templates);
  }

  static AnalysisRef of(String... templates) {
    return new AnalysisRef(List.of(templates), Map.of());
  }

  @Override
  public String toString() {
    return describe() + (args.isEmpty() ? "" : " " + new java.util.TreeMap<>(args));
  }

  /** Two references are the same analysis when templates and args are. */
  public boolean sameAs(AnalysisRef other) {
    return Objects.equals(templates, other.templates) && Objects.equals(args, other.args);
  }
}
