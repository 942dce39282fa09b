package dev.weir.engine.analysis;

import dev.weir.engine.cluster.ClusterException;
import dev.weir.engine.cluster.ClusterGateway;
import dev.weir.engine.model.LiveObject;
import dev.weir.engine.model.ResourceKey;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link SecretSource} over the engine's {@link ClusterGateway}: a GET of the Secret in one
 * namespace (the rollout's), its {@code data} key decoded as UTF-8. Needs {@code get} on {@code
 * secrets} there. Messages name the Secret and key, never the Secret's content.
 *
 * <p>Thread-safe; blocks on the cluster.
 */
public final class ClusterSecretSource implements SecretSource {
  private final ClusterGateway gateway;
  private final String namespace;

  public ClusterSecretSource(ClusterGateway gateway, String namespace) {
    this.gateway = Objects.requireNonNull(gateway, "gateway");
    this.namespace = Objects.requireNonNull(namespace, "namespace");
  }

  @Override
  public String read(ArgSpec.SecretKeyRef ref) {
    String what = "Secret " + namespace + "/" + ref.name();
    Optional<LiveObject> secret;
    try {
      secret = gateway.get(new ResourceKey("", "Secret", namespace, ref.name()));
    } catch (ClusterException e) {
      throw new Unavailable(
          "cannot read " + what + " (" + e.reason().name().toLowerCase(java.util.Locale.ROOT) + ")");
    }
    if (secret.isEmpty()) {
      throw new Unavailable(what + " not found");
    }
    Object data = secret.get().object().get("data");
    Object encoded = data instanceof Map<?, ?> map ? map.get(ref.key()) : null;
    if (encoded == null) {
      throw new Unavailable(what + " has no key " + ref.key());
    }
    try {
      return new String(Base64.getDecoder().decode(String.valueOf(encoded)), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new Unavailable(what + " key " + ref.key() + " is not base64");
    }
  }

  @Override
  public String toString() {
    return "ClusterSecretSource[" + gateway.context() + ", " + namespace + "]";
  }
}
