package dev.weir.engine.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEditor;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.GpgSignature;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * Builds real Git repositories for tests, in the spirit of JGit's {@code TestRepository}:
 *
 * <pre>{@code
 * RepoBuilder repo = RepoBuilder.init(dir);                  // bare, HEAD -> main
 * String c1 = repo.commit("add storefront").add("apps/storefront/deploy.yaml", "...").create();
 * String c2 = repo.commit("drop config").delete("apps/storefront/config.yaml").author("Ann", "ann@x").create();
 * }</pre>
 *
 * Commits go on the current branch ({@link #onBranch}); each starts from the branch head's tree.
 * Commit times are deterministic: 09:00 UTC on 2026-01-01 plus one minute per commit, unless {@link
 * Commit#at} says otherwise. Not thread-safe.
 */
public final class RepoBuilder implements AutoCloseable {
  private static final Instant EPOCH = Instant.parse("2026-01-01T09:00:00Z");

  private final Repository repository;
  private String branch = "main";
  private int commits;

  private RepoBuilder(Repository repository) {
    this.repository = repository;
  }

  /** Creates a bare repository at {@code dir} whose HEAD points to {@code main}. */
  public static RepoBuilder init(Path dir) {
    try {
      Repository repository = new FileRepositoryBuilder().setGitDir(dir.toFile()).setBare().build();
      repository.create(true);
      RefUpdate head = repository.updateRef(Constants.HEAD);
      head.link(Constants.R_HEADS + "main");
      return new RepoBuilder(repository);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Opens an existing repository (bare or a {@code .git} directory). */
  public static RepoBuilder open(Path gitDir) {
    try {
      return new RepoBuilder(
          new FileRepositoryBuilder().setGitDir(gitDir.toFile()).setMustExist(true).build());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Further commits go on {@code name}; a new branch starts at the current branch's head. */
  public RepoBuilder onBranch(String name) {
    String from = head();
    branch = name;
    if (from != null && resolve(Constants.R_HEADS + name) == null) {
      setRef(Constants.R_HEADS + name, ObjectId.fromString(from));
    }
    return this;
  }

  /** Starts a commit on the current branch. */
  public Commit commit(String message) {
    return new Commit(message);
  }

  /** Creates the lightweight tag {@code name} at {@code rev} (a full id or a branch). */
  public RepoBuilder tag(String name, String rev) {
    ObjectId id = resolve(rev);
    if (id == null) {
      throw new IllegalArgumentException("no such revision: " + rev);
    }
    setRef(Constants.R_TAGS + name, id);
    return this;
  }

  /** Moves the current branch to {@code sha} (as a force-push would). */
  public RepoBuilder resetBranch(String sha) {
    setRef(Constants.R_HEADS + branch, ObjectId.fromString(sha));
    return this;
  }

  /** The current branch's head commit id, or null before the first commit. */
  public String head() {
    return head(branch);
  }

  /** The head commit id of {@code branchName}, or null. */
  public String head(String branchName) {
    ObjectId id = resolve(Constants.R_HEADS + branchName);
    return id == null ? null : id.name();
  }

  /** The content of {@code path} at {@code rev}, or null if absent. */
  public String read(String rev, String path) {
    try (RevWalk walk = new RevWalk(repository)) {
      RevCommit commit = walk.parseCommit(resolve(rev));
      try (TreeWalk tree = TreeWalk.forPath(repository, path, commit.getTree())) {
        return tree == null
            ? null
            : new String(repository.open(tree.getObjectId(0)).getBytes(), StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every file path at {@code rev}, sorted. */
  public List<String> paths(String rev) {
    List<String> paths = new ArrayList<>();
    try (RevWalk walk = new RevWalk(repository);
        TreeWalk tree = new TreeWalk(repository)) {
      tree.addTree(walk.parseCommit(resolve(rev)).getTree());
      tree.setRecursive(true);
      while (tree.next()) {
        paths.add(tree.getPathString());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return paths.stream().sorted().toList();
  }

  /** The commit's full message. */
  public RevCommit parse(String rev) {
    try (RevWalk walk = new RevWalk(repository)) {
      return walk.parseCommit(resolve(rev));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Repository repository() {
    return repository;
  }

  public Path directory() {
    return repository.getDirectory().toPath();
  }

  @Override
  public void close() {
    repository.close();
  }

  private ObjectId resolve(String rev) {
    try {
      Ref ref = repository.exactRef(rev);
      if (ref != null) {
        return ref.getObjectId();
      }
      ObjectId branchHead = rev.startsWith("refs/") ? null : resolveRef(Constants.R_HEADS + rev);
      return branchHead != null ? branchHead : repository.resolve(rev);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private ObjectId resolveRef(String name) throws IOException {
    Ref ref = repository.exactRef(name);
    return ref == null ? null : ref.getObjectId();
  }

  private void setRef(String name, ObjectId id) {
    try {
      RefUpdate update = repository.updateRef(name);
      update.setNewObjectId(id);
      update.setForceUpdate(true);
      RefUpdate.Result result = update.update();
      if (result == RefUpdate.Result.LOCK_FAILURE || result == RefUpdate.Result.IO_FAILURE) {
        throw new IllegalStateException("cannot update " + name + ": " + result);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A commit being described; {@link #create()} writes it and moves the branch. */
  public final class Commit {
    private final String message;
    private final List<DirCacheEditor.PathEdit> edits = new ArrayList<>();
    private final List<String> deletions = new ArrayList<>();
    private String authorName = "Test Author";
    private String authorEmail = "author@example.com";
    private Instant when;
    private String parent;
    private boolean noParent;
    private TestPgpKey signer;
    private boolean forged;

    private Commit(String message) {
      this.message = message;
    }

    public Commit add(String path, String content) {
      return add(path, content.getBytes(StandardCharsets.UTF_8));
    }

    public Commit add(String path, byte[] content) {
      try (ObjectInserter inserter = repository.newObjectInserter()) {
        ObjectId blob = inserter.insert(Constants.OBJ_BLOB, content);
        inserter.flush();
        edits.add(
            new DirCacheEditor.PathEdit(path) {
              @Override
              public void apply(DirCacheEntry entry) {
                entry.setFileMode(FileMode.REGULAR_FILE);
                entry.setObjectId(blob);
              }
            });
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return this;
    }

    /** Removes a file, or a directory with everything under it. */
    public Commit delete(String path) {
      deletions.add(path);
      return this;
    }

    public Commit author(String name, String email) {
      authorName = name;
      authorEmail = email;
      return this;
    }

    public Commit at(Instant instant) {
      when = instant;
      return this;
    }

    /** Uses {@code sha} as the parent instead of the branch head. */
    public Commit parent(String sha) {
      parent = sha;
      return this;
    }

    /** Makes a root commit even if the branch has a head. */
    public Commit orphan() {
      noParent = true;
      return this;
    }

    /** Signs the commit with {@code key} (an OpenPGP signature in the {@code gpgsig} header). */
    public Commit signedBy(TestPgpKey key) {
      signer = key;
      return this;
    }

    /**
     * Signs with {@code key}, but over other content: a signature that does not match the commit.
     */
    public Commit forgedSignatureBy(TestPgpKey key) {
      signer = key;
      forged = true;
      return this;
    }

    /** Writes the commit, moves the current branch to it and returns its full id. */
    public String create() {
      try (ObjectInserter inserter = repository.newObjectInserter();
          ObjectReader reader = repository.newObjectReader();
          RevWalk walk = new RevWalk(reader)) {
        String parentId = noParent ? null : parent != null ? parent : head();
        DirCache index = DirCache.newInCore();
        DirCacheBuilder builder = index.builder();
        if (parentId != null) {
          builder.addTree(
              new byte[0], 0, reader, walk.parseCommit(ObjectId.fromString(parentId)).getTree());
        }
        builder.finish();
        DirCacheEditor editor = index.editor();
        for (String path : deletions) {
          if (index.findEntry(path) >= 0) {
            editor.add(new DirCacheEditor.DeletePath(path));
          } else {
            editor.add(new DirCacheEditor.DeleteTree(path));
          }
        }
        edits.forEach(editor::add);
        editor.finish();
        ObjectId tree = index.writeTree(inserter);

        Instant time = when != null ? when : EPOCH.plus(Duration.ofMinutes(commits));
        commits++;
        PersonIdent ident = new PersonIdent(authorName, authorEmail, time, ZoneOffset.UTC);
        CommitBuilder commit = new CommitBuilder();
        commit.setTreeId(tree);
        if (parentId != null) {
          commit.setParentId(ObjectId.fromString(parentId));
        }
        commit.setAuthor(ident);
        commit.setCommitter(ident);
        commit.setMessage(message);
        if (signer != null) {
          byte[] signed = commit.build();
          if (forged) {
            signed = java.util.Arrays.copyOf(signed, signed.length + 1);
          }
          commit.setGpgSignature(new GpgSignature(signer.sign(signed)));
        }
        ObjectId id = inserter.insert(commit);
        inserter.flush();
        setRef(Constants.R_HEADS + branch, id);
        return id.name();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
