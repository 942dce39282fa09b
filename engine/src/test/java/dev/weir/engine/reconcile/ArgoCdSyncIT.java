package dev.weir.engine.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.cluster.LeaseHolder;
import dev.weir.engine.cluster.kube.KubeClusterGateway;
import dev.weir.engine.git.GitSettings;
import dev.weir.engine.git.JGitSource;
import dev.weir.engine.git.WorkspaceSpec;
import dev.weir.engine.manifest.RenderedApplication;
import dev.weir.engine.manifest.Renderer;
import dev.weir.engine.manifest.RepositoryRender;
import dev.weir.engine.model.DesiredState;
import dev.weir.engine.model.LiveObject;
import dev.weir.engine.model.Manifest;
import dev.weir.engine.model.ResourceKey;
import dev.weir.engine.testkit.RepoBuilder;
import dev.weir.engine.testkit.TestCluster;
import dev.weir.engine.time.EngineClock;
import dev.weir.engine.time.ManualClock;
import dev.weir.sandbox.api.SandboxOptions;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.StoredConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Argo CD corpus ({@code argo-cd-corpus/}, Weir's own files in Argo CD's formats) committed to a
 * real Git repository whose {@code origin} is the {@code repoURL} its Applications name, rendered,
 * and synced to the sandbox's API server through client-java in virtual time. The test acts as the
 * Job controller ({@link #completeJobs()}): hooks' Jobs are marked Complete through the status
 * subresource, as the reconciler's other ITs write controllers' status on the bare API server. Each test cites the Argo CD documentation page it
 * follows (https://argo-cd.readthedocs.io/en/stable/…).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(300)
class ArgoCdSyncIT {
  @TempDir static Path dir;
  static ManualClock clock;
  static TestCluster cluster;
  static KubeClusterGateway gateway;
  static Reconciler reconciler;
  static RepositoryRender render;

  @BeforeAll
  static void start() throws Exception {
    Path corpus =
        Path.of(Objects.requireNonNull(ArgoCdSyncIT.class.getResource("/argo-cd-corpus")).toURI());
    Path bare = dir.resolve("gitops.git");
    try (RepoBuilder repo = RepoBuilder.init(bare)) {
      StoredConfig config = repo.repository().getConfig();
      config.setString("remote", "origin", "url", "git@github.com:example-org/gitops.git");
      config.save();
      RepoBuilder.Commit commit = repo.commit("Argo CD corpus");
      try (Stream<Path> files = Files.walk(corpus)) {
        for (Path file : files.filter(Files::isRegularFile).toList()) {
          commit.add(corpus.relativize(file).toString().replace('\\', '/'), Files.readAllBytes(file));
        }
      }
      commit.create();
    }
    try (JGitSource source =
        JGitSource.open(
            WorkspaceSpec.of(bare.toString()),
            GitSettings.from(Map.of(), dir.resolve("home")),
            dev.weir.engine.time.EngineClock.system())) {
      render = new Renderer().render(source.head());
    }
    clock = new ManualClock(Instant.parse("2026-12-02T09:00:00Z"));
    cluster = new TestCluster(dir.resolve("cluster"), clock, SandboxOptions.builder().ephemeral());
    gateway = cluster.gateway();
    reconciler =
        new Reconciler(
            gateway,
            polls,
            LeaseHolder.of("alice@bastion", "test"),
            new Reconciler.Options(
                Duration.ofDays(3), new SyncExecutor.Options(Duration.ofDays(2), POLL)));
  }

  @AfterAll
  static void stop() throws Exception {
    cluster.close();
  }

  static DesiredState desired(String application) {
    RenderedApplication rendered = render.application(application).orElseThrow();
    assertThat(rendered.errors()).as(application).isEmpty();
    return rendered.lastGood().orElseThrow();
  }

  /** As {@link #sync(DesiredState, SyncRequest, List)}, a manual sync. */
  static SyncResult sync(DesiredState state, List<String> log) {
    return sync(state, SyncRequest.manual(), log);
  }

  /**
   * Syncs on a worker thread while this one moves virtual time on, one health poll at a time, and
   * only while the sync waits for one (a hook's Job, a wave's health): Jobs are completed first. No
   * wall-clock wait decides an outcome.
   *
   * <p>Why not "advance whenever the worker thread is parked": the worker also parks while it waits
   * for the API server's HTTP answers, so that rule moved virtual time on in bursts the machine's
   * speed decided, spent any budget of steps before the PreSync Job was even created, and then
   * left the health poll waiting for a clock nobody moved (and {@code join} ignores the timeout's
   * interrupt): the hang the two hook tests were disabled for.
   */
  static SyncResult sync(DesiredState state, SyncRequest request, List<String> log) {
    CompletableFuture<SyncResult> done = new CompletableFuture<>();
    Thread worker =
        Thread.ofPlatform()
            .daemon(true)
            .start(
                () -> {
                  try {
                    done.complete(
                        reconciler.sync(
                            SyncTarget.of(state),
                            request,
                            "alice",
                            LiveSource.direct(gateway),
                            r -> log.add(r.describe())));
                  } catch (RuntimeException e) {
                    done.completeExceptionally(e);
                  }
                });
    while (!done.isDone()) {
      if (Thread.currentThread().isInterrupted()) {
        worker.interrupt();
        throw new IllegalStateException("interrupted while the sync ran; log: " + log);
      }
      Thread.State s = worker.getState();
      if (polls.waiting() && (s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING)) {
        completeJobs();
        clock.advance(POLL);
      } else {
        Thread.onSpinWait();
      }
    }
    return done.join();
  }

  /** How often the sync polls health in these tests. */
  static final Duration POLL = Duration.ofSeconds(2);

  /**
   * The engine's clock as the test watches it: the same {@link ManualClock}, and whether a health
   * poll of the sync ({@code every(POLL)}) is registered, i.e. the sync waits on the clock. Other
   * repeating tasks (the Lease's renewal, a day apart) are not polls.
   */
  static final class PollWatch implements EngineClock {
    private final java.util.concurrent.atomic.AtomicInteger active =
        new java.util.concurrent.atomic.AtomicInteger();

    boolean waiting() {
      return active.get() > 0;
    }

    @Override
    public Instant instant() {
      return clock.instant();
    }

    @Override
    public Scheduled schedule(Duration delay, Runnable task) {
      return clock.schedule(delay, task);
    }

    @Override
    public Scheduled every(Duration period, Runnable task) {
      Scheduled scheduled = EngineClock.super.every(period, task);
      if (!period.equals(POLL)) {
        return scheduled;
      }
      active.incrementAndGet();
      java.util.concurrent.atomic.AtomicBoolean cancelled =
          new java.util.concurrent.atomic.AtomicBoolean();
      return () -> {
        scheduled.cancel();
        if (cancelled.compareAndSet(false, true)) {
          active.decrementAndGet();
        }
      };
    }
  }

  static final PollWatch polls = new PollWatch();

  /**
   * Acts as the Job controller: marks every Job that has not finished {@code Complete}, through the
   * status subresource, as kube-controller-manager would once its pod succeeded.
   */
  static void completeJobs() {
    for (ObjectNode job : cluster.server.objects().list("batch/v1", "Job", null)) {
      if (!job.path("status").path("conditions").isEmpty()) {
        continue;
      }
      ObjectNode done = job.deepCopy();
      ObjectNode status = done.putObject("status");
      status.put("succeeded", 1);
      ObjectNode complete = status.putArray("conditions").addObject();
      complete.put("type", "Complete");
      complete.put("status", "True");
      cluster.server.objects().updateStatus(done, "kube-controller-manager");
    }
  }

  static boolean exists(String kind, String namespace, String name) {
    String group = kind.equals("Job") ? "batch" : kind.equals("Deployment") ? "apps" : "";
    return gateway.get(new ResourceKey(group, kind, namespace, name)).isPresent();
  }

  @Test
  void wavesOrderTheSyncAndCreateNamespaceMakesTheDestination() {
    // user-guide/sync-waves/ and user-guide/sync-options/#create-namespace
    List<String> log = Collections.synchronizedList(new ArrayList<>());
    SyncResult result = sync(desired("guestbook"), log);

    assertThat(result.outcome()).as(result.message()).isEqualTo(SyncResult.Outcome.SUCCEEDED);
    assertThat(log)
        .containsExactly(
            "created Service guestbook/guestbook-ui", "created apps/Deployment guestbook/guestbook-ui");
    assertThat(exists("Namespace", "", "guestbook")).isTrue();
    assertThat(exists("ConfigMap", "guestbook", "not-read"))
        .as("directory.recurse is off: extra/ is not read")
        .isFalse();
  }

  @Test
  void aSyncIntoAMissingNamespaceIsRefusedWithWhatToDoAndChangesNothing() {
    // user-guide/sync-options/#create-namespace: without it, the namespace must exist
    for (int attempt = 1; attempt <= 2; attempt++) {
      List<String> log = Collections.synchronizedList(new ArrayList<>());
      SyncResult result = sync(desired("nested"), log);

      assertThat(result.outcome()).as("attempt %d", attempt).isEqualTo(SyncResult.Outcome.BLOCKED);
      assertThat(result.message())
          .isEqualTo(
              "sync of nested refused: namespace nested does not exist: add a Namespace nested to"
                  + " Git, or set syncPolicy.syncOptions: [CreateNamespace=true]; nothing is"
                  + " applied");
      assertThat(log).isEmpty();
      assertThat(exists("Namespace", "", "nested")).as("no side effect").isFalse();
    }
  }

  @Test
  @Order(1)
  void hooksRunInTheirPhaseAndAreDeletedAsTheirPolicySays() {
    // user-guide/resource_hooks/ (PreSync, PostSync, generateName, HookSucceeded,
    // BeforeHookCreation, Skip)
    List<String> log = Collections.synchronizedList(new ArrayList<>());
    SyncResult result = sync(desired("hooks"), log);

    assertThat(result.outcome()).as(result.message()).isEqualTo(SyncResult.Outcome.SUCCEEDED);
    assertThat(log).hasSize(5);
    assertThat(log.get(0)).matches("created batch/Job hooks/schema-migrate-[b-z2-9]{5}");
    assertThat(log.subList(1, 5))
        .containsExactly(
            "created ConfigMap hooks/kept-out",
            "created ConfigMap hooks/settings",
            "created ConfigMap hooks/stays",
            "created batch/Job hooks/smoke-test");
    String migrate = log.get(0).substring(log.get(0).lastIndexOf('/') + 1);
    assertThat(exists("Job", "hooks", migrate)).as("HookSucceeded: deleted").isFalse();
    LiveObject smoke =
        gateway.get(new ResourceKey("batch", "Job", "hooks", "smoke-test")).orElseThrow();
    assertThat(HealthAssessor.assess(smoke, clock.instant()).status().name())
        .as("the PostSync Job ran to completion and, BeforeHookCreation, is kept until next time")
        .isEqualTo("Healthy");
    assertThat(exists("ConfigMap", "hooks", "skipped")).as("hook: Skip").isFalse();
  }

  @Test
  @Order(2)
  void pruneFalseAndIgnoreExtraneousKeepWhatLeftGit() {
    // user-guide/sync-options/#no-prune-resources and user-guide/compare-options/
    DesiredState all = desired("hooks"); // synced by the test before

    TreeMap<ResourceKey, Manifest> fewer = new TreeMap<>(all.resources());
    fewer.remove(new ResourceKey("", "ConfigMap", "hooks", "settings"));
    fewer.remove(new ResourceKey("", "ConfigMap", "hooks", "kept-out"));
    DesiredState without =
        new DesiredState(all.application(), all.revision(), fewer, List.of(), List.of());
    Comparison comparison =
        reconciler.compare(without, reconciler.state(all.application()), LiveSource.direct(gateway));
    assertThat(comparison.diff().resources())
        .extracting(d -> d.key().name() + " " + d.status())
        .as("IgnoreExtraneous: kept-out is no drift; settings would be pruned but Prune=false")
        .containsExactly("settings EXTRA", "stays SYNCED");
    List<String> log = Collections.synchronizedList(new ArrayList<>());
    SyncResult result =
        sync(without, SyncRequest.manual().withPrune(true).withPruneConfirmed(true), log);
    assertThat(log)
        .as(result.message())
        .contains(
            "skipped ConfigMap hooks/settings: not in Git; argocd.argoproj.io/sync-options:"
                + " Prune=false keeps it");
    assertThat(exists("ConfigMap", "hooks", "settings")).isTrue();
    assertThat(exists("ConfigMap", "hooks", "kept-out")).isTrue();
  }
}
