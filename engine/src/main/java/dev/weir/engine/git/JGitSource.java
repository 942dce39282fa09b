package dev.weir.engine.git;

import dev.weir.engine.time.EngineClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.eclipse.jgit.api.FetchCommand;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.LogCommand;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.errors.AmbiguousObjectException;
import org.eclipse.jgit.errors.IncorrectObjectTypeException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.errors.RevisionSyntaxException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.lib.SubmoduleConfig.FetchRecurseSubmodulesMode;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.FetchResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.TagOpt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link GitSource} on JGit: a bare clone per workspace under {@link GitSettings#cacheRoot()},
 * named after the repository and a hash of its URL, fetched with every branch (as {@code
 * refs/remotes/origin/*}) and tag. Local paths are cloned too, through the {@code file://}
 * transport, so every repository behaves the same.
 *
 * <p>The cache folder and each clone are {@code 0700}, the clone's {@code config} {@code 0600}, and
 * the remote URL stored there has no user info: a login given in the URL is kept in memory only
 * (see {@link RemoteUrl}). Submodules are never fetched.
 *
 * <p>Design note. The served state is one immutable {@code State} in a volatile field: readers
 * never lock. Fetches and writes hold one lock per source. A fetch compares the followed ref with
 * the commit it last evaluated and does nothing more when it did not move, so an idle poll costs
 * one ref advertisement. A commit that fails signature verification is never served: the previous
 * one stays, and the status says why it is stale. On start-up without network an existing clone is
 * served stale, with the time of its last successful fetch (kept in the clone's config).
 *
 * <p>Thread-safe.
 */
public final class JGitSource implements GitSource {
  private static final Logger LOG = LoggerFactory.getLogger(JGitSource.class);
  private static final String ORIGIN = "origin";
  private static final String REMOTES = "refs/remotes/origin/";
  private static final RefSpec HEADS = new RefSpec("+refs/heads/*:refs/remotes/origin/*");
  private static final RefSpec TAGS = new RefSpec("+refs/tags/*:refs/tags/*");
  private static final String WEIR_SECTION = "weir";

  /** What the workspace follows: a branch moves, a tag may be moved, a commit is fixed. */
  enum Kind {
    BRANCH,
    TAG,
    COMMIT
  }

  /** The followed ref; for a commit, {@code name} is the full id. */
  record Followed(Kind kind, String name) {
    String localRef() {
      return switch (kind) {
        case BRANCH -> REMOTES + name;
        case TAG -> Constants.R_TAGS + name;
        case COMMIT -> null;
      };
    }

    String describe() {
      return kind.name().toLowerCase(Locale.ROOT) + " " + name;
    }
  }

  /** What is served, and what the followed ref pointed at when last evaluated. */
  private record State(
      JGitRevisionTree head, GitStatus status, ObjectId evaluated, GitError verdict) {}

  private final RemoteUrl remote;
  private final Path directory;
  private final GitSettings settings;
  private final EngineClock clock;
  private final Repository repository;
  private final Transports transports;
  private final TrustedKeyring trusted;
  private final ReentrantLock lock = new ReentrantLock();
  private final List<EngineClock.Scheduled> polls = new CopyOnWriteArrayList<>();
  private final WorkspaceSpec spec;
  private volatile Followed followed;
  private volatile State state;
  private volatile boolean closed;

  private JGitSource(
      WorkspaceSpec spec,
      RemoteUrl remote,
      Path directory,
      GitSettings settings,
      EngineClock clock,
      Repository repository,
      TrustedKeyring trusted,
      Transports transports) {
    this.spec = spec;
    this.remote = remote;
    this.directory = directory;
    this.settings = settings;
    this.clock = clock;
    this.repository = repository;
    this.trusted = trusted;
    this.transports = transports;
  }

  /**
   * Opens the workspace: clones it into the cache (or reuses the clone there) and fetches. If the
   * remote cannot be reached but a clone exists, the clone is served, marked stale.
   *
   * @throws GitException when there is nothing to serve: the first clone failed ({@code
   *     UNREACHABLE}, {@code AUTH_FAILED}, {@code HOST_KEY_REJECTED}, {@code NOT_FOUND}), the ref
   *     does not exist ({@code NOT_FOUND}), or its commit is not trusted ({@code
   *     SIGNATURE_REJECTED})
   */
  public static JGitSource open(WorkspaceSpec spec, GitSettings settings, EngineClock clock) {
    RemoteUrl remote = RemoteUrl.parse(toUrl(spec.repo()));
    TrustedKeyring trusted = settings.trustedKeys().map(TrustedKeyring::load).orElse(null);
    Transports transports = new Transports(settings, remote);
    Path directory = settings.cacheRoot().resolve(cacheName(remote.stored()));
    boolean existed =
        Files.isRegularFile(directory.resolve("config"))
            && Files.isDirectory(directory.resolve("objects"));
    Repository repository;
    try {
      PrivateFiles.directory(settings.cacheRoot());
      PrivateFiles.directory(directory);
      repository = new FileRepositoryBuilder().setGitDir(directory.toFile()).setBare().build();
      if (!existed) {
        repository.create(true);
      }
      StoredConfig config = repository.getConfig();
      // Only the URL without credentials is stored; this also cleans a clone made before.
      if (!remote.stored().equals(config.getString("remote", ORIGIN, "url"))) {
        config.setString("remote", ORIGIN, "url", remote.stored());
        config.setStringList("remote", ORIGIN, "fetch", List.of(HEADS.toString(), TAGS.toString()));
        config.setBoolean("core", null, "logallrefupdates", false);
        config.save();
      }
      // JGit runs auto-gc after every fetch, in a background thread by default: files would then
      // appear and vanish in the clone after fetch() returned, racing the render that reads it.
      // Run it inside the fetch instead, so a fetch that returns leaves the clone at rest.
      if (config.getBoolean("gc", null, "autoDetach", true)) {
        config.setBoolean("gc", null, "autoDetach", false);
        config.save();
      }
      PrivateFiles.file(directory.resolve("config"));
    } catch (IOException | IllegalStateException e) {
      transports.close();
      throw new GitException(
          GitError.Reason.LOCAL_IO,
          "cannot prepare the clone of "
              + remote.display()
              + " in "
              + directory
              + ": "
              + transports.scrub(String.valueOf(e.getMessage())));
    }
    JGitSource source =
        new JGitSource(spec, remote, directory, settings, clock, repository, trusted, transports);
    try {
      source.start(existed);
      return source;
    } catch (RuntimeException e) {
      source.close();
      if (!existed) {
        deleteQuietly(directory);
      }
      throw e;
    }
  }

  private void start(boolean existed) {
    lock.lock();
    try {
      FetchResult result = null;
      GitError fetchError = null;
      try {
        result = doFetch(existed ? "fetch" : "clone");
      } catch (GitException e) {
        if (!existed) {
          throw e;
        }
        fetchError = e.error();
        LOG.warn("serving the cached clone of {}: {}", remote.display(), fetchError.message());
      }
      Instant now = clock.instant();
      Instant fetchedAt = fetchError == null ? now : storedFetchedAt(now);
      if (fetchError == null) {
        storeFetchedAt(now);
      }
      followed = determineFollowed(result);
      ObjectId id = resolveFollowed(followed);
      if (id == null) {
        throw new GitException(
            GitError.Reason.NOT_FOUND, "no " + followed.describe() + " in " + remote.display());
      }
      RevCommit commit = parseCommit(id);
      GitError verdict = verify(commit);
      if (verdict != null) {
        throw new GitException(verdict);
      }
      JGitRevisionTree head = new JGitRevisionTree(repository, commit, commit.getTree(), repositoryUrls());
      GitStatus status = GitStatus.fresh(commit.name(), fetchedAt);
      if (fetchError != null) {
        status = status.failed(now, fetchError);
      }
      state = new State(head, status, id.copy(), null);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public GitStatus fetch() {
    lock.lock();
    try {
      return fetchLocked();
    } finally {
      lock.unlock();
    }
  }

  /** Fetches; the caller holds the lock. */
  GitStatus fetchLocked() {
    ensureOpen();
    State current = state;
    FetchResult result;
    try {
      result = doFetch("fetch");
    } catch (GitException e) {
      Instant now = clock.instant();
      state =
          new State(
              current.head,
              current.status.failed(now, e.error()),
              current.evaluated,
              current.verdict);
      LOG.warn("fetch failed, still serving {}: {}", current.head.revision(), e.getMessage());
      return state.status;
    }
    Instant now = clock.instant();
    storeFetchedAt(now);
    boolean moved =
        followed.kind() != Kind.COMMIT && result.getTrackingRefUpdate(followed.localRef()) != null;
    if (!moved) {
      State refreshed =
          new State(
              current.head,
              statusFor(current.head, now, current.verdict, current.status),
              current.evaluated,
              current.verdict);
      state = refreshed;
      return refreshed.status;
    }
    return advance(now, now);
  }

  /**
   * Re-reads the followed ref and serves its commit if it is new and trusted; the caller holds the
   * lock. Used after a fetch that moved it and after a push that moved it.
   */
  GitStatus advance(Instant now, Instant fetchedAt) {
    State current = state;
    ObjectId id = resolveFollowed(followed);
    if (id == null) {
      GitError gone =
          new GitError(
              GitError.Reason.NOT_FOUND,
              "the " + followed.describe() + " no longer exists in " + remote.display());
      state =
          new State(
              current.head, current.status.failed(now, gone), current.evaluated, current.verdict);
      return state.status;
    }
    if (id.equals(current.evaluated)) {
      state =
          new State(
              current.head,
              statusFor(current.head, fetchedAt, current.verdict, current.status),
              current.evaluated,
              current.verdict);
      return state.status;
    }
    RevCommit commit = parseCommit(id);
    GitError verdict = verify(commit);
    JGitRevisionTree head =
        verdict == null ? new JGitRevisionTree(repository, commit, commit.getTree(), repositoryUrls()) : current.head;
    if (verdict != null) {
      LOG.warn("not serving {}: {}", commit.name(), verdict.message());
    }
    state =
        new State(head, statusFor(head, fetchedAt, verdict, current.status), id.copy(), verdict);
    return state.status;
  }

  private static GitStatus statusFor(
      JGitRevisionTree head, Instant fetchedAt, GitError verdict, GitStatus before) {
    GitStatus fresh = GitStatus.fresh(head.revision(), fetchedAt);
    if (verdict == null) {
      return fresh;
    }
    Instant since = before.staleSince() != null ? before.staleSince() : fetchedAt;
    return new GitStatus(head.revision(), fetchedAt, since, verdict);
  }

  private FetchResult doFetch(String action) {
    FetchCommand command =
        Git.wrap(repository)
            .fetch()
            .setRemote(ORIGIN)
            .setRefSpecs(HEADS, TAGS)
            .setRemoveDeletedRefs(true)
            .setTagOpt(TagOpt.NO_TAGS);
    command.setRecurseSubmodules(FetchRecurseSubmodulesMode.NO);
    transports.configure(command);
    try {
      return command.call();
    } catch (GitAPIException | RuntimeException e) {
      throw new GitException(transports.classify(e, action));
    }
  }

  private Followed determineFollowed(FetchResult result) {
    String ref = spec.ref();
    StoredConfig config = repository.getConfig();
    if (ref == null) {
      String branch =
          result == null
              ? config.getString(WEIR_SECTION, null, "defaultBranch")
              : defaultBranch(result);
      if (branch == null) {
        throw new GitException(
            GitError.Reason.NOT_FOUND,
            "cannot tell the default branch of " + remote.display() + "; name a branch");
      }
      if (result != null) {
        config.setString(WEIR_SECTION, null, "defaultBranch", branch);
        saveQuietly(config);
      }
      return new Followed(Kind.BRANCH, branch);
    }
    String name =
        ref.startsWith(Constants.R_HEADS) ? ref.substring(Constants.R_HEADS.length()) : ref;
    try {
      if (!ref.startsWith(Constants.R_TAGS) && repository.exactRef(REMOTES + name) != null) {
        return new Followed(Kind.BRANCH, name);
      }
      String tag =
          ref.startsWith(Constants.R_TAGS) ? ref.substring(Constants.R_TAGS.length()) : ref;
      if (repository.exactRef(Constants.R_TAGS + tag) != null) {
        return new Followed(Kind.TAG, tag);
      }
      if (ref.matches("[0-9a-fA-F]{4,64}")) {
        return new Followed(Kind.COMMIT, resolveId(ref).name());
      }
    } catch (IOException e) {
      throw localIo(e);
    }
    throw new GitException(
        GitError.Reason.NOT_FOUND, "no branch, tag or commit '" + ref + "' in " + remote.display());
  }

  private String defaultBranch(FetchResult result) {
    Ref head = result.getAdvertisedRef(Constants.HEAD);
    if (head != null
        && head.isSymbolic()
        && head.getTarget().getName().startsWith(Constants.R_HEADS)) {
      return head.getTarget().getName().substring(Constants.R_HEADS.length());
    }
    try {
      List<Ref> branches = repository.getRefDatabase().getRefsByPrefix(REMOTES);
      ObjectId headId = head == null ? null : head.getObjectId();
      List<String> candidates = new ArrayList<>();
      for (Ref branch : branches) {
        if (headId == null || headId.equals(branch.getObjectId())) {
          candidates.add(branch.getName().substring(REMOTES.length()));
        }
      }
      for (String preferred : List.of("main", "master")) {
        if (candidates.contains(preferred)) {
          return preferred;
        }
      }
      return candidates.size() == 1 ? candidates.get(0) : null;
    } catch (IOException e) {
      throw localIo(e);
    }
  }

  private ObjectId resolveFollowed(Followed which) {
    if (which.kind() == Kind.COMMIT) {
      return ObjectId.fromString(which.name());
    }
    try {
      Ref ref = repository.exactRef(which.localRef());
      if (ref == null) {
        return null;
      }
      Ref peeled = repository.getRefDatabase().peel(ref);
      return peeled.getPeeledObjectId() != null ? peeled.getPeeledObjectId() : peeled.getObjectId();
    } catch (IOException e) {
      throw localIo(e);
    }
  }

  @Override
  public GitStatus status() {
    return state.status;
  }

  @Override
  public RevisionTree head() {
    return state.head;
  }

  @Override
  public RevisionTree tree(String rev) {
    ensureOpen();
    RevCommit commit = parseCommit(resolveId(rev));
    GitError verdict = verify(commit);
    if (verdict != null) {
      throw new GitException(verdict);
    }
    return new JGitRevisionTree(repository, commit, commit.getTree(), repositoryUrls());
  }

  @Override
  public String resolve(String rev) {
    ensureOpen();
    return parseCommit(resolveId(rev)).name();
  }

  /**
   * The commit a revision names: remote branch, tag, then any JGit revision expression. {@code
   * HEAD} (and {@code HEAD~2}, {@code HEAD^} …) means the served head, and a branch or tag name may
   * carry a {@code ~N}/{@code ^} suffix ({@code main~3}), as with git on a working clone.
   */
  ObjectId resolveId(String rev) {
    String r = rev == null ? "" : rev.strip();
    if (r.isEmpty() || r.startsWith("-")) {
      throw new GitException(GitError.Reason.NOT_FOUND, "not a revision: '" + rev + "'");
    }
    try {
      int cut = suffixStart(r);
      String base = r.substring(0, cut);
      String suffix = r.substring(cut);
      if (base.equals("HEAD") || base.equals("@")) {
        base = state.head.commitId().name();
      }
      List<String> exact = new ArrayList<>(List.of(REMOTES + base, Constants.R_TAGS + base));
      if (base.startsWith("refs/")) {
        exact.add(0, base);
      }
      for (String name : exact) {
        Ref ref = repository.exactRef(name);
        if (ref != null) {
          if (suffix.isEmpty()) {
            return ref.getObjectId();
          }
          base = ref.getObjectId().name();
          break;
        }
      }
      ObjectId id = repository.resolve(base + suffix);
      if (id == null) {
        throw new GitException(
            GitError.Reason.NOT_FOUND,
            "no branch, tag or commit '" + r + "' in " + remote.display());
      }
      return id;
    } catch (AmbiguousObjectException e) {
      throw new GitException(
          GitError.Reason.NOT_FOUND, "'" + r + "' is ambiguous: give more characters of the id");
    } catch (RevisionSyntaxException e) {
      throw new GitException(GitError.Reason.NOT_FOUND, "not a revision: '" + r + "'");
    } catch (IOException e) {
      throw localIo(e);
    }
  }

  /** Where a {@code ~N} or {@code ^} ancestry suffix starts, or the length when there is none. */
  private static int suffixStart(String rev) {
    for (int i = 0; i < rev.length(); i++) {
      char c = rev.charAt(i);
      if (c == '~' || c == '^') {
        return i;
      }
    }
    return rev.length();
  }

  /** Parses the commit at {@code id}, peeling annotated tags. */
  RevCommit parseCommit(ObjectId id) {
    try (RevWalk walk = new RevWalk(repository)) {
      return walk.parseCommit(id);
    } catch (MissingObjectException e) {
      throw new GitException(
          GitError.Reason.NOT_FOUND, "commit " + id.abbreviate(7).name() + " is not in the clone");
    } catch (IncorrectObjectTypeException e) {
      throw new GitException(
          GitError.Reason.NOT_FOUND, id.abbreviate(7).name() + " is not a commit");
    } catch (IOException e) {
      throw localIo(e);
    }
  }

  /** Null if the commit may be used, else why not; always null when verification is off. */
  GitError verify(RevCommit commit) {
    return trusted == null ? null : trusted.check(commit);
  }

  @Override
  public List<CommitInfo> history(String path, int max) {
    ensureOpen();
    if (max < 1) {
      throw new IllegalArgumentException("max must be at least 1: " + max);
    }
    String p = JGitRevisionTree.normalize(path);
    List<CommitInfo> commits = new ArrayList<>();
    try {
      LogCommand log = Git.wrap(repository).log().add(state.head.commitId()).setMaxCount(max);
      if (!p.isEmpty()) {
        log.addPath(p);
      }
      for (RevCommit commit : log.call()) {
        commits.add(info(commit));
      }
    } catch (GitAPIException | IOException e) {
      throw new GitException(
          GitError.Reason.LOCAL_IO, "cannot read the history of " + p + ": " + e.getMessage());
    }
    return List.copyOf(commits);
  }

  static CommitInfo info(RevCommit commit) {
    PersonIdent author = commit.getAuthorIdent();
    return new CommitInfo(
        commit.name(),
        commit.abbreviate(7).name(),
        author.getName(),
        author.getEmailAddress(),
        author.getWhenAsInstant(),
        commit.getFullMessage());
  }

  @Override
  public EngineClock.Scheduled poll(Duration interval, Consumer<GitStatus> onFetch) {
    EngineClock.Scheduled scheduled =
        clock.every(
            interval,
            () -> {
              if (closed) {
                return;
              }
              try {
                onFetch.accept(fetch());
              } catch (RuntimeException e) {
                LOG.error(
                    "polling {} failed: {}",
                    remote.display(),
                    transports.scrub(String.valueOf(e.getMessage())));
              }
            });
    polls.add(scheduled);
    return scheduled;
  }

  /** Polls at {@link GitSettings#fetchInterval()}. */
  public EngineClock.Scheduled poll(Consumer<GitStatus> onFetch) {
    return poll(settings.fetchInterval(), onFetch);
  }

  @Override
  public GitWriter writer() {
    return new JGitWriter(this);
  }

  @Override
  public void close() {
    closed = true;
    polls.forEach(EngineClock.Scheduled::cancel);
    lock.lock();
    try {
      transports.close();
      repository.close();
    } finally {
      lock.unlock();
    }
  }

  /** The directory of the local clone (a bare repository). */
  public Path cloneDirectory() {
    return directory;
  }

  /** The remote URL with its user info masked ({@code https://***@host/…}). */
  public String remote() {
    return remote.display();
  }

  @Override
  public String repositoryUrl() {
    return withoutUserInfo(remote.stored());
  }

  private volatile List<String> repositoryUrls;

  /**
   * The workspace's URL and, for a local repository, the URL of its {@code origin}: what an Argo
   * CD Application's {@code source.repoURL} may call this repository.
   */
  List<String> repositoryUrls() {
    List<String> urls = repositoryUrls;
    if (urls == null) {
      List<String> found = new ArrayList<>(List.of(repositoryUrl()));
      String stored = remote.stored();
      if (stored.startsWith("file:")) {
        java.io.File gitDir =
            org.eclipse.jgit.lib.RepositoryCache.FileKey.resolve(
                Path.of(java.net.URI.create(stored)).toFile(), org.eclipse.jgit.util.FS.DETECTED);
        try (Repository local =
            gitDir == null
                ? null
                : new org.eclipse.jgit.storage.file.FileRepositoryBuilder()
                    .setGitDir(gitDir)
                    .setMustExist(true)
                    .build()) {
          String origin =
              local == null ? null : local.getConfig().getString("remote", "origin", "url");
          if (origin != null && !origin.isBlank()) {
            found.add(withoutUserInfo(origin.strip()));
          }
        } catch (IOException | RuntimeException e) {
          // not readable as a repository: only its own URL then
        }
      }
      urls = List.copyOf(found);
      repositoryUrls = urls;
    }
    return urls;
  }

  @Override
  public String followedRef() {
    Followed f = followed;
    if (f == null) {
      return "";
    }
    return f.kind() == Kind.BRANCH ? f.name() : f.describe();
  }

  /**
   * {@code url} without its user info: {@code https://host/x} for {@code https://u:p@host/x},
   * {@code host:path} for {@code git@host:path}; other strings unchanged.
   */
  static String withoutUserInfo(String url) {
    if (url.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*")) {
      return url.replaceFirst("^([a-zA-Z][a-zA-Z0-9+.-]*://)[^/?#]*@", "$1");
    }
    return url.replaceFirst("^[^/\\s@:]+@([^/\\s:]+:)", "$1");
  }

  /**
   * {@code spec}'s repository URL for display before it is opened, with no user info at all, as
   * {@link #repositoryUrl()} will show it.
   */
  public static String displayUrl(WorkspaceSpec spec) {
    return withoutUserInfo(RemoteUrl.parse(toUrl(spec.repo())).stored());
  }

  /**
   * Whether opening {@code spec} would fetch into a clone already in the cache rather than clone
   * anew; for a console's loading screen ("cloning …" or "fetching …").
   */
  public static boolean cached(WorkspaceSpec spec, GitSettings settings) {
    RemoteUrl remote = RemoteUrl.parse(toUrl(spec.repo()));
    Path directory = settings.cacheRoot().resolve(cacheName(remote.stored()));
    return Files.isRegularFile(directory.resolve("config"))
        && Files.isDirectory(directory.resolve("objects"));
  }

  // --- for JGitWriter ---

  ReentrantLock lock() {
    return lock;
  }

  Repository repository() {
    return repository;
  }

  Transports transports() {
    return transports;
  }

  Followed followed() {
    return followed;
  }

  EngineClock clock() {
    return clock;
  }

  GitSettings settings() {
    return settings;
  }

  void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("the Git source of " + remote.display() + " is closed");
    }
  }

  GitException localIo(IOException e) {
    return new GitException(
        GitError.Reason.LOCAL_IO, "cannot read the clone in " + directory + ": " + e.getMessage());
  }

  private Instant storedFetchedAt(Instant fallback) {
    long millis = repository.getConfig().getLong(WEIR_SECTION, null, "fetchedAt", -1);
    return millis < 0 ? fallback : Instant.ofEpochMilli(millis);
  }

  private void storeFetchedAt(Instant when) {
    StoredConfig config = repository.getConfig();
    config.setLong(WEIR_SECTION, null, "fetchedAt", when.toEpochMilli());
    saveQuietly(config);
  }

  /** Saves the clone's config, which JGit rewrites with default permissions, as owner-only. */
  private void saveQuietly(StoredConfig config) {
    try {
      config.save();
      PrivateFiles.file(directory.resolve("config"));
    } catch (IOException e) {
      LOG.warn("cannot save the clone's config: {}", e.getMessage());
    }
  }

  /** A local path becomes a {@code file://} URL; URLs and scp-like SSH locations are kept. */
  static String toUrl(String repo) {
    String r = repo.strip();
    if (r.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*") || r.matches("^[^/\\s]+@[^/\\s:]+:.*")) {
      return r;
    }
    String uri = Path.of(r).toAbsolutePath().normalize().toUri().toString();
    return uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
  }

  /** A readable, file-system-safe directory name: the repository's name and a hash of its URL. */
  static String cacheName(String url) {
    String withoutUser = url.replaceFirst("^([a-zA-Z][a-zA-Z0-9+.-]*://)[^/@]*@", "$1");
    String path = withoutUser.replaceAll("[/:]+$", "");
    String last = path.substring(Math.max(path.lastIndexOf('/'), path.lastIndexOf(':')) + 1);
    String name = last.replaceAll("\\.git$", "").replaceAll("[^A-Za-z0-9._-]", "_");
    if (name.isEmpty() || name.startsWith(".")) {
      name = "repo" + name;
    }
    if (name.length() > 40) {
      name = name.substring(0, 40);
    }
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(withoutUser.getBytes(StandardCharsets.UTF_8));
      return name + "-" + HexFormat.of().formatHex(digest, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  private static void deleteQuietly(Path directory) {
    try {
      Files.walkFileTree(
          directory,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              Files.delete(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc)
                throws IOException {
              Files.delete(dir);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      LOG.warn("cannot remove the failed clone in {}: {}", directory, e.getMessage());
    }
  }
}
