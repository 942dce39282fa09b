package dev.weir.sandbox.world;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.sandbox.SandboxAnnotations;
import dev.weir.sandbox.api.PodLogSource;
import dev.weir.sandbox.metrics.SeriesKey;
import dev.weir.sandbox.metrics.TrafficMetrics;
import dev.weir.sandbox.traffic.Endpoint;
import dev.weir.sandbox.traffic.NamespaceTraffic;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The simulated containers' logs ({@code kubectl logs}): a line when the container started, then,
 * for the pod's version, what it served second by second from the traffic history — a line for the
 * requests answered (count and mean latency) and one per failed request — and for a crashing
 * container its exit, for a Job's its completion.
 *
 * <p>Each second's requests of a version are shared among the version's ready pods as they are now,
 * by their names, so each pod logs its part and the parts add up to the metrics. The lines go to
 * the pod's first container; other containers log only their start. History is the metrics' (30
 * minutes by default; 5 minutes after a restart).
 *
 * <p>Thread-safe: reads the world's traffic and metrics, which synchronise themselves.
 */
final class ContainerLogs implements PodLogSource {
  private final SandboxWorld world;

  ContainerLogs(SandboxWorld world) {
    this.world = world;
  }

  @Override
  public List<Line> log(ObjectNode pod, String container, boolean previous) {
    JsonNode status = containerStatus(pod, container);
    String image = "";
    for (JsonNode spec : pod.path("spec").path("containers")) {
      if (spec.path("name").asText().equals(container)) {
        image = spec.path("image").asText();
      }
    }
    List<Line> lines = new ArrayList<>();
    JsonNode terminated = status.path("state").path("terminated");
    JsonNode last = status.path("lastState").path("terminated");
    if (previous || (status.path("state").has("waiting") && !last.isMissingNode())) {
      // a crashed run: the container's last one (kubelet answers it while it backs off)
      Instant finished = Meta.parseTime(last.path("finishedAt"), null);
      if (finished == null) {
        return lines;
      }
      Instant started = finished.minus(Kubelet.CRASH_AFTER);
      lines.add(started(started, container, image));
      lines.add(
          new Line(
              finished,
              stamp(finished)
                  + " ERROR exiting with code 1: simulated crash ("
                  + SandboxAnnotations.CRASHLOOP
                  + ": \"true\")"));
      return lines;
    }
    JsonNode running = status.path("state").path("running");
    Instant started =
        Meta.parseTime(
            running.isMissingNode() ? terminated.path("startedAt") : running.path("startedAt"),
            null);
    if (started == null) {
      return lines;
    }
    lines.add(started(started, container, image));
    boolean first =
        pod.path("spec").path("containers").path(0).path("name").asText().equals(container);
    if (first) {
      lines.addAll(served(pod, started));
    }
    if (!terminated.isMissingNode()) {
      Instant finished = Meta.parseTime(terminated.path("finishedAt"), started);
      lines.add(new Line(finished, stamp(finished) + " INFO  done, exiting with code 0"));
    }
    lines.sort(Comparator.comparing(Line::at));
    return lines;
  }

  private static Line started(Instant at, String container, String image) {
    return new Line(
        at,
        stamp(at)
            + " INFO  container "
            + container
            + " started from "
            + image
            + " (simulated by the Weir sandbox)");
  }

  /** The pod's part of its version's requests in every entry that sends it traffic. */
  private List<Line> served(ObjectNode pod, Instant started) {
    String namespace = Meta.namespace(pod);
    String name = Meta.name(pod);
    NamespaceTraffic traffic = world.traffic(namespace);
    Endpoint mine = null;
    for (List<Endpoint> endpoints : traffic.endpoints().values()) {
      for (Endpoint endpoint : endpoints) {
        if (endpoint.pod().equals(name)) {
          mine = endpoint;
        }
      }
    }
    List<Line> lines = new ArrayList<>();
    if (mine == null) {
      return lines; // not a ready endpoint of any Service: no traffic reaches it
    }
    TrafficMetrics metrics = world.metrics();
    long last = metrics.lastSecond();
    if (last == Long.MIN_VALUE) {
      return lines;
    }
    long from = Math.max(started.getEpochSecond(), last - metrics.retentionSeconds() + 1);
    for (NamespaceTraffic.Entry entry : traffic.entries()) {
      Set<String> peers = new TreeSet<>();
      for (String service : entry.router().services()) {
        for (Endpoint endpoint : traffic.endpoints().getOrDefault(service, List.of())) {
          if (endpoint.version().equals(mine.version())
              && endpoint.templateHash().equals(mine.templateHash())) {
            peers.add(endpoint.pod());
          }
        }
      }
      if (!peers.contains(name)) {
        continue;
      }
      List<String> ordered = new ArrayList<>(peers);
      int count = ordered.size();
      int index = ordered.indexOf(name);
      String entryName = entry.router().name();
      // a flag splits the version's requests into a series per variant: the pod served them all
      Set<String> variants =
          metrics.variants(new SeriesKey(namespace, entryName, mine.version(), mine.templateHash()));
      for (long second = from; second <= last; second++) {
        TrafficMetrics.Second sample = null;
        for (String variant : variants) {
          TrafficMetrics.Second part =
              metrics.second(
                  new SeriesKey(namespace, entryName, mine.version(), mine.templateHash(), variant),
                  second);
          if (part != null) {
            sample = sample == null ? part : sum(sample, part);
          }
        }
        if (sample == null) {
          continue;
        }
        // the second's requests dealt round the version's pods, starting one further each second
        int turn = (int) Math.floorMod(index - second, (long) count);
        long ok = share(sample.codes()[0], count, turn);
        long errors = share(sample.codes()[2], count, turn);
        Instant at = Instant.ofEpochSecond(second);
        if (ok > 0) {
          long all = sample.codes()[0] + sample.codes()[2];
          long meanMillis = Math.round(sample.latencySum() * 1000 / Math.max(1, all));
          lines.add(
              new Line(
                  at,
                  stamp(at)
                      + " INFO  "
                      + entryName
                      + ": "
                      + ok
                      + (ok == 1 ? " request" : " requests")
                      + " answered 200, "
                      + meanMillis
                      + " ms on average (version "
                      + mine.version()
                      + ")"));
        }
        for (long e = 0; e < errors; e++) {
          lines.add(
              new Line(
                  at,
                  stamp(at)
                      + " ERROR "
                      + entryName
                      + ": request failed with 500 Internal Server Error (version "
                      + mine.version()
                      + ")"));
        }
      }
    }
    return lines;
  }

  private static TrafficMetrics.Second sum(TrafficMetrics.Second a, TrafficMetrics.Second b) {
    long[] codes = a.codes().clone();
    for (int c = 0; c < codes.length; c++) {
      codes[c] += b.codes()[c];
    }
    return new TrafficMetrics.Second(codes, a.latencySum() + b.latencySum());
  }

  /** The part of {@code total} that the pod in position {@code turn} of {@code count} takes. */
  private static long share(long total, int count, int turn) {
    return total / count + (turn < total % count ? 1 : 0);
  }

  private static JsonNode containerStatus(ObjectNode pod, String container) {
    for (JsonNode status : pod.path("status").path("containerStatuses")) {
      if (status.path("name").asText().equals(container)) {
        return status;
      }
    }
    return Meta.NODES.objectNode();
  }

  private static String stamp(Instant at) {
    return Meta.time(at);
  }
}
