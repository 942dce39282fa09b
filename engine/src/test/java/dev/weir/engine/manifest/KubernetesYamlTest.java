package dev.weir.engine.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * YAML as kubectl and kustomize (go-yaml) read it: tabs ending a line are white space, except in
 * block scalars where they are data; tabs in indentation stay refused, as go-yaml refuses them.
 */
class KubernetesYamlTest {

  record Case(String name, String yaml, String expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case("a tab after a key's colon", "spec:\t\n  port: 80\n", "{spec={port=80}}"),
        new Case("a tab after a value", "port: 80\t\n", "{port=80}"),
        new Case("a tab after a quoted value", "name: 'web'\t\n", "{name=web}"),
        new Case("tabs and CRLF", "spec:\t \r\n  port: 80\t\r\n", "{spec={port=80}}"),
        new Case(
            "a tab ending a line of a literal block is data",
            "data:\n  script: |\n    echo a\t\n    echo b\nkind: x\t\n",
            "{data={script=echo a\t\necho b\n}, kind=x}"),
        new Case(
            "a folded block with indicators keeps its tabs",
            "text: >-\n  one\t\n\n  two\n",
            "{text=one\t\ntwo}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void readsWhatKubectlReads(Case c) throws ManifestException {
    YamlLoader loader = new YamlLoader(YamlLimits.DEFAULT);
    assertThat(
            loader
                .load("f.yaml", c.yaml().getBytes(StandardCharsets.UTF_8))
                .getFirst()
                .content()
                .toString())
        .isEqualTo(c.expected());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void keepsEveryLineAndColumn(Case c) {
    String text = YamlLoader.trailingTabsToSpaces(c.yaml());
    assertThat(text).hasSameSizeAs(c.yaml());
    assertThat(text.lines().count()).isEqualTo(c.yaml().lines().count());
  }

  @org.junit.jupiter.api.Test
  void aTabInIndentationIsStillRefusedWithItsPosition() {
    ParsedFile parsed =
        new YamlLoader(YamlLimits.DEFAULT)
            .parse("spec:\n\tport: 80\n".getBytes(StandardCharsets.UTF_8), YamlLoader.Syntax.YAML);
    assertThat(parsed).isInstanceOf(ParsedFile.Unloadable.class);
    assertThat(((ParsedFile.Unloadable) parsed).problemIn("f.yaml").toString())
        .startsWith("f.yaml:2:1: ");
  }
}
