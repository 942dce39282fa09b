package dev.weir.engine.manifest;

import java.util.Objects;

/**
 * How a {@link Renderer} works: YAML limits, where kustomize and helm are found, cache sizes, and
 * whether they may fetch remote sources. Immutable.
 *
 * @param limits hard limits for every file and every application, and for what the tools read and
 *     print
 * @param tools how kustomize, kubectl and helm are found and run
 * @param parseCacheBytes the most source bytes whose parses are cached
 * @param toolCacheEntries the most kustomize/helm outputs kept, each reused while no file under its
 *     directory changes
 * @param allowRemoteSources whether kustomize may fetch remote bases and resources and helm remote
 *     chart dependencies; off by default, and link-local and cloud metadata addresses and {@code
 *     file://} sources stay refused even when on
 */
public record RenderOptions(
    YamlLimits limits,
    ExternalTools tools,
    long parseCacheBytes,
    int toolCacheEntries,
    boolean allowRemoteSources) {

  public RenderOptions {
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(tools, "tools");
    if (parseCacheBytes <= 0 || toolCacheEntries < 0) {
      throw new IllegalArgumentException("cache sizes must be positive");
    }
  }

  /**
   * Default limits, tools on the {@code PATH}, 128 MiB of parses, 64 tool outputs, no remote
   * sources.
   */
  public static RenderOptions defaults() {
    return new RenderOptions(
        YamlLimits.DEFAULT, ExternalTools.fromEnvironment(), 128L << 20, 64, false);
  }

  public RenderOptions withTools(ExternalTools replacement) {
    return new RenderOptions(
        limits, replacement, parseCacheBytes, toolCacheEntries, allowRemoteSources);
  }

  public RenderOptions withLimits(YamlLimits replacement) {
    return new RenderOptions(
        replacement, tools, parseCacheBytes, toolCacheEntries, allowRemoteSources);
  }

  public RenderOptions withRemoteSources(boolean allowed) {
    return new RenderOptions(limits, tools, parseCacheBytes, toolCacheEntries, allowed);
  }
}
