package dev.weir.engine.cluster;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * A coordination.k8s.io/v1 Lease as Weir reads it: who holds it, since when and until when.
 * Immutable.
 *
 * @param namespace the Lease's namespace
 * @param name the Lease's name
 * @param holder {@code spec.holderIdentity}, word for word ({@link #holderIdentity()} reads it)
 * @param acquiredAt {@code spec.acquireTime}: since when this holder holds it ({@code renewedAt}
 *     when the Lease does not say)
 * @param renewedAt {@code spec.renewTime}
 * @param expiresAt {@code renewTime + leaseDurationSeconds}; a Lease past it is free to take
 * @param acquired whether the asking holder holds it now
 */
public record LeaseRecord(
    String namespace,
    String name,
    String holder,
    Instant acquiredAt,
    Instant renewedAt,
    Instant expiresAt,
    boolean acquired) {

  public LeaseRecord {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(holder, "holder");
    Objects.requireNonNull(acquiredAt, "acquiredAt");
    Objects.requireNonNull(renewedAt, "renewedAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }

  /** The holder, read: user, host, process and instance when this version of Weir wrote it. */
  public LeaseHolder holderIdentity() {
    return LeaseHolder.parse(holder);
  }

  /**
   * {@code held by alice@bastion (pid 4242, weir sync) since 2026-11-20T10:42:07Z until
   * 2026-11-20T10:42:37Z}.
   */
  public String describe() {
    return "held by "
        + holderIdentity().describe()
        + " since "
        + acquiredAt.truncatedTo(ChronoUnit.SECONDS)
        + " until "
        + expiresAt.truncatedTo(ChronoUnit.SECONDS);
  }
}
