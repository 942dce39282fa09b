package dev.weir.engine.diff;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which lists are maps keyed by a field, as server-side apply's {@code listMapKeys} make them:
 * {@code containers}, {@code initContainers}, {@code ephemeralContainers}, {@code volumes}, {@code
 * imagePullSecrets}, {@code env} by {@code name}; {@code volumeMounts} by {@code mountPath}; {@code
 * volumeDevices} by {@code devicePath}; container {@code ports} by {@code containerPort}, Service
 * {@code ports} by {@code port}; {@code hostAliases} by {@code ip}; {@code conditions} by {@code
 * type}; {@code topologySpreadConstraints} by {@code topologyKey}. Any other list of maps that all
 * have a distinct {@code name} is keyed by {@code name}; every other list is compared as a whole.
 */
final class ListKeys {
  private static final Map<String, List<String>> KNOWN =
      Map.ofEntries(
          Map.entry("containers", List.of("name")),
          Map.entry("initContainers", List.of("name")),
          Map.entry("ephemeralContainers", List.of("name")),
          Map.entry("volumes", List.of("name")),
          Map.entry("imagePullSecrets", List.of("name")),
          Map.entry("env", List.of("name")),
          Map.entry("volumeMounts", List.of("mountPath")),
          Map.entry("volumeDevices", List.of("devicePath")),
          Map.entry("ports", List.of("containerPort", "port", "name")),
          Map.entry("hostAliases", List.of("ip")),
          Map.entry("conditions", List.of("type")),
          Map.entry("topologySpreadConstraints", List.of("topologyKey")));

  private ListKeys() {}

  /** The key field of the list {@code field}, given both sides' items; null when not keyed. */
  static String keyOf(String field, List<?> git, List<?> live) {
    for (String candidate : KNOWN.getOrDefault(field, List.of("name"))) {
      if (keyedBy(candidate, git) && keyedBy(candidate, live)) {
        return candidate;
      }
    }
    return null;
  }

  private static boolean keyedBy(String key, List<?> items) {
    if (items == null) {
      return true;
    }
    Set<Object> seen = new HashSet<>();
    for (Object item : items) {
      if (!(item instanceof Map<?, ?> map) || map.get(key) == null || !seen.add(map.get(key))) {
        return false;
      }
    }
    return true;
  }
}
