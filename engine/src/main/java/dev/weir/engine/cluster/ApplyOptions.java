package dev.weir.engine.cluster;

import java.util.Objects;

/**
 * How to server-side apply an object.
 *
 * @param fieldManager whose fields these are; Weir applies as {@code weir}
 * @param force take fields that other managers own ({@code --force-conflicts}); only when a person
 *     asked for it
 * @param dryRun let the API server compute the result ({@code dryRun=All}) without storing it
 */
public record ApplyOptions(String fieldManager, boolean force, boolean dryRun) {

  /** Weir's field manager. */
  public static final String WEIR = "weir";

  public ApplyOptions {
    Objects.requireNonNull(fieldManager, "fieldManager");
    if (fieldManager.isBlank()) {
      throw new IllegalArgumentException("fieldManager must not be blank");
    }
  }

  /** Apply as {@code weir}, no force, for real. */
  public static ApplyOptions weir() {
    return new ApplyOptions(WEIR, false, false);
  }

  public ApplyOptions withForce(boolean force) {
    return new ApplyOptions(fieldManager, force, dryRun);
  }

  public ApplyOptions withDryRun(boolean dryRun) {
    return new ApplyOptions(fieldManager, force, dryRun);
  }
}
