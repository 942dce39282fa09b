package dev.weir.engine.console;

import dev.weir.engine.cluster.ClusterException;
import dev.weir.engine.git.CommitInfo;
import dev.weir.engine.rollout.RolloutEvent;
import dev.weir.engine.time.EngineClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's events: made structured here, kept per application ({@link EventLog}), handed to
 * listeners, and written to the cluster's {@link ClusterTimeline} off the caller's path (a rollout
 * pass must not wait for its timeline). Package-private: {@link Console} emits through it.
 *
 * <p>Thread-safe. Listeners run on the thread that made the event. Writes to the cluster run on
 * {@code work}, one batch per application at a time; {@link #flush()} writes what is pending now, on
 * the caller's thread (tests, and a console closing).
 */
final class ConsoleEvents {
  private static final Logger LOG = LoggerFactory.getLogger(ConsoleEvents.class);

  private final EngineClock clock;
  private final EventLog log;
  private final List<Consumer<ConsoleEvent>> listeners = new CopyOnWriteArrayList<>();
  private final Runnable changed;
  private final Map<String, List<ConsoleEvent>> pending = new ConcurrentHashMap<>();
  private final Map<String, String> namespaces = new ConcurrentHashMap<>();
  private final Map<String, Boolean> writing = new ConcurrentHashMap<>();
  private final Object writeLock = new Object();
  private volatile ClusterTimeline timeline;
  private volatile Executor work;

  ConsoleEvents(EngineClock clock, int perApplication, Runnable changed) {
    this.clock = clock;
    this.log = new EventLog(perApplication);
    this.changed = changed;
  }

  /** From now on, events of known applications are also kept in {@code timeline}. */
  void persistTo(ClusterTimeline timeline, Executor work) {
    this.timeline = timeline;
    this.work = work;
  }

  /** Where {@code application}'s record lives (its state's namespace). */
  void namespace(String application, String namespace) {
    namespaces.put(application, namespace);
  }

  EventLog log() {
    return log;
  }

  Runnable listen(Consumer<ConsoleEvent> listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  void emit(ConsoleEvent event) {
    log.add(event);
    listeners.forEach(l -> l.accept(event));
    if (event.kind() != ConsoleEvent.Kind.GIT_COMMIT && timeline != null) {
      String namespace = namespaces.get(event.application());
      if (namespace != null) {
        pending.compute(
            event.application(),
            (a, list) -> {
              List<ConsoleEvent> next = list == null ? new ArrayList<>() : list;
              next.add(event);
              return next;
            });
        Executor executor = work;
        if (executor != null && writing.putIfAbsent(event.application(), true) == null) {
          try {
            executor.execute(() -> write(event.application()));
          } catch (RuntimeException e) {
            writing.remove(event.application());
          }
        }
      }
    }
    changed.run();
  }

  void emit(
      ConsoleEvent.Kind kind,
      Severity severity,
      String application,
      String who,
      String message,
      Map<String, String> values) {
    emit(new ConsoleEvent(clock.instant(), application, kind, severity, who, message, values));
  }

  /** A rollout transition or measurement, of {@code application}. */
  void rollout(String application, RolloutEvent event) {
    Map<String, String> values = new LinkedHashMap<>(event.metrics());
    values.put("from", event.from());
    values.put("to", event.to());
    emit(
        ofRollout(
            event.at(),
            application,
            event.rollout(),
            event.reason().name(),
            event.who(),
            event.message(),
            values));
  }

  /** Commits Git's head gained that touched {@code application}'s path, oldest first. */
  void commits(String application, List<CommitInfo> commits) {
    for (CommitInfo commit : commits.reversed()) {
      emit(ofCommit(application, commit));
    }
  }

  static ConsoleEvent ofCommit(String application, CommitInfo commit) {
    return new ConsoleEvent(
        commit.date(),
        application,
        ConsoleEvent.Kind.GIT_COMMIT,
        Severity.INFO,
        commit.authorName(),
        "commit " + commit.shortSha() + " " + commit.subject(),
        Map.of("revision", commit.sha()));
  }

  /**
   * The console event of a rollout event: {@code rollout ROLLED_BACK: v2.4.1 rolled back: …}, the
   * rollout named only when it is not called as its application.
   */
  static ConsoleEvent ofRollout(
      Instant at,
      String application,
      String rollout,
      String reason,
      String who,
      String message,
      Map<String, String> values) {
    Map<String, String> all = new LinkedHashMap<>(values);
    all.values().removeIf(String::isEmpty);
    all.put("rollout", rollout);
    all.put("reason", reason);
    ConsoleEvent.Kind kind =
        reason.startsWith("ANALYSIS_") ? ConsoleEvent.Kind.ANALYSIS : ConsoleEvent.Kind.ROLLOUT;
    Severity severity =
        switch (reason) {
          case "ROLLED_BACK" -> Severity.CRITICAL;
          case "ABORTED", "ANALYSIS_INCONCLUSIVE", "REFUSED" -> Severity.WARNING;
          default -> Severity.INFO;
        };
    String named = rollout.equals(application) ? "rollout " : "rollout " + rollout + " ";
    return new ConsoleEvent(
        at, application, kind, severity, who, named + reason + ": " + message, all);
  }

  private final Map<String, java.util.Set<String>> commitsKnown = new ConcurrentHashMap<>();
  private final Map<String, String> revisions = new ConcurrentHashMap<>();

  /**
   * Emits the commits that touched {@code application}'s {@code path} since the last call; the
   * first call for an application only learns what is there already.
   */
  void commitsSeen(
      String application, String path, String revision, dev.weir.engine.git.GitSource git) {
    if (revision.equals(revisions.put(application, revision))) {
      return; // Git's head has not moved for it: nothing new to look for
    }
    List<CommitInfo> history;
    try {
      history = git.history(path, 20);
    } catch (RuntimeException e) {
      return;
    }
    java.util.Set<String> known = commitsKnown.get(application);
    java.util.Set<String> now = ConcurrentHashMap.newKeySet();
    history.forEach(c -> now.add(c.sha()));
    if (known != null) {
      now.addAll(known);
      commits(application, history.stream().filter(c -> !known.contains(c.sha())).toList());
    }
    commitsKnown.put(application, now);
  }

  /**
   * Emits drift detected when {@code after} is OutOfSync and {@code before} was Synced: the first
   * drifted field and who changed it.
   */
  void compared(ApplicationView before, ApplicationView after) {
    if (before == null
        || before.sync() != dev.weir.engine.model.SyncStatus.Synced
        || after.sync() != dev.weir.engine.model.SyncStatus.OutOfSync) {
      return;
    }
    String who = "";
    Map<String, String> values = new LinkedHashMap<>();
    for (var resource : after.diff().drifted()) {
      for (var change : resource.changes()) {
        if (change.owner().isPresent() && who.isEmpty()) {
          who = change.owner().get().manager();
          values.put("resource", resource.key().toString());
          values.put("field", change.path().toString());
        }
      }
    }
    values.put("drifted", String.valueOf(after.diff().drifted().size()));
    String summary = after.summary();
    int colon = summary.indexOf(": ");
    emit(
        ConsoleEvent.Kind.DRIFT,
        Severity.WARNING,
        after.name(),
        who,
        "drift detected" + (colon < 0 ? "" : ": " + summary.substring(colon + 2)),
        values);
  }

  /**
   * Reads the last {@code window} of the cluster's timeline into the log (not to listeners: it is
   * history), for {@code applications} (name → state namespace). Returns false when the cluster
   * could not be read.
   */
  boolean readBack(
      Map<String, String> applications,
      Map<String, String> rolloutApplications,
      java.time.Duration window) {
    ClusterTimeline source = timeline;
    if (source == null) {
      return false;
    }
    Instant since = clock.instant().minus(window);
    List<ConsoleEvent> found = new ArrayList<>();
    try {
      applications.forEach((name, namespace) -> found.addAll(source.read(namespace, name, since)));
    } catch (ClusterException e) {
      LOG.warn("the cluster's timeline could not be read: {}", e.getMessage());
      return false;
    }
    try {
      java.util.Set<String> namespacesOf = new java.util.TreeSet<>(applications.values());
      found.addAll(source.rolloutEvents(namespacesOf, rolloutApplications, since));
    } catch (ClusterException e) {
      // e.g. no right to list Events: the record alone still tells most of it
      LOG.warn("the rollouts' Kubernetes Events could not be read: {}", e.getMessage());
    }
    log.addAbsent(found);
    changed.run();
    return true;
  }

  /**
   * The definitions of {@code render} that do not load: repository problems (an Application
   * document that cannot be read: its application is missing from the list) and applications whose
   * latest render failed.
   */
  static List<Attention.DefinitionProblem> definitions(
      dev.weir.engine.manifest.RepositoryRender render) {
    List<Attention.DefinitionProblem> out = new ArrayList<>();
    for (var problem : render.problems()) {
      out.add(
          new Attention.DefinitionProblem(
              "", problem.location().toString(), problem.message()));
    }
    for (var application : render.applications()) {
      if (application.failed() && !application.errors().isEmpty()) {
        var first = application.errors().getFirst();
        out.add(
            new Attention.DefinitionProblem(
                application.name(),
                first.location().toString(),
                first.message() + " (" + application.summary() + ")"));
      }
    }
    return List.copyOf(out);
  }

  /** Writes every pending event now, on this thread. */
  void flush() {
    synchronized (writeLock) {
      for (String application : new ArrayList<>(pending.keySet())) {
        writeNow(application);
      }
    }
  }

  private void write(String application) {
    // one write at a time: a flush waits for the one under way (a closing CLI command's events
    // must be in the cluster before the process ends)
    synchronized (writeLock) {
      writeNow(application);
    }
  }

  private void writeNow(String application) {
    try {
      List<ConsoleEvent> batch = pending.remove(application);
      ClusterTimeline target = timeline;
      String namespace = namespaces.get(application);
      if (batch == null || batch.isEmpty() || target == null || namespace == null) {
        return;
      }
      try {
        // the list left the map atomically: nobody adds to it any more
        target.append(namespace, application, List.copyOf(batch));
      } catch (ClusterException e) {
        LOG.warn("events of {} not kept in the cluster: {}", application, e.getMessage());
      }
    } finally {
      writing.remove(application);
      if (pending.containsKey(application) && work != null
          && writing.putIfAbsent(application, true) == null) {
        try {
          work.execute(() -> write(application));
        } catch (RuntimeException e) {
          // the console is closing: its close() flushes what is left
          writing.remove(application);
        }
      }
    }
  }
}
