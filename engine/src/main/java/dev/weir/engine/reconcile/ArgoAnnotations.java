package dev.weir.engine.reconcile;

import dev.weir.engine.model.DesiredState;
import dev.weir.engine.model.LiveObject;
import dev.weir.engine.model.Manifest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Argo CD's per-object annotations, as Argo CD's documentation defines them and as Weir honours
 * them: sync waves (https://argo-cd.readthedocs.io/en/stable/user-guide/sync-waves/), hooks and
 * their delete policies (…/user-guide/resource_hooks/), sync options (…/user-guide/sync-options/)
 * and compare options (…/user-guide/compare-options/). Pure.
 */
public final class ArgoAnnotations {
  private ArgoAnnotations() {}

  public static final String SYNC_WAVE = "argocd.argoproj.io/sync-wave";
  public static final String HOOK = "argocd.argoproj.io/hook";
  public static final String HOOK_DELETE_POLICY = "argocd.argoproj.io/hook-delete-policy";
  public static final String SYNC_OPTIONS = "argocd.argoproj.io/sync-options";
  public static final String COMPARE_OPTIONS = "argocd.argoproj.io/compare-options";

  /** The phase a hook runs in. */
  public enum HookPhase {
    PRE_SYNC("PreSync"),
    SYNC("Sync"),
    POST_SYNC("PostSync"),
    SYNC_FAIL("SyncFail");

    private final String word;

    HookPhase(String word) {
      this.word = word;
    }

    public String word() {
      return word;
    }

    static Optional<HookPhase> of(String word) {
      for (HookPhase phase : values()) {
        if (phase.word.equals(word)) {
          return Optional.of(phase);
        }
      }
      return Optional.empty();
    }
  }

  /** When a hook's object is deleted; {@code BeforeHookCreation} is Argo's default. */
  public enum DeletePolicy {
    HOOK_SUCCEEDED("HookSucceeded"),
    HOOK_FAILED("HookFailed"),
    BEFORE_HOOK_CREATION("BeforeHookCreation");

    private final String word;

    DeletePolicy(String word) {
      this.word = word;
    }
  }

  /**
   * The phases of a hook ({@code PreSync,PostSync} runs in both); empty for an object that is no
   * hook or names no phase Weir runs.
   */
  public static List<HookPhase> phases(Manifest manifest) {
    List<HookPhase> phases = new ArrayList<>();
    for (String word : list(manifest.annotations().get(HOOK))) {
      HookPhase.of(word).ifPresent(phases::add);
    }
    return phases;
  }

  /** The delete policies of a hook; {@code BeforeHookCreation} when it names none. */
  public static Set<DeletePolicy> deletePolicies(Manifest manifest) {
    List<DeletePolicy> policies = new ArrayList<>();
    for (String word : list(manifest.annotations().get(HOOK_DELETE_POLICY))) {
      for (DeletePolicy policy : DeletePolicy.values()) {
        if (policy.word.equals(word)) {
          policies.add(policy);
        }
      }
    }
    return policies.isEmpty() ? Set.of(DeletePolicy.BEFORE_HOOK_CREATION) : Set.copyOf(policies);
  }

  /**
   * The object's wave: {@code weir.dev/sync-wave}, else {@code argocd.argoproj.io/sync-wave}, else
   * 0. Negative waves run first, as in Argo CD.
   */
  public static int wave(Map<String, Object> annotations) {
    for (String key : List.of(Tracking.SYNC_WAVE_ANNOTATION, SYNC_WAVE)) {
      Object value = annotations.get(key);
      if (value != null) {
        try {
          return Integer.parseInt(String.valueOf(value).strip());
        } catch (NumberFormatException e) {
          return 0; // said in warnings()
        }
      }
    }
    return 0;
  }

  /** Whether the object's sync options hold {@code option} ({@code Prune=false} …). */
  public static boolean hasSyncOption(Map<String, Object> annotations, String option) {
    return list(annotations.get(SYNC_OPTIONS)).stream().anyMatch(o -> o.equalsIgnoreCase(option));
  }

  /**
   * Whether a live object left out of Git is not drift: {@code
   * argocd.argoproj.io/compare-options: IgnoreExtraneous}.
   */
  public static boolean ignoreExtraneous(LiveObject live) {
    return list(live.annotations().get(COMPARE_OPTIONS)).stream()
        .anyMatch(o -> o.equalsIgnoreCase("IgnoreExtraneous"));
  }

  /**
   * What the application's objects ask and Weir does not honour, one line each naming the file
   * and the annotation: for {@code weir status}, never silent.
   */
  public static List<String> warnings(DesiredState desired) {
    List<String> warnings = new ArrayList<>();
    List<Manifest> all = new ArrayList<>(desired.resources().values());
    all.addAll(desired.hooks());
    for (Manifest manifest : all) {
      Map<String, Object> annotations = manifest.annotations();
      String at = manifest.source() + ": " + manifest.key().kind() + " " + manifest.key().name();
      for (String key : List.of(Tracking.SYNC_WAVE_ANNOTATION, SYNC_WAVE)) {
        Object value = annotations.get(key);
        if (value != null && !String.valueOf(value).strip().matches("-?[0-9]{1,9}")) {
          warnings.add(at + ": " + key + " " + value + " is not an integer; wave 0 is used");
        }
      }
      for (String option : list(annotations.get(SYNC_OPTIONS))) {
        String lower = option.toLowerCase(Locale.ROOT);
        if (lower.equals("replace=true")) {
          warnings.add(
              at + ": " + SYNC_OPTIONS + " Replace=true is refused: Weir applies objects"
                  + " server-side and never replaces them; the sync of this object is refused");
        } else if (!Set.of("prune=false", "serversideapply=true", "prunelast=true", "validate=true")
            .contains(lower)) {
          warnings.add(at + ": " + SYNC_OPTIONS + " " + option + " is not honoured by Weir");
        }
      }
      for (String option : list(annotations.get(COMPARE_OPTIONS))) {
        if (!option.equalsIgnoreCase("IgnoreExtraneous")) {
          warnings.add(at + ": " + COMPARE_OPTIONS + " " + option + " is not honoured by Weir");
        }
      }
      for (String word : list(annotations.get(HOOK))) {
        if (HookPhase.of(word).isEmpty() && !word.equals("Skip")) {
          warnings.add(at + ": " + HOOK + " " + word + " is not run by Weir");
        }
      }
      for (String word : list(annotations.get(HOOK_DELETE_POLICY))) {
        if (java.util.Arrays.stream(DeletePolicy.values()).noneMatch(p -> p.word.equals(word))) {
          warnings.add(at + ": " + HOOK_DELETE_POLICY + " " + word + " is not honoured by Weir");
        }
      }
    }
    return warnings;
  }

  /** A comma-separated annotation's items, trimmed. */
  static List<String> list(Object value) {
    if (value == null) {
      return List.of();
    }
    List<String> items = new ArrayList<>();
    for (String part : String.valueOf(value).split(",")) {
      if (!part.isBlank()) {
        items.add(part.strip());
      }
    }
    return items;
  }
}
