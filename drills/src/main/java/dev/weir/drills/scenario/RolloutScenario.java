package dev.weir.drills.scenario;

import dev.weir.engine.rollout.RolloutPhase;
import dev.weir.engine.rollout.RolloutStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;

/**
 * The rollout drills, played by the engine (the {@link ScenarioEngine} port) with the sandbox's
 * metrics: {@code bad-canary} (storefront's waiting v2.4.1 fails its analyses and is aborted),
 * {@code good-canary} (a new checkout version passes every step and becomes stable) and {@code
 * blue-green} (a new payments version waits in preview until a person promotes it, then takes all
 * traffic at once).
 *
 * <p>A new version is committed to the repository the engine follows, which the application running
 * the scenario gives as {@link ScenarioContext#repository()}: a work copy, so the user's repository
 * is never touched; the engine is told of the push at once. The engine drives the rollout by
 * itself; the steps only watch its status (and promote, as a person would), while the engine's
 * events (phase, weight, analysis verdicts with their values) are printed by the {@link
 * ScenarioRun} as they happen.
 */
final class RolloutScenario implements Scenario {
  private static final String PERSON = "alice";

  private final String name;
  private final String description;
  private final String application;
  private final Optional<Release> release;
  private final Outcome outcome;

  /** A version the scenario commits: the file and what it replaces in it. */
  record Release(String file, String from, String to, String message) {}

  /** How the drill ends. */
  enum Outcome {
    ABORTED,
    PROMOTED,
    SWITCHED
  }

  private RolloutScenario(
      String name,
      String description,
      String application,
      Optional<Release> release,
      Outcome outcome) {
    this.name = name;
    this.description = description;
    this.application = application;
    this.release = release;
    this.outcome = outcome;
  }

  static RolloutScenario badCanary() {
    return new RolloutScenario(
        "bad-canary",
        "storefront's waiting v2.4.1 (8% errors, 180ms) canaries at 5%: the analyses of its pods"
            + " fail and the rollout aborts back to 2.4.0",
        "storefront",
        Optional.empty(),
        Outcome.ABORTED);
  }

  static RolloutScenario goodCanary() {
    return new RolloutScenario(
        "good-canary",
        "checkout v1.5.1 (same error rate) is committed: 20%, analysis passes, 50%, then 100% and"
            + " stable",
        "checkout",
        Optional.of(
            new Release(
                "apps/checkout/deployment.yaml",
                "1.5.0",
                "1.5.1",
                "checkout: release v1.5.1\n\nRounding fix in tax display; same error budget.\n")),
        Outcome.PROMOTED);
  }

