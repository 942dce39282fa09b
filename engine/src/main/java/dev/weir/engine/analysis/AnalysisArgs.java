package dev.weir.engine.analysis;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The argument values of one analysis run: the template's defaults, then the values of its {@code
 * valueFrom.secretKeyRef} arguments read through a {@link SecretSource}, then the rollout's (which
 * win, as Argo merges them). Values read from Secrets are remembered so that {@link #redact} can
 * mask them, as Argo does ({@value #MASK}), in everything shown: measurement messages, the run's
 * message, logs and events. Immutable; {@link #toString()} shows names only.
 *
 * @param values every argument with a value
 * @param secrets the values read from Secrets
 * @param problem why the run cannot start (a Secret or key missing), without a value
 */
public record AnalysisArgs(Map<String, String> values, Set<String> secrets, Optional<String> problem) {

  /** What a Secret's value is shown as. */
  public static final String MASK = "*****";

  public AnalysisArgs {
    values = Map.copyOf(values);
    secrets = Set.copyOf(secrets);
    Objects.requireNonNull(problem, "problem");
  }

  /**
   * Resolves {@code template}'s arguments with the rollout's {@code given} values, reading Secrets
   * through {@code secrets} (only for arguments the rollout does not give).
   */
  public static AnalysisArgs resolve(
      AnalysisTemplateSpec template, Map<String, String> given, SecretSource secrets) {
    Map<String, String> values = new HashMap<>();
    Set<String> secretValues = new java.util.HashSet<>();
    Optional<String> problem = Optional.empty();
    for (ArgSpec arg : template.args()) {
      arg.value().ifPresent(v -> values.put(arg.name(), v));
      if (arg.secret().isPresent() && !given.containsKey(arg.name()) && problem.isEmpty()) {
        try {
          String value = secrets.read(arg.secret().get());
          values.put(arg.name(), value);
          if (!value.isEmpty()) {
            secretValues.add(value);
          }
        } catch (SecretSource.Unavailable e) {
          problem =
              Optional.of(
                  "args." + arg.name() + " (valueFrom.secretKeyRef): " + e.getMessage());
        }
      }
    }
    values.putAll(given);
    return new AnalysisArgs(values, secretValues, problem);
  }

  /** {@code text} with every value read from a Secret replaced by {@value #MASK}. */
  public String redact(String text) {
    if (secrets.isEmpty() || text == null) {
      return text;
    }
    String out = text;
    // longest first, so that a secret containing another is masked whole
    List<String> sorted =
        secrets.stream().sorted((a, b) -> Integer.compare(b.length(), a.length())).toList();
    for (String secret : sorted) {
      out = out.replace(secret, MASK);
    }
    return out;
  }

  @Override
  public String toString() {
    return "AnalysisArgs" + new java.util.TreeSet<>(values.keySet());
  }
}
