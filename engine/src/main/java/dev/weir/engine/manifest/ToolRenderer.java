package dev.weir.engine.manifest;

import dev.weir.engine.git.RevisionTree;
import dev.weir.engine.git.RevisionTree.TreeFile;
import dev.weir.engine.manifest.RenderProblem.Reason;
import dev.weir.engine.model.HelmValues;
import dev.weir.engine.model.KustomizeOptions;
import dev.weir.engine.model.SourceLocation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Renders a kustomize or helm directory through the real binary: checks everything the tool would
 * read, materialises the files it needs into a temporary directory (the same repository-relative
 * layout, so that error messages name repository paths), runs the tool with a time limit in an
 * isolated environment, parses its output with the same limits as any file, and deletes the
 * directory. Outputs are cached by the command and the blob ids of every file that was
 * materialised, so a directory re-runs only when something under it changed.
 *
 * <p>Design note: the repository is hostile until proven otherwise. A tool gets no argument the
 * repository controls except the validated release name and namespace and the directory, as {@code
 * ./path} after {@code --}. Kustomize runs with {@code --load-restrictor=LoadRestrictionsRootOnly}
 * and without plugins, exec functions or helm; {@link KustomizeInputs} refuses remote, absolute and
 * outside references in every kustomization it reaches before the tool runs. helm runs {@code
 * template} without post-renderers, value files or {@code --set-file}; a chart dependency that
 * would be fetched is refused unless the operator allows remote sources. Every materialised file is
 * within {@link YamlLimits#maxFileBytes()} and all of them within {@link
 * YamlLimits#maxTotalBytes()}, checked from the tree's sizes before anything is read. Symbolic
 * links are not in a {@link RevisionTree}, so none is materialised.
 *
 * <p>Thread-safe for the cache; the {@link Renderer} calls it from one thread at a time.
 */
final class ToolRenderer {

  /** Which tool renders a directory. */
  enum Kind {
    KUSTOMIZE,
    HELM
  }

  /** A directory rendered by a tool; {@code marker} is its kustomization or Chart.yaml file. */
  record ToolDirectory(Kind kind, String directory, String marker) {}

  /**
   * A document with the file its objects are attributed to; positions are meaningful only in files.
   */
  record SourcedDocument(YamlDocument document, String file, boolean positionsInFile) {
    SourceLocation location(String pointer) {
      return positionsInFile ? document.location(file, pointer) : SourceLocation.ofFile(file);
    }
  }

  /** What a tool directory gave: documents, or one problem. */
  sealed interface Outcome permits Documents, Problem {}

  record Documents(List<SourcedDocument> documents, long bytes) implements Outcome {}

  record Problem(RenderProblem problem) implements Outcome, Planned {}

  static final Set<String> KUSTOMIZATION_FILES =
      Set.of("kustomization.yaml", "kustomization.yml", "Kustomization");

  /** Every file of one revision by path, and every directory holding one. Immutable. */
  record TreeIndex(NavigableMap<String, TreeFile> files, Set<String> directories) {

    static TreeIndex of(List<TreeFile> all) {
      TreeMap<String, TreeFile> files = new TreeMap<>();
      Set<String> directories = new HashSet<>();
      directories.add("");
      for (TreeFile file : all) {
        files.put(file.path(), file);
        String dir = parentOf(file.path());
        while (directories.add(dir)) { // "" is in already: every ancestor, once
          dir = parentOf(dir);
        }
      }
      return new TreeIndex(Collections.unmodifiableNavigableMap(files), Set.copyOf(directories));
    }

    TreeFile file(String path) {
      return files.get(path);
    }

    boolean isFile(String path) {
      return files.containsKey(path);
    }

    boolean isDirectory(String path) {
      return directories.contains(path);
    }

    /** The files under {@code directory}, recursively ("" for all). */
    Collection<TreeFile> under(String directory) {
      return directory.isEmpty()
          ? files.values()
          : files.subMap(directory + "/", true, directory + "0", false).values();
    }
  }

  /** How one directory is to be rendered, or why it is not. */
  private sealed interface Planned permits Plan, Problem {}

  /**
   * How one directory is to be rendered: the arguments after the tool's command ({@code kustomize
   * build}, {@code kubectl kustomize}, {@code helm template}) and the paths to materialise (a
   * directory with everything under it).
   */
  private record Plan(
      List<String> arguments,
      Set<String> paths,
      List<String> generatedValues,
      Map<String, String> rewritten)
      implements Planned {
    Plan(List<String> arguments, Set<String> paths) {
      this(arguments, paths, List.of(), Map.of());
    }
  }

  private final ExternalTools tools;
  private final YamlLoader loader;
  private final ParseCache parseCache;
  private final boolean allowRemote;
  private final Map<String, Documents> cache;
  private long runs;

  ToolRenderer(
      ExternalTools tools,
      YamlLoader loader,
      ParseCache parseCache,
      int cacheEntries,
      boolean allowRemote) {
    this.tools = tools;
    this.loader = loader;
    this.parseCache = parseCache;
    this.allowRemote = allowRemote;
    this.cache = lru(cacheEntries);
  }

  /**
   * Tool outputs shared by every renderer of this process, or null: each renderer keeps its own.
   * See {@link Renderer#shareToolOutputs(int)}.
   */
  private static volatile Map<String, Documents> shared;

  static void share(int entries) {
    shared = entries > 0 ? lru(entries) : null;
  }

  /**
   * Where this renderer keeps tool outputs: the process's shared map when there is one, unless
   * remote sources are allowed (their content is not in the key).
   */
  private Map<String, Documents> outputs() {
    Map<String, Documents> outputs = shared;
    return outputs != null && !allowRemote ? outputs : cache;
  }

  private static Map<String, Documents> lru(int entries) {
    return new LinkedHashMap<>(16, 0.75f, true) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Documents> eldest) {
        return size() > entries;
      }
    };
  }

  /** How many times a tool was actually run. */
  synchronized long runs() {
    return runs;
  }

  Outcome render(
      RevisionTree tree, TreeIndex index, ToolDirectory dir, String releaseName, String namespace) {
    return render(
        tree, index, dir, releaseName, namespace, HelmValues.NONE, KustomizeOptions.NONE);
  }

  /**
   * Renders {@code dir}; a chart gets {@code values} (an Argo CD Application's {@code
   * source.helm}): its value files of the repository as {@code --values=./path} after they were
   * checked to be files of the repository, its inline values and parameters as values files Weir
   * writes into the run's own directory, never as {@code --set} (decision 0011). A kustomization
   * gets {@code kustomize} (an Argo CD Application's {@code source.kustomize}) as Argo CD's {@code
   * kustomize edit} would set it, on Weir's copy of the file in the run's directory (decision 0038).
   */
  Outcome render(
      RevisionTree tree,
      TreeIndex index,
      ToolDirectory dir,
      String releaseName,
      String namespace,
      HelmValues values,
      KustomizeOptions kustomize) {
    // ApplicationReader refuses these; checked again here because they reach a command line.
    if (!ApplicationReader.isName(releaseName)
        || (!namespace.isEmpty() && !ApplicationReader.isLabel(namespace))) {
      return problem(
          dir,
          Reason.INVALID_APPLICATION,
          "refusing to run a tool for the application "
              + ApplicationReader.printable(releaseName)
              + " with the namespace "
              + ApplicationReader.printable(namespace));
    }
    try {
      Planned planned =
          dir.kind == Kind.KUSTOMIZE
              ? planKustomize(tree, index, dir, kustomize)
              : planHelm(tree, index, dir, releaseName, namespace, values);
      if (!(planned instanceof Plan plan)) {
        return (Problem) planned;
      }
      TreeMap<String, TreeFile> needed = new TreeMap<>();
      for (String path : plan.paths) {
        if (index.isFile(path)) {
          needed.put(path, index.file(path));
        } else {
          index.under(path).forEach(f -> needed.put(f.path(), f));
        }
      }
      List<TreeFile> files = List.copyOf(needed.values());
      YamlLimits limits = loader.limits();
      long total = 0;
      for (TreeFile file : files) {
        if (file.size() > limits.maxFileBytes()) {
          return new Problem(
              ParsedFile.Unloadable.overLimit(file.size(), limits.maxFileBytes())
                  .problemIn(file.path()));
        }
        total += file.size();
      }
      if (total > limits.maxTotalBytes()) {
        return problem(
            dir,
            Reason.LIMIT,
            (dir.kind == Kind.HELM ? "helm" : "kustomize")
                + " would read "
                + total
                + " bytes under "
                + display(dir.directory)
                + ", over the limit of "
                + limits.maxTotalBytes()
                + " bytes");
      }

      Optional<Tool> tool = tool(dir.kind);
      if (tool.isEmpty()) {
        return problem(
            dir,
            Reason.TOOL_MISSING,
            dir.kind == Kind.HELM
                ? "helm is not installed: install helm 3 (https://helm.sh) on the PATH"
                : "kustomize is not installed: install kustomize, or kubectl (which includes it),"
                    + " on the PATH");
      }
      List<String> command = new ArrayList<>(tool.get().command);
      command.addAll(plan.arguments);
      String label = tool.get().label;
      List<String> generated = plan.generatedValues;
      List<String> rewritten = new ArrayList<>();
      plan.rewritten.forEach((path, text) -> rewritten.addAll(List.of(path, text)));
      String key =
          cacheKey(command, files)
              + (generated.isEmpty() ? "" : cacheKey(generated, List.of()))
              + (rewritten.isEmpty() ? "" : cacheKey(rewritten, List.of()));
      Map<String, Documents> outputs = outputs();
      synchronized (outputs) {
        Documents cached = outputs.get(key);
        if (cached != null) {
          return cached;
        }
      }
      Outcome outcome = run(tree, dir, files, command, label, generated, plan.rewritten);
      if (outcome instanceof Documents documents) {
        synchronized (outputs) {
          outputs.put(key, documents);
        }
      }
      return outcome;
    } catch (IOException e) {
      return problem(
          dir,
          Reason.READ_FAILED,
          "could not read the files of " + display(dir.directory) + ": " + e.getMessage());
    }
  }

  /** The command of a tool before its arguments, and how messages name it. */
  private record Tool(List<String> command, String label) {}

  /** {@code helm template}, {@code kustomize build}, or else {@code kubectl kustomize}. */
  private Optional<Tool> tool(Kind kind) {
    if (kind == Kind.HELM) {
      return tools
          .find("helm")
          .map(helm -> new Tool(List.of(helm.toString(), "template"), "helm template"));
    }
    Optional<Path> kustomize = tools.find("kustomize");
    if (kustomize.isPresent()) {
      return Optional.of(new Tool(List.of(kustomize.get().toString(), "build"), "kustomize build"));
    }
    return tools
        .find("kubectl")
        .map(kubectl -> new Tool(List.of(kubectl.toString(), "kustomize"), "kubectl kustomize"));
  }

  /** {@code ./apps/web} for {@code apps/web}, {@code .} for the root: never read as a flag. */
  private static String relative(String directory) {
    return directory.isEmpty() ? "." : "./" + directory;
  }

  /**
   * {@code kustomize build --load-restrictor=LoadRestrictionsRootOnly -- ./dir} over the
   * kustomization directories it reaches, or the problem of the first unsafe reference. kustomize's
   * plugins, exec functions and helm stay off, as they are by default.
   */
  private Planned planKustomize(
      RevisionTree tree, TreeIndex index, ToolDirectory dir, KustomizeOptions kustomize)
      throws IOException {
    KustomizeInputs.Result checked =
        new KustomizeInputs(index, file -> parseWithPositions(tree, file), loader, allowRemote)
            .check(dir.directory);
    if (checked instanceof KustomizeInputs.Refused refused) {
      return new Problem(refused.problem());
    }
    Set<String> paths = ((KustomizeInputs.Inputs) checked).paths();
    List<String> arguments =
        List.of("--load-restrictor=LoadRestrictionsRootOnly", "--", relative(dir.directory));
    if (kustomize.isEmpty()) {
      return new Plan(arguments, paths);
    }
    // Argo CD's kustomize edit, on the copy this run materialises (decision 0038)
    TreeFile file = index.file(dir.marker);
    ParsedFile parsed = parseWithPositions(tree, file);
    if (parsed instanceof ParsedFile.Unloadable u) {
      return new Problem(u.problemIn(file.path()));
    }
    List<YamlDocument> documents = ((ParsedFile.Documents) parsed).documents();
    try {
      String edited =
          KustomizeEdit.edit(
              documents.isEmpty() ? Map.of() : documents.getFirst().content(),
              kustomize,
              file.path());
      return new Plan(arguments, paths, List.of(), Map.of(file.path(), edited));
    } catch (KustomizeEdit.Refused e) {
      return problem(dir, Reason.INVALID_APPLICATION, e.getMessage());
    }
  }

  /**
   * {@code helm template --namespace=NS --include-crds -- RELEASE ./dir}, with {@code
   * --dependency-update} only when remote sources are allowed and a dependency is not vendored; or
   * the problem of a dependency that helm must not fetch.
   */
  private Planned planHelm(
      RevisionTree tree,
      TreeIndex index,
      ToolDirectory dir,
      String releaseName,
      String namespace,
      HelmValues values)
      throws IOException {
    Set<String> directories = new LinkedHashSet<>(List.of(dir.directory));
    boolean update = false;
    for (String name : List.of("Chart.yaml", "requirements.yaml")) {
      TreeFile file = index.file(dir.directory.isEmpty() ? name : dir.directory + "/" + name);
      if (file == null) {
        continue;
      }
      ParsedFile parsed = parseWithPositions(tree, file);
      if (parsed instanceof ParsedFile.Unloadable u) {
        return new Problem(u.problemIn(file.path()));
      }
      for (YamlDocument document : ((ParsedFile.Documents) parsed).documents()) {
        if (!(document.content().get("dependencies") instanceof List<?> dependencies)) {
          continue;
        }
        for (int i = 0; i < dependencies.size(); i++) {
          if (!(dependencies.get(i) instanceof Map<?, ?> dependency)
              || !(dependency.get("repository") instanceof String repository)
              || repository.isBlank()) {
            continue; // vendored in charts/, or helm's own error
          }
          String pointer = "/dependencies/" + i + "/repository";
          String field = "dependencies[" + i + "].repository";
          SourceLocation at = document.location(file.path(), pointer);
          String chart = dependency.get("name") instanceof String s ? s : "";
          if (repository.startsWith("file://")) {
            String path = repository.substring("file://".length());
            Optional<String> local = resolve(dir.directory, path);
            if (path.startsWith("/") || local.isEmpty()) {
              return unsafe(
                  at,
                  field
                      + " "
                      + ApplicationReader.printable(repository)
                      + " is outside the repository");
            }
            directories.add(local.get());
            update |= !vendored(index, dir.directory, chart);
            continue;
          }
          boolean vendored = vendored(index, dir.directory, chart);
          Optional<RemoteSource> remote = RemoteSource.of(repository, false);
          String shown =
              remote.map(RemoteSource::display).orElse(ApplicationReader.printable(repository));
          if (!allowRemote) {
            if (vendored) {
              continue; // helm template does not fetch what charts/ holds
            }
            return unsafe(
                at,
                field
                    + " "
                    + shown
                    + " is remote and "
                    + (chart.isEmpty() ? "the chart" : chart)
                    + " is not vendored in charts/: Weir renders without network access (run helm"
                    + " dependency build and commit charts/, or let the operator allow remote"
                    + " sources)");
          }
          if (remote.isEmpty()) {
            if (vendored) {
              continue;
            }
            return unsafe(
                at,
                field
                    + " "
                    + shown
                    + " names a repository of helm's configuration, which Weir does not use:"
                    + " give its URL");
          }
          Optional<String> refusal = remote.get().refusalEvenWhenAllowed();
          if (refusal.isPresent()) {
            return unsafe(
                at,
                field
                    + " "
                    + shown
                    + " is refused even with remote sources allowed: "
                    + refusal.get());
          }
          update |= !vendored;
        }
      }
    }
    List<String> arguments = new ArrayList<>();
    if (!namespace.isEmpty()) {
      arguments.add("--namespace=" + namespace);
    }
    arguments.add("--include-crds");
    if (update && allowRemote) {
      arguments.add("--dependency-update");
    }
    for (String valueFile : values.valueFiles()) {
      String path = HelmValueFiles.resolve(dir.directory, valueFile);
      if (path == null || !index.isFile(path)) {
        return new Problem(
            new RenderProblem(
                SourceLocation.ofFile(dir.marker),
                Reason.UNSAFE_SOURCE,
                "spec.source.helm.valueFiles "
                    + ApplicationReader.printable(valueFile)
                    + (path == null
                        ? " leaves the repository"
                        : " is not a file of this repository at this revision")));
      }
      directories.add(path);
      arguments.add("--values=" + relative(path));
    }
    List<String> generated = HelmValueFiles.generated(values);
    arguments.addAll(List.of("--", releaseName, relative(dir.directory)));
    return new Plan(arguments, directories, generated, Map.of());
  }

  /** Whether {@code charts/} of the chart holds {@code chart}, as a directory or an archive. */
  private static boolean vendored(TreeIndex index, String chartDirectory, String chart) {
    if (chart.isEmpty()) {
      return false;
    }
    String charts = chartDirectory.isEmpty() ? "charts" : chartDirectory + "/charts";
    if (index.isFile(charts + "/" + chart + "/Chart.yaml")) {
      return true;
    }
    return index.under(charts).stream()
        .map(f -> f.path().substring(charts.length() + 1))
        .anyMatch(p -> p.startsWith(chart + "-") && p.endsWith(".tgz") && !p.contains("/"));
  }

  private static Problem unsafe(SourceLocation at, String message) {
    return new Problem(new RenderProblem(at, Reason.UNSAFE_SOURCE, message));
  }

  /** A file Weir reads itself to check a tool's inputs: within the size limit, every position. */
  private ParsedFile parseWithPositions(RevisionTree tree, TreeFile file) throws IOException {
    if (file.size() > loader.limits().maxFileBytes()) {
      return ParsedFile.Unloadable.overLimit(file.size(), loader.limits().maxFileBytes());
    }
    YamlLoader.Syntax syntax = YamlLoader.Syntax.of(file.path());
    return parseCache.get(
        file.blobId() + ":positions:" + syntax,
        file.size(),
        () -> loader.parseWithPositions(tree.read(file), syntax));
  }

  private Outcome run(
      RevisionTree tree,
      ToolDirectory dir,
      List<TreeFile> files,
      List<String> given,
      String label,
      List<String> generatedValues,
      Map<String, String> rewritten)
      throws IOException {
    Path work = Files.createTempDirectory(tools.tempRoot(), "weir-render-");
    try {
      List<String> command = new ArrayList<>(given);
      if (!generatedValues.isEmpty()) {
        // beside repo/, so no file of the repository can stand for them
        Path valuesDirectory = Files.createDirectory(work.resolve("values"));
        int end = command.indexOf("--");
        for (int i = 0; i < generatedValues.size(); i++) {
          Path file = valuesDirectory.resolve("values-" + i + ".yaml");
          Files.writeString(file, generatedValues.get(i), StandardCharsets.UTF_8);
          command.add(end + i, "--values=" + file.toAbsolutePath());
        }
      }
      Path repository = Files.createDirectory(work.resolve("repo"));
      Path home = Files.createDirectory(work.resolve("home"));
      Path tmp = Files.createDirectory(work.resolve("tmp"));
      for (TreeFile file : files) {
        Path target = repository.resolve(file.path()).normalize();
        if (!target.startsWith(repository)
            || Arrays.stream(file.path().split("/")).anyMatch(s -> s.equalsIgnoreCase(".git"))) {
          // A path escaping the work directory, or Git configuration a tool's git could read:
          // Git refuses both in a checkout, a crafted tree may still hold them.
          continue;
        }
        Files.createDirectories(target.getParent());
        String edited = rewritten.get(file.path());
        Files.write(
            target,
            edited == null ? tree.read(file) : edited.getBytes(StandardCharsets.UTF_8));
      }
      ExternalTools.Output output;
      synchronized (this) {
        runs++;
      }
      try {
        output =
            tools.run(
                command,
                repository,
                tools.isolatedEnvironment(home, tmp, allowRemote),
                loader.limits().maxTotalBytes());
      } catch (ExternalTools.TimedOut e) {
        return problem(
            dir,
            Reason.TOOL_TIMEOUT,
            label
                + " "
                + display(dir.directory)
                + " did not finish within "
                + humane(tools.timeout()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return problem(
            dir, Reason.TOOL_TIMEOUT, label + " " + display(dir.directory) + " was interrupted");
      } catch (IOException e) {
        return problem(
            dir,
            Reason.TOOL_FAILED,
            label + " " + display(dir.directory) + " failed: " + oneLine(e.getMessage(), work));
      }
      if (output.exitCode() != 0) {
        String reason = oneLine(output.stderr(), work);
        return problem(
            dir,
            Reason.TOOL_FAILED,
            label
                + " "
                + display(dir.directory)
                + " failed: "
                + (reason.isEmpty() ? "exit code " + output.exitCode() : reason));
      }
      return parseOutput(dir, output.stdout(), label);
    } finally {
      deleteRecursively(work);
    }
  }

  private Outcome parseOutput(ToolDirectory dir, byte[] stdout, String label) {
    ParsedFile parsed =
        new YamlLoader(loader.limits().withMaxFileBytes(loader.limits().maxTotalBytes()))
            .parse(stdout);
    if (parsed instanceof ParsedFile.Unloadable u) {
      return problem(
          dir,
          u.reason(),
          label
              + " "
              + display(dir.directory)
              + " printed invalid YAML at line "
              + u.line()
              + ": "
              + u.message());
    }
    List<YamlDocument> documents = ((ParsedFile.Documents) parsed).documents();
    List<SourcedDocument> out = new ArrayList<>(documents.size());
    TreeMap<Integer, String> helmSources =
        dir.kind == Kind.HELM ? helmSources(dir, stdout) : new TreeMap<>();
    for (YamlDocument document : documents) {
      var source = helmSources.floorEntry(document.line());
      out.add(
          new SourcedDocument(document, source == null ? dir.marker : source.getValue(), false));
    }
    return new Documents(out, stdout.length);
  }

  /**
   * Lines of helm's {@code # Source: chart/templates/x.yaml} comments, mapped to repository paths.
   */
  private static TreeMap<Integer, String> helmSources(ToolDirectory dir, byte[] stdout) {
    TreeMap<Integer, String> sources = new TreeMap<>();
    String[] lines = new String(stdout, StandardCharsets.UTF_8).split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.startsWith("# Source: ")) {
        String chartPath = line.substring("# Source: ".length()).strip();
        int slash = chartPath.indexOf('/');
        String inChart = slash < 0 ? chartPath : chartPath.substring(slash + 1);
        sources.put(i + 1, dir.directory.isEmpty() ? inChart : dir.directory + "/" + inChart);
      }
    }
    return sources;
  }

  /** {@code dir/reference} normalised, or empty when it leaves the repository. */
  static Optional<String> resolve(String dir, String reference) {
    List<String> parts = new ArrayList<>(dir.isEmpty() ? List.of() : List.of(dir.split("/")));
    for (String part : reference.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        if (parts.isEmpty()) {
          return Optional.empty();
        }
        parts.remove(parts.size() - 1);
      } else {
        parts.add(part);
      }
    }
    return Optional.of(String.join("/", parts));
  }

  static String parentOf(String path) {
    int slash = path.lastIndexOf('/');
    return slash < 0 ? "" : path.substring(0, slash);
  }

  private static String cacheKey(List<String> command, List<TreeFile> files) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (String part : command) {
        digest.update(part.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
      }
      for (TreeFile file : files) {
        digest.update(file.path().getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
        digest.update(file.blobId().getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  private static Problem problem(ToolDirectory dir, Reason reason, String message) {
    return new Problem(new RenderProblem(SourceLocation.ofFile(dir.marker), reason, message));
  }

  /** {@code 300ms}, {@code 45s}, {@code 2m}, {@code 90s}. */
  static String humane(java.time.Duration duration) {
    if (duration.toMillis() < 1000) {
      return duration.toMillis() + "ms";
    }
    long seconds = duration.toSeconds();
    return seconds % 60 == 0 ? seconds / 60 + "m" : seconds + "s";
  }

  private static String display(String directory) {
    return directory.isEmpty() ? "." : directory;
  }

  /**
   * The tool's error output on one line, with the work directory's paths made repository-relative.
   */
  private static final java.util.regex.Pattern KLOG_FAILURE =
      java.util.regex.Pattern.compile(
          "^[IWEF]\\d{4} [\\d:.]+ +\\d+ [^ \\]]+\\] \"command failed\" err=\"(.*)\"$");

  static String oneLine(String text, Path work) {
    if (text == null) {
      return "";
    }
    Path repository = work.resolve("repo");
    String cleaned =
        text.replace(repository + "/", "")
            .replace(repository.toString(), ".")
            .replace(work + "/", "")
            .replace(work.toString(), ".");
    cleaned = cleaned.strip().replaceAll("\\s+", " ");
    // kubectl logs through klog: E1126 05:29:27.713471 30810 run.go:72] "command failed" err="…"
    var klog = KLOG_FAILURE.matcher(cleaned);
    if (klog.matches()) {
      cleaned = klog.group(1).replace("\\\"", "\"");
    }
    if (cleaned.startsWith("Error: ")) {
      cleaned = cleaned.substring("Error: ".length());
    }
    return cleaned.length() <= 400 ? cleaned : cleaned.substring(0, 400) + "…";
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // Best effort: a leftover temporary directory is not worth failing a render for.
    }
  }
}
