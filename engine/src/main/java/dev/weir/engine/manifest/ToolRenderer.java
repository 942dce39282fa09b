package dev.weir.engine.manifest;

import dev.weir.engine.git.RevisionTree;
import dev.weir.engine.git.RevisionTree.TreeFile;
import dev.weir.engine.manifest.RenderProblem.Reason;
import dev.weir.engine.model.SourceLocation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Renders a kustomize or helm directory through the real binary: materialises the files it needs
 * into a temporary directory (the same repository-relative layout, so that error messages name
 * repository paths), runs the tool with a time limit, parses its output with the same limits as any
 * file, and deletes the directory. Outputs are cached by the blob ids of every file that was
 * materialised, so a directory re-runs only when something under it changed.
 *
 * <p>For kustomize, the materialised root is the kustomization's directory, widened to the common
 * ancestor of every {@code ../} reference found in it and, recursively, in the kustomizations it
 * refers to (overlays refer to bases beside them).
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

  record Problem(RenderProblem problem) implements Outcome {}

  static final Set<String> KUSTOMIZATION_FILES =
      Set.of("kustomization.yaml", "kustomization.yml", "Kustomization");

  private final ExternalTools tools;
  private final YamlLoader loader;
  private final ParseCache parseCache;
  private final Map<String, Documents> cache;
  private long runs;

  ToolRenderer(ExternalTools tools, YamlLoader loader, ParseCache parseCache, int cacheEntries) {
    this.tools = tools;
    this.loader = loader;
    this.parseCache = parseCache;
    this.cache =
        new LinkedHashMap<>(16, 0.75f, true) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Documents> eldest) {
            return size() > cacheEntries;
          }
        };
  }

  /** How many times a tool was actually run. */
  synchronized long runs() {
    return runs;
  }

  Outcome render(RevisionTree tree, ToolDirectory dir, String releaseName, String namespace) {
    try {
      String root = dir.kind == Kind.KUSTOMIZE ? kustomizeRoot(tree, dir.directory) : dir.directory;
      List<TreeFile> files = tree.files(root);
      List<String> command = new ArrayList<>();
      Optional<Path> binary;
      String label;
      if (dir.kind == Kind.KUSTOMIZE) {
        binary = tools.find("kustomize");
        if (binary.isPresent()) {
          command.addAll(
              List.of(
                  binary.get().toString(), "build", dir.directory.isEmpty() ? "." : dir.directory));
          label = "kustomize build";
        } else {
          binary = tools.find("kubectl");
          if (binary.isEmpty()) {
            return problem(
                dir,
                Reason.TOOL_MISSING,
                "kustomize is not installed: install kustomize, or kubectl (which includes it), on"
                    + " the PATH");
          }
          command.addAll(
              List.of(
                  binary.get().toString(),
                  "kustomize",
                  dir.directory.isEmpty() ? "." : dir.directory));
          label = "kubectl kustomize";
        }
      } else {
        binary = tools.find("helm");
        if (binary.isEmpty()) {
          return problem(
              dir,
              Reason.TOOL_MISSING,
              "helm is not installed: install helm 3 (https://helm.sh) on the PATH");
        }
        command.addAll(
            List.of(
                binary.get().toString(),
                "template",
                releaseName,
                dir.directory.isEmpty() ? "." : dir.directory));
        if (!namespace.isEmpty()) {
          command.addAll(List.of("--namespace", namespace));
        }
        command.add("--include-crds");
        label = "helm template";
      }
      String key = cacheKey(dir, releaseName, namespace, label, root, files);
      synchronized (this) {
        Documents cached = cache.get(key);
        if (cached != null) {
          return cached;
        }
      }
      Outcome outcome = run(tree, dir, files, command, label);
      if (outcome instanceof Documents documents) {
        synchronized (this) {
          cache.put(key, documents);
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

  private Outcome run(
      RevisionTree tree,
      ToolDirectory dir,
      List<TreeFile> files,
      List<String> command,
      String label)
      throws IOException {
    Path work = Files.createTempDirectory(tools.tempRoot(), "weir-render-");
    try {
      for (TreeFile file : files) {
        Path target = work.resolve(file.path()).normalize();
        if (!target.startsWith(work)) {
          continue; // a path that would escape the work directory; Git forbids it anyway
        }
        Files.createDirectories(target.getParent());
        Files.write(target, tree.read(file));
      }
      ExternalTools.Output output;
      synchronized (this) {
        runs++;
      }
      try {
        output = tools.run(command, work, loader.limits().maxTotalBytes());
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

  /**
   * The smallest directory holding {@code directory} and everything its kustomization refers to
   * with {@code ../}, following referenced kustomizations.
   */
  private String kustomizeRoot(RevisionTree tree, String directory) throws IOException {
    String root = directory;
    Set<String> visited = new HashSet<>();
    ArrayDeque<String> pending = new ArrayDeque<>(List.of(directory));
    while (!pending.isEmpty()) {
      String dir = pending.pop();
      if (!visited.add(dir)) {
        continue;
      }
      Optional<TreeFile> kustomization = kustomizationFile(tree, dir);
      if (kustomization.isEmpty()) {
        continue;
      }
      TreeFile file = kustomization.get();
      ParsedFile parsed =
          parseCache.get(file.blobId(), file.size(), () -> loader.parse(tree.read(file)));
      if (!(parsed instanceof ParsedFile.Documents documents)) {
        continue; // kustomize itself will report it
      }
      List<String> references = new ArrayList<>();
      documents.documents().forEach(d -> collectParentReferences(d.content(), references));
      for (String reference : references) {
        Optional<String> resolved = resolve(dir, reference);
        if (resolved.isEmpty()) {
          continue;
        }
        root = commonAncestor(root, resolved.get());
        pending.push(resolved.get());
      }
    }
    return root;
  }

  private static Optional<TreeFile> kustomizationFile(RevisionTree tree, String dir)
      throws IOException {
    return tree.files(dir).stream()
        .filter(
            f -> KUSTOMIZATION_FILES.contains(f.path().substring(f.path().lastIndexOf('/') + 1)))
        .filter(f -> parentOf(f.path()).equals(dir))
        .findFirst();
  }

  private static void collectParentReferences(Object node, List<String> out) {
    switch (node) {
      case Map<?, ?> map -> map.values().forEach(v -> collectParentReferences(v, out));
      case List<?> list -> list.forEach(v -> collectParentReferences(v, out));
      case String s -> {
        String value = s.contains("=../") ? s.substring(s.indexOf('=') + 1) : s;
        if (value.startsWith("../") && !value.contains("\n")) {
          out.add(value);
        }
      }
      case null, default -> {}
    }
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

  static String commonAncestor(String a, String b) {
    String[] x = a.isEmpty() ? new String[0] : a.split("/");
    String[] y = b.isEmpty() ? new String[0] : b.split("/");
    List<String> common = new ArrayList<>();
    for (int i = 0; i < Math.min(x.length, y.length) && x[i].equals(y[i]); i++) {
      common.add(x[i]);
    }
    return String.join("/", common);
  }

  static String parentOf(String path) {
    int slash = path.lastIndexOf('/');
    return slash < 0 ? "" : path.substring(0, slash);
  }

  private static String cacheKey(
      ToolDirectory dir,
      String releaseName,
      String namespace,
      String label,
      String root,
      List<TreeFile> files) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (String part :
          List.of(dir.kind.name(), dir.directory, releaseName, namespace, label, root)) {
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
    String cleaned = text.replace(work.toString() + "/", "").replace(work.toString(), ".");
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
