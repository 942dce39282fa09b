package dev.weir.engine.rollout;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a blue/green rollout is: the active version, the preview version, and which attempt this
 * is. Immutable.
 *
 * @param activeRevision the Git revision the active version was last desired at, when known
 * @param attempt 0 for the first run of this preview, +1 on each retry; part of analysis run names
 */
public record BlueGreenCursor(
    PodTemplateRef active,
    Optional<String> activeRevision,
    PodTemplateRef preview,
    String previewRevision,
    int attempt,
    Instant startedAt) {

  public BlueGreenCursor {
    Objects.requireNonNull(active, "active");
    Objects.requireNonNull(activeRevision, "activeRevision");
    Objects.requireNonNull(preview, "preview");
    Objects.requireNonNull(previewRevision, "previewRevision");
    Objects.requireNonNull(startedAt, "startedAt");
  }

  String prePromotionRun(String rollout) {
    return rollout + "-" + preview.hash().substring(0, 7) + "-" + attempt + "-pre";
  }

  String postPromotionRun(String rollout) {
    return rollout + "-" + preview.hash().substring(0, 7) + "-" + attempt + "-post";
  }
}
