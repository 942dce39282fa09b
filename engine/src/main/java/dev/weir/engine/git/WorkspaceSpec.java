package dev.weir.engine.git;

import java.util.Objects;

/**
 * The workspace: one Git repository and the revision the console follows in it.
 *
 * @param repo a local path, an {@code https://} URL (a login in it is used for that host only and
 *     never stored), or an SSH location ({@code ssh://user@host/path} or {@code user@host:path});
 *     {@code file://} URLs work too
 * @param ref a branch, a tag or a commit id (full or abbreviated); {@code null} follows the
 *     remote's default branch
 */
public record WorkspaceSpec(String repo, String ref) {
  public WorkspaceSpec {
    Objects.requireNonNull(repo, "repo");
    if (repo.isBlank()) {
      throw new IllegalArgumentException("repo must not be blank");
    }
    if (ref != null && (ref.isBlank() || ref.startsWith("-"))) {
      throw new IllegalArgumentException("not a valid ref: '" + ref + "'");
    }
  }

  /** A workspace following the remote's default branch. */
  public static WorkspaceSpec of(String repo) {
    return new WorkspaceSpec(repo, null);
  }

  /** Never shows a login embedded in the URL: its user info shows as {@code ***}. */
  @Override
  public String toString() {
    return Redaction.url(repo) + (ref == null ? "" : "@" + ref);
  }
}
