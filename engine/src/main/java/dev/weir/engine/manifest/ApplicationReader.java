package dev.weir.engine.manifest;

import dev.weir.engine.manifest.RenderProblem.Reason;
import dev.weir.engine.model.Application;
import dev.weir.engine.model.IgnoreDifference;
import dev.weir.engine.model.SyncPolicy;
import dev.weir.engine.model.SyncRetry;
import dev.weir.engine.analysis.AnalysisTemplateParser;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads a {@code weir.dev/v1alpha1 Application} document into an {@link Application}, checking each
 * field and naming its position when it is wrong. Stateless.
 */
final class ApplicationReader {

  static final String GROUP = "weir.dev";

  /** Argo CD's and Argo Rollouts' API group. */
  static final String ARGO_GROUP = "argoproj.io";

  private ApplicationReader() {}

  /** Whether {@code doc} is a {@code weir.dev} or an Argo CD ({@code argoproj.io}) Application. */
  static boolean isApplication(YamlDocument doc) {
    if (!"Application".equals(doc.string("kind"))) {
      return false;
    }
    String group = groupOf(doc.string("apiVersion"));
    return GROUP.equals(group) || ARGO_GROUP.equals(group);
  }

  /**
   * Reads a Weir or an Argo CD Application; {@code repositoryUrls} are the workspace repository's
   * URLs, against which an Argo Application's {@code source.repoURL} is matched.
   */
  static Application read(String file, YamlDocument doc, List<String> repositoryUrls)
      throws ManifestException {
    return ARGO_GROUP.equals(groupOf(doc.string("apiVersion")))
        ? ArgoApplicationReader.read(file, doc, repositoryUrls)
        : read(file, doc);
  }

  static String groupOf(String apiVersion) {
    if (apiVersion == null) {
      return "";
    }
    int slash = apiVersion.indexOf('/');
    return slash < 0 ? "" : apiVersion.substring(0, slash);
  }

  /** The name of an Application document, or null when it has none. */
  static String nameOf(YamlDocument doc) {
    return doc.content().get("metadata") instanceof Map<?, ?> m
            && m.get("name") instanceof String s
            && !s.isBlank()
        ? s
        : null;
  }

  static Application read(String file, YamlDocument doc) throws ManifestException {
    Fields f = new Fields(file, doc);
    String name = name(f);
    String path = normalisePath(f, f.requiredString("/spec/source/path", "spec.source.path"));
    String namespace = namespace(f);
    String context = f.optionalString("/spec/destination/context", "spec.destination.context");
    SyncPolicy policy = syncPolicy(f);
    List<IgnoreDifference> ignores = ignoreDifferences(f);
    return new Application(name, path, namespace, context, policy, ignores, doc.location(file));
  }

  /** {@code metadata.name}, checked, and {@code f} told it. */
  static String name(Fields f) throws ManifestException {
    String name = f.requiredString("/metadata/name", "metadata.name");
    if (!isName(name)) {
      throw f.problem(
          "/metadata/name",
          "metadata.name must be a Kubernetes name (lowercase letters, digits, '-' and '.',"
              + " starting and ending with a letter or digit, at most 253 characters): "
              + printable(name));
    }
    f.name = name;
    return name;
  }

  static String namespace(Fields f) throws ManifestException {
    String namespace =
        f.optionalString("/spec/destination/namespace", "spec.destination.namespace");
    if (!namespace.isEmpty() && !isLabel(namespace)) {
      throw f.problem(
          "/spec/destination/namespace",
          "spec.destination.namespace must be a Kubernetes namespace name (lowercase letters,"
              + " digits and '-', starting and ending with a letter or digit, at most 63"
              + " characters): "
              + printable(namespace));
    }
    return namespace;
  }

  static SyncPolicy syncPolicy(Fields f) throws ManifestException {

    Object automated = f.at("/spec/syncPolicy/automated");
    if (automated != null && !(automated instanceof Map<?, ?>)) {
      throw f.problem("/spec/syncPolicy/automated", "spec.syncPolicy.automated must be a mapping");
    }
    boolean prune = f.bool("/spec/syncPolicy/automated/prune", "spec.syncPolicy.automated.prune");
    boolean selfHeal =
        f.bool("/spec/syncPolicy/automated/selfHeal", "spec.syncPolicy.automated.selfHeal");
    boolean allowEmpty =
        f.bool("/spec/syncPolicy/automated/allowEmpty", "spec.syncPolicy.automated.allowEmpty");
    for (String option : f.strings("/spec/syncPolicy/syncOptions", "spec.syncPolicy.syncOptions")) {
      if (option.strip().equalsIgnoreCase("AllowEmpty=true")) {
        allowEmpty = true;
      }
    }
    boolean enabled =
        automated == null
            || f.at("/spec/syncPolicy/automated/enabled") == null
            || f.bool("/spec/syncPolicy/automated/enabled", "spec.syncPolicy.automated.enabled");
    return new SyncPolicy(automated != null && enabled, prune, selfHeal, allowEmpty, retry(f));
  }

