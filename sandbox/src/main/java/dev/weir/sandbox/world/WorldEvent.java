package dev.weir.sandbox.world;

import java.time.Instant;
import java.util.Objects;

/**
 * Something that happened in the sandbox's world, as one line for an SRE: when, to which
 * application, to which object, what happened and why.
 *
 * @param at sandbox time
 * @param application the Weir application ({@code weir.dev/application} annotation), else the
 *     object's namespace
 * @param object e.g. {@code Deployment shop/storefront}
 * @param what e.g. {@code scaled up replica set storefront-7c9f8 to 4}
 * @param why e.g. {@code rolling update to revision 2}
 */
public record WorldEvent(Instant at, String application, String object, String what, String why) {
  public WorldEvent {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(application, "application");
    Objects.requireNonNull(object, "object");
    Objects.requireNonNull(what, "what");
    Objects.requireNonNull(why, "why");
  }

  /** {@code 2026-01-01T10:00:05Z storefront Deployment shop/storefront: what (why)}. */
  @Override
  public String toString() {
    return at
        + " "
        + application
        + " "
        + object
        + ": "
        + what
        + (why.isEmpty() ? "" : " (" + why + ")");
  }
}
