package dev.weir.engine.manifest;

import dev.weir.engine.flags.FlagFile;
import dev.weir.engine.flags.FlagSet;
import dev.weir.engine.git.RevisionTree;
import dev.weir.engine.git.RevisionTree.TreeFile;
import dev.weir.engine.manifest.RenderProblem.Reason;
import dev.weir.engine.manifest.ToolRenderer.Kind;
import dev.weir.engine.manifest.ToolRenderer.SourcedDocument;
import dev.weir.engine.manifest.ToolRenderer.ToolDirectory;
import dev.weir.engine.model.Application;
import dev.weir.engine.model.DesiredState;
import dev.weir.engine.model.KustomizeOptions;
import dev.weir.engine.model.Manifest;
import dev.weir.engine.model.ResourceKey;
import dev.weir.engine.model.SourceLocation;
import dev.weir.engine.model.SyncPolicy;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Renders every application of a revision: finds the {@code weir.dev} Application documents
 * anywhere in the repository, then renders each application's path into its {@link DesiredState}.
 *
 * <p>Design note. An application's path is walked recursively: {@code *.yaml}, {@code *.yml} and
 * {@code *.json} files are read as manifests (multi-document files, {@code kind: List} flattened);
 * the topmost directories holding a kustomization or a {@code Chart.yaml} are rendered by kustomize
 * or helm instead, and nothing under them is also read as a plain file. {@code weir.dev} kinds are
 * never resources: Applications are skipped, the others (Rollout, AnalysisTemplate …) go to {@link
 * DesiredState#configuration()}. Namespaced objects without a namespace get the application's
 * destination namespace.
 *
 * <p>Three caches make a re-render after a fetch cost about the changed files only: parsed files by
 * blob id ({@link ParseCache}), tool outputs by the blob ids of every file the tool saw, and per
 * application the manifests built from each unchanged (path, blob) pair.
 *
 * <p>Safety: a render with any problem yields {@link RenderResult.Failed} and no partial desired
 * state; the application keeps its last good desired state ({@link
 * RenderedApplication#lastGood()}). An application whose definition file breaks keeps its last
 * definition and last good state, with the error, rather than vanishing.
 *
 * <p>Thread-safe: {@link #render} runs one render at a time; results are immutable.
 */
public final class Renderer {

  private static final Comparator<RenderProblem> FILE_ORDER =
      Comparator.comparing((RenderProblem p) -> p.location().file())
          .thenComparingInt(p -> p.location().line())
          .thenComparingInt(p -> p.location().column());

  private final YamlLimits limits;
  private final YamlLoader loader;
  private final ParseCache parseCache;
  private final ToolRenderer toolRenderer;
  private final Map<String, Application> knownApplications = new HashMap<>();
  private final Map<String, DesiredState> lastGood = new HashMap<>();
  private final Map<String, ApplicationMemo> memos = new HashMap<>();
  private ToolRenderer.TreeIndex index;
  private String indexRevision;

  /**
   * How a repository problem about a file no application renders begins: that file was only
   * searched for Applications, so it stops none.
   */
  public static final String COULD_NOT_LOOK = "could not look for Applications: ";

  public Renderer(RenderOptions options) {
    Objects.requireNonNull(options, "options");
    this.limits = options.limits();
    this.loader = new YamlLoader(limits);
    this.parseCache = new ParseCache(options.parseCacheBytes());
    this.toolRenderer =
        new ToolRenderer(
            options.tools(),
            loader,
            parseCache,
            options.toolCacheEntries(),
            options.allowRemoteSources());
  }

  /**
   * Makes every renderer of this process share kustomize and helm outputs (the newest {@code
   * entries}), for a long-lived process that renders for many short commands ({@code weir sandbox
   * serve}, decision 0014): each command's renderer is new, so its own cache never hit and every
   * status ran the tools again. As exact as one renderer's cache: the key is the command and the
   * blob id of every file the tool saw. Renderers allowing remote sources keep their own. {@code 0}
   * stops sharing.
   */
  public static void shareToolOutputs(int entries) {
    ToolRenderer.share(entries);
  }

  /** A renderer with {@link RenderOptions#defaults()}. */
  public Renderer() {
    this(RenderOptions.defaults());
  }

  /** What the parse cache did so far. */
  public ParseCache.Stats parseStats() {
    return parseCache.stats();
  }

  /** How many times kustomize or helm actually ran. */
  public long toolRuns() {
    return toolRenderer.runs();
  }

  /**
   * Renders every application of {@code tree}, keeping for each the last good desired state of
   * earlier calls. Never throws for bad repository content; a tree that cannot be listed at all is
   * a repository problem.
   */
  public synchronized RepositoryRender render(RevisionTree tree) {
    String revision = tree.revision();
    List<TreeFile> files;
    try {
      files = tree.files("");
    } catch (IOException e) {
      RenderProblem problem =
          new RenderProblem(
              SourceLocation.ofFile("."),
              Reason.READ_FAILED,
              "could not list the files: " + e.getMessage());
      return retainAll(revision, problem);
    }
    Discovery discovery = discover(tree, files);

    List<RenderedApplication> rendered = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (Application app : discovery.applications.values()) {
      names.add(app.name());
      RenderProblem duplicate = discovery.duplicates.get(app.name());
      RenderResult result =
          duplicate != null
              ? new RenderResult.Failed(revision, List.of(duplicate))
              : renderApplication(tree, revision, app, files);
      rendered.add(record(app, result));
    }
    // Applications whose definition is there but wrong fail to load, under their last good
    // definition if there was one; they never render.
    for (var failed : discovery.unloadable.entrySet()) {
      if (names.add(failed.getKey())) {
        Application app =
            knownApplications.getOrDefault(
                failed.getKey(), failed.getValue().getFirst().definition());
        List<RenderProblem> causes =
            failed.getValue().stream().map(UnloadableApplication::problem).toList();
        rendered.add(record(app, new RenderResult.Failed(revision, causes)));
      }
    }
    // Applications whose definition could not be read this time keep their place and last good
    // state.
    for (Application previous : knownApplications.values()) {
      if (names.contains(previous.name())) {
        continue;
      }
      List<RenderProblem> causes =
          discovery.problems.stream()
              .filter(p -> p.location().file().equals(previous.source().file()))
              .toList();
      if (!causes.isEmpty()) {
        names.add(previous.name());
        rendered.add(record(previous, new RenderResult.Failed(revision, causes)));
      }
    }
    knownApplications.keySet().retainAll(names);
    lastGood.keySet().retainAll(names);
    memos.keySet().retainAll(names);
    for (RenderedApplication app : rendered) {
      knownApplications.put(app.name(), app.application());
    }
    rendered.sort(Comparator.comparing(RenderedApplication::name));
    List<RenderProblem> problems = new ArrayList<>(discovery.problems);
    problems.sort(FILE_ORDER);
    return new RepositoryRender(revision, rendered, problems);
  }

  private RepositoryRender retainAll(String revision, RenderProblem problem) {
    List<RenderedApplication> rendered = new ArrayList<>();
    for (Application app : knownApplications.values()) {
      rendered.add(
          new RenderedApplication(
              app,
              new RenderResult.Failed(revision, List.of(problem)),
              Optional.ofNullable(lastGood.get(app.name()))));
    }
    rendered.sort(Comparator.comparing(RenderedApplication::name));
    return new RepositoryRender(revision, rendered, List.of(problem));
  }

  private RenderedApplication record(Application app, RenderResult result) {
    if (result instanceof RenderResult.Rendered r) {
      lastGood.put(app.name(), r.state());
    }
    return new RenderedApplication(app, result, Optional.ofNullable(lastGood.get(app.name())));
  }

  // ---------------------------------------------------------------------------------------------
  // Discovery

  private record Discovery(
      Map<String, Application> applications,
      Map<String, RenderProblem> duplicates,
      Map<String, List<UnloadableApplication>> unloadable,
      List<RenderProblem> problems) {}

  /**
   * An Application document with a name but a definition that cannot be read: {@code definition}
   * stands for it (no path, manual sync) so that it is listed, failing to load, rather than
   * missing.
   */
  private record UnloadableApplication(Application definition, RenderProblem problem) {

    static UnloadableApplication of(String name, SourceLocation at, RenderProblem problem) {
      return new UnloadableApplication(
          new Application(name, "", "", "", SyncPolicy.MANUAL, List.of(), at), problem);
    }
  }

  private Discovery discover(RevisionTree tree, List<TreeFile> files) {
    Set<String> chartDirectories = new HashSet<>();
    for (TreeFile file : files) {
      if (fileName(file.path()).equals("Chart.yaml")) {
        chartDirectories.add(ToolRenderer.parentOf(file.path()));
      }
    }
    Map<String, Application> applications = new LinkedHashMap<>();
    Map<String, RenderProblem> duplicates = new HashMap<>();
    Map<String, List<UnloadableApplication>> unloadable = new TreeMap<>();
    List<RenderProblem> problems = new ArrayList<>();
    List<RenderProblem> unreadable = new ArrayList<>();
    for (TreeFile file : files) {
      if (!isManifestFile(file.path()) || isUnder(file.path(), chartDirectories)) {
        continue; // chart templates are not YAML until helm renders them
      }
      ParsedFile parsed;
      try {
        parsed = parse(tree, file);
      } catch (IOException e) {
        unreadable.add(readProblem(file, e));
        continue;
      }
      if (parsed instanceof ParsedFile.Unloadable u) {
        if (u.reason() != Reason.INVALID_OBJECT) {
          unreadable.add(u.problemIn(file.path()));
        }
        continue;
      }
      for (YamlDocument document : ((ParsedFile.Documents) parsed).documents()) {
        if (!ApplicationReader.isApplication(document)) {
          continue;
        }
        Application app;
        try {
          app = ApplicationReader.read(file.path(), document, tree.repositoryUrls());
        } catch (ManifestException e) {
          problems.add(e.problem());
          String name = ApplicationReader.nameOf(document);
          if (name != null) {
            String shown = ApplicationReader.printable(name);
            unloadable
                .computeIfAbsent(shown, n -> new ArrayList<>())
                .add(UnloadableApplication.of(shown, document.location(file.path()), e.problem()));
          }
          continue;
        }
        Application first = applications.putIfAbsent(app.name(), app);
        if (first != null) {
          RenderProblem duplicate =
              new RenderProblem(
                  app.source(),
                  Reason.DUPLICATE,
                  "application " + app.name() + " is defined twice; first at " + first.source());
          problems.add(duplicate);
          duplicates.putIfAbsent(app.name(), duplicate);
        }
      }
    }
    // A file that cannot be parsed is the repository's problem unless an application renders it
    // (then that application reports it).
    for (RenderProblem problem : unreadable) {
      String file = problem.location().file();
      boolean rendered =
          applications.values().stream()
              .anyMatch(a -> a.sourceSpec().servable() && isInside(file, a.path()));
      if (!rendered) {
        problems.add(
            new RenderProblem(
                problem.location(),
                problem.reason(),
                COULD_NOT_LOOK + problem.message()));
      }
    }
    // A name with a good and a bad definition is ambiguous, as with two good ones.
    unloadable.forEach(
        (name, bad) -> {
          if (applications.containsKey(name)) {
            duplicates.putIfAbsent(name, bad.getFirst().problem());
          }
        });
    return new Discovery(applications, duplicates, unloadable, problems);
  }

  // ---------------------------------------------------------------------------------------------
  // One application

  /** What one plain file gave for one application; reused while its blob and the context stay. */
  private record FileOutput(
      String blobId, List<Manifest> manifests, List<RenderProblem> problems) {}

  /** Per-application memo of file outputs, valid for one destination namespace and scope. */
  private record ApplicationMemo(
      String namespace, ResourceScope scope, Map<String, FileOutput> files) {}

  private RenderResult renderApplication(
      RevisionTree tree, String revision, Application app, List<TreeFile> all) {
    if (!app.sourceSpec().servable()) {
      return new RenderResult.Failed(
          revision,
          List.of(
              new RenderProblem(
                  app.source(),
                  Reason.UNSERVABLE_SOURCE,
                  "application " + app.name() + " is not served by Weir: "
                      + app.sourceSpec().refusal())));
    }
    List<TreeFile> files = all.stream().filter(f -> isInside(f.path(), app.path())).toList();
    if (!app.sourceSpec().recurse()
        && toolDirectories(files).stream().noneMatch(d -> d.directory().equals(app.path()))) {
      // Argo CD reads a directory's own files only, unless source.directory.recurse
      files = files.stream().filter(f -> ToolRenderer.parentOf(f.path()).equals(app.path())).toList();
    }
    if (files.isEmpty()) {
      return new RenderResult.Failed(
          revision,
          List.of(
              new RenderProblem(
                  app.source(),
                  Reason.PATH_NOT_FOUND,
                  "application "
                      + app.name()
                      + ": path "
                      + (app.path().isEmpty() ? "." : app.path())
                      + " holds no files at this revision")));
    }
    List<ToolDirectory> toolDirectories = toolDirectories(files);
    Set<String> toolPaths = new HashSet<>();
    toolDirectories.forEach(d -> toolPaths.add(d.directory()));

    List<RenderProblem> problems = new ArrayList<>();
    if (!app.sourceSpec().kustomize().isEmpty()
        && toolDirectories.stream()
            .noneMatch(d -> d.kind() == Kind.KUSTOMIZE && d.directory().equals(app.path()))) {
      // Argo CD runs kustomize edit in the path, which fails without a kustomization
      problems.add(
          new RenderProblem(
              app.source(),
              Reason.INVALID_APPLICATION,
              "application "
                  + app.name()
                  + ": spec.source.kustomize is set but "
                  + (app.path().isEmpty() ? "." : app.path())
                  + " holds no kustomization.yaml"));
    }
    Optional<Manifest> flags = flagsConfigMap(tree, app, files, problems);
    long bytes = 0;
    // Pass 1: documents of every plain file and tool directory.
    Map<String, List<SourcedDocument>> plainDocuments = new LinkedHashMap<>();
    Map<String, TreeFile> plainFiles = new HashMap<>();
    for (TreeFile file : files) {
      if (!isManifestFile(file.path())
          || isUnder(file.path(), toolPaths)
          || file.path().endsWith(".flagd.json")) {
        continue;
      }
      bytes += file.size();
      ParsedFile parsed;
      try {
        parsed = parse(tree, file);
      } catch (IOException e) {
        problems.add(readProblem(file, e));
        continue;
      }
      if (parsed instanceof ParsedFile.Unloadable u) {
        problems.add(u.problemIn(file.path()));
        continue;
      }
      List<SourcedDocument> documents = new ArrayList<>();
      for (YamlDocument document : ((ParsedFile.Documents) parsed).documents()) {
        documents.add(new SourcedDocument(document, file.path(), true));
      }
      plainDocuments.put(file.path(), documents);
      plainFiles.put(file.path(), file);
    }
    Map<ToolDirectory, List<SourcedDocument>> toolDocuments = new LinkedHashMap<>();
    for (ToolDirectory dir : toolDirectories) {
      switch (toolRenderer.render(
          tree,
          index(revision, all),
          dir,
          app.name(),
          app.namespace(),
          app.sourceSpec().helm(),
          dir.directory().equals(app.path())
              ? app.sourceSpec().kustomize()
              : KustomizeOptions.NONE)) {
        case ToolRenderer.Documents d -> {
          toolDocuments.put(dir, d.documents());
          bytes += d.bytes();
        }
        case ToolRenderer.Problem p -> problems.add(p.problem());
      }
    }
    if (bytes > limits.maxTotalBytes()) {
      problems.add(
          new RenderProblem(
              app.source(),
              Reason.LIMIT,
              "application "
                  + app.name()
                  + " renders "
                  + bytes
                  + " bytes, over the limit of "
                  + limits.maxTotalBytes()));
    }
    if (!problems.isEmpty()) {
      problems.sort(FILE_ORDER);
      return new RenderResult.Failed(revision, problems);
    }

    // Pass 2: manifests, reusing per-file results while the blob, namespace and scope are the same.
    ResourceScope scope = scopeOf(plainDocuments.values(), toolDocuments.values());
    ApplicationMemo memo = memos.get(app.name());
    if (memo == null || !memo.namespace.equals(app.namespace()) || !memo.scope.equals(scope)) {
      memo = new ApplicationMemo(app.namespace(), scope, new HashMap<>());
    }
    Map<String, FileOutput> nextFiles = new HashMap<>();
    List<Manifest> manifests = new ArrayList<>();
    for (var entry : plainDocuments.entrySet()) {
      TreeFile file = plainFiles.get(entry.getKey());
      FileOutput output = memo.files.get(file.path());
      if (output == null || !output.blobId.equals(file.blobId())) {
        List<Manifest> out = new ArrayList<>();
        List<RenderProblem> fileProblems = new ArrayList<>();
        for (SourcedDocument document : entry.getValue()) {
          ManifestBuilder.build(document, app, scope, out, fileProblems);
        }
        output = new FileOutput(file.blobId(), List.copyOf(out), List.copyOf(fileProblems));
      }
      nextFiles.put(file.path(), output);
      manifests.addAll(output.manifests);
      problems.addAll(output.problems);
    }
    for (List<SourcedDocument> documents : toolDocuments.values()) {
      for (SourcedDocument document : documents) {
        ManifestBuilder.build(document, app, scope, manifests, problems);
      }
    }
    memos.put(app.name(), new ApplicationMemo(app.namespace(), scope, nextFiles));
    flags.ifPresent(manifests::add);

    TreeMap<ResourceKey, Manifest> resources = new TreeMap<>();
    List<Manifest> configuration = new ArrayList<>();
    List<Manifest> hooks = new ArrayList<>();
    Map<ResourceKey, SourceLocation> configurationSeen = new HashMap<>();
    Map<ResourceKey, SourceLocation> hooksSeen = new HashMap<>();
    for (Manifest manifest : manifests) {
      SourceLocation firstAt;
      Object hook = manifest.annotations().get(ManifestBuilder.HOOK_ANNOTATION);
      if (hook != null && String.valueOf(hook).strip().equals("Skip")) {
        continue; // argocd.argoproj.io/hook: Skip — never applied
      }
      if (hook != null) {
        firstAt = hooksSeen.putIfAbsent(manifest.key(), manifest.source());
        if (firstAt == null) {
          hooks.add(manifest);
        }
      } else if (ArgoRolloutWorkloads.isConfiguration(manifest.key())) {
        firstAt = configurationSeen.putIfAbsent(manifest.key(), manifest.source());
        if (firstAt == null) {
          configuration.add(manifest);
        }
      } else {
        Manifest first = resources.putIfAbsent(manifest.key(), manifest);
        firstAt = first == null ? null : first.source();
      }
      if (firstAt != null) {
        problems.add(
            new RenderProblem(
                manifest.source(),
                Reason.DUPLICATE,
                describe(manifest.key()) + " is defined twice; first at " + firstAt));
      }
    }
    ArgoRolloutWorkloads.apply(configuration, resources, problems);
    if (!problems.isEmpty()) {
      problems.sort(FILE_ORDER);
      return new RenderResult.Failed(revision, problems);
    }
    return new RenderResult.Rendered(
        new DesiredState(app, revision, resources, configuration, hooks));
  }

  /**
   * The application's flag files as the ConfigMap an in-cluster flagd serves ({@code flagd.json},
   * labelled {@code weir.dev/flagd}), so the cluster follows Git's flags like any other object and
   * drift on them is drift. A flag file that does not validate is a problem of the render: nothing
   * of the application is applied, as with any bad file. Empty without flag files.
   */
  private static Optional<Manifest> flagsConfigMap(
      RevisionTree tree, Application app, List<TreeFile> files, List<RenderProblem> problems) {
    List<TreeFile> flagFiles = files.stream().filter(f -> FlagFile.isFlagFile(f.path())).toList();
    if (flagFiles.isEmpty()) {
      return Optional.empty();
    }
    FlagSet set;
    try {
      switch (FlagSet.load(tree, flagFiles)) {
        case FlagSet.Found found -> set = found.set();
        case FlagSet.Failed failed -> {
          failed.problems().forEach(
              p -> problems.add(new RenderProblem(p.location(), Reason.INVALID_FLAGS, p.message())));
          return Optional.empty();
        }
      }
    } catch (IOException e) {
      problems.add(
          new RenderProblem(
              SourceLocation.ofFile(flagFiles.getFirst().path()),
              Reason.READ_FAILED,
              "could not read the flag files: " + e.getMessage()));
      return Optional.empty();
    }
    String name = FlagSet.configMapName(app.name());
    Map<String, Object> labels = new LinkedHashMap<>();
    labels.put(FlagSet.LABEL, "true");
    labels.put("app.kubernetes.io/component", "flagd-flags");
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("name", name);
    metadata.put("namespace", app.namespace());
    metadata.put("labels", labels);
    Map<String, Object> object = new LinkedHashMap<>();
    object.put("apiVersion", "v1");
    object.put("kind", "ConfigMap");
    object.put("metadata", metadata);
    object.put("data", Map.of(FlagSet.CONFIG_MAP_KEY, set.flagdJson()));
    return Optional.of(
        new Manifest(
            new ResourceKey("", "ConfigMap", app.namespace(), name),
            "v1",
            object,
            SourceLocation.ofFile(flagFiles.getFirst().path())));
  }

  /** {@code Deployment shop/web}, or {@code Namespace shop} for a cluster-scoped object. */
  static String describe(ResourceKey key) {
    return key.kind()
        + " "
        + (key.namespace().isEmpty() ? key.name() : key.namespace() + "/" + key.name());
  }

  /** Cluster-scoped custom kinds declared by CRDs among the documents. */
  private static ResourceScope scopeOf(
      Iterable<List<SourcedDocument>> plain, Iterable<List<SourcedDocument>> fromTools) {
    Set<String> kinds = new HashSet<>();
    for (Iterable<List<SourcedDocument>> group : List.of(plain, fromTools)) {
      for (List<SourcedDocument> documents : group) {
        for (SourcedDocument document : documents) {
          ManifestBuilder.clusterScopedKindDeclared(document.document().content())
              .ifPresent(kinds::add);
        }
      }
    }
    return kinds.isEmpty() ? ResourceScope.BUILT_IN_ONLY : new ResourceScope(kinds);
  }

  /**
   * The topmost directories holding a kustomization or a Chart.yaml (kustomize wins in one
   * directory).
   */
  private static List<ToolDirectory> toolDirectories(List<TreeFile> files) {
    TreeMap<String, ToolDirectory> found = new TreeMap<>();
    for (TreeFile file : files) {
      String name = fileName(file.path());
      String dir = ToolRenderer.parentOf(file.path());
      if (ToolRenderer.KUSTOMIZATION_FILES.contains(name)) {
        ToolDirectory existing = found.get(dir);
        if (existing == null || existing.kind() == Kind.HELM) {
          found.put(dir, new ToolDirectory(Kind.KUSTOMIZE, dir, file.path()));
        }
      } else if (name.equals("Chart.yaml")) {
        found.putIfAbsent(dir, new ToolDirectory(Kind.HELM, dir, file.path()));
      }
    }
    List<ToolDirectory> topmost = new ArrayList<>();
    Set<String> taken = new HashSet<>();
    for (ToolDirectory dir : found.values()) { // path order: a parent comes before its children
      if (!isUnder(dir.directory() + "/x", taken)) {
        topmost.add(dir);
        taken.add(dir.directory());
      }
    }
    return topmost;
  }

  /** Every path of the revision, built once per revision and only when a tool runs. */
  private ToolRenderer.TreeIndex index(String revision, List<TreeFile> all) {
    if (!revision.equals(indexRevision)) {
      index = ToolRenderer.TreeIndex.of(all);
      indexRevision = revision;
    }
    return index;
  }

  private ParsedFile parse(RevisionTree tree, TreeFile file) throws IOException {
    if (file.size() > limits.maxFileBytes()) {
      return ParsedFile.Unloadable.overLimit(file.size(), limits.maxFileBytes());
    }
    YamlLoader.Syntax syntax = YamlLoader.Syntax.of(file.path());
    String key = syntax == YamlLoader.Syntax.JSON ? file.blobId() + ":json" : file.blobId();
    return parseCache.get(key, file.size(), () -> loader.parse(tree.read(file), syntax));
  }

  private static RenderProblem readProblem(TreeFile file, IOException e) {
    return new RenderProblem(
        SourceLocation.ofFile(file.path()),
        Reason.READ_FAILED,
        "could not read the file: " + e.getMessage());
  }

  static boolean isManifestFile(String path) {
    String lower = path.toLowerCase(Locale.ROOT);
    return lower.endsWith(".yaml") || lower.endsWith(".yml") || lower.endsWith(".json");
  }

  private static String fileName(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  /** Whether {@code path} is {@code directory} or inside it ("" holds everything). */
  static boolean isInside(String path, String directory) {
    return directory.isEmpty() || path.equals(directory) || path.startsWith(directory + "/");
  }

  /** Whether {@code path} is strictly inside one of {@code directories}. */
  private static boolean isUnder(String path, Set<String> directories) {
    if (directories.isEmpty()) {
      return false;
    }
    if (directories.contains("")) {
      return true;
    }
    int slash = path.indexOf('/');
    while (slash >= 0) {
      if (directories.contains(path.substring(0, slash))) {
        return true;
      }
      slash = path.indexOf('/', slash + 1);
    }
    return false;
  }
}
