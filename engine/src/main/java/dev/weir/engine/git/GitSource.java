package dev.weir.engine.git;

import dev.weir.engine.time.EngineClock;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * The workspace's Git repository as the engine sees it: a local clone that is fetched on an
 * interval and on demand, the desired state at any revision, and the history of an application's
 * path.
 *
 * <p>Offline behaviour: when the remote cannot be reached, the source keeps serving the last
 * fetched state and says so in {@link #status()} (stale since when, and why); it never drops that
 * state.
 *
 * <p>Threading: all methods are thread-safe. Network operations ({@link #fetch()}, and writes
 * through a {@link GitWriter} on the same clone) are serialised; reads ({@link #head()}, {@link
 * #tree}, {@link #history}, and reading a {@link RevisionTree}) run concurrently with them and with
 * each other.
 */
public interface GitSource extends AutoCloseable {

  /**
   * Fetches the remote now. Never throws for a remote problem: the returned status carries the
   * error and the previous revision is still served. A fetch that brings nothing new is cheap: it
   * re-reads nothing but the remote's refs.
   */
  GitStatus fetch();

  /** The latest status, without touching the network. */
  GitStatus status();

  /** The desired state at the revision being followed, as last fetched. */
  RevisionTree head();

  /**
   * The desired state at any revision: a branch, a tag, a full or abbreviated commit id.
   *
   * @throws GitException {@code NOT_FOUND} if it does not resolve to a commit, {@code
   *     SIGNATURE_REJECTED} if signature verification is on and the commit is not trusted
   */
  RevisionTree tree(String rev);

  /**
   * The full commit id of {@code rev} (a branch, a tag, a full or abbreviated commit id).
   *
   * @throws GitException {@code NOT_FOUND} if it does not resolve to a commit
   */
  String resolve(String rev);

  /**
   * The commits that changed {@code path} (a file or a directory; "" for any change), reachable
   * from the served revision, newest first, at most {@code max}.
   */
  List<CommitInfo> history(String path, int max);

  /**
   * Fetches every {@code interval} on the engine clock, handing each resulting status to {@code
   * onFetch} (on the clock's thread). Cancel the returned handle to stop; closing the source stops
   * it.
   */
  EngineClock.Scheduled poll(Duration interval, Consumer<GitStatus> onFetch);

  /** A writer that commits to this workspace's branch through the same clone. */
  GitWriter writer();

  /**
   * The repository's URL for display, with no user info at all (no login, no token, no SSH user):
   * {@code https://git.example.com/shop.git}; "" when this source cannot tell.
   */
  default String repositoryUrl() {
    return "";
  }

  /**
   * What the workspace follows: the branch name ({@code main}), or {@code tag v1.2} / {@code commit
   * 3f2a1c9…} when it follows a tag or a commit; "" when this source cannot tell.
   */
  default String followedRef() {
    return "";
  }

  /** Stops polling and releases the clone. */
  @Override
  void close();
}
