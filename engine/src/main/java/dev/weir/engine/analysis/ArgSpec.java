package dev.weir.engine.analysis;

import java.util.Objects;
import java.util.Optional;

/**
 * A template argument ({@code spec.args[]}): a name and an optional default value, or Argo's {@code
 * valueFrom.secretKeyRef}: a key of a Secret in the rollout's namespace, read from the cluster when
 * the run starts and never shown ({@link AnalysisArgs}). Immutable.
 */
public record ArgSpec(String name, Optional<String> value, Optional<SecretKeyRef> secret) {

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
  }

  /** An argument with an optional default value. */
  public ArgSpec(String name, Optional<String> value) {
    this(name, value, Optional.empty());
  }
}
