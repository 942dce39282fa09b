package dev.weir.engine.manifest;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.weir.engine.model.Manifest;
import dev.weir.engine.model.ResourceKey;
import dev.weir.engine.testkit.DirectoryTree;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The malformed-input corpus: each file is rendered as the only file of an application, and the
 * user sees exactly one line naming file, line and column — or, for inputs that are fine (CRLF,
 * BOM, empty files), no error at all. Every case must end quickly; the timeout is a hang guard
 * only.
 */
class MalformedInputTest {

  private static final String APP =
      """
      apiVersion: weir.dev/v1alpha1
      kind: Application
      metadata: {name: demo}
      spec:
        source: {path: apps/demo}
        destination: {namespace: shop}
      """;

  private static final String CONFIG_MAP =
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: fast\n";

  record Case(String name, String file, byte[] content, String expectedMessage) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> corpus() {
    return Stream.of(
        new Case(
            "syntax error",
            "bad.yaml",
            utf8("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n namespace: y\n"),
            "apps/demo/bad.yaml:5:2: invalid YAML: while parsing a block mapping: expected <block"
                + " end>, but found '<block mapping start>'"),
        new Case(
            "alias bomb (billion laughs) within the alias count",
            "lol.yaml",
            utf8(billionLaughs()),
            "apps/demo/lol.yaml:9:5: aliases expand to more than 100000 nodes (an alias bomb?)"),
        new Case(
            "too many aliases",
            "aliases.yaml",
            utf8("a: &a [1]\nb: [" + "*a, ".repeat(150) + "*a]\n"),
            "apps/demo/aliases.yaml:1:1: more than 100 aliases to mappings or sequences"),
        new Case(
            "recursive alias",
            "loop.yaml",
            utf8("apiVersion: v1\nkind: ConfigMap\nmetadata: &m\n  name: x\n  self: *m\n"),
            "apps/demo/loop.yaml:3:11: recursive alias: a node contains itself"),
        new Case(
            "deep nesting",
            "deep.yaml",
            utf8("a: " + "[".repeat(5000) + "]".repeat(5000) + "\n"),
            "apps/demo/deep.yaml:1:1: nested deeper than 100 levels"),
        new Case(
            "huge scalar",
            "huge.yaml",
            utf8(
                "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n  blob: "
                    + "x".repeat(5 << 20)
                    + "\n"),
            "apps/demo/huge.yaml:1:1: document is larger than the limit of 4194304 characters"),
        new Case(
            "file over the size limit",
            "big.yaml",
            utf8("# " + "x".repeat(17 << 20) + "\n"),
            "apps/demo/big.yaml:1:1: file is 17825795 bytes, over the limit of 16777216 bytes"),
        new Case(
            "duplicate keys",
            "dup.yaml",
            utf8("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\n"),
            "apps/demo/dup.yaml:5:3: duplicate key \"name\" (first at line 4)"),
        new Case(
            "duplicate key after characters beyond the BMP (columns count characters)",
            "emoji.yaml",
            utf8("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {a: \"\uD83D\uDE80\", a: 1}\n"),
            "apps/demo/emoji.yaml:4:16: duplicate key \"a\" (first at line 4)"),
        new Case(
            "duplicate keys in JSON",
            "dup.json",
            utf8("{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"kind\": \"Secret\"}"),
            "apps/demo/dup.json:1:43: duplicate key \"kind\" (first at line 1)"),
        new Case(
            "document without apiVersion and kind",
            "plain.yaml",
            utf8(CONFIG_MAP + "---\n# a second document\nmetadata:\n  name: orphan\n"),
            "apps/demo/plain.yaml:9:1: not a Kubernetes object: apiVersion and kind are missing"),
        new Case(
            "document without kind",
            "nokind.yaml",
            utf8("apiVersion: v1\nmetadata: {name: x}\n"),
            "apps/demo/nokind.yaml:1:1: not a Kubernetes object: kind is missing"),
        new Case(
            "object without a name",
            "noname.yaml",
            utf8("apiVersion: v1\nkind: ConfigMap\ndata: {a: b}\n"),
            "apps/demo/noname.yaml:1:1: ConfigMap has no metadata.name"),
        new Case(
            "a list at the top",
            "list.yaml",
            utf8("- a\n- b\n"),
            "apps/demo/list.yaml:1:1: expected a Kubernetes object (a mapping), found a list"),
        new Case(
            "too many documents",
            "many.yaml",
            utf8("---\n{}\n".repeat(10_001)),
            "apps/demo/many.yaml:20002:1: more than 10000 documents in one file"),
        new Case(
            "binary file",
            "image.yaml",
            new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 0x0d},
            "apps/demo/image.yaml:3:1: not a text file: binary content (a NUL byte)"),
        new Case(
            "Latin-1 text",
            "latin1.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: café}\n".getBytes(ISO_8859_1),
            "apps/demo/latin1.yaml:3:21: not UTF-8 text: invalid byte 0xE9"),
        new Case(
            "control character",
            "bell.yaml",
            utf8("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: \u0007x}\n"),
            "apps/demo/bell.yaml:3:18: not a text file: control character U+0007"),
        new Case(
            "a 3 MiB one-line value loads (no quadratic scanning)",
            "secret.yaml",
            utf8(
                "apiVersion: v1\nkind: Secret\nmetadata: {name: big}\ndata:\n  blob: "
                    + "QUJD".repeat(3 << 18)
                    + "\n"),
            null),
        new Case(
            "CRLF line endings work", "crlf.yaml", utf8(CONFIG_MAP.replace("\n", "\r\n")), null),
        new Case(
            "UTF-8 byte order mark works",
            "bom.yaml",
            concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, utf8(CONFIG_MAP)),
            null),
        new Case("empty file is fine", "empty.yaml", new byte[0], null),
        new Case(
            "comments and blank lines only are fine",
            "comments.yaml",
            utf8("# nothing yet\n\n   \n---\n# still nothing\n"),
            null),
        new Case(
            "JSON with tabs works",
            "cm.json",
            utf8(
                "{\n"
                    + "\t\"apiVersion\": \"v1\",\n"
                    + "\t\"kind\": \"ConfigMap\",\n"
                    + "\t\"metadata\": {\"name\": \"settings\"},\n"
                    + "\t\"data\": {\"mode\": \"fast\"}\n"
                    + "}\n"),
            null));
  }

  @TempDir Path dir;

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void malformedInputFailsWithOneClearLineOrWorks(Case c) {
    DirectoryTree.writeFile(dir, "weir/demo.yaml", utf8(APP));
    DirectoryTree.writeFile(dir, "apps/demo/" + c.file(), c.content());
    // Also a valid file, so that "works" means the app renders.
    DirectoryTree.writeFile(
        dir, "apps/demo/zz-ok.yaml", utf8(CONFIG_MAP.replace("settings", "other")));
    DirectoryTree tree = DirectoryTree.of(dir);

    RenderedApplication app =
        assertTimeoutPreemptively(
            Duration.ofSeconds(20),
            () -> new Renderer().render(tree).application("demo").orElseThrow());

    if (c.expectedMessage() == null) {
      assertThat(app.errors()).isEmpty();
      assertThat(app.lastGood()).isPresent();
    } else {
      assertThat(app.errors())
          .extracting(RenderProblem::toString)
          .containsExactly(c.expectedMessage());
      assertThat(app.lastGood()).isEmpty();
    }
  }

  @Test
  void crlfAndBomFilesKeepTheirValuesAndLines(@TempDir Path root) throws Exception {
    byte[] crlf = utf8("# first\r\n" + CONFIG_MAP.replace("\n", "\r\n"));
    byte[] bom = concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, utf8(CONFIG_MAP));
    YamlLoader loader = new YamlLoader(YamlLimits.DEFAULT);

    List<YamlDocument> crlfDocs = loader.load("crlf.yaml", crlf);
    List<YamlDocument> bomDocs = loader.load("bom.yaml", bom);

    assertThat(crlfDocs)
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.line()).isEqualTo(2);
              assertThat(d.content().get("data")).isEqualTo(Map.of("mode", "fast"));
            });
    assertThat(bomDocs)
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.content().keySet()).first().isEqualTo("apiVersion");
              assertThat(d.location("bom.yaml").toString()).isEqualTo("bom.yaml:1:1");
            });
  }

  @Test
  void emptyAndCommentOnlyFilesHaveNoDocuments() throws Exception {
    YamlLoader loader = new YamlLoader(YamlLimits.DEFAULT);
    assertThat(loader.load("empty.yaml", new byte[0])).isEmpty();
    assertThat(loader.load("c.yaml", utf8("# only a comment\n---\n---\n"))).isEmpty();
  }

  @Test
  void scalarsAreTypedAsKubectlReadsThem() throws Exception {
    String yaml =
        """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: types}
        data:
          port: 8080
          big: 9000000000
          ratio: 0.25
          on: yes
          quoted: "8080"
          rocket: "\uD83D\uDE80 launch"
          time: 12:30
          date: 2024-01-02
          nothing: ~
          octal: 0755
        """;
    Map<?, ?> data =
        (Map<?, ?>)
            new YamlLoader(YamlLimits.DEFAULT)
                .load("t.yaml", utf8(yaml))
                .get(0)
                .content()
                .get("data");

    assertThat(data.get("port")).isEqualTo(8080);
    assertThat(data.get("big")).isEqualTo(9_000_000_000L);
    assertThat(data.get("ratio")).isEqualTo(0.25);
    assertThat(data.get("on")).isEqualTo(Boolean.TRUE);
    assertThat(data.get("quoted")).isEqualTo("8080");
    assertThat(data.get("rocket")).isEqualTo("\uD83D\uDE80 launch");
    assertThat(data.get("time")).isEqualTo("12:30");
    assertThat(data.get("date")).isEqualTo("2024-01-02");
    assertThat(data.containsKey("nothing")).isTrue();
    assertThat(data.get("nothing")).isNull();
    assertThat(data.get("octal")).isEqualTo(0755);
  }

  @Test
  void mergeKeysApplyWithExplicitKeysWinning() throws Exception {
    String yaml =
        """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: merged}
        base: &base {a: 1, b: 2}
        data:
          <<: *base
          b: 3
        """;
    Object data =
        new YamlLoader(YamlLimits.DEFAULT).load("m.yaml", utf8(yaml)).get(0).content().get("data");
    assertThat(data).hasToString("{b=3, a=1}");
  }

  @Test
  void renderedManifestsAreKeyedAndLocated(@TempDir Path root) {
    DirectoryTree.writeFile(root, "weir/demo.yaml", utf8(APP));
    DirectoryTree.writeFile(root, "apps/demo/cm.yaml", utf8("# header\n\n" + CONFIG_MAP));
    RenderedApplication app =
        new Renderer().render(DirectoryTree.of(root)).application("demo").orElseThrow();
    Manifest cm =
        app.lastGood()
            .orElseThrow()
            .resources()
            .get(new ResourceKey("", "ConfigMap", "shop", "settings"));
    assertThat(cm.source().toString()).isEqualTo("apps/demo/cm.yaml:3:1");
  }

  private static String billionLaughs() {
    StringBuilder yaml =
        new StringBuilder("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: lol}\n");
    yaml.append("l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for (int level = 1; level <= 8; level++) {
      yaml.append("l").append(level).append(": &l").append(level).append(" [");
      for (int i = 0; i < 9; i++) {
        yaml.append(i == 0 ? "" : ", ").append("*l").append(level - 1);
      }
      yaml.append("]\n");
    }
    return yaml.toString();
  }

  private static byte[] utf8(String text) {
    return text.getBytes(UTF_8);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
