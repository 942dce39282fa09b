package dev.weir.engine.git;

import java.io.IOException;
import java.time.ZoneOffset;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.PushCommand;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.UserConfig;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.PathFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link GitWriter} on the clone of a {@link JGitSource}. The new tree is built in memory (no
 * working tree, no checkout): every entry of the branch head outside the path, plus every entry of
 * the target revision under it. The commit's parent is the remote branch head; it is pushed without
 * force, so history is never rewritten. A rejected push because the remote moved is answered by a
 * fetch and a fresh commit on the new head. A commit that could not be pushed is kept under {@code
 * refs/weir/unpushed/<branch>/<id>} in the clone, so it is never garbage-collected.
 *
 * <p>Thread-safe: each restore holds the source's lock for its whole duration.
 */
public final class JGitWriter implements GitWriter {
  private static final Logger LOG = LoggerFactory.getLogger(JGitWriter.class);
  static final String UNPUSHED = "refs/weir/unpushed/";

  private final JGitSource source;

  JGitWriter(JGitSource source) {
    this.source = source;
  }

  @Override
  public WriteResult restorePath(
      String app, String path, String toRevision, String reason, boolean push) {
    String dir = JGitRevisionTree.normalize(path);
    if (dir.isEmpty()) {
      throw new GitException(
          GitError.Reason.INVALID_REQUEST,
          "refusing to restore the whole repository of " + app + ": give the application's path");
    }
    JGitSource.Followed followed = source.followed();
    if (followed.kind() != JGitSource.Kind.BRANCH) {
      throw new GitException(
          GitError.Reason.INVALID_REQUEST,
          "the workspace follows "
              + followed.describe()
              + ", not a branch: Weir cannot commit to it");
    }
    source.lock().lock();
    try {
      source.ensureOpen();
      PersonIdent identity = identity();
      GitError pushError = null;
      if (push) {
        GitStatus status = source.fetchLocked();
        if (status.isStale()
            && !status.lastError().reason().equals(GitError.Reason.SIGNATURE_REJECTED)) {
          pushError = status.lastError();
        }
      }
      RevCommit target = source.parseCommit(source.resolveId(toRevision));
      GitError verdict = source.verify(target);
      if (verdict != null) {
        throw new GitException(verdict);
      }
      String targetShort = target.abbreviate(7).name();
      return commitAndPush(followed, push, pushError,
          base -> commit(app, dir, target, base, reason, identity),
          dir + " already matches " + targetShort + ": nothing to commit");
    } finally {
      source.lock().unlock();
    }
  }

  @Override
  public WritePlan planRestore(String app, String path, String toRevision, String reason) {
    String dir = JGitRevisionTree.normalize(path);
    if (dir.isEmpty()) {
      throw new GitException(
          GitError.Reason.INVALID_REQUEST,
          "refusing to restore the whole repository of " + app + ": give the application's path");
    }
    JGitSource.Followed followed = source.followed();
    if (followed.kind() != JGitSource.Kind.BRANCH) {
      throw new GitException(
          GitError.Reason.INVALID_REQUEST,
          "the workspace follows "
              + followed.describe()
              + ", not a branch: Weir cannot commit to it");
    }
    source.lock().lock();
    try {
      source.ensureOpen();
      PersonIdent identity = identity();
      RevCommit target = source.parseCommit(source.resolveId(toRevision));
      GitError verdict = source.verify(target);
      if (verdict != null) {
        throw new GitException(verdict);
      }
      RevCommit base = branchHead(followed);
      boolean changes;
      // the trees are written as loose objects that no commit refers to (gc removes them)
      try (ObjectReader reader = source.repository().newObjectReader();
          ObjectInserter inserter = source.repository().newObjectInserter()) {
        changes = !restoreTree(reader, inserter, dir, target, base).equals(base.getTree());
        inserter.flush();
      } catch (IOException e) {
        throw source.localIo(e);
      }
      return new WritePlan(
          followed.name(),
          identity.getName() + " <" + identity.getEmailAddress() + ">",
          restoreMessage(app, dir, target, base, reason),
          changes,
          base.abbreviate(7).name());
    } finally {
      source.lock().unlock();
    }
  }

