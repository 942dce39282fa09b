package dev.weir.engine.manifest;

import dev.weir.engine.git.RevisionTree.TreeFile;
import dev.weir.engine.manifest.RenderProblem.Reason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Everything a kustomization refers to, checked before kustomize runs: starting from one directory,
 * every kustomization it reaches through {@code resources}, {@code bases}, {@code components} and
 * plugin lists, and in each every field through which kustomize loads a file or a directory. A
 * reference is refused when it is remote (unless the operator allows remote sources, and even then
 * when {@link RemoteSource#refusalEvenWhenAllowed()} says so), absolute, or outside the repository.
 * What passes is the set of paths to materialise: the kustomization directories and every file or
 * directory they name. kustomize runs with {@code --load-restrictor=LoadRestrictionsRootOnly}, so
 * each kustomization reads only below its own directory; a file it names elsewhere is materialised
 * all the same, so that kustomize's own message says why it may not read it.
 *
 * <p>Fields through which kustomize (v5) loads files: {@code resources}, {@code bases}, {@code
 * components}, {@code crds}, {@code configurations}, {@code patchesStrategicMerge}, {@code
 * generators}, {@code transformers}, {@code validators} (paths, directories or inline plugin
 * configurations, whose own {@code files}, {@code path} ... are checked the same way), {@code
 * openapi.path}, {@code patches[].path}, {@code patchesJson6902[].path}, {@code
 * replacements[].path}, {@code configMapGenerator[]} and {@code secretGenerator[]} {@code files},
 * {@code envs}, {@code env}, {@code helmCharts[]} {@code repo}, {@code valuesFile}, {@code
 * additionalValuesFiles}, {@code helmGlobals} {@code chartHome}, {@code configHome}. Values that
 * are free-form data ({@code valuesInline}, {@code literals}, labels, patches' text) are not paths
 * and are not read.
 *
 * <p>Single use, not thread-safe.
 */
final class KustomizeInputs {

  /** Reads and parses one file of the revision within the limits, with every node's position. */
  interface FileParser {
    ParsedFile parse(TreeFile file) throws IOException;
  }

  /** What the check found: the paths to materialise, or the first refusal. */
  sealed interface Result permits Inputs, Refused {}

  /**
   * The kustomization directories reached (the start first) and every path of the repository they
   * name: files, and directories to materialise whole.
   */
  record Inputs(Set<String> paths) implements Result {}

  record Refused(RenderProblem problem) implements Result {}

  /** Lists of paths (files or directories). */
  private static final Set<String> REFERENCE_LISTS =
      Set.of(
          "resources",
          "bases",
          "components",
          "crds",
          "configurations",
          "patchesStrategicMerge",
          "paths",
          "additionalValuesFiles",
          "envs",
          "files");

  /** Single paths or URLs. */
  private static final Set<String> REFERENCES =
      Set.of("path", "env", "valuesFile", "chartHome", "configHome", "repo", "chartRepoUrl");

  /** Lists of plugin configurations: paths, directories, or inline YAML. */
  private static final Set<String> PLUGIN_LISTS =
      Set.of("generators", "transformers", "validators");

  /** Mappings, or lists of mappings, whose {@link #REFERENCES} and lists are paths. */
  private static final Set<String> NESTED =
      Set.of(
          "openapi",
          "patches",
          "patchesJson6902",
          "replacements",
          "configMapGenerator",
          "secretGenerator",
          "helmCharts",
          "helmChartInflationGenerator",
          "helmGlobals");

  /** Lists whose entries may be directories holding a kustomization to follow. */
  private static final Set<String> DIRECTORY_LISTS =
      Set.of("resources", "bases", "components", "generators", "transformers", "validators");

  private final ToolRenderer.TreeIndex index;
  private final FileParser parser;
  private final YamlLoader loader;
  private final boolean allowRemote;
  private final ArrayDeque<String> pending = new ArrayDeque<>();
  private final Set<String> visited = new LinkedHashSet<>();
  private final Set<String> named = new LinkedHashSet<>();

  KustomizeInputs(
      ToolRenderer.TreeIndex index, FileParser parser, YamlLoader loader, boolean allowRemote) {
    this.index = index;
    this.parser = parser;
    this.loader = loader;
    this.allowRemote = allowRemote;
  }

  /** Checks everything reachable from the kustomization in {@code directory}. */
  Result check(String directory) throws IOException {
    pending.push(directory);
    while (!pending.isEmpty()) {
      String dir = pending.pop();
      if (!visited.add(dir)) {
        continue;
      }
      Optional<TreeFile> kustomization = kustomizationFile(dir);
      if (kustomization.isEmpty()) {
        continue; // kustomize says what is missing
      }
      TreeFile file = kustomization.get();
      ParsedFile parsed = parser.parse(file);
      if (parsed instanceof ParsedFile.Unloadable u) {
        return new Refused(u.problemIn(file.path()));
      }
      for (YamlDocument document : ((ParsedFile.Documents) parsed).documents()) {
        Optional<RenderProblem> problem =
            scan(new Site(file.path(), document, dir), document.content(), "", "", true);
        if (problem.isPresent()) {
          return new Refused(problem.get());
        }
      }
    }
    Set<String> paths = new LinkedHashSet<>(visited);
    paths.addAll(named);
    return new Inputs(paths);
  }

  /** The kustomization file kustomize reads in {@code dir}, in kustomize's order of names. */
  private Optional<TreeFile> kustomizationFile(String dir) {
    for (String name : List.of("kustomization.yaml", "kustomization.yml", "Kustomization")) {
      TreeFile file = index.file(dir.isEmpty() ? name : dir + "/" + name);
      if (file != null) {
        return Optional.of(file);
      }
    }
    return Optional.empty();
  }

  /** The file and document being scanned, and the directory its paths are relative to. */
  private record Site(String file, YamlDocument document, String baseDir) {}

  /**
   * Scans a mapping's path fields. {@code top} is true for a kustomization or plugin configuration
   * itself, false for an element of a {@link #NESTED} field.
   */
  private Optional<RenderProblem> scan(
      Site site, Map<String, Object> map, String pointer, String field, boolean top)
      throws IOException {
    for (Map.Entry<String, Object> entry : map.entrySet()) {
      String key = entry.getKey();
      String p = pointer + "/" + key.replace("~", "~0").replace("/", "~1");
      String f = field.isEmpty() ? key : field + "." + key;
      Object value = entry.getValue();
      Optional<RenderProblem> problem = Optional.empty();
      if (REFERENCE_LISTS.contains(key) && value instanceof List<?> list) {
        for (int i = 0; i < list.size() && problem.isEmpty(); i++) {
          if (list.get(i) instanceof String s) {
            String path =
                key.equals("files") && s.contains("=") ? s.substring(s.indexOf('=') + 1) : s;
            problem =
                reference(
                    site,
                    path,
                    p + "/" + i,
                    f + "[" + i + "]",
                    top && DIRECTORY_LISTS.contains(key),
                    false);
          }
        }
      } else if (REFERENCES.contains(key) && value instanceof String s) {
        problem = reference(site, s, p, f, false, false);
      } else if (top && PLUGIN_LISTS.contains(key) && value instanceof List<?> list) {
        for (int i = 0; i < list.size() && problem.isEmpty(); i++) {
          if (list.get(i) instanceof String s) {
            problem =
                s.strip().contains("\n")
                    ? inlinePlugin(site, s, p + "/" + i, f + "[" + i + "]")
                    : reference(site, s, p + "/" + i, f + "[" + i + "]", true, true);
          }
        }
      } else if (top && NESTED.contains(key)) {
        if (value instanceof Map<?, ?> nested) {
          problem = scan(site, stringKeys(nested), p, f, false);
        } else if (value instanceof List<?> list) {
          for (int i = 0; i < list.size() && problem.isEmpty(); i++) {
            if (list.get(i) instanceof Map<?, ?> nested) {
              problem = scan(site, stringKeys(nested), p + "/" + i, f + "[" + i + "]", false);
            }
          }
        }
      }
      if (problem.isPresent()) {
        return problem;
      }
    }
    return Optional.empty();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> stringKeys(Map<?, ?> map) {
    return (Map<String, Object>) map; // YamlLoader's mappings have string keys only
  }

  /**
   * Checks one path or URL; follows a directory holding a kustomization when {@code directory}, and
   * reads a plugin configuration file when {@code plugin}.
   */
  private Optional<RenderProblem> reference(
      Site site, String value, String pointer, String field, boolean directory, boolean plugin)
      throws IOException {
    String reference = value.strip();
    if (reference.isEmpty() || reference.contains("\n")) {
      return Optional.empty(); // not a path: an inline patch or kustomize's own error
    }
    Optional<String> local = ToolRenderer.resolve(site.baseDir, reference);
    boolean exists =
        local.isPresent() && (index.isFile(local.get()) || index.isDirectory(local.get()));
    Optional<RemoteSource> remote = RemoteSource.of(reference, exists);
    if (remote.isPresent()) {
      if (!allowRemote) {
        return refuse(
            site,
            pointer,
            field
                + " "
                + remote.get().display()
                + " is remote: Weir renders without network access (vendor it into the"
                + " repository, or let the operator allow remote sources)");
      }
      Optional<String> refusal = remote.get().refusalEvenWhenAllowed();
      return refusal.map(
          why ->
              problem(
                  site,
                  pointer,
                  field
                      + " "
                      + remote.get().display()
                      + " is refused even with remote sources"
                      + " allowed: "
                      + why));
    }
    if (reference.startsWith("/")
        || reference.startsWith("\\")
        || reference.matches("[A-Za-z]:[\\\\/].*")) {
      return refuse(
          site,
          pointer,
          field
              + " "
              + ApplicationReader.printable(reference)
              + " is an absolute path: kustomize may only read files of the repository");
    }
    if (local.isEmpty()) {
      return refuse(
          site,
          pointer,
          field + " " + ApplicationReader.printable(reference) + " is outside the repository");
    }
    String path = local.get();
    if (index.isFile(path) || index.isDirectory(path)) {
      named.add(path);
    }
    if (directory && index.isDirectory(path)) {
      pending.push(path);
    } else if (plugin && index.isFile(path) && Renderer.isManifestFile(path)) {
      TreeFile file = index.file(path);
      ParsedFile parsed = parser.parse(file);
      if (parsed instanceof ParsedFile.Unloadable u) {
        return Optional.of(u.problemIn(path));
      }
      for (YamlDocument document : ((ParsedFile.Documents) parsed).documents()) {
        Optional<RenderProblem> problem =
            scan(new Site(path, document, site.baseDir), document.content(), "", "", true);
        if (problem.isPresent()) {
          return problem;
        }
      }
    }
    return Optional.empty();
  }

  /** A plugin configuration written inline in the kustomization, checked like a file. */
  private Optional<RenderProblem> inlinePlugin(Site site, String text, String pointer, String field)
      throws IOException {
    ParsedFile parsed = loader.parse(text.getBytes(StandardCharsets.UTF_8));
    if (parsed instanceof ParsedFile.Documents documents) {
      for (YamlDocument document : documents.documents()) {
        Optional<RenderProblem> problem = scan(site, document.content(), pointer, field, true);
        if (problem.isPresent()) {
          return problem;
        }
      }
    }
    return Optional.empty(); // kustomize reports an inline configuration it cannot read
  }

  private static Optional<RenderProblem> refuse(Site site, String pointer, String message) {
    return Optional.of(problem(site, pointer, message));
  }

  private static RenderProblem problem(Site site, String pointer, String message) {
    return new RenderProblem(
        site.document.location(site.file, pointer), Reason.UNSAFE_SOURCE, message);
  }
}