  /**
   * {@code spec.syncPolicy.retry} as Argo CD reads it: {@code limit} (negative: unlimited) and
   * {@code backoff} ({@code duration} in seconds or as {@code 5s}/{@code 2m}, {@code factor},
   * {@code maxDuration}), Argo CD's defaults for what is left out.
   */
  static SyncRetry retry(Fields f) throws ManifestException {
    Map<?, ?> retry = f.map("/spec/syncPolicy/retry", "spec.syncPolicy.retry");
    if (retry.isEmpty()) {
      return SyncRetry.NONE;
    }
    for (Object key : retry.keySet()) {
      if (!"limit".equals(key) && !"backoff".equals(key)) {
        throw f.problem(
            "/spec/syncPolicy/retry/" + key,
            "spec.syncPolicy.retry." + key + " is not a field of retry (limit, backoff)");
      }
    }
    Map<?, ?> backoff = f.map("/spec/syncPolicy/retry/backoff", "spec.syncPolicy.retry.backoff");
    for (Object key : backoff.keySet()) {
      if (!"duration".equals(key) && !"factor".equals(key) && !"maxDuration".equals(key)) {
        throw f.problem(
            "/spec/syncPolicy/retry/backoff/" + key,
            "spec.syncPolicy.retry.backoff."
                + key
                + " is not a field of backoff (duration, factor, maxDuration)");
      }
    }
    Object limit = f.at("/spec/syncPolicy/retry/limit");
    if (limit != null && !(limit instanceof Integer)) {
      throw f.problem(
          "/spec/syncPolicy/retry/limit",
          "spec.syncPolicy.retry.limit must be a whole number (negative: no limit)");
    }
    Object factor = f.at("/spec/syncPolicy/retry/backoff/factor");
    if (factor != null && !(factor instanceof Integer i && i >= 1)) {
      throw f.problem(
          "/spec/syncPolicy/retry/backoff/factor",
          "spec.syncPolicy.retry.backoff.factor must be a whole number of at least 1");
    }
    Duration duration =
        backoffDuration(f, "duration", SyncRetry.DEFAULT_DURATION);
    Duration max = backoffDuration(f, "maxDuration", SyncRetry.DEFAULT_MAX_DURATION);
    return new SyncRetry(
        limit == null ? 0 : (Integer) limit,
        duration,
        factor == null ? SyncRetry.DEFAULT_FACTOR : (Integer) factor,
        max);
  }

  private static Duration backoffDuration(Fields f, String field, Duration absent)
      throws ManifestException {
    String pointer = "/spec/syncPolicy/retry/backoff/" + field;
    Object value = f.at(pointer);
    if (value == null) {
      return absent;
    }
    Optional<Duration> parsed =
        value instanceof Integer seconds && seconds >= 0
            ? Optional.of(Duration.ofSeconds(seconds))
            : value instanceof String text
                ? (text.strip().chars().allMatch(Character::isDigit) && !text.isBlank()
                    ? Optional.of(Duration.ofSeconds(Long.parseLong(text.strip())))
                    : AnalysisTemplateParser.parseDuration(text))
                : Optional.empty();
    if (parsed.isEmpty()) {
      throw f.problem(
          pointer,
          "spec.syncPolicy.retry.backoff."
              + field
              + " must be a duration such as 5s, 2m or 1h (or whole seconds), not '"
              + value
              + "'");
    }
    return parsed.get();
  }

  static List<IgnoreDifference> ignoreDifferences(Fields f) throws ManifestException {
    List<IgnoreDifference> ignores = new ArrayList<>();
    Object list = f.at("/spec/ignoreDifferences");
    if (list != null && !(list instanceof List<?>)) {
      throw f.problem("/spec/ignoreDifferences", "spec.ignoreDifferences must be a list");
    }
    if (list instanceof List<?> entries) {
      for (int i = 0; i < entries.size(); i++) {
        String base = "/spec/ignoreDifferences/" + i;
        String field = "spec.ignoreDifferences[" + i + "]";
        if (!(entries.get(i) instanceof Map<?, ?>)) {
          throw f.problem(base, field + " must be a mapping");
        }
        ignores.add(
            new IgnoreDifference(
                f.optionalString(base + "/group", field + ".group"),
                f.requiredString(base + "/kind", field + ".kind"),
                f.optionalString(base + "/name", field + ".name"),
                f.optionalString(base + "/namespace", field + ".namespace"),
                f.strings(base + "/jsonPointers", field + ".jsonPointers"),
                f.strings(base + "/jqPathExpressions", field + ".jqPathExpressions")));
      }
    }
    return ignores;
  }

  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  /**
   * Whether {@code name} is a DNS-1123 subdomain, as Kubernetes names are. Application names become
   * helm release names and command-line arguments, so nothing else is accepted.
   */
  static boolean isName(String name) {
    return name.length() <= 253 && SUBDOMAIN.matcher(name).matches();
  }