  /** Commits on the branch head and pushes, re-applying on a moved remote; the caller holds the lock. */
  private WriteResult commitAndPush(
      JGitSource.Followed followed,
      boolean push,
      GitError earlierPushError,
      java.util.function.Function<RevCommit, Restore> build,
      String noChange) {
    GitError pushError = earlierPushError;
    int attempts = push && pushError == null ? source.settings().pushAttempts() : 1;
    for (int attempt = 1; ; attempt++) {
      RevCommit base = branchHead(followed);
      Restore restore = build.apply(base);
      if (restore == null) {
        return new WriteResult(WriteResult.Outcome.NO_CHANGE, null, false, noChange, Optional.empty());
      }
      if (!push) {
        return keepLocally(restore, followed, "not pushed, as asked", null);
      }
      if (pushError != null) {
        return keepLocally(restore, followed, "not pushed: " + pushError.message(), pushError);
      }
      Pushed pushed = push(restore.commit(), followed.name());
      if (pushed.error() == null) {
        updateTrackingRef(followed, restore.commit());
        source.advance(source.clock().instant(), source.status().fetchedAt());
        return new WriteResult(
            WriteResult.Outcome.PUSHED,
            restore.commit().name(),
            true,
            restore.summary()
                + " as "
                + restore.commit().abbreviate(7).name()
                + ", pushed to "
                + followed.name(),
            Optional.empty());
      }
      if (!pushed.remoteMoved()) {
        return keepLocally(
            restore, followed, "not pushed: " + pushed.error().message(), pushed.error());
      }
      if (attempt >= attempts) {
        GitError lost =
            new GitError(
                GitError.Reason.PUSH_RACE_LOST,
                "the remote branch "
                    + followed.name()
                    + " kept moving; gave up after "
                    + attempts
                    + " attempts");
        return keepLocally(restore, followed, "not pushed: " + lost.message(), lost);
      }
      LOG.info(
          "{} moved on the remote while pushing; fetching and re-applying (attempt {} of {})",
          followed.name(),
          attempt + 1,
          attempts);
      GitStatus status = source.fetchLocked();
      if (status.isStale() && status.lastError().reason() != GitError.Reason.SIGNATURE_REJECTED) {
        return keepLocally(
            restore, followed, "not pushed: " + status.lastError().message(), status.lastError());
      }
    }
  }

  @Override
  public WriteResult writeFile(String app, String path, byte[] content, String message, String reason, boolean push) {
    return write(null, app, path, content, message, reason, push);
  }

  @Override
  public WriteResult writeFileAs(
      GitIdentity author, String app, String path, byte[] content, String message, String reason, boolean push) {
    return write(java.util.Objects.requireNonNull(author, "author"), app, path, content, message, reason, push);
  }

  private WriteResult write(
      GitIdentity author, String app, String path, byte[] content, String message, String reason, boolean push) {
    String file = JGitRevisionTree.normalize(path);
    if (file.isEmpty()) {
      throw new GitException(GitError.Reason.INVALID_REQUEST, "no file to write for " + app);
    }
    JGitSource.Followed followed = source.followed();
    if (followed.kind() != JGitSource.Kind.BRANCH) {
      throw new GitException(
          GitError.Reason.INVALID_REQUEST,
          "the workspace follows " + followed.describe() + ", not a branch: Weir cannot commit to it");
    }
    source.lock().lock();
    try {
      source.ensureOpen();
      PersonIdent identity = identity();
      GitError pushError = null;
      if (push) {
        GitStatus status = source.fetchLocked();
        if (status.isStale() && !status.lastError().reason().equals(GitError.Reason.SIGNATURE_REJECTED)) {
          pushError = status.lastError();
        }
      }
      return commitAndPush(followed, push, pushError,
          base -> commitFile(app, file, content, message, reason, base, identity, author),
          file + " already has that content: nothing to commit");
    } finally {
      source.lock().unlock();
    }
  }

