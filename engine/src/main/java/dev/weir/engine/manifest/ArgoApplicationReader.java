package dev.weir.engine.manifest;

import dev.weir.engine.manifest.ApplicationReader.Fields;
import dev.weir.engine.model.Application;
import dev.weir.engine.model.HelmValues;
import dev.weir.engine.model.HelmValues.HelmParameter;
import dev.weir.engine.model.IgnoreDifference;
import dev.weir.engine.model.KustomizeOptions;
import dev.weir.engine.model.SourceSpec;
import dev.weir.engine.model.SyncOptions;
import dev.weir.engine.model.SyncPolicy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Reads an Argo CD {@code argoproj.io/v1alpha1 Application} as Argo CD means it
 * (https://argo-cd.readthedocs.io/en/stable/user-guide/application-specification/), into the same
 * {@link Application} a Weir Application gives. Stateless.
 *
 * <p>What Weir honours: {@code source.path}; {@code source.repoURL} when it is the workspace's
 * repository; {@code source.directory.recurse} (off by default, as in Argo); {@code
 * source.helm.valueFiles}, {@code values}/{@code valuesObject} and {@code parameters};
 * {@code destination.namespace}; {@code syncPolicy.automated} ({@code prune}, {@code selfHeal},
 * {@code allowEmpty}, {@code enabled}) and {@code syncPolicy.retry}; the sync options {@code
 * CreateNamespace}, {@code RespectIgnoreDifferences}, {@code PruneLast}, {@code
 * ApplyOutOfSyncOnly}, {@code ServerSideApply}; {@code ignoreDifferences}. {@code metadata.namespace} (the Argo CD control plane's, usually
 * {@code argocd}) is not the destination.
 *
 * <p>A source Weir cannot serve (another repository, a chart repository, several sources, a
 * plugin) gives an Application with a {@link SourceSpec#refusal()}: listed with the reason, never
 * rendered. Every other field Weir does not honour is one warning naming the field.
 */
final class ArgoApplicationReader {

  private ArgoApplicationReader() {}

  private static final Set<String> SPEC_FIELDS =
      Set.of("source", "destination", "syncPolicy", "ignoreDifferences", "project", "info");
  private static final Set<String> SOURCE_FIELDS =
      Set.of("repoURL", "path", "targetRevision", "directory", "kustomize", "helm");
  private static final Set<String> HELM_FIELDS =
      Set.of("valueFiles", "values", "valuesObject", "parameters");
  private static final Set<String> IN_CLUSTER =
      Set.of("https://kubernetes.default.svc", "https://kubernetes.default.svc/");
  /** The {@code source.kustomize} fields Weir honours; others are warnings. */
  private static final Set<String> KUSTOMIZE_FIELDS =
      Set.of(
          "namePrefix",
          "nameSuffix",
          "namespace",
          "images",
          "replicas",
          "commonLabels",
          "forceCommonLabels",
          "commonAnnotations",
          "forceCommonAnnotations",
          "patches");
  private static final Set<String> PATCH_FIELDS = Set.of("patch", "path", "target", "options");
  private static final Set<String> TARGET_FIELDS =
      Set.of("group", "version", "kind", "name", "namespace", "labelSelector", "annotationSelector");
  private static final Pattern PARAMETER_NAME =
      Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");

  static Application read(String file, YamlDocument doc, List<String> repositoryUrls)
      throws ManifestException {
    Fields f = new Fields(file, doc);
    String name = ApplicationReader.name(f);
    List<String> warnings = new ArrayList<>();

    Map<?, ?> spec = f.map("/spec", "spec");
    for (Object key : spec.keySet()) {
      if (!SPEC_FIELDS.contains(String.valueOf(key)) && !"sources".equals(key)) {
        warnings.add(warning(f, "/spec/" + key, "spec." + key + " is not honoured by Weir"));
      }
    }
    String project = f.optionalString("/spec/project", "spec.project");
    if (!project.isEmpty() && !project.equals("default")) {
      warnings.add(
          warning(
              f,
              "/spec/project",
              "spec.project " + ApplicationReader.printable(project)
                  + ": Weir has no projects; its restrictions are not applied"));
    }

    String refusal = "";
    String path = "";
    boolean recurse = false;
    HelmValues helm = HelmValues.NONE;
    KustomizeOptions kustomize = KustomizeOptions.NONE;
    if (f.at("/spec/sources") != null) {
      refusal =
          "spec.sources: an application of several sources is not served by Weir; give it one"
              + " spec.source in this repository";
    } else if (f.at("/spec/source") == null) {
      throw f.problem("/spec", "spec.source is required");
    } else {
      f.map("/spec/source", "spec.source");
      String repoUrl = f.requiredString("/spec/source/repoURL", "spec.source.repoURL");
      String chart = f.optionalString("/spec/source/chart", "spec.source.chart");
      if (!chart.isEmpty()) {
        refusal =
            "spec.source.chart: the chart "
                + ApplicationReader.printable(chart)
                + " comes from the chart repository "
                + ApplicationReader.printable(repoUrl)
                + "; Weir renders only charts kept in this repository";
      } else if (f.at("/spec/source/plugin") != null) {
        refusal = "spec.source.plugin: config management plugins are not run by Weir";
      } else if (!sameRepository(repoUrl, repositoryUrls)) {
        refusal =
            "spec.source.repoURL "
                + ApplicationReader.printable(repoUrl)
                + " is not this repository"
                + (repositoryUrls.isEmpty()
                    ? ""
                    : " (" + ApplicationReader.printable(repositoryUrls.getFirst()) + ")")
                + "; Weir renders only the repository it follows";
      }
      if (refusal.isEmpty()) {
        path =
            ApplicationReader.normalisePath(
                f, f.requiredString("/spec/source/path", "spec.source.path"));
        Map<?, ?> source = f.map("/spec/source", "spec.source");
        for (Object key : source.keySet()) {
          if (!SOURCE_FIELDS.contains(String.valueOf(key))) {
            warnings.add(
                warning(
                    f, "/spec/source/" + key, "spec.source." + key + " is not honoured by Weir"));
          }
        }
        String revision =
            f.optionalString("/spec/source/targetRevision", "spec.source.targetRevision");
        if (!revision.isEmpty() && !revision.equals("HEAD")) {
          warnings.add(
              warning(
                  f,
                  "/spec/source/targetRevision",
                  "spec.source.targetRevision "
                      + ApplicationReader.printable(revision)
                      + ": Weir renders the revision it follows (--branch), not this one"));
        }
        Map<?, ?> directory = f.map("/spec/source/directory", "spec.source.directory");
        recurse =
            f.bool("/spec/source/directory/recurse", "spec.source.directory.recurse");
        for (Object key : directory.keySet()) {
          if (!"recurse".equals(key)) {
            warnings.add(
                warning(
                    f,
                    "/spec/source/directory/" + key,
                    "spec.source.directory." + key + " is not honoured by Weir"));
          }
        }
        kustomize = kustomize(f, path, warnings);
        helm = helm(f, warnings);
      }
    }

    String namespace = ApplicationReader.namespace(f);
    String server = f.optionalString("/spec/destination/server", "spec.destination.server");
    String clusterName = f.optionalString("/spec/destination/name", "spec.destination.name");
    if (!server.isEmpty() && !IN_CLUSTER.contains(server)) {
      warnings.add(
          warning(
              f,
              "/spec/destination/server",
              "spec.destination.server "
                  + ApplicationReader.printable(server)
                  + ": Weir syncs to the kubeconfig's current context (or --context)"));
    }
    if (!clusterName.isEmpty() && !clusterName.equals("in-cluster")) {
      warnings.add(
          warning(
              f,
              "/spec/destination/name",
              "spec.destination.name "
                  + ApplicationReader.printable(clusterName)
                  + ": Weir syncs to the kubeconfig's current context (or --context)"));
    }

    SyncPolicy policy = ApplicationReader.syncPolicy(f);
    Map<?, ?> syncPolicy = f.map("/spec/syncPolicy", "spec.syncPolicy");
    for (Object key : syncPolicy.keySet()) {
      if (!"automated".equals(key) && !"syncOptions".equals(key) && !"retry".equals(key)) {
        warnings.add(
            warning(
                f, "/spec/syncPolicy/" + key, "spec.syncPolicy." + key + " is not honoured by Weir"));
      }
    }
    boolean createNamespace = false;
    boolean respectIgnoreDifferences = false;
    List<String> options = f.strings("/spec/syncPolicy/syncOptions", "spec.syncPolicy.syncOptions");
    for (int i = 0; i < options.size(); i++) {
      String option = options.get(i).strip();
      String pointer = "/spec/syncPolicy/syncOptions/" + i;
      switch (option.toLowerCase(Locale.ROOT)) {
        case "createnamespace=true" -> createNamespace = true;
        case "respectignoredifferences=true" -> respectIgnoreDifferences = true;
        case "prunelast=true", "applyoutofsynconly=true", "serversideapply=true", "allowempty=true",
            "createnamespace=false", "respectignoredifferences=false", "validate=true" -> {
          // how Weir always syncs, or the default
        }
        case "replace=true" ->
            warnings.add(
                warning(
                    f,
                    pointer,
                    "spec.syncPolicy.syncOptions Replace=true is refused: Weir applies objects"
                        + " server-side and never replaces them"));
        default ->
            warnings.add(
                warning(
                    f,
                    pointer,
                    "spec.syncPolicy.syncOptions "
                        + ApplicationReader.printable(option)
                        + " is not honoured by Weir"));
      }
    }

    List<IgnoreDifference> ignores = ApplicationReader.ignoreDifferences(f);
    if (f.at("/spec/ignoreDifferences") instanceof List<?> entries) {
      for (int i = 0; i < entries.size(); i++) {
        if (entries.get(i) instanceof Map<?, ?> entry) {
          for (Object key : entry.keySet()) {
            if (!Set.of("group", "kind", "name", "namespace", "jsonPointers", "jqPathExpressions")
                .contains(String.valueOf(key))) {
              warnings.add(
                  warning(
                      f,
                      "/spec/ignoreDifferences/" + i + "/" + key,
                      "spec.ignoreDifferences[" + i + "]." + key + " is not honoured by Weir"));
            }
          }
        }
      }
    }
    return new Application(
        name,
        path,
        namespace,
        "",
        policy,
        ignores,
        doc.location(file),
        new SourceSpec(recurse, helm, kustomize, refusal),
        new SyncOptions(createNamespace, respectIgnoreDifferences),
        warnings);
  }

  /**
   * {@code source.kustomize}, as Argo CD's {@code kustomize edit} calls would set it on the
   * kustomization in {@code path} (user-guide/kustomize/). A patch's {@code path} must be a file
   * below the application's path: kustomize's load restrictor, which Weir keeps, lets a
   * kustomization read nothing else, and Weir says so here rather than after running the tool.
   */
  private static KustomizeOptions kustomize(Fields f, String path, List<String> warnings)
      throws ManifestException {
    Map<?, ?> kustomize = f.map("/spec/source/kustomize", "spec.source.kustomize");
    if (kustomize.isEmpty()) {
      return KustomizeOptions.NONE;
    }
    String base = "/spec/source/kustomize/";
    String field = "spec.source.kustomize.";
    for (Object key : kustomize.keySet()) {
      if (!KUSTOMIZE_FIELDS.contains(String.valueOf(key))) {
        warnings.add(
            warning(
                f,
                base + key,
                field + key + " is not honoured by Weir: the kustomization is built without it"));
      }
    }
    String prefix = plain(f, base + "namePrefix", field + "namePrefix");
    String suffix = plain(f, base + "nameSuffix", field + "nameSuffix");
    String namespace = f.optionalString(base + "namespace", field + "namespace");
    if (!namespace.isEmpty() && !ApplicationReader.isLabel(namespace)) {
      throw f.problem(
          base + "namespace",
          field
              + "namespace must be a DNS-1123 label: "
              + ApplicationReader.printable(namespace));
    }
    List<String> images = new ArrayList<>();
    List<String> given = f.strings(base + "images", field + "images");
    for (int i = 0; i < given.size(); i++) {
      String image = given.get(i).strip();
      String at = base + "images/" + i;
      String name = field + "images[" + i + "]";
      if (image.contains("$")) {
        warnings.add(
            warning(
                f,
                at,
                name
                    + " "
                    + ApplicationReader.printable(image)
                    + " is not honoured by Weir: Argo CD's build environment variables are not"
                    + " substituted"));
        continue;
      }
      if (KustomizeEdit.image(image).isEmpty()) {
        throw f.problem(
            at,
            name
                + " must be name:tag, name@digest or name=newName[:tag|@digest], as kustomize"
                + " edit set image takes it: "
                + ApplicationReader.printable(image));
      }
      images.add(image);
    }
    List<KustomizeOptions.Replica> replicas = new ArrayList<>();
    Object list = f.at(base + "replicas");
    if (list != null && !(list instanceof List<?>)) {
      throw f.problem(base + "replicas", field + "replicas must be a list");
    }
    if (list instanceof List<?> entries) {
      for (int i = 0; i < entries.size(); i++) {
        String at = base + "replicas/" + i;
        String name = field + "replicas[" + i + "]";
        if (!(entries.get(i) instanceof Map<?, ?>)) {
          throw f.problem(at, name + " must be a mapping of name and count");
        }
        String workload = f.requiredString(at + "/name", name + ".name");
        Object count = f.at(at + "/count");
        long value;
        try {
          value =
              count instanceof Number n && n.longValue() == n.doubleValue()
                  ? n.longValue()
                  : Long.parseLong(String.valueOf(count).strip());
        } catch (NumberFormatException e) {
          value = -1;
        }
        if (value < 0) {
          throw f.problem(
              at + "/count", name + ".count must be a whole number of replicas, 0 or more");
        }
        replicas.add(new KustomizeOptions.Replica(workload, value));
      }
    }
    Map<String, String> labels = stringMap(f, base + "commonLabels", field + "commonLabels", warnings);
    Map<String, String> annotations =
        stringMap(f, base + "commonAnnotations", field + "commonAnnotations", warnings);
    List<Map<String, Object>> patches = new ArrayList<>();
    Object patchList = f.at(base + "patches");
    if (patchList != null && !(patchList instanceof List<?>)) {
      throw f.problem(base + "patches", field + "patches must be a list");
    }
    if (patchList instanceof List<?> entries) {
      for (int i = 0; i < entries.size(); i++) {
        String at = base + "patches/" + i;
        String name = field + "patches[" + i + "]";
        if (!(entries.get(i) instanceof Map<?, ?> entry)) {
          throw f.problem(at, name + " must be a mapping");
        }
        Map<String, Object> patch = new LinkedHashMap<>();
        for (Object key : entry.keySet()) {
          if (!PATCH_FIELDS.contains(String.valueOf(key))) {
            throw f.problem(
                at + "/" + key,
                name + "." + key + " is not a field of a kustomize patch (patch, path, target,"
                    + " options)");
          }
        }
        String text = f.optionalString(at + "/patch", name + ".patch");
        String file = f.optionalString(at + "/path", name + ".path").strip();
        if (text.isEmpty() == file.isEmpty()) {
          throw f.problem(at, name + " must have either patch or path");
        }
        if (!text.isEmpty()) {
          patch.put("patch", text);
        } else {
          patch.put("path", patchPath(f, at + "/path", name + ".path", path, file));
        }
        Map<?, ?> target = f.map(at + "/target", name + ".target");
        if (!target.isEmpty()) {
          Map<String, Object> copy = new LinkedHashMap<>();
          for (Object key : target.keySet()) {
            if (!TARGET_FIELDS.contains(String.valueOf(key))) {
              throw f.problem(
                  at + "/target/" + key,
                  name + ".target." + key + " is not a field of a kustomize patch target");
            }
            copy.put(
                String.valueOf(key),
                plain(f, at + "/target/" + key, name + ".target." + key));
          }
          patch.put("target", copy);
        }
        Map<?, ?> options = f.map(at + "/options", name + ".options");
        if (!options.isEmpty()) {
          Map<String, Object> copy = new LinkedHashMap<>();
          for (Object key : options.keySet()) {
            copy.put(
                String.valueOf(key), f.bool(at + "/options/" + key, name + ".options." + key));
          }
          patch.put("options", copy);
        }
        patches.add(patch);
      }
    }
    return new KustomizeOptions(
        prefix,
        suffix,
        namespace,
        images,
        replicas,
        labels,
        f.bool(base + "forceCommonLabels", field + "forceCommonLabels"),
        annotations,
        f.bool(base + "forceCommonAnnotations", field + "forceCommonAnnotations"),
        patches);
  }

  /**
   * A patch file of the application's path, relative to it as Argo CD's edited kustomization has
   * it; refused when absolute, remote, or outside the path (kustomize's load restrictor would
   * refuse it too; a file elsewhere in the repository or on the machine is never read).
   */
  private static String patchPath(Fields f, String at, String field, String path, String file)
      throws ManifestException {
    boolean absolute =
        file.startsWith("/") || file.startsWith("\\") || file.matches("[A-Za-z]:[\\\\/].*");
    var resolved = ToolRenderer.resolve(path, file);
    boolean inside =
        resolved.isPresent()
            && !resolved.get().equals(path)
            && (path.isEmpty() || resolved.get().startsWith(path + "/"));
    if (absolute
        || file.contains("://")
        || file.chars().anyMatch(Character::isISOControl)
        || !inside) {
      throw f.problem(
          at,
          field
              + " "
              + ApplicationReader.printable(file)
              + " is outside the application's path "
              + (path.isEmpty() ? "." : path)
              + ": kustomize may read only files below the kustomization it builds");
    }
    return file;
  }

  /** A string without control characters, "" when absent. */
  private static String plain(Fields f, String pointer, String field) throws ManifestException {
    Object value = f.at(pointer);
    String text =
        value == null
            ? ""
            : value instanceof Map<?, ?> || value instanceof List<?>
                ? null
                : String.valueOf(value);
    if (text == null || text.chars().anyMatch(Character::isISOControl)) {
      throw f.problem(pointer, field + " must be a single-line string");
    }
    return text;
  }

  /** A mapping of names to strings; a value holding {@code $} is warned and left out. */
  private static Map<String, String> stringMap(
      Fields f, String pointer, String field, List<String> warnings) throws ManifestException {
    Map<?, ?> map = f.map(pointer, field);
    Map<String, String> out = new LinkedHashMap<>();
    for (var entry : map.entrySet()) {
      Object key = entry.getKey();
      String at = pointer + "/" + String.valueOf(key).replace("~", "~0").replace("/", "~1");
      Object given = entry.getValue();
      String value = given == null ? "" : String.valueOf(given);
      if (given instanceof Map<?, ?>
          || given instanceof List<?>
          || value.chars().anyMatch(Character::isISOControl)) {
        throw f.problem(pointer, field + "." + key + " must be a single-line string");
      }
      if (value.contains("$")) {
        warnings.add(
            warning(
                f,
                at,
                field
                    + "."
                    + key
                    + " is not honoured by Weir: Argo CD's build environment variables are not"
                    + " substituted"));
        continue;
      }
      out.put(String.valueOf(key), value);
    }
    return out;
  }

  private static HelmValues helm(Fields f, List<String> warnings) throws ManifestException {
    Map<?, ?> helm = f.map("/spec/source/helm", "spec.source.helm");
    if (helm.isEmpty()) {
      return HelmValues.NONE;
    }
    for (Object key : helm.keySet()) {
      if (!HELM_FIELDS.contains(String.valueOf(key))) {
        warnings.add(
            warning(
                f,
                "/spec/source/helm/" + key,
                "spec.source.helm." + key + " is not honoured by Weir"));
      }
    }
    List<String> valueFiles =
        f.strings("/spec/source/helm/valueFiles", "spec.source.helm.valueFiles");
    for (int i = 0; i < valueFiles.size(); i++) {
      String file = valueFiles.get(i).strip();
      boolean bad =
          file.isEmpty()
              || file.contains("://")
              || file.startsWith("/")
              || file.chars().anyMatch(Character::isISOControl);
      if (bad) {
        throw f.problem(
            "/spec/source/helm/valueFiles/" + i,
            "spec.source.helm.valueFiles["
                + i
                + "] must be a path of this repository, relative to the chart: "
                + ApplicationReader.printable(file));
      }
    }
    String values = f.optionalString("/spec/source/helm/values", "spec.source.helm.values");
    Object object = f.at("/spec/source/helm/valuesObject");
    if (object != null) {
      if (!(object instanceof Map<?, ?>)) {
        throw f.problem(
            "/spec/source/helm/valuesObject", "spec.source.helm.valuesObject must be a mapping");
      }
      // Argo: valuesObject wins over values
      DumperOptions dump = new DumperOptions();
      dump.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
      values = new Yaml(dump).dump(object);
    }
    List<HelmParameter> parameters = new ArrayList<>();
    Object list = f.at("/spec/source/helm/parameters");
    if (list != null && !(list instanceof List<?>)) {
      throw f.problem("/spec/source/helm/parameters", "spec.source.helm.parameters must be a list");
    }
    if (list instanceof List<?> entries) {
      for (int i = 0; i < entries.size(); i++) {
        String base = "/spec/source/helm/parameters/" + i;
        String field = "spec.source.helm.parameters[" + i + "]";
        if (!(entries.get(i) instanceof Map<?, ?>)) {
          throw f.problem(base, field + " must be a mapping");
        }
        String parameter = f.requiredString(base + "/name", field + ".name");
        if (!PARAMETER_NAME.matcher(parameter).matches()) {
          throw f.problem(
              base + "/name",
              field
                  + ".name must be a dotted path of keys (letters, digits, '_' and '-'), as"
                  + " image.tag: "
                  + ApplicationReader.printable(parameter));
        }
        Object value = f.at(base + "/value");
        if (value != null && (value instanceof Map<?, ?> || value instanceof List<?>)) {
          throw f.problem(base + "/value", field + ".value must be a string");
        }
        parameters.add(
            new HelmParameter(
                parameter,
                value == null ? "" : String.valueOf(value),
                f.bool(base + "/forceString", field + ".forceString")));
      }
    }
    return new HelmValues(valueFiles.stream().map(String::strip).toList(), values, parameters);
  }

  private static String warning(Fields f, String pointer, String message) {
    return f.doc.location(f.file, pointer) + ": " + message;
  }

  /**
   * Whether {@code repoUrl} names the workspace's repository: compared without scheme, login,
   * {@code .git} suffix, trailing slash and case of the host, so {@code
   * https://github.com/org/repo.git}, {@code git@github.com:org/repo} and {@code
   * ssh://git@github.com/org/repo} are one repository.
   */
  static boolean sameRepository(String repoUrl, List<String> repositoryUrls) {
    String wanted = canonical(repoUrl);
    return repositoryUrls.stream().map(ArgoApplicationReader::canonical).anyMatch(wanted::equals);
  }

  static String canonical(String url) {
    String u = url.strip();
    int scheme = u.indexOf("://");
    if (scheme >= 0) {
      u = u.substring(scheme + 3);
    } else if (u.matches("([^/@]+@)?[^/:@]{2,}:[^/].*")) {
      u = u.replaceFirst(":", "/"); // git@host:org/repo, host:org/repo (scp-like)
    }
    int at = u.indexOf('@');
    int slash = u.indexOf('/');
    if (at >= 0 && (slash < 0 || at < slash)) {
      u = u.substring(at + 1);
    }
    while (u.endsWith("/")) {
      u = u.substring(0, u.length() - 1);
    }
    if (u.endsWith(".git")) {
      u = u.substring(0, u.length() - 4);
    }
    slash = u.indexOf('/');
    return slash < 0
        ? u.toLowerCase(Locale.ROOT)
        : u.substring(0, slash).toLowerCase(Locale.ROOT) + u.substring(slash);
  }
}
