package dev.weir.engine.manifest;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ParseCacheTest {

  private final YamlLoader loader = new YamlLoader(YamlLimits.DEFAULT);
  private final AtomicInteger parses = new AtomicInteger();

  private ParsedFile parse(ParseCache cache, String blobId, String yaml) throws Exception {
    byte[] content = yaml.getBytes(UTF_8);
    return cache.get(
        blobId,
        content.length,
        () -> {
          parses.incrementAndGet();
          return loader.parse(content);
        });
  }

  @Test
  void sameBlobIsParsedOnceAndServedFromTheCache() throws Exception {
    ParseCache cache = new ParseCache(1 << 20);

    ParsedFile first = parse(cache, "b1", "a: 1\n");
    ParsedFile second = parse(cache, "b1", "a: 1\n");

    assertThat(second).isSameAs(first);
    assertThat(parses).hasValue(1);
    assertThat(cache.stats()).isEqualTo(new ParseCache.Stats(1, 1, 0, 1, 5));
  }

  @Test
  void failuresAreCachedToo() throws Exception {
    ParseCache cache = new ParseCache(1 << 20);

    parse(cache, "bad", "a: [\n");
    ParsedFile again = parse(cache, "bad", "a: [\n");

    assertThat(again).isInstanceOf(ParsedFile.Unloadable.class);
    assertThat(parses).hasValue(1);
  }

  @Test
  void leastRecentlyUsedEntriesAreEvictedWhenSourceBytesExceedTheBound() throws Exception {
    ParseCache cache = new ParseCache(12); // room for two 5-byte files

    parse(cache, "b1", "a: 1\n");
    parse(cache, "b2", "b: 2\n");
    parse(cache, "b1", "a: 1\n"); // b1 is now the most recently used
    parse(cache, "b3", "c: 3\n"); // evicts b2
    parse(cache, "b1", "a: 1\n");
    parse(cache, "b2", "b: 2\n"); // parsed again

    assertThat(parses).hasValue(4);
    ParseCache.Stats stats = cache.stats();
    assertThat(stats.evictions()).isEqualTo(2);
    assertThat(stats.entries()).isEqualTo(2);
    assertThat(stats.sourceBytes()).isEqualTo(10);
  }
}