  @Override
  public WritePlan planFile(String app, String path, byte[] content, String message, String reason) {
    String file = JGitRevisionTree.normalize(path);
    if (file.isEmpty()) {
      throw new GitException(GitError.Reason.INVALID_REQUEST, "no file to write for " + app);
    }
    JGitSource.Followed followed = source.followed();
    if (followed.kind() != JGitSource.Kind.BRANCH) {
      throw new GitException(
          GitError.Reason.INVALID_REQUEST,
          "the workspace follows " + followed.describe() + ", not a branch: Weir cannot commit to it");
    }
    source.lock().lock();
    try {
      source.ensureOpen();
      PersonIdent identity = identity();
      RevCommit base = branchHead(followed);
      boolean changes;
      try (ObjectReader reader = source.repository().newObjectReader();
          TreeWalk walk = TreeWalk.forPath(reader, file, base.getTree())) {
        changes =
            walk == null
                || !walk.getObjectId(0)
                    .equals(new ObjectInserter.Formatter().idFor(org.eclipse.jgit.lib.Constants.OBJ_BLOB, content));
      } catch (IOException e) {
        throw source.localIo(e);
      }
      return new WritePlan(
          followed.name(),
          identity.getName() + " <" + identity.getEmailAddress() + ">",
          fileMessage(app, message, reason),
          changes,
          base.abbreviate(7).name());
    } finally {
      source.lock().unlock();
    }
  }

  /** The message of a commit that writes a file for {@code app} (a backport). */
  private static String fileMessage(String app, String message, String reason) {
    String why = reason == null || reason.isBlank() ? "none given" : reason.strip();
    return message + "\n\nReason: " + why + "\nApplication: " + app + "\nWeir-Action: backport\n";
  }

  private Restore commitFile(
      String app, String file, byte[] content, String message, String reason, RevCommit base, PersonIdent identity,
      GitIdentity author) {
    Repository repository = source.repository();
    try (ObjectReader reader = repository.newObjectReader();
        ObjectInserter inserter = repository.newObjectInserter()) {
      ObjectId blob = inserter.insert(org.eclipse.jgit.lib.Constants.OBJ_BLOB, content);
      DirCache index = DirCache.newInCore();
      DirCacheBuilder builder = index.builder();
      boolean written = false;
      try (TreeWalk walk = new TreeWalk(reader)) {
        walk.addTree(base.getTree());
        walk.setRecursive(true);
        while (walk.next()) {
          String entryPath = walk.getPathString();
          if (entryPath.equals(file)) {
            builder.add(entry(entryPath, walk.getFileMode(0), blob));
            written = true;
          } else {
            builder.add(entry(entryPath, walk.getFileMode(0), walk.getObjectId(0)));
          }
        }
      }
      if (!written) {
        builder.add(entry(file, FileMode.REGULAR_FILE, blob));
      }
      builder.finish();
      ObjectId tree = index.writeTree(inserter);
      if (tree.equals(base.getTree())) {
        return null;
      }
      CommitBuilder commit = new CommitBuilder();
      commit.setTreeId(tree);
      commit.setParentId(base);
      PersonIdent stamped =
          new PersonIdent(identity.getName(), identity.getEmailAddress(), source.clock().instant(), ZoneOffset.UTC);
      commit.setAuthor(author == null
          ? stamped
          : new PersonIdent(author.name(), author.email(), source.clock().instant(), ZoneOffset.UTC));
      commit.setCommitter(stamped);
      commit.setMessage(fileMessage(app, message, reason));
      ObjectId id = inserter.insert(commit);
      inserter.flush();
      try (RevWalk revWalk = new RevWalk(reader)) {
        return new Restore(revWalk.parseCommit(id), message);
      }
    } catch (IOException e) {
      throw source.localIo(e);
    }
  }

