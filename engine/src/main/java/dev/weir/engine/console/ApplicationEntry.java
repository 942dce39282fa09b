package dev.weir.engine.console;

import dev.weir.engine.manifest.RenderedApplication;
import dev.weir.engine.model.DesiredState;
import dev.weir.engine.reconcile.ApplicationState;
import dev.weir.engine.time.EngineClock;
import java.time.Instant;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What a console keeps of one application: its render, its view, its kept state, the desired state
 * it was last compared with, its automation backoff and timers. Commands on it hold {@link #lock}.
 */
final class ApplicationEntry {
  volatile RenderedApplication rendered;
  volatile ApplicationView view;
  volatile ApplicationState state = ApplicationState.EMPTY;
  volatile DesiredState compared;
  int attempts;
  Instant lastAttempt;
  EngineClock.Scheduled automation;
  EngineClock.Scheduled refresh;
  final ReentrantLock lock = new ReentrantLock();
}
