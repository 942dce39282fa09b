package dev.weir.engine.console;

import dev.weir.engine.model.ResourceKey;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What hotfixing one field would do, computed from a snapshot ({@link
 * ConsoleApi#previewHotfixField}): the cluster's value kept (with Git's, and who set it), how long
 * automated sync leaves it alone, and that Git still needs the backport. Stateless.
 */
final class HotfixPreview {
  private HotfixPreview() {}

  static Preview of(
      ConsoleSnapshot now,
      String application,
      String resource,
      String field,
      String reason,
      Duration duration) {
    boolean whole = field == null || field.isBlank();
    String what = whole ? resource : resource + " " + field.strip();
    String title = "Hotfix " + what + " of " + application;
    Optional<ApplicationView> view = now.application(application);
    if (view.isEmpty()) {
      return Preview.refused(
          title,
          CommandResult.of(
              CommandResult.Status.BAD_INPUT, "no application named '" + application + "'"));
    }
    ResourceKey key;
    try {
      key = ResourceNames.resource(view.get(), resource);
      if (!whole && !field.strip().startsWith("/")) {
        ResourceNames.parse(field.strip());
      }
    } catch (IllegalArgumentException e) {
      return Preview.refused(title, CommandResult.of(CommandResult.Status.BAD_INPUT, e.getMessage()));
    }
    Optional<DriftField> drifted =
        whole
            ? Optional.empty()
            : view.get().drift(java.time.ZoneOffset.UTC).stream()
                .filter(o -> o.key().equals(key))
                .flatMap(o -> o.fields().stream())
                .filter(f -> f.path().equals(field.strip()))
                .findFirst();
    List<String> lines = new java.util.ArrayList<>();
    if (whole) {
      lines.add("keeps every field of " + key + " as it is in the cluster");
    } else if (drifted.isPresent()) {
      DriftField f = drifted.get();
      lines.add(
          "keeps "
              + f.path()
              + (f.live().isEmpty() ? " absent" : " = " + f.live())
              + " in the cluster (Git: "
              + (f.git().isEmpty() ? "absent" : f.git())
              + ")"
              + (f.who().isEmpty() ? "" : ", as " + f.who() + " set it"));
    } else {
      lines.add(
          "keeps " + field.strip() + " of " + key + " as it is in the cluster (it does not drift now)");
    }
    lines.add(
        "deliberately drifted until "
            + now.at().plus(duration)
            + ": it no longer counts as drift, and self-heal leaves it alone");
    lines.add("reason: " + reason);
    lines.add("Git is not changed: backport pending (b writes the Git change)");
    return Preview.of(title, lines, true);
  }
}
