package dev.weir.engine.manifest;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parsed files by blob id (equal ids mean equal bytes), so that re-rendering after a fetch parses
 * only the files whose content changed. Bounded by the total size of the source bytes behind the
 * cached entries; the least recently used entries go first. Both successes and failures are cached:
 * the same bytes always give the same outcome.
 *
 * <p>Thread-safe. A miss parses outside the lock, so two threads missing the same blob may both
 * parse it; the outcome is the same either way.
 */
public final class ParseCache {

  /** What the cache did so far; {@code parses} counts misses, that is, actual parses. */
  public record Stats(long hits, long parses, long evictions, int entries, long sourceBytes) {}

  /** Produces the parse of a blob that is not cached. */
  @FunctionalInterface
  public interface Parser {
    ParsedFile parse() throws IOException;
  }

  private record Entry(ParsedFile parsed, long weight) {}

  private final long maxSourceBytes;
  private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(256, 0.75f, true);
  private long sourceBytes;
  private long hits;
  private long parses;
  private long evictions;

  /**
   * @param maxSourceBytes the most source bytes whose parses are kept
   */
  public ParseCache(long maxSourceBytes) {
    if (maxSourceBytes <= 0) {
      throw new IllegalArgumentException("maxSourceBytes must be positive");
    }
    this.maxSourceBytes = maxSourceBytes;
  }

  /**
   * The parse of blob {@code blobId} of {@code size} bytes, from the cache or from {@code parser}.
   */
  public ParsedFile get(String blobId, long size, Parser parser) throws IOException {
    synchronized (this) {
      Entry entry = entries.get(blobId);
      if (entry != null) {
        hits++;
        return entry.parsed;
      }
      parses++;
    }
    ParsedFile parsed = parser.parse();
    long weight = Math.max(size, 1);
    synchronized (this) {
      if (weight <= maxSourceBytes) {
        Entry previous = entries.put(blobId, new Entry(parsed, weight));
        sourceBytes += weight - (previous == null ? 0 : previous.weight);
        evict();
      }
    }
    return parsed;
  }

  private void evict() {
    var it = entries.entrySet().iterator();
    while (sourceBytes > maxSourceBytes && it.hasNext()) {
      Map.Entry<String, Entry> eldest = it.next();
      sourceBytes -= eldest.getValue().weight;
      it.remove();
      evictions++;
    }
  }

  public synchronized Stats stats() {
    return new Stats(hits, parses, evictions, entries.size(), sourceBytes);
  }
}
