package dev.weir.engine.manifest;

import dev.weir.engine.model.KustomizeOptions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The edits Argo CD makes to the kustomization in an application's path before building it
 * (https://argo-cd.readthedocs.io/en/stable/user-guide/kustomize/): Argo runs {@code kustomize edit
 * set nameprefix}, {@code set namesuffix}, {@code set namespace}, {@code set image}, {@code set
 * replicas}, {@code add label}, {@code add annotation}, and appends {@code patches}. Weir makes the
 * same changes to the parsed kustomization and writes the result over its own copy of the file in
 * the render's work directory; the repository is never written. Stateless.
 *
 * <p>So a {@code namePrefix} replaces the kustomization's own (as {@code kustomize edit set
 * nameprefix} does), rather than adding to it as an overlay around the path would.
 */
final class KustomizeEdit {

  private KustomizeEdit() {}

  /** Why an edit cannot be made, as {@code kustomize edit} would refuse it. */
  static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;

    Refused(String message) {
      super(message);
    }
  }

  private static final Pattern TAG = Pattern.compile("^(.*):([a-zA-Z0-9._-]*|\\*)$");

  /**
   * The {@code images} entry {@code kustomize edit set image} makes of {@code argument}: {@code
   * name:tag}, {@code name@digest}, or {@code name=newName}, {@code name=newName:tag}, {@code
   * name=newName@digest}; empty when kustomize would refuse it.
   */
  static Optional<Map<String, Object>> image(String argument) {
    String[] sides = argument.split("=", -1);
    Map<String, Object> entry = new LinkedHashMap<>();
    String overwrite;
    if (sides.length == 2) {
      entry.put("name", sides[0]);
      overwrite = sides[1];
    } else if (sides.length == 1) {
      overwrite = argument;
    } else {
      return Optional.empty();
    }
    String name;
    int at = overwrite.indexOf('@');
    Matcher tag = TAG.matcher(overwrite);
    if (at >= 0) {
      name = overwrite.substring(0, at);
      entry.put(sides.length == 2 ? "newName" : "name", name);
      entry.put("digest", overwrite.substring(at + 1).split("@", -1)[0]);
    } else if (tag.matches()) {
      name = tag.group(1);
      entry.put(sides.length == 2 ? "newName" : "name", name);
      entry.put("newTag", tag.group(2));
    } else if (sides.length == 2 && !overwrite.isEmpty()) {
      name = overwrite;
      entry.put("newName", name);
    } else {
      return Optional.empty();
    }
    if (String.valueOf(entry.get("name")).isEmpty()) {
      return Optional.empty();
    }
    entry.values().removeIf(v -> v instanceof String s && s.isEmpty());
    return Optional.of(entry);
  }

  /**
   * {@code kustomization} (one parsed kustomization document) with {@code options} set on it, as
   * YAML.
   *
   * @throws Refused when a common label or annotation is the kustomization's own already and
   *     {@code force} is not set, as {@code kustomize edit add label} refuses it
   */
  static String edit(Map<String, Object> kustomization, KustomizeOptions options, String file)
      throws Refused {
    Map<String, Object> k = copy(kustomization);
    if (!options.namePrefix().isEmpty()) {
      k.put("namePrefix", options.namePrefix());
    }
    if (!options.nameSuffix().isEmpty()) {
      k.put("nameSuffix", options.nameSuffix());
    }
    if (!options.images().isEmpty()) {
      Map<String, Map<String, Object>> byName = new LinkedHashMap<>();
      for (Object entry : list(k.get("images"))) {
        if (entry instanceof Map<?, ?> m) {
          byName.put(String.valueOf(m.get("name")), copy(m));
        }
      }
      for (String argument : options.images()) {
        Map<String, Object> entry = image(argument).orElseThrow(); // checked when read
        byName.put(String.valueOf(entry.get("name")), entry);
      }
      List<Map<String, Object>> images = new ArrayList<>(byName.values());
      images.sort(Comparator.comparing(m -> String.valueOf(m.get("name"))));
      k.put("images", images);
    }
    if (!options.replicas().isEmpty()) {
      Map<String, Map<String, Object>> byName = new LinkedHashMap<>();
      for (Object entry : list(k.get("replicas"))) {
        if (entry instanceof Map<?, ?> m) {
          byName.put(String.valueOf(m.get("name")), copy(m));
        }
      }
      for (KustomizeOptions.Replica replica : options.replicas()) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("name", replica.name());
        entry.put("count", replica.count());
        byName.put(replica.name(), entry);
      }
      k.put("replicas", new ArrayList<>(byName.values()));
    }
    add(k, "commonLabels", "label", options.commonLabels(), options.forceCommonLabels(), file);
    add(
        k,
        "commonAnnotations",
        "annotation",
        options.commonAnnotations(),
        options.forceCommonAnnotations(),
        file);
    if (!options.namespace().isEmpty()) {
      k.put("namespace", options.namespace());
    }
    if (!options.patches().isEmpty()) {
      List<Object> patches = new ArrayList<>(list(k.get("patches")));
      options.patches().forEach(p -> patches.add(copy(p)));
      k.put("patches", patches);
    }
    DumperOptions dump = new DumperOptions();
    dump.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    dump.setSplitLines(false);
    return new Yaml(dump).dump(k);
  }

  private static void add(
      Map<String, Object> k,
      String field,
      String word,
      Map<String, String> given,
      boolean force,
      String file)
      throws Refused {
    if (given.isEmpty()) {
      return;
    }
    Map<String, Object> merged =
        k.get(field) instanceof Map<?, ?> m ? copy(m) : new LinkedHashMap<>();
    for (var entry : given.entrySet()) {
      if (merged.containsKey(entry.getKey()) && !force) {
        throw new Refused(
            "spec.source.kustomize."
                + field
                + " "
                + ApplicationReader.printable(entry.getKey())
                + ": "
                + file
                + " has this "
                + word
                + " already; Argo CD refuses to replace it unless spec.source.kustomize.force"
                + Character.toUpperCase(field.charAt(0))
                + field.substring(1)
                + " is true");
      }
      merged.put(entry.getKey(), entry.getValue());
    }
    k.put(field, merged);
  }

  private static List<?> list(Object value) {
    return value instanceof List<?> l ? l : List.of();
  }

  /** A mutable deep copy with string keys, as SnakeYAML dumps it back. */
  private static Map<String, Object> copy(Map<?, ?> map) {
    Map<String, Object> out = new LinkedHashMap<>();
    map.forEach((key, value) -> out.put(String.valueOf(key), copyValue(value)));
    return out;
  }

  private static Object copyValue(Object value) {
    if (value instanceof Map<?, ?> m) {
      return copy(m);
    }
    if (value instanceof List<?> l) {
      List<Object> out = new ArrayList<>(l.size());
      l.forEach(v -> out.add(copyValue(v)));
      return out;
    }
    return value;
  }
}