  static RolloutScenario blueGreen() {
    return new RolloutScenario(
        "blue-green",
        "payments v3.2.0 is committed: it waits in preview until a person promotes it, then takes"
            + " all traffic at once",
        "payments",
        Optional.of(
            new Release(
                "apps/payments/deployment.yaml",
                "3.1.0",
                "3.2.0",
                "payments: release v3.2.0\n\nRetries card declines once.\n")),
        Outcome.SWITCHED);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String description() {
    return description;
  }

  @Override
  public boolean usesEngine() {
    return true;
  }

  @Override
  public Set<String> applications() {
    return Set.of(application);
  }

  @Override
  public List<Step> steps(ScenarioContext context) {
    List<Step> steps = new ArrayList<>();
    boolean[] promoted = {false};
    steps.add(
        new Step(
            "engine tracks the rollout",
            Duration.ofMinutes(1),
            log -> {
              Optional<RolloutStatus> found = engine(context).rollout(application);
              if (found.isEmpty()) {
                return false;
              }
              RolloutStatus status = found.get();
              log.say(
                  application,
                  "rollout "
                      + (status.rollout().equals(application) ? "" : status.rollout() + " ")
                      + "("
                      + status.strategy()
                      + "): "
                      + status.message(),
                  "before the drill");
              return true;
            }));
    release.ifPresent(
        r ->
            steps.add(
                new Step(
                    "commit",
                    Duration.ofSeconds(30),
                    log -> {
                      String id = commit(context, r);
                      log.say(
                          application,
                          "git: committed "
                              + id.substring(0, 7)
                              + " "
                              + r.message().lines().findFirst().orElse("")
                              + " and pushed",
                          "drill: a new version to roll out");
                      // as a push notification makes a console fetch at once
                      engine(context).refresh();
                      return true;
                    })));
    steps.add(
        new Step(
            "roll out",
            Duration.ofMinutes(20),
            log -> {
              ScenarioEngine engine = engine(context);
              Optional<RolloutStatus> found = engine.rollout(application);
              if (found.isEmpty()) {
                return false;
              }
              RolloutStatus status = found.get();
              return switch (outcome) {
                case ABORTED -> aborted(status, log);
                case PROMOTED ->
                    status.phase() == RolloutPhase.HEALTHY
                        && release.map(r -> status.stableVersion().contains(r.to())).orElse(true)
                        && done(log, status.stableVersion() + " takes 100% of the traffic", "promoted");
                case SWITCHED -> {
                  if (!promoted[0]
                      && status.phase() == RolloutPhase.PAUSED
                      && status.newVersion().isPresent()
                      && status.message().contains("waiting for promote")) {
                    promoted[0] = true;
                    log.say(
                        application,
                        PERSON + " promotes " + status.newVersion().get(),
                        "a person at the console: weir rollout promote " + application);
                    engine
                        .promote(application, "preview checked by hand")
                        .ifPresent(
                            refused -> {
                              throw new ScenarioException(
                                  PERSON + " could not promote: " + refused);
                            });
                    yield false;
                  }
                  yield promoted[0]
                      && status.phase() == RolloutPhase.HEALTHY
                      && release.map(r -> status.stableVersion().contains(r.to())).orElse(true)
                      && done(
                          log,
                          status.stableVersion() + " is active and stable; the previous color is scaled down",
                          "promoted");
                }
              };
            }));
    return steps;
  }

  private boolean aborted(RolloutStatus status, Log log) {
    if (status.phase() != RolloutPhase.ABORTED && status.phase() != RolloutPhase.DEGRADED) {
      return false;
    }
    if (status.weight() != 0) {
      return false;
    }
    return done(
        log,
        "aborted: weight 0%, all traffic on " + status.stableVersion(),
        status.message());
  }

  private boolean done(Log log, String what, String why) {
    log.say(application, what, why);
    return true;
  }

  private static ScenarioEngine engine(ScenarioContext context) {
    return context
        .engine()
        .orElseThrow(
            () ->
                new ScenarioException(
                    "this scenario needs the engine to drive the rollout: run 'weir sandbox init"
                        + " DIR' first, then play it with 'weir sandbox run'"));
  }

  /** Commits {@code release} to the context's repository (a work copy) through a clone. */
  private static String commit(ScenarioContext context, Release release) {
    Path repository = context.requireRepository();
    Path work = context.scratch().resolve("commit-" + release.to());
    try (Git git =
        Git.cloneRepository()
            .setURI(repository.toUri().toString())
            .setDirectory(work.toFile())
            .setBranch("main")
            .call()) {
      Path file = work.resolve(release.file());
      String content = Files.readString(file, StandardCharsets.UTF_8);
      if (!content.contains(release.from())) {
        throw new ScenarioException(
            release.file() + " is not at " + release.from() + ": run 'weir sandbox init DIR' again");
      }
      Files.writeString(file, content.replace(release.from(), release.to()), StandardCharsets.UTF_8);
      git.add().addFilepattern(release.file()).call();
      PersonIdent person =
          new PersonIdent(
              PERSON, PERSON + "@shop.example", context.server().clock().instant(), ZoneOffset.UTC);
      String id =
          git.commit()
              .setMessage(release.message())
              .setAuthor(person)
              .setCommitter(person)
              .setSign(false)
              .call()
              .getName();
      git.push().setRemote("origin").add("main").call();
      return id;
    } catch (GitAPIException e) {
      throw new ScenarioException("could not commit " + release.file() + ": " + e.getMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
