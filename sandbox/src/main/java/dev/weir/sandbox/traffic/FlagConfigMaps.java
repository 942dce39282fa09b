package dev.weir.sandbox.traffic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.openfeature.contrib.providers.flagd.resolver.process.model.FeatureFlag;
import dev.weir.sandbox.SandboxAnnotations;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The flags a namespace's in-cluster flagd would serve: the {@code flagd.json} of every ConfigMap
 * labelled {@value #LABEL}{@code : "true"} (as Weir's renderer makes them from an application's
 * flag files), and what they make of a pod whose {@value SandboxAnnotations#FLAG} names one of
 * their flags — the pod's requests split over the flag's variants ({@link VariantSplit}), each
 * variant behaving as {@value SandboxAnnotations#VARIANT_PROFILES} says.
 *
 * <p>A pod naming a flag no such ConfigMap defines (not synced yet, a typo), a flags ConfigMap that
 * flagd would not load, and a variant profile that cannot be read are reported once each and
 * leave the pod's own behaviour. Immutable.
 */
final class FlagConfigMaps {
  /** The label of a ConfigMap an in-cluster flagd serves (the engine's renderer sets it). */
  static final String LABEL = "weir.dev/flagd";

  /** The ConfigMap key holding flagd's flag definitions. */
  static final String KEY = "flagd.json";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> PROFILE_KEYS =
      Set.of("error-rate", "latency-p50", "latency-spread", "conversion-rate");

  private final String namespace;
  private final Consumer<String> problems;
  private final Map<String, String> texts = new TreeMap<>(); // ConfigMap name → flagd.json

  FlagConfigMaps(String namespace, List<? extends JsonNode> configMaps, Consumer<String> problems) {
    this.namespace = namespace;
    this.problems = problems;
    for (JsonNode configMap : configMaps) {
      if (!"true".equals(configMap.path("metadata").path("labels").path(LABEL).asText())) {
        continue;
      }
      String name = configMap.path("metadata").path("name").asText();
      JsonNode text = configMap.path("data").path(KEY);
      if (!text.isTextual() || VariantSplit.flags(text.asText()) == null) {
        problems.accept(
            "ConfigMap "
                + namespace
                + "/"
                + name
                + ": "
                + KEY
                + " is missing or flagd would not load it; its flags split no traffic");
        continue;
      }
      texts.put(name, text.asText());
    }
  }

  /**
   * How the flag a pod names splits its requests, each variant with its behaviour; empty when the
   * pod names no flag or the flag cannot be found (said once for the namespace, not per pod).
   *
   * @param podProblems where a variant profile the pod's annotations get wrong is reported
   */
  List<Endpoint.VariantBehaviour> variants(
      Map<String, String> annotations, VersionProfile own, Consumer<String> podProblems) {
    String flag = annotations.get(SandboxAnnotations.FLAG);
    if (flag == null || flag.isBlank()) {
      return List.of();
    }
    flag = flag.trim();
    List<String> serving = new ArrayList<>();
    for (var e : texts.entrySet()) {
      if (VariantSplit.flags(e.getValue()).containsKey(flag)) {
        serving.add(e.getKey());
      }
    }
    if (serving.isEmpty()) {
      problems.accept(
          SandboxAnnotations.FLAG
              + ": no flags ConfigMap in "
              + namespace
              + " (label "
              + LABEL
              + ": \"true\") defines flag '"
              + flag
              + "'; its requests keep the pod's own behaviour");
      return List.of();
    }
    if (serving.size() > 1) {
      problems.accept(
          SandboxAnnotations.FLAG
              + ": flag '"
              + flag
              + "' is defined by ConfigMaps "
              + String.join(", ", serving)
              + "; "
              + serving.getFirst()
              + " is used");
    }
    String text = texts.get(serving.getFirst());
    FeatureFlag definition = VariantSplit.flags(text).get(flag);
    Map<String, VersionProfile> profiles =
        profiles(annotations, definition, flag, podProblems);
    VariantSplit split = VariantSplit.of(text, flag);
    List<Endpoint.VariantBehaviour> out = new ArrayList<>();
    split
        .shares()
        .forEach(
            (variant, share) ->
                out.add(
                    new Endpoint.VariantBehaviour(
                        variant, share, profiles.getOrDefault(variant, own))));
    if (split.fallback() > 0) {
      out.add(new Endpoint.VariantBehaviour("", split.fallback(), own));
    }
    return out;
  }

  /** Each variant's behaviour from {@value SandboxAnnotations#VARIANT_PROFILES}. */
  private static Map<String, VersionProfile> profiles(
      Map<String, String> annotations,
      FeatureFlag definition,
      String flag,
      Consumer<String> problems) {
    Map<String, VersionProfile> profiles = new LinkedHashMap<>();
    String text = annotations.get(SandboxAnnotations.VARIANT_PROFILES);
    if (text == null || text.isBlank()) {
      return profiles;
    }
    String where = SandboxAnnotations.VARIANT_PROFILES + ": ";
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      problems.accept(where + "not JSON: " + e.getOriginalMessage());
      return profiles;
    }
    if (!root.isObject()) {
      problems.accept(where + "not a JSON object of variants");
      return profiles;
    }
    for (var variant : root.properties()) {
      String name = variant.getKey();
      if (!definition.getVariants().containsKey(name)) {
        problems.accept(
            where
                + "'"
                + name
                + "' is not a variant of flag "
                + flag
                + " (variants: "
                + String.join(", ", definition.getVariants().keySet())
                + ")");
        continue;
      }
      if (!variant.getValue().isObject()) {
        problems.accept(where + name + ": not an object of error-rate, latency-p50 …");
        continue;
      }
      Map<String, String> merged = new LinkedHashMap<>(annotations);
      for (var field : variant.getValue().properties()) {
        if (!PROFILE_KEYS.contains(field.getKey())) {
          problems.accept(
              where
                  + name
                  + ": unknown key '"
                  + field.getKey()
                  + "' (known: conversion-rate, error-rate, latency-p50, latency-spread)");
          continue;
        }
        merged.put(SandboxAnnotations.PREFIX + field.getKey(), field.getValue().asText());
      }
      profiles.put(
          name, VersionProfile.from(merged, p -> problems.accept(where + name + ": " + p)));
    }
    return profiles;
  }
}
