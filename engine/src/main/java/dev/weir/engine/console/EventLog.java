package dev.weir.engine.console;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The console's recent events, kept per application with a bound each (and console-wide events
 * under ""), so that a busy application does not push a quiet one's history out. Each
 * application's list is an immutable copy replaced on every append: a snapshot takes them by
 * reference. Thread-safe; appends to one application are serialised.
 */
public final class EventLog {
  private final int perApplication;
  private final Map<String, List<ConsoleEvent>> byApplication = new ConcurrentHashMap<>();
  // the newest of all, kept as events come, so that a snapshot need not merge every list
  private volatile List<ConsoleEvent> newest = List.of();

  /** @param perApplication how many events each application keeps (the oldest go first) */
  public EventLog(int perApplication) {
    if (perApplication < 1) {
      throw new IllegalArgumentException("an event log keeps at least one event per application");
    }
    this.perApplication = perApplication;
  }

  /** Keeps {@code event} in its application's list (in time order), dropping that list's oldest. */
  public void add(ConsoleEvent event) {
    byApplication.compute(event.application(), (name, old) -> inserted(old, event));
    synchronized (this) {
      newest = inserted(newest, event);
    }
  }

  private List<ConsoleEvent> inserted(List<ConsoleEvent> old, ConsoleEvent event) {
    List<ConsoleEvent> next = new ArrayList<>(old == null ? List.of() : old);
    int at = next.size();
    while (at > 0 && next.get(at - 1).at().isAfter(event.at())) {
      at--;
    }
    next.add(at, event);
    while (next.size() > perApplication) {
      next.removeFirst();
    }
    return List.copyOf(next);
  }

  /** Keeps every one of {@code events} that is not kept already (read back from the cluster). */
  public void addAbsent(List<ConsoleEvent> events) {
    for (ConsoleEvent event : events) {
      // the cluster keeps times to the second: the same event read back from two places, or
      // from a Kubernetes Event, matches on its second, application and words
      boolean kept =
          of(event.application()).stream()
              .anyMatch(
                  e ->
                      e.at().getEpochSecond() == event.at().getEpochSecond()
                          && e.message().equals(event.message()));
      if (!kept) {
        add(event);
      }
    }
  }

  /** The events of {@code application}, oldest first. */
  public List<ConsoleEvent> of(String application) {
    return byApplication.getOrDefault(application, List.of());
  }

  /** Every application's list, by application name. */
  public Map<String, List<ConsoleEvent>> byApplication() {
    return new TreeMap<>(byApplication);
  }

  /**
   * The newest {@code max} events of all applications (at most as many as each application
   * keeps), oldest first.
   */
  public List<ConsoleEvent> latest(int max) {
    List<ConsoleEvent> all = newest;
    return all.subList(Math.max(0, all.size() - max), all.size());
  }

  /** The events since {@code since} (inclusive), of one application or all ({@code null}). */
  public List<ConsoleEvent> since(Instant since, String application) {
    List<ConsoleEvent> all = new ArrayList<>();
    (application == null ? byApplication.values() : List.of(of(application))).forEach(all::addAll);
    return all.stream()
        .filter(e -> !e.at().isBefore(since))
        .sorted(Comparator.comparing(ConsoleEvent::at))
        .toList();
  }
}
