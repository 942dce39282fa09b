package dev.weir.engine.git;

/**
 * Changes desired state the Git way: a new commit on top of the branch head, never a rewrite of
 * history, authored with the user's Git identity and a message that names the application, the
 * revisions and the reason.
 *
 * <p>Threading: thread-safe; writes are serialised with the fetches of the source they belong to.
 */
public interface GitWriter {

  /**
   * Makes {@code path} exactly what it was at {@code toRevision} (files added, changed and removed
   * accordingly), leaving every other path untouched, as one new commit on the branch head.
   *
   * <p>With {@code push}, the commit is pushed; if the remote moved meanwhile it is fetched and the
   * restore re-applied on the new head, a bounded number of times. When the push cannot be done
   * (remote unreachable, credentials refused) the commit stays in the local clone and the result
   * says so: nothing is lost. When {@code path} already equals {@code toRevision}, no commit is
   * made.
   *
   * @param app the application's name, for the commit message
   * @param path the application's path in the repository, e.g. {@code apps/storefront}
   * @param toRevision a branch, tag or commit id to restore from
   * @param reason why, in the user's words; may be empty
   * @param push whether to push the commit
   * @throws GitException for what makes the restore impossible: {@code NOT_FOUND} (revision),
   *     {@code SIGNATURE_REJECTED}, {@code NO_IDENTITY}, {@code INVALID_REQUEST} (not on a branch),
   *     {@code LOCAL_IO}. Push failures are not thrown: they are in the result.
   */
  WriteResult restorePath(String app, String path, String toRevision, String reason, boolean push);

  /**
   * What {@link #restorePath} would commit now, on the local branch head, without committing or
   * fetching: the exact message, the branch and the author.
   *
   * @throws GitException as {@link #restorePath} would, before committing
   */
  WritePlan planRestore(String app, String path, String toRevision, String reason);

  /**
   * Sets the file {@code path} to {@code content} as one new commit on the branch head, leaving
   * every other path untouched: the Git side of a hotfix backport. Pushing, retrying when the
   * remote moved, and keeping the commit locally when the push is impossible work as in {@link
   * #restorePath}. When the file already has that content, no commit is made.
   *
   * @param app the application's name, for the commit message
   * @param path the file, relative to the repository root
   * @param content the file's new bytes
   * @param message the commit message's first line; the reason follows it
   * @param reason why, in the user's words; may be empty
   * @param push whether to push the commit
   * @throws GitException {@code NO_IDENTITY}, {@code INVALID_REQUEST} (not on a branch, bad path),
   *     {@code LOCAL_IO}. Push failures are in the result.
   */
  WriteResult writeFile(String app, String path, byte[] content, String message, String reason, boolean push);

  /**
   * As {@link #writeFile}, with {@code author} as the commit's author: a change Weir makes on its
   * own account (a rollout's flag step), while the committer stays the configured identity — the
   * person whose console carried it out.
   */
  WriteResult writeFileAs(
      GitIdentity author, String app, String path, byte[] content, String message, String reason, boolean push);

  /**
   * What {@link #writeFile} would commit now, on the local branch head, without committing or
   * fetching: the exact message, the branch and the author.
   */
  WritePlan planFile(String app, String path, byte[] content, String message, String reason);
}
