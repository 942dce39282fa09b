package dev.weir.engine.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.engine.time.ManualClock;
import dev.weir.engine.testkit.RepoBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.eclipse.jgit.util.FileUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** JGitSource over a local repository (cloned through file://), with a manual clock. */
class JGitSourceTest {
  @TempDir Path tmp;

  private final ManualClock clock = new ManualClock();
  private RepoBuilder remote;
  private String c1;
  private String c2;
  private String c3;

  @BeforeEach
  void createRemote() {
    remote = RepoBuilder.init(tmp.resolve("shop.git"));
    c1 =
        remote
            .commit("add storefront and checkout")
            .add("apps/storefront/deploy.yaml", "replicas: 1\n")
            .add("apps/storefront/config.yaml", "color: blue\n")
            .add("apps/checkout/deploy.yaml", "replicas: 2\n")
            .create();
    c2 =
        remote
            .commit("storefront: 3 replicas and an HPA")
            .author("Ann Example", "ann@example.com")
            .add("apps/storefront/deploy.yaml", "replicas: 3\n")
            .delete("apps/storefront/config.yaml")
            .add("apps/storefront/hpa.yaml", "max: 5\n")
            .create();
    c3 =
        remote
            .commit("checkout: 4 replicas")
            .add("apps/checkout/deploy.yaml", "replicas: 4\n")
            .create();
  }

  @AfterEach
  void closeRemote() {
    remote.close();
  }

  static GitSettings settings(Path tmp) {
    return GitSettings.from(Map.of("PATH", System.getenv("PATH")), tmp.resolve("home"))
        .withCacheRoot(tmp.resolve("cache"))
        .withCredentialHelper(false)
        .withIdentity(new GitIdentity("Weir Tester", "weir@example.com"));
  }

  private JGitSource open(String ref) {
    return JGitSource.open(
        new WorkspaceSpec(remote.directory().toString(), ref), settings(tmp), clock);
  }

  private static String text(RevisionTree tree, String path) throws IOException {
    for (RevisionTree.TreeFile file : tree.files("")) {
      if (file.path().equals(path)) {
        return new String(tree.read(file), StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  private static List<String> paths(RevisionTree tree, String dir) throws IOException {
    return tree.files(dir).stream().map(RevisionTree.TreeFile::path).toList();
  }

  @Test
  void localPathIsClonedIntoTheCacheAndItsBranchHeadServed() throws IOException {
    try (JGitSource source = open("main")) {
      assertThat(source.cloneDirectory()).startsWith(tmp.resolve("cache"));
      assertThat(source.cloneDirectory().getFileName().toString()).matches("shop-[0-9a-f]{12}");
      assertThat(source.head().revision()).isEqualTo(c3);
      assertThat(source.status().isStale()).isFalse();
      assertThat(source.status().fetchedAt()).isEqualTo(clock.instant());
      assertThat(paths(source.head(), "apps/storefront/"))
          .containsExactly("apps/storefront/deploy.yaml", "apps/storefront/hpa.yaml");
      assertThat(text(source.head(), "apps/checkout/deploy.yaml")).isEqualTo("replicas: 4\n");
      RevisionTree.TreeFile deploy = source.head().files("apps/checkout").get(0);
      assertThat(deploy.size()).isEqualTo("replicas: 4\n".length());
      assertThat(deploy.blobId()).matches("[0-9a-f]{40}");
    }
  }

  @Test
  void unchangedFilesKeepTheirBlobIdAcrossRevisions() throws IOException {
    try (JGitSource source = open("main")) {
      var old = source.tree(c2).files("apps/storefront");
      var now = source.head().files("apps/storefront");
      assertThat(now).isEqualTo(old);
      assertThat(source.tree(c1).files("apps/checkout").get(0).blobId())
          .isNotEqualTo(source.head().files("apps/checkout").get(0).blobId());
    }
  }

  @Test
  void treeAtAnOldRevisionShowsTheFilesAsTheyWere() throws IOException {
    remote.tag("v1", c1);
    try (JGitSource source = open("main")) {
      for (String rev : List.of(c1, c1.substring(0, 7), "v1")) {
        RevisionTree old = source.tree(rev);
        assertThat(old.revision()).as(rev).isEqualTo(c1);
        assertThat(paths(old, "apps/storefront"))
            .containsExactly("apps/storefront/config.yaml", "apps/storefront/deploy.yaml");
        assertThat(text(old, "apps/storefront/deploy.yaml")).isEqualTo("replicas: 1\n");
      }
      assertThat(source.tree("main").revision()).isEqualTo(c3);
      assertThat(source.resolve(c2.substring(0, 8))).isEqualTo(c2);
      assertThat(source.tree(c1).files("apps/nothing-here")).isEmpty();
    }
  }

  @Test
  void relativeRevisionsCountFromTheServedHeadOrTheNamedRef() {
    remote.tag("v2", c2);
    try (JGitSource source = open("main")) {
      assertThat(source.resolve("HEAD")).isEqualTo(c3);
      assertThat(source.resolve("HEAD~1")).isEqualTo(c2);
      assertThat(source.resolve("HEAD^^")).isEqualTo(c1);
      assertThat(source.resolve("main~2")).isEqualTo(c1);
      assertThat(source.resolve("v2^")).isEqualTo(c1);
      assertThatThrownBy(() -> source.resolve("HEAD~9"))
          .isInstanceOf(GitException.class)
          .hasMessageContaining("HEAD~9");
    }
  }

  @Test
  void unknownRevisionIsNotFoundAndNamed() {
    try (JGitSource source = open("main")) {
      assertThatThrownBy(() -> source.tree("no-such-branch"))
          .isInstanceOfSatisfying(
              GitException.class,
              e -> {
                assertThat(e.reason()).isEqualTo(GitError.Reason.NOT_FOUND);
                assertThat(e.getMessage()).contains("'no-such-branch'");
              });
    }
  }

  @Test
  void historyOfAPathListsOnlyTheCommitsThatTouchedItNewestFirst() {
    try (JGitSource source = open("main")) {
      List<CommitInfo> storefront = source.history("apps/storefront", 10);
      assertThat(storefront).extracting(CommitInfo::sha).containsExactly(c2, c1);
      CommitInfo latest = storefront.get(0);
      assertThat(latest.shortSha()).isEqualTo(c2.substring(0, 7));
      assertThat(latest.authorName()).isEqualTo("Ann Example");
      assertThat(latest.authorEmail()).isEqualTo("ann@example.com");
      assertThat(latest.subject()).isEqualTo("storefront: 3 replicas and an HPA");
      assertThat(latest.date()).isAfter(storefront.get(1).date());

      assertThat(source.history("apps/checkout", 10))
          .extracting(CommitInfo::sha)
          .containsExactly(c3, c1);
      assertThat(source.history("", 2)).extracting(CommitInfo::sha).containsExactly(c3, c2);
    }
  }

  @Test
  void fetchWithNothingNewKeepsServingTheVeryTreeItHad() {
    try (JGitSource source = open("main")) {
      RevisionTree before = source.head();
      clock.advance(Duration.ofMinutes(3));
      GitStatus status = source.fetch();
      assertThat(source.head()).isSameAs(before);
      assertThat(status.revision()).isEqualTo(c3);
      assertThat(status.fetchedAt()).isEqualTo(clock.instant());
      assertThat(status.isStale()).isFalse();
    }
  }

  @Test
  void treesAreReadConcurrentlyWhileTheSourceFetches() throws Exception {
    try (JGitSource source = open("main")) {
      RevisionTree old = source.tree(c1);
      RevisionTree head = source.head();
      ExecutorService pool = Executors.newFixedThreadPool(6);
      try {
        List<Future<Boolean>> readers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
          readers.add(
              pool.submit(
                  () -> {
                    for (int round = 0; round < 40; round++) {
                      if (!"replicas: 1\n".equals(text(old, "apps/storefront/deploy.yaml"))
                          || !"replicas: 4\n".equals(text(head, "apps/checkout/deploy.yaml"))) {
                        return false;
                      }
                    }
                    return true;
                  }));
        }
        for (int i = 0; i < 5; i++) {
          remote
              .commit("change " + i)
              .add("apps/checkout/deploy.yaml", "replicas: " + (10 + i) + "\n")
              .create();
          source.fetch();
        }
        for (Future<Boolean> reader : readers) {
          assertThat(reader.get(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(text(source.head(), "apps/checkout/deploy.yaml")).isEqualTo("replicas: 14\n");
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void pollingOnTheEngineClockPicksUpANewCommit() throws IOException {
    try (JGitSource source = open("main")) {
      List<GitStatus> seen = new ArrayList<>();
      source.poll(Duration.ofMinutes(1), seen::add);
      String c4 =
          remote
              .commit("storefront: blue")
              .add("apps/storefront/config.yaml", "color: green\n")
              .create();

      clock.advance(Duration.ofSeconds(59));
      assertThat(seen).isEmpty();
      clock.advance(Duration.ofSeconds(1));

      assertThat(seen).extracting(GitStatus::revision).containsExactly(c4);
      assertThat(source.head().revision()).isEqualTo(c4);
      assertThat(text(source.head(), "apps/storefront/config.yaml")).isEqualTo("color: green\n");
    }
  }

  @Test
  void closingTheSourceStopsPolling() {
    List<GitStatus> seen = new ArrayList<>();
    JGitSource source = open("main");
    source.poll(Duration.ofMinutes(1), seen::add);
    source.close();
    clock.advance(Duration.ofMinutes(5));
    assertThat(seen).isEmpty();
  }

  @Test
  void whenTheRemoteIsGoneTheLastStateIsStillServedMarkedStaleWithItsAge() throws IOException {
    try (JGitSource source = open("main")) {
      clock.advance(Duration.ofMinutes(2));
      source.fetch();
      FileUtils.delete(remote.directory().toFile(), FileUtils.RECURSIVE);
      clock.advance(Duration.ofMinutes(5));

      GitStatus status = source.fetch();

      assertThat(status.isStale()).isTrue();
      assertThat(status.revision()).isEqualTo(c3);
      assertThat(status.age(clock.instant())).isEqualTo(Duration.ofMinutes(5));
      assertThat(status.staleSince()).isEqualTo(clock.instant());
      assertThat(status.lastError().reason()).isEqualTo(GitError.Reason.NOT_FOUND);
      assertThat(status.describe(clock.instant()))
          .startsWith(c3.substring(0, 7) + ", fetched 5m ago (stale: ");
      assertThat(text(source.head(), "apps/checkout/deploy.yaml")).isEqualTo("replicas: 4\n");

      clock.advance(Duration.ofMinutes(10));
      GitStatus later = source.fetch();
      assertThat(later.staleSince())
          .as("stale since the first failure")
          .isEqualTo(status.staleSince());
      assertThat(later.age(clock.instant())).isEqualTo(Duration.ofMinutes(15));
    }
  }

  @Test
  void reopeningWithoutTheRemoteServesTheCachedCloneStale() throws IOException {
    open("main").close();
    FileUtils.delete(remote.directory().toFile(), FileUtils.RECURSIVE);
    clock.advance(Duration.ofHours(2));

    try (JGitSource source = open("main")) {
      assertThat(source.head().revision()).isEqualTo(c3);
      assertThat(source.status().isStale()).isTrue();
      assertThat(source.status().age(clock.instant())).isEqualTo(Duration.ofHours(2));
      assertThat(source.status().describe(clock.instant())).contains("fetched 2h ago");
    }
  }

  @Test
  void theCacheAndEachCloneAreOwnerOnlyEvenWhenTheCacheWasMadeOpenBefore() throws IOException {
    Path cache = tmp.resolve("cache");
    Files.createDirectories(cache);
    Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxr-xr-x"));

    try (JGitSource source = open("main")) {
      clock.advance(Duration.ofMinutes(5));
      source.fetch(); // JGit writes the config anew, with the default permissions

      assertThat(permissions(cache)).isEqualTo("rwx------");
      assertThat(permissions(source.cloneDirectory())).isEqualTo("rwx------");
      assertThat(permissions(source.cloneDirectory().resolve("config"))).isEqualTo("rw-------");
    }
  }

  private static String permissions(Path path) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }

  @Test
  void aFirstCloneThatFailsLeavesNothingInTheCache() throws IOException {
    WorkspaceSpec missing = new WorkspaceSpec(tmp.resolve("nowhere.git").toString(), "main");
    assertThatThrownBy(() -> JGitSource.open(missing, settings(tmp), clock))
        .isInstanceOfSatisfying(
            GitException.class, e -> assertThat(e.reason()).isEqualTo(GitError.Reason.NOT_FOUND));
    try (Stream<Path> left = Files.list(tmp.resolve("cache"))) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void aMissingRepositoryWhosePathHoldsDigitsLikeAStatusCodeIsNotFound() {
    WorkspaceSpec missing =
        new WorkspaceSpec(tmp.resolve("build-401/nowhere.git").toString(), "main");
    assertThatThrownBy(() -> JGitSource.open(missing, settings(tmp), clock))
        .isInstanceOfSatisfying(
            GitException.class, e -> assertThat(e.reason()).isEqualTo(GitError.Reason.NOT_FOUND));
  }

  @Test
  void aMissingBranchIsNotFound() {
    assertThatThrownBy(() -> open("release"))
        .isInstanceOfSatisfying(
            GitException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(GitError.Reason.NOT_FOUND);
              assertThat(e.getMessage()).contains("'release'");
            });
  }

  @Test
  void withoutARefTheRemoteDefaultBranchIsFollowed() {
    remote.onBranch("feature").commit("feature work").add("apps/x/a.yaml", "a: 1\n").create();
    try (JGitSource source = open(null)) {
      assertThat(source.head().revision()).isEqualTo(c3);
    }
  }

  @Test
  void aTagOrACommitCanBeFollowedButNotWrittenTo() {
    remote.tag("v1", c1);
    try (JGitSource byTag = open("v1")) {
      assertThat(byTag.head().revision()).isEqualTo(c1);
      assertThatThrownBy(
              () -> byTag.writer().restorePath("storefront", "apps/storefront", c2, "", true))
          .isInstanceOfSatisfying(
              GitException.class,
              e -> assertThat(e.reason()).isEqualTo(GitError.Reason.INVALID_REQUEST));
    }
    try (JGitSource byCommit = open(c2.substring(0, 7))) {
      assertThat(byCommit.head().revision()).isEqualTo(c2);
      remote.commit("more").add("apps/y.yaml", "y\n").create();
      assertThat(byCommit.fetch().revision()).isEqualTo(c2);
    }
  }

  @Test
  void theCacheRootDefaultsToTheXdgCacheHome() {
    GitSettings xdg =
        GitSettings.from(Map.of("XDG_CACHE_HOME", "/var/cache/u"), Path.of("/home/u"));
    GitSettings plain = GitSettings.from(Map.of(), Path.of("/home/u"));
    assertThat(xdg.cacheRoot()).isEqualTo(Path.of("/var/cache/u/weir/repos"));
    assertThat(plain.cacheRoot()).isEqualTo(Path.of("/home/u/.cache/weir/repos"));
    assertThat(plain.sshDirectory()).isEqualTo(Path.of("/home/u/.ssh"));
  }

  @Test
  void cacheNamesAreReadableSafeAndDistinctPerUrl() {
    String a = JGitSource.cacheName("https://user:secret@git.example.com/team/shop.git");
    String b = JGitSource.cacheName("https://git.example.com/team/shop.git");
    String c = JGitSource.cacheName("git@git.example.com:other/shop.git");
    assertThat(a).matches("shop-[0-9a-f]{12}").isEqualTo(b).doesNotContain("secret");
    assertThat(c).matches("shop-[0-9a-f]{12}").isNotEqualTo(b);
  }
}
