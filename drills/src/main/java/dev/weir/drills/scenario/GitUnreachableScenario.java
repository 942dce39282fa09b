package dev.weir.drills.scenario;

import dev.weir.engine.git.GitStatus;
import dev.weir.engine.git.JGitSource;
import dev.weir.engine.git.WorkspaceSpec;
import dev.weir.engine.manifest.Renderer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * {@code git-unreachable}: the workspace's Git remote goes away (a copy of the sample repository,
 * so the real one is never touched). Fetching fails; the engine's Git source keeps serving the last
 * fetched revision, marked stale with its age and the error, and every application keeps its
 * desired state. The remote comes back and the source is fresh again.
 */
final class GitUnreachableScenario implements Scenario {
  private static final String WORKSPACE = "workspace";

  @Override
  public String name() {
    return "git-unreachable";
  }

  @Override
  public String description() {
    return "the Git remote goes away: the last fetched state is kept, marked stale, until the"
               + " remote is back";
  }

  @Override
  public Set<String> applications() {
    return Set.of(WORKSPACE);
  }

  @Override
  public List<Step> steps(ScenarioContext context) {
    Path remote = context.scratch().resolve("remote.git");
    Path gone = context.scratch().resolve("remote.gone");
    JGitSource[] source = {null};
    int[] applications = {0};
    Instant[] wentAway = {null};
    return List.of(
        new Step(
            "follow",
            Duration.ofSeconds(30),
            log -> {
              ScenarioContext.copyRepository(context.requireRepository(), remote);
              source[0] =
                  JGitSource.open(
                      WorkspaceSpec.of(remote.toString()), context.git(), context.server().clock());
              GitStatus status = source[0].status();
              applications[0] = new Renderer().render(source[0].head()).applications().size();
              log.say(
                  WORKSPACE,
                  "git: following "
                      + status.shortRevision()
                      + "; "
                      + applications[0]
                      + " applications rendered",
                  "fresh");
              return true;
            }),
        new Step(
            "remote gone",
            Duration.ofSeconds(30),
            log -> {
              move(remote, gone);
              wentAway[0] = context.server().clock().instant();
              GitStatus status = source[0].fetch();
              if (!status.isStale()) {
                throw new ScenarioException("fetching a remote that is gone did not fail");
              }
              log.say(
                  WORKSPACE,
                  "git: fetch failed: " + shown(status.error().orElseThrow().message(), context),
                  "the remote went away");
              int kept = new Renderer().render(source[0].head()).applications().size();
              log.say(
                  WORKSPACE,
                  "serving the last state: "
                      + status.shortRevision()
                      + ", "
                      + kept
                      + " applications kept, marked stale",
                  "nothing is dropped while Git is unreachable");
              return true;
            }),
        new Step(
            "still stale",
            Duration.ofMinutes(2),
            log -> {
              Instant now = context.server().clock().instant();
              if (Duration.between(wentAway[0], now).compareTo(Duration.ofMinutes(1)) < 0) {
                return false;
              }
              GitStatus status = source[0].fetch();
              log.say(
                  WORKSPACE,
                  "git: " + shown(status.describe(now), context),
                  status.isStale() ? "still unreachable" : "");
              return status.isStale();
            }),
        new Step(
            "remote back",
            Duration.ofSeconds(30),
            log -> {
              move(gone, remote);
              GitStatus status = source[0].fetch();
              try {
                if (status.isStale()) {
                  return false;
                }
                log.say(
                    WORKSPACE, "git: remote back; fresh at " + status.shortRevision(), "fetched");
                return true;
              } finally {
                if (!status.isStale()) {
                  source[0].close();
                }
              }
            }));
  }

  /** {@code text} with the scratch folder's path (a new one each run) as {@code <drill>}. */
  private static String shown(String text, ScenarioContext context) {
    return text.replace(context.scratch().toAbsolutePath().toString(), "<drill>");
  }

  private static void move(Path from, Path to) {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
