package dev.weir.engine.analysis;

import java.util.Objects;
import java.util.Optional;

/**
 * A template argument ({@code spec.args[]}): a name and an optional default value, or Argo's {@code
 * valueFrom.secretKeyRef}: a key of a Secret in the rollout's namespace, read from the cluster when
 * the run starts and never shown ({@link AnalysisArgs}), or Argo's {@code valueFrom.fieldRef}: a
 * field of the Rollout that runs the template ({@code metadata.labels['app']}), read with the
 * Rollout (decision 0041). Immutable.
 *
 * @param fieldRef the {@code fieldPath} of a {@code valueFrom.fieldRef}, if the argument has one
 */
public record ArgSpec(
    String name, Optional<String> value, Optional<SecretKeyRef> secret, Optional<String> fieldRef) {

  /** Argo's {@code valueFrom.secretKeyRef}: the Secret's {@code name} and the {@code key} read. */
  public record SecretKeyRef(String name, String key) {
    public SecretKeyRef {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(key, "key");
    }

    @Override
    public String toString() {
      return "Secret " + name + " key " + key;
    }
  }

  public ArgSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(secret, "secret");
    Objects.requireNonNull(fieldRef, "fieldRef");
  }

  /** An argument with a default value or a Secret, not a field of the Rollout. */
  public ArgSpec(String name, Optional<String> value, Optional<SecretKeyRef> secret) {
    this(name, value, secret, Optional.empty());
  }

  /** An argument with an optional default value. */
  public ArgSpec(String name, Optional<String> value) {
    this(name, value, Optional.empty());
  }
}
