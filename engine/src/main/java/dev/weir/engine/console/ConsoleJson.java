package dev.weir.engine.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.weir.engine.diff.FieldChange;
import dev.weir.engine.diff.ResourceDiff;
import dev.weir.engine.model.ResourceKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON documents of {@code weir status -o json} and {@code weir diff -o json}, with stable
 * field names (scripts depend on them). Values are already redacted where sensitive.
 *
 * <p>Status: {@code {"cluster": {context, server, reachable, unreachableSince, error}, "git":
 * {revision, fetchedAt, stale, error}, "applications": [{name, namespace, revision, sync, health,
 * healthMessage, summary, automated, frozen, pinned, hotfixes, lastSync, lease: {holder, identity,
 * since, until}, driver: {kind, who, holder, renewedAt, expiresAt, message}, problems, resources: [{group, kind, namespace, name, sync, health, healthMessage,
 * hotfixed}]}], "definitionFailures": [{application, file, line, column, reason, problem}]}}
 * ({@link DefinitionFailure}; {@code application} null when its name could not be read). A Lease's {@code holder} is for people ({@code alice@bastion (pid 4242, weir
 * sync)}); {@code identity} is the Lease's {@code holderIdentity} word for word. The {@code
 * driver} ({@link ApplicationDriver}) is who drives the application: {@code kind} {@code replica}
 * (a reconciler replica holds its Lease; {@code who} is the pod's name), {@code console} (this
 * console; {@code who} is {@code user@host}), {@code nobody} or {@code unknown}.
 *
 * <p>Diff: {@code {"applications": [{name, revision, drifted, problems, resources: [{group, kind,
 * namespace, name, status, note, changes: [{path, change, git, live, manager, operation, time,
 * description}], diff}]}]}} with only the drifted resources.
 */
