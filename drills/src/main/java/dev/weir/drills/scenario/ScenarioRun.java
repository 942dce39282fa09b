package dev.weir.drills.scenario;

import dev.weir.sandbox.world.WorldEvent;
import dev.weir.engine.time.EngineClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of a {@link Scenario} on the sandbox's clock: every second of sandbox time the current
 * step is attempted; when it has happened the next one is attempted at once. The scenario's own
 * lines, the world's events and the engine's rollout events about its applications go to the
 * output as they happen, in sandbox time since the start (the instant the run was started: on a
 * {@link dev.weir.engine.time.DiscreteEventClock} the first step's). A step's time limit is sandbox
 * time too. {@link #done()} completes when the scenario has played out, or failed.
 *
 * <p>Thread-safe; steps run on the clock's thread, one at a time.
 */
public final class ScenarioRun {
  private static final Logger LOG = LoggerFactory.getLogger(ScenarioRun.class);

  private final Scenario scenario;
  private final EngineClock clock;
  private final Consumer<ScenarioLine> out;
  private final List<Scenario.Step> steps;
  private final Instant started;
  private final CompletableFuture<ScenarioResult> done = new CompletableFuture<>();
  private final AutoCloseable subscription;
  private final AutoCloseable engineSubscription;
  private EngineClock.Scheduled ticking;
  private int index;
  private Instant stepStarted;

  private ScenarioRun(Scenario scenario, ScenarioContext context, Consumer<ScenarioLine> out) {
    this.scenario = scenario;
    this.clock = context.server().clock();
    this.out = out;
    this.started = clock.instant();
    this.stepStarted = started;
    this.steps = scenario.steps(context);
    this.subscription = context.world().subscribe(this::worldEvent);
    this.engineSubscription =
        context.engine().isPresent() ? context.engine().get().onEvent(this::engineEvent) : () -> {};
  }

  /** Starts {@code scenario} now; lines go to {@code out} (on the clock's thread). */
  public static ScenarioRun start(
      Scenario scenario, ScenarioContext context, Consumer<ScenarioLine> out) {
    ScenarioRun run = new ScenarioRun(scenario, context, out);
    synchronized (run) {
      run.ticking = run.clock.every(Duration.ofSeconds(1), run::tick);
    }
    run.clock.schedule(Duration.ZERO, run::tick);
    return run;
  }

  /** Completes when the scenario has played out or stopped. */
  public CompletableFuture<ScenarioResult> done() {
    return done;
  }

  /** Stops the run (the world keeps what the scenario did so far). */
  public void cancel() {
    finish(false, "cancelled");
  }

  private void worldEvent(WorldEvent event) {
    if (!done.isDone() && scenario.applications().contains(event.application())) {
      out.accept(
          new ScenarioLine(
              since(event.at()),
              event.application(),
              event.object() + ": " + event.what(),
              event.why()));
    }
  }

  private void engineEvent(ScenarioEngine.Event event) {
    if (!done.isDone() && scenario.applications().contains(event.application())) {
      out.accept(new ScenarioLine(since(event.at()), event.application(), event.message(), ""));
    }
  }

  private synchronized void tick() {
    if (done.isDone()) {
      return;
    }
    Instant now = clock.instant();
    Scenario.Log log =
        (application, what, why) ->
            out.accept(new ScenarioLine(since(clock.instant()), application, what, why));
    try {
      while (index < steps.size()) {
        Scenario.Step step = steps.get(index);
        if (!step.attempt().run(log)) {
          if (Duration.between(stepStarted, now).compareTo(step.timeout()) > 0) {
            finish(
                false, "step '" + step.name() + "' did not happen within " + human(step.timeout()));
          }
          return;
        }
        index++;
        stepStarted = now;
      }
      finish(
          true,
          scenario.name() + " played out in " + human(since(clock.instant())) + " of sandbox time");
    } catch (ScenarioException e) {
      finish(false, e.getMessage());
    } catch (RuntimeException e) {
      LOG.warn("scenario {} failed", scenario.name(), e);
      finish(false, "step '" + steps.get(index).name() + "' failed: " + e);
    }
  }

  private synchronized void finish(boolean playedOut, String message) {
    if (done.isDone()) {
      return;
    }
    if (ticking != null) {
      ticking.cancel();
    }
    for (AutoCloseable listening : List.of(subscription, engineSubscription)) {
      try {
        listening.close();
      } catch (Exception e) {
        LOG.debug("unsubscribing: {}", e.getMessage());
      }
    }
    done.complete(new ScenarioResult(playedOut, since(clock.instant()), message));
  }

  private Duration since(Instant at) {
    Duration elapsed = Duration.between(started, at);
    return elapsed.isNegative() ? Duration.ZERO : elapsed;
  }

  static String human(Duration duration) {
    long seconds = duration.toSeconds();
    return seconds < 60 ? seconds + "s" : String.format("%dm%02ds", seconds / 60, seconds % 60);
  }
}
