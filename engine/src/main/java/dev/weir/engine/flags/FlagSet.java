package dev.weir.engine.flags;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.engine.model.SourceLocation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every flag file of one application, valid, and what an in-cluster flagd serves from them: one
 * {@code flagd.json} in a ConfigMap (DESIGN.md: the cluster follows Git like any other object). One
 * file is served as it is, byte for byte; several are merged into one document (flags and {@code
 * $evaluators} side by side), and a flag key defined in two files is a problem naming both.
 * Immutable.
 *
 * @param files the application's flag files in path order
 */
public record FlagSet(List<FlagFile> files) {

  /** The ConfigMap key flagd's file sync reads ({@code --uri file:/etc/flagd/flagd.json}). */
  public static final String CONFIG_MAP_KEY = "flagd.json";

  /** The label that marks a ConfigMap as an application's flags, for flagd and the sandbox. */
  public static final String LABEL = "weir.dev/flagd";

  /** The ConfigMap's name for an application: {@code <app>-flags}. */
  public static String configMapName(String application) {
    return application + "-flags";
  }

  public FlagSet {
    files = List.copyOf(files);
  }

  /** What {@link #load} found: the application's flags, or every problem that stops them. */
  public sealed interface Loaded permits Found, Failed {}

  /** Every flag file validates and every key is defined once. */
  public record Found(FlagSet set) implements Loaded {}

  /** At least one problem; nothing of these flags may reach the cluster. */
  public record Failed(List<FlagProblem> problems) implements Loaded {
    public Failed {
      problems = List.copyOf(problems);
    }
  }

  /**
   * Reads and validates the flag files among {@code files} (any others are skipped) from {@code
   * tree}.
   *
   * @throws IOException when a file cannot be read
   */
  public static Loaded load(
      dev.weir.engine.git.RevisionTree tree, List<dev.weir.engine.git.RevisionTree.TreeFile> files)
      throws java.io.IOException {
    List<FlagFile> valid = new ArrayList<>();
    List<FlagProblem> problems = new ArrayList<>();
    for (var file : files) {
      if (!FlagFile.isFlagFile(file.path())) {
        continue;
      }
      String text = new String(tree.read(file), java.nio.charset.StandardCharsets.UTF_8);
      switch (FlagFile.parse(file.path(), text)) {
        case FlagFile.Valid v -> valid.add(v.file());
        case FlagFile.Invalid i -> problems.addAll(i.problems());
      }
    }
    FlagSet set = new FlagSet(valid);
    problems.addAll(set.duplicates());
    return problems.isEmpty() ? new Found(set) : new Failed(problems);
  }

  /** Reads the flag files under {@code path} (an application's path) at {@code tree}. */
  public static Loaded load(dev.weir.engine.git.RevisionTree tree, String path)
      throws java.io.IOException {
    return load(tree, tree.files(path));
  }

  /** Whether the application has any flag file. */
  public boolean isEmpty() {
    return files.isEmpty();
  }

  /** Every flag in file and key order. */
  public List<FlagDefinition> flags() {
    return files.stream().flatMap(f -> f.flags().stream()).toList();
  }

  /** The file that defines {@code key}. */
  public Optional<FlagFile> fileOf(String key) {
    return files.stream().filter(f -> f.flag(key).isPresent()).findFirst();
  }

  /** The flag {@code key}. */
  public Optional<FlagDefinition> flag(String key) {
    return fileOf(key).flatMap(f -> f.flag(key));
  }

  /** A flag key defined twice, with both places; empty when every key is defined once. */
  public List<FlagProblem> duplicates() {
    Map<String, SourceLocation> first = new LinkedHashMap<>();
    List<FlagProblem> problems = new ArrayList<>();
    for (FlagDefinition flag : flags()) {
      SourceLocation earlier = first.putIfAbsent(flag.key(), flag.location());
      if (earlier != null) {
        problems.add(
            new FlagProblem(
                flag.location(), "flag " + flag.key() + " is defined twice; first at " + earlier));
      }
    }
    return problems;
  }

  /** The {@code flagd.json} flagd serves: the one file's text, or the files merged. */
  public String flagdJson() {
    if (files.size() == 1) {
      return files.getFirst().text();
    }
    ObjectNode merged = FlagFile.JSON.createObjectNode();
    merged.put("$schema", "https://flagd.dev/schema/v0/flags.json");
    ObjectNode flags = merged.putObject("flags");
    ObjectNode evaluators = FlagFile.JSON.createObjectNode();
    for (FlagFile file : files) {
      JsonNode root;
      try {
        root = FlagFile.JSON.readTree(file.text());
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("a valid flag file is JSON", e);
      }
      root.get("flags").properties().forEach(e -> flags.set(e.getKey(), e.getValue()));
      JsonNode own = root.get("$evaluators");
      if (own != null) {
        own.properties().forEach(e -> evaluators.set(e.getKey(), e.getValue()));
      }
    }
    if (!evaluators.isEmpty()) {
      merged.set("$evaluators", evaluators);
    }
    try {
      return FlagFile.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(merged) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