public final class ConsoleJson {
  private static final ObjectWriter WRITER =
      new ObjectMapper()
          .writer(new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter("  ", "\n")));

  private ConsoleJson() {}

  public static String status(ConsoleSnapshot snapshot) {
    Map<String, Object> root = new LinkedHashMap<>();
    Map<String, Object> cluster = new LinkedHashMap<>();
    cluster.put("context", snapshot.cluster().context());
    cluster.put("server", snapshot.cluster().server());
    cluster.put("reachable", snapshot.cluster().isReachable());
    cluster.put("unreachableSince", text(snapshot.cluster().unreachableSince()));
    cluster.put("error", snapshot.cluster().error().map(e -> e.message()).orElse(null));
    root.put("cluster", cluster);
    snapshot
        .git()
        .ifPresent(
            g -> {
              Map<String, Object> git = new LinkedHashMap<>();
              git.put("revision", g.revision());
              git.put("fetchedAt", text(g.fetchedAt()));
              git.put("stale", g.isStale());
              git.put("error", g.error().map(e -> e.message()).orElse(null));
              root.put("git", git);
            });
    List<Object> apps = new ArrayList<>();
    for (ApplicationView view : snapshot.applications()) {
      Map<String, Object> app = new LinkedHashMap<>();
      app.put("name", view.name());
      app.put("namespace", view.namespace());
      app.put("revision", view.revision());
      app.put("sync", view.sync().name());
      app.put("health", view.health().status().name());
      app.put("healthMessage", view.health().message());
      app.put("summary", view.summary());
      app.put("automated", view.automated());
      app.put(
          "frozen",
          view.freeze()
              .map(f -> Map.of("by", f.by(), "reason", f.reason(), "until", f.until().toString()))
              .orElse(null));
      app.put(
          "pinned",
          view.pin()
              .map(
                  p ->
                      Map.of(
                          "revision",
                          p.revision(),
                          "by",
                          p.by(),
                          "reason",
                          p.reason(),
                          "since",
                          p.since().toString()))
              .orElse(null));
      List<Object> hotfixes = new ArrayList<>();
      view.hotfixes()
          .forEach(
              h ->
                  hotfixes.add(
                      Map.of(
                          "resource",
                          keyMap(h.key()),
                          "field",
                          h.pointer(),
                          "by",
                          h.by(),
                          "reason",
                          h.reason(),
                          "until",
                          h.until().toString(),
                          "backportPending",
                          true)));
      app.put("hotfixes", hotfixes);
      app.put(
          "lastSync",
          view.lastSync()
              .map(
                  s ->
                      Map.of(
                          "revision",
                          s.revision(),
                          "outcome",
                          s.outcome().name(),
                          "message",
                          s.message(),
                          "at",
                          s.at().toString(),
                          "by",
                          s.by()))
              .orElse(null));
      app.put(
          "lease",
          view.lease()
              .map(
                  l ->
                      Map.of(
                          "holder",
                          l.holderIdentity().describe(),
                          "identity",
                          l.holder(),
                          "since",
                          l.acquiredAt().toString(),
                          "until",
                          l.expiresAt().toString()))
              .orElse(null));
      Map<String, Object> driver = new LinkedHashMap<>();
      driver.put("kind", view.driver().kind().word());
      driver.put("who", view.driver().who());
      driver.put("holder", view.driver().holder());
      driver.put("renewedAt", view.driver().renewedAt().map(Object::toString).orElse(null));
      driver.put("expiresAt", view.driver().expiresAt().map(Object::toString).orElse(null));
      driver.put("message", view.driver().line());
      app.put("driver", driver);
      app.put("problems", view.problems());
      List<Object> resources = new ArrayList<>();
      for (ResourceView resource : view.resources()) {
        Map<String, Object> r = new LinkedHashMap<>(keyMap(resource.key()));
        r.put("sync", resource.sync().name());
        r.put("status", resource.diff().status().name());
        r.put("health", resource.health().status().name());
        r.put("healthMessage", resource.health().message());
        r.put("hotfixed", resource.hotfixed());
        resources.add(r);
      }
      app.put("resources", resources);
      apps.add(app);
    }
    root.put("applications", apps);
    List<Object> failures = new ArrayList<>();
    for (DefinitionFailure failure : snapshot.definitionFailures()) {
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("application", failure.application().orElse(null));
      f.put("file", failure.location().file());
      f.put("line", failure.location().line());
      f.put("column", failure.location().column());
      f.put("reason", failure.reason());
      f.put("problem", failure.problem());
      failures.add(f);
    }
    root.put("definitionFailures", failures);
    return write(root);
  }

  public static String diff(List<ApplicationView> views) {
    List<Object> apps = new ArrayList<>();
    for (ApplicationView view : views) {
      Map<String, Object> app = new LinkedHashMap<>();
      app.put("name", view.name());
      app.put("revision", view.revision());
      app.put("drifted", view.diff().hasDrift());
      app.put("problems", view.problems());
      List<Object> resources = new ArrayList<>();
      for (ResourceDiff resource : view.diff().drifted()) {
        Map<String, Object> r = new LinkedHashMap<>(keyMap(resource.key()));
        r.put("status", resource.status().name());
        r.put("note", resource.note());
        List<Object> changes = new ArrayList<>();
        for (FieldChange change : resource.changes()) {
          Map<String, Object> c = new LinkedHashMap<>();
          c.put("path", change.path().toString());
          c.put("change", change.kind().name());
          c.put("git", change.git());
          c.put("live", change.live());
          c.put("manager", change.owner().map(o -> o.manager()).orElse(null));
          c.put("operation", change.owner().map(o -> o.operation()).orElse(null));
          c.put("time", change.owner().flatMap(o -> o.time()).map(Instant::toString).orElse(null));
          c.put("description", change.describe(java.time.ZoneOffset.UTC));
          changes.add(c);
        }
        r.put("changes", changes);
        r.put("diff", resource.text());
        resources.add(r);
      }
      app.put("resources", resources);
      apps.add(app);
    }
    return write(Map.of("applications", apps));
  }

  /**
   * {@code weir experiment status -o json}: {@code {"application", "experiments": [{rollout, name,
   * segment, outcome, decision, concluded, alpha, uplift, lower, upper, pValue, runningSeconds,
   * maxSamples, message, variants: [{name, version, role, audience, trafficShare, successes,
   * trials, rate}]}]}}; numbers not yet known are null.
   */
  public static String experiments(String application, List<ExperimentView> experiments) {
    List<Object> items = new ArrayList<>();
    for (ExperimentView e : experiments) {
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("rollout", e.rollout());
      item.put("name", e.name());
      item.put("segment", e.segment());
      item.put("outcome", e.outcome());
      item.put("decision", e.decision());
      item.put("concluded", e.concluded().orElse(null));
      item.put("alpha", e.alpha());
      item.put("uplift", finite(e.uplift()));
      item.put("lower", finite(e.lower()));
      item.put("upper", finite(e.upper()));
      item.put("pValue", finite(e.pValue()));
      item.put("runningSeconds", e.running().toSeconds());
      item.put("maxSamples", e.maxSamples());
      item.put("message", e.message());
      List<Object> variants = new ArrayList<>();
      for (ExperimentView.Variant v : e.variants()) {
        Map<String, Object> variant = new LinkedHashMap<>();
        variant.put("name", v.name());
        variant.put("version", v.version());
        variant.put("role", v.role());
        variant.put("audience", v.audience());
        variant.put("trafficShare", finite(v.trafficShare()));
        variant.put("successes", v.successes());
        variant.put("trials", v.trials());
        variant.put("rate", finite(v.rate()));
        variants.add(variant);
      }
      item.put("variants", variants);
      items.add(item);
    }
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("application", application);
    root.put("experiments", items);
    return write(root);
  }

  private static Double finite(double value) {
    return Double.isFinite(value) ? value : null;
  }

  private static Map<String, Object> keyMap(ResourceKey key) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("group", key.group());
    map.put("kind", key.kind());
    map.put("namespace", key.namespace());
    map.put("name", key.name());
    return map;
  }

  private static String text(Instant instant) {
    return instant == null ? null : instant.toString();
  }

  private static String write(Object tree) {
    try {
      return WRITER.writeValueAsString(tree) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("could not write JSON: " + e.getOriginalMessage(), e);
    }
  }
}
