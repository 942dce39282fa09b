package dev.weir.engine.rollout;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code spec.strategy.blueGreen}: the new version runs beside the old one behind the preview
 * Service; promotion switches the active Service to it in one update. Immutable.
 *
 * @param autoPromotionEnabled promote without a person once the preview is ready (default true)
 * @param autoPromotionSeconds with auto-promotion, wait this long after the preview is ready
 * @param scaleDownDelay how long the previous version stays scaled after promotion, so that a
 *     rollback is one instant switch back (default 30s)
 * @param antiAffinity the anti-affinity the preview's pods get against the active pods ({@code
 *     antiAffinity}, Argo's anti-affinity.md, decision 0048); empty for none
 */
public record BlueGreenStrategy(
    String activeService,
    Optional<String> previewService,
    boolean autoPromotionEnabled,
    Optional<Duration> autoPromotionSeconds,
    Optional<AnalysisRef> prePromotionAnalysis,
    Optional<AnalysisRef> postPromotionAnalysis,
    Duration scaleDownDelay,
    Optional<CanaryPods.AntiAffinity> antiAffinity)
    implements RolloutStrategy {

  /** Without {@code antiAffinity}. */
  public BlueGreenStrategy(
      String activeService,
      Optional<String> previewService,
      boolean autoPromotionEnabled,
      Optional<Duration> autoPromotionSeconds,
      Optional<AnalysisRef> prePromotionAnalysis,
      Optional<AnalysisRef> postPromotionAnalysis,
      Duration scaleDownDelay) {
    this(
        activeService,
        previewService,
        autoPromotionEnabled,
        autoPromotionSeconds,
        prePromotionAnalysis,
        postPromotionAnalysis,
        scaleDownDelay,
        Optional.empty());
  }

  /** Argo Rollouts' default {@code scaleDownDelaySeconds}. */
  public static final Duration DEFAULT_SCALE_DOWN_DELAY = Duration.ofSeconds(30);

  public BlueGreenStrategy {
    Objects.requireNonNull(activeService, "activeService");
    Objects.requireNonNull(previewService, "previewService");
    Objects.requireNonNull(autoPromotionSeconds, "autoPromotionSeconds");
    Objects.requireNonNull(prePromotionAnalysis, "prePromotionAnalysis");
    Objects.requireNonNull(postPromotionAnalysis, "postPromotionAnalysis");
    Objects.requireNonNull(scaleDownDelay, "scaleDownDelay");
    Objects.requireNonNull(antiAffinity, "antiAffinity");
  }
}
