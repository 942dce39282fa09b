package dev.weir.engine.diff;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import com.github.difflib.patch.Patch;
import dev.weir.engine.model.LiveObject;
import dev.weir.engine.model.ResourceKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Compares one object of Git with the cluster's: normalise both ({@link Normalization}), drop the
 * ignored fields ({@link IgnoreRules}), compare field by field with keyed lists matched by key,
 * attribute each drifted field to its field manager, redact sensitive values, and print a unified
 * diff.
 *
 * <p>Git's side should be what the API server makes of Git's object: the result of a server-side
 * dry-run apply ({@code predicted}), so that defaulted fields and fields other managers own are not
 * drift. When no dry run was possible, Git's object itself is compared and only the fields it sets
 * count.
 *
 * <p>Stateless and thread-safe.
 */
public final class ResourceDiffer {
  private ResourceDiffer() {}

  /**
   * @param key the object
   * @param git Git's side: the dry-run result's object when {@code predicted}, else Git's object;
   *     {@code null} when Git does not have it
   * @param predicted whether {@code git} is a dry-run result (every difference counts) or Git's
   *     object itself (only its fields count)
   * @param live the cluster's object, {@code null} when absent
   * @param rules the application's ignored fields
   * @param note why the comparison is partial; "" normally
   */
  @SuppressWarnings("unchecked")
  public static ResourceDiff compare(
      ResourceKey key,
      Map<String, Object> git,
      boolean predicted,
      LiveObject live,
      IgnoreRules rules,
      String note) {
    Map<String, Object> gitTree = git == null ? null : Normalization.normalize(git);
    Map<String, Object> liveTree = live == null ? null : Normalization.normalize(live.object());
    rules.apply(key, gitTree);
    rules.apply(key, liveTree);
    if (gitTree == null && liveTree == null) {
      throw new IllegalArgumentException("nothing to compare for " + key);
    }
    if (gitTree == null) {
      Redaction.redactPair(key, null, liveTree);
      return new ResourceDiff(
          key,
          ResourceDiff.Status.EXTRA,
          List.of(),
          unified(key, YamlText.lines(liveTree), List.of()),
          note);
    }
    if (liveTree == null) {
      Redaction.redactPair(key, gitTree, null);
      return new ResourceDiff(
          key,
          ResourceDiff.Status.MISSING,
          List.of(),
          unified(key, List.of(), YamlText.lines(gitTree)),
          note);
    }
    ObjectComparison.Mode mode =
        predicted ? ObjectComparison.Mode.FULL : ObjectComparison.Mode.GIT_FIELDS;
    List<FieldChange> raw = ObjectComparison.compare(key, gitTree, liveTree, mode);
    if (raw.isEmpty()) {
      return new ResourceDiff(key, ResourceDiff.Status.SYNCED, List.of(), "", note);
    }
    ManagedFields owners = ManagedFields.of(live);
    List<FieldChange> changes = new ArrayList<>(raw.size());
    for (FieldChange change : raw) {
      changes.add(
          change.kind() == FieldChange.Kind.ADDED
              ? change
              : new FieldChange(
                  change.path(),
                  change.kind(),
                  change.git(),
                  change.live(),
                  owners.ownerOf(change.path())));
    }
    Map<String, Object> shownLive =
        predicted
            ? liveTree
            : (Map<String, Object>) ObjectComparison.project(liveTree, gitTree, "");
    Redaction.redactPair(key, gitTree, shownLive);
    return new ResourceDiff(
        key,
        ResourceDiff.Status.MODIFIED,
        changes,
        unified(key, YamlText.lines(shownLive), YamlText.lines(gitTree)),
        note);
  }

  private static String unified(ResourceKey key, List<String> live, List<String> git) {
    Patch<String> patch = DiffUtils.diff(live, git);
    String name = fileName(key);
    List<String> lines =
        UnifiedDiffUtils.generateUnifiedDiff("live/" + name, "git/" + name, live, patch, 3);
    return String.join("\n", lines) + "\n";
  }

  /** {@code apps.Deployment.shop.web}, {@code ConfigMap.shop.settings}, {@code Namespace.shop}. */
  static String fileName(ResourceKey key) {
    return (key.group().isEmpty() ? "" : key.group() + ".")
        + key.kind()
        + (key.namespace().isEmpty() ? "" : "." + key.namespace())
        + "."
        + key.name();
  }
}
