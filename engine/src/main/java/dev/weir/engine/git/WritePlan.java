package dev.weir.engine.git;

import java.util.Objects;

/**
 * What a {@link GitWriter} would commit now, computed without committing: a confirmation shows it
 * before the person says yes.
 *
 * @param branch the branch the commit goes on, e.g. {@code main}
 * @param author who the commit is authored by, {@code Name <email>}
 * @param message the exact commit message, every line of it
 * @param changes false when the path already matches: no commit would be made
 * @param base the short id of the branch head the commit would go on (the remote may move before
 *     a push; the commit is then made again on the new head, with the same message)
 */
public record WritePlan(
    String branch, String author, String message, boolean changes, String base) {
  public WritePlan {
    Objects.requireNonNull(branch, "branch");
    Objects.requireNonNull(author, "author");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(base, "base");
  }
}