  private record Restore(RevCommit commit, String summary) {}

  private record Pushed(GitError error, boolean remoteMoved) {}

  private RevCommit branchHead(JGitSource.Followed followed) {
    try {
      var ref = source.repository().exactRef(followed.localRef());
      if (ref == null) {
        throw new GitException(
            GitError.Reason.NOT_FOUND, "the branch " + followed.name() + " is not in the clone");
      }
      return source.parseCommit(ref.getObjectId());
    } catch (IOException e) {
      throw source.localIo(e);
    }
  }

  /** Builds and stores the restore commit on {@code base}; null when it would change nothing. */
  private Restore commit(
      String app,
      String dir,
      RevCommit target,
      RevCommit base,
      String reason,
      PersonIdent identity) {
    Repository repository = source.repository();
    try (ObjectReader reader = repository.newObjectReader();
        ObjectInserter inserter = repository.newObjectInserter()) {
      ObjectId tree = restoreTree(reader, inserter, dir, target, base);
      if (tree.equals(base.getTree())) {
        return null;
      }
      String targetShort = target.abbreviate(7).name();
      CommitBuilder commit = new CommitBuilder();
      commit.setTreeId(tree);
      commit.setParentId(base);
      PersonIdent stamped =
          new PersonIdent(
              identity.getName(),
              identity.getEmailAddress(),
              source.clock().instant(),
              ZoneOffset.UTC);
      commit.setAuthor(stamped);
      commit.setCommitter(stamped);
      commit.setMessage(restoreMessage(app, dir, target, base, reason));
      ObjectId id = inserter.insert(commit);
      inserter.flush();
      try (RevWalk revWalk = new RevWalk(reader)) {
        return new Restore(revWalk.parseCommit(id), "Rolled back " + app + " to " + targetShort);
      }
    } catch (IOException e) {
      throw source.localIo(e);
    }
  }

  /** The tree of {@code base} with {@code dir} as it is in {@code target}. */
  private static ObjectId restoreTree(
      ObjectReader reader, ObjectInserter inserter, String dir, RevCommit target, RevCommit base)
      throws IOException {
    DirCache index = DirCache.newInCore();
    DirCacheBuilder builder = index.builder();
    try (TreeWalk walk = new TreeWalk(reader)) {
      walk.addTree(base.getTree());
      walk.setRecursive(true);
      while (walk.next()) {
        String entryPath = walk.getPathString();
        if (!entryPath.equals(dir) && !entryPath.startsWith(dir + "/")) {
          builder.add(entry(entryPath, walk.getFileMode(0), walk.getObjectId(0)));
        }
      }
    }
    try (TreeWalk walk = new TreeWalk(reader)) {
      walk.addTree(target.getTree());
      walk.setRecursive(true);
      walk.setFilter(PathFilter.create(dir));
      while (walk.next()) {
        builder.add(entry(walk.getPathString(), walk.getFileMode(0), walk.getObjectId(0)));
      }
    }
    builder.finish();
    return index.writeTree(inserter);
  }

  /** The message of the commit that restores {@code dir} of {@code app} from {@code target}. */
  private String restoreMessage(
      String app, String dir, RevCommit target, RevCommit base, String reason) {
    String targetShort = target.abbreviate(7).name();
    String was = lastChange(base, dir);
    String why = reason == null || reason.isBlank() ? "none given" : reason.strip();
    return "Roll back "
        + app
        + " to "
        + targetShort
        + "\n\n"
        + "Reason: "
        + why
        + "\n"
        + "Restores "
        + dir
        + " from "
        + targetShort
        + " (was "
        + was
        + ").\n"
        + "Weir-Action: rollback\n";
  }

  private static DirCacheEntry entry(String path, FileMode mode, ObjectId id) {
    DirCacheEntry entry = new DirCacheEntry(path);
    entry.setFileMode(mode);
    entry.setObjectId(id);
    return entry;
  }

