package dev.weir.engine.manifest;

import java.util.Objects;

/**
 * How a {@link Renderer} works: YAML limits, where kustomize and helm are found, and cache sizes.
 * Immutable.
 *
 * @param limits hard limits for every file and every application
 * @param tools how kustomize, kubectl and helm are found and run
 * @param parseCacheBytes the most source bytes whose parses are cached
 * @param toolCacheEntries the most kustomize/helm outputs kept, each reused while no file under its
 *     directory changes
 */
public record RenderOptions(
    YamlLimits limits, ExternalTools tools, long parseCacheBytes, int toolCacheEntries) {

  public RenderOptions {
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(tools, "tools");
    if (parseCacheBytes <= 0 || toolCacheEntries < 0) {
      throw new IllegalArgumentException("cache sizes must be positive");
    }
  }

  /** Default limits, tools on the {@code PATH}, 128 MiB of parses, 64 tool outputs. */
  public static RenderOptions defaults() {
    return new RenderOptions(YamlLimits.DEFAULT, ExternalTools.fromEnvironment(), 128L << 20, 64);
  }

  public RenderOptions withTools(ExternalTools replacement) {
    return new RenderOptions(limits, replacement, parseCacheBytes, toolCacheEntries);
  }

  public RenderOptions withLimits(YamlLimits replacement) {
    return new RenderOptions(replacement, tools, parseCacheBytes, toolCacheEntries);
  }
}