  /** Whether {@code name} is a DNS-1123 label, as namespace names are. */
  static boolean isLabel(String name) {
    return name.length() <= 63 && LABEL.matcher(name).matches();
  }

  /**
   * {@code value} safe to print on one line of a terminal: control characters escaped, at most 100
   * characters.
   */
  static String printable(String value) {
    StringBuilder out = new StringBuilder();
    value
        .codePoints()
        .limit(100)
        .forEach(
            c -> {
              if (Character.isISOControl(c) || c == 0x2028 || c == 0x2029) {
                out.append(String.format("\\u%04X", c));
              } else {
                out.appendCodePoint(c);
              }
            });
    return value.codePointCount(0, value.length()) > 100 ? out + "…" : out.toString();
  }

  static String normalisePath(Fields f, String raw) throws ManifestException {
    for (int i = 0; i < raw.length(); i++) {
      if (Character.isISOControl(raw.charAt(i))) {
        throw f.problem(
            "/spec/source/path",
            "spec.source.path must not hold control characters: " + printable(raw));
      }
    }
    String path = raw.strip().replace('\\', '/');
    while (path.startsWith("./")) {
      path = path.substring(2);
    }
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    if (path.equals(".")) {
      path = "";
    }
    if (path.startsWith("/")) {
      throw f.problem(
          "/spec/source/path",
          "spec.source.path must be relative to the repository root: " + printable(raw));
    }
    for (String segment : path.split("/")) {
      if (segment.equals("..")) {
        throw f.problem(
            "/spec/source/path",
            "spec.source.path must stay inside the repository: " + printable(raw));
      }
      if (segment.startsWith("-")) {
        // kustomize and helm would read such a directory as a flag (--load-restrictor=...).
        throw f.problem(
            "/spec/source/path",
            "spec.source.path must not have a directory starting with '-': " + printable(raw));
      }
    }
    return path;
  }

  /** Field access with positions; {@code name} prefixes messages once known. */
  static final class Fields {
    final String file;
    final YamlDocument doc;
    String name;

    Fields(String file, YamlDocument doc) {
      this.file = file;
      this.doc = doc;
    }

    /** The mapping at {@code pointer}, empty when absent. */
    Map<?, ?> map(String pointer, String field) throws ManifestException {
      Object value = at(pointer);
      if (value == null) {
        return Map.of();
      }
      if (!(value instanceof Map<?, ?> map)) {
        throw problem(pointer, field + " must be a mapping");
      }
      return map;
    }

    Object at(String pointer) {
      Object node = doc.content();
      for (String part : pointer.substring(1).split("/")) {
        if (node instanceof Map<?, ?> map) {
          node = map.get(part);
        } else if (node instanceof List<?> list && part.chars().allMatch(Character::isDigit)) {
          int i = Integer.parseInt(part);
          node = i < list.size() ? list.get(i) : null;
        } else {
          return null;
        }
      }
      return node;
    }

    ManifestException problem(String pointer, String message) {
      String prefix = name == null ? "Application: " : "Application " + name + ": ";
      return new ManifestException(
          new RenderProblem(
              doc.location(file, pointer), Reason.INVALID_APPLICATION, prefix + message));
    }

    String requiredString(String pointer, String field) throws ManifestException {
      Object value = at(pointer);
      if (value == null) {
        throw problem(pointer, field + " is required");
      }
      if (!(value instanceof String s) || s.isBlank()) {
        throw problem(pointer, field + " must be a non-empty string");
      }
      return s;
    }

    String optionalString(String pointer, String field) throws ManifestException {
      Object value = at(pointer);
      if (value == null) {
        return "";
      }
      if (!(value instanceof String s)) {
        throw problem(pointer, field + " must be a string");
      }
      return s;
    }

    boolean bool(String pointer, String field) throws ManifestException {
      Object value = at(pointer);
      if (value == null) {
        return false;
      }
      if (!(value instanceof Boolean b)) {
        throw problem(pointer, field + " must be true or false");
      }
      return b;
    }

    List<String> strings(String pointer, String field) throws ManifestException {
      Object value = at(pointer);
      if (value == null) {
        return List.of();
      }
      if (!(value instanceof List<?> list)) {
        throw problem(pointer, field + " must be a list of strings");
      }
      List<String> out = new ArrayList<>(list.size());
      for (int i = 0; i < list.size(); i++) {
        if (!(list.get(i) instanceof String s)) {
          throw problem(pointer + "/" + i, field + " must be a list of strings");
        }
        out.add(s);
      }
      return out;
    }
  }
}
