package dev.weir.engine.manifest;

/**
 * Hard limits for loading YAML and JSON, so that a hostile or broken file fails fast with a clear
 * message instead of exhausting memory or time. Immutable.
 *
 * @param maxFileBytes largest file read at all
 * @param maxDocumentsPerFile most {@code ---} documents in one file
 * @param maxDocumentCodePoints largest single document, in characters
 * @param maxAliasesForCollections most aliases ({@code *name}) to mappings or sequences per file
 * @param maxNestingDepth deepest nesting of mappings and sequences
 * @param maxAliasExpansion most nodes that aliases may expand to in one document (a scalar counts
 *     one per 64 characters), which stops "billion laughs" built from few aliases
 * @param maxTotalBytes most bytes, files and tool output together, that one application may render
 */
public record YamlLimits(
    long maxFileBytes,
    int maxDocumentsPerFile,
    int maxDocumentCodePoints,
    int maxAliasesForCollections,
    int maxNestingDepth,
    int maxAliasExpansion,
    long maxTotalBytes) {

  /** Generous for real repositories (a large CRD is a few MiB), small enough to stay safe. */
  public static final YamlLimits DEFAULT =
      new YamlLimits(16L << 20, 10_000, 4 << 20, 100, 100, 100_000, 64L << 20);

  public YamlLimits {
    if (maxFileBytes <= 0
        || maxDocumentsPerFile <= 0
        || maxDocumentCodePoints <= 0
        || maxAliasesForCollections < 0
        || maxNestingDepth <= 0
        || maxAliasExpansion < 0
        || maxTotalBytes <= 0) {
      throw new IllegalArgumentException("YAML limits must be positive: " + this);
    }
  }

  public YamlLimits withMaxFileBytes(long bytes) {
    return new YamlLimits(
        bytes,
        maxDocumentsPerFile,
        maxDocumentCodePoints,
        maxAliasesForCollections,
        maxNestingDepth,
        maxAliasExpansion,
        maxTotalBytes);
  }

  public YamlLimits withMaxTotalBytes(long bytes) {
    return new YamlLimits(
        maxFileBytes,
        maxDocumentsPerFile,
        maxDocumentCodePoints,
        maxAliasesForCollections,
        maxNestingDepth,
        maxAliasExpansion,
        bytes);
  }
}