  /** The short id of the last commit before {@code base} (inclusive) that changed {@code dir}. */
  private String lastChange(RevCommit base, String dir) {
    try {
      for (RevCommit commit :
          Git.wrap(source.repository()).log().add(base).addPath(dir).setMaxCount(1).call()) {
        return commit.abbreviate(7).name();
      }
    } catch (GitAPIException | IOException e) {
      LOG.debug("cannot find the last change of {}: {}", dir, e.getMessage());
    }
    return base.abbreviate(7).name();
  }

  private Pushed push(RevCommit commit, String branch) {
    PushCommand command =
        Git.wrap(source.repository())
            .push()
            .setRemote("origin")
            .setRefSpecs(new RefSpec(commit.name() + ":refs/heads/" + branch))
            .setForce(false)
            .setAtomic(false);
    source.transports().configure(command);
    Iterable<PushResult> results;
    try {
      results = command.call();
    } catch (GitAPIException | RuntimeException e) {
      return new Pushed(source.transports().classify(e, "push to"), false);
    }
    for (PushResult result : results) {
      RemoteRefUpdate update = result.getRemoteUpdate("refs/heads/" + branch);
      if (update == null) {
        continue;
      }
      switch (update.getStatus()) {
        case OK, UP_TO_DATE -> {
          return new Pushed(null, false);
        }
        case REJECTED_NONFASTFORWARD, REJECTED_REMOTE_CHANGED -> {
          return new Pushed(
              new GitError(GitError.Reason.PUSH_REJECTED, "the remote branch " + branch + " moved"),
              true);
        }
        default -> {
          String why =
              update.getMessage() == null ? update.getStatus().name() : update.getMessage();
          return new Pushed(
              new GitError(
                  GitError.Reason.PUSH_REJECTED,
                  "the remote refused the push to "
                      + branch
                      + ": "
                      + source.transports().scrub(why)),
              false);
        }
      }
    }
    return new Pushed(
        new GitError(GitError.Reason.REMOTE_ERROR, "the remote did not report on " + branch),
        false);
  }

  private void updateTrackingRef(JGitSource.Followed followed, RevCommit commit) {
    try {
      RefUpdate update = source.repository().updateRef(followed.localRef());
      update.setNewObjectId(commit);
      update.setForceUpdate(true);
      update.update();
    } catch (IOException e) {
      LOG.warn("cannot update {} after pushing: {}", followed.localRef(), e.getMessage());
    }
  }

  private WriteResult keepLocally(
      Restore restore, JGitSource.Followed followed, String why, GitError error) {
    String ref = UNPUSHED + followed.name() + "/" + restore.commit().name();
    try {
      RefUpdate update = source.repository().updateRef(ref);
      update.setNewObjectId(restore.commit());
      update.update();
    } catch (IOException e) {
      throw source.localIo(e);
    }
    String message =
        restore.summary()
            + " as "
            + restore.commit().abbreviate(7).name()
            + " in the local clone, "
            + why
            + ". Nothing is lost: it is kept as "
            + ref
            + " in "
            + source.cloneDirectory();
    return new WriteResult(
        WriteResult.Outcome.COMMITTED_LOCALLY,
        restore.commit().name(),
        false,
        message,
        Optional.ofNullable(error));
  }

  private PersonIdent identity() {
    Optional<GitIdentity> configured = source.settings().identity();
    if (configured.isPresent()) {
      return new PersonIdent(configured.get().name(), configured.get().email());
    }
    UserConfig user = source.repository().getConfig().get(UserConfig.KEY);
    if (user.isAuthorNameImplicit() || user.isAuthorEmailImplicit()) {
      throw new GitException(
          GitError.Reason.NO_IDENTITY,
          "no Git identity to author the commit: set it with git config --global user.name \"Your"
              + " Name\" and git config --global user.email you@example.com");
    }
    return new PersonIdent(user.getAuthorName(), user.getAuthorEmail());
  }
}
