package dev.weir.engine.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SampleFileTest {
  @TempDir Path dir;

  @Test
  void readsOneNumberPerLineSkippingBlankLinesAndComments() throws IOException {
    Path file =
        Files.writeString(dir.resolve("baseline.txt"), "# p99 in ms\n12.5\n\n 13 \n1e2\n-0.5\n");

    assertThat(SampleFile.read(file, "baseline.txt"))
        .isEqualTo(new SampleFile.Result.Read(new double[] {12.5, 13, 100, -0.5}));
  }

  @Test
  void readsTheValueColumnOfACsvWithAHeader() throws IOException {
    Path file =
        Files.writeString(
            dir.resolve("canary.csv"), "timestamp,\"Value\",pod\n1,0.25,a\n2,\"0.5\",b\n");

    var result = (SampleFile.Result.Read) SampleFile.read(file, "canary.csv");

    assertThat(result.values()).containsExactly(0.25, 0.5);
  }

  record Case(String name, String content, String message) {
    @Override
    public String toString() {
      return name;
    }
  }

  static List<Case> invalid() {
    return List.of(
        new Case(
            "a decimal comma",
            "1\n2\n3\n4\n5\n6\n12,5x\n",
            "baseline.txt:7: not a number: \"12,5x\""),
        new Case("a word", "1\nfast\n", "baseline.txt:2: not a number: \"fast\""),
        new Case("NaN", "1\nNaN\n", "baseline.txt:2: not a number: \"NaN\""),
        new Case(
            "a header without value",
            "time,latency\n1,2\n",
            "baseline.txt:1: CSV header has no \"value\" column: time,latency"),
        new Case(
            "a short row",
            "time,value\n1,2\n3\n",
            "baseline.txt:3: expected 2 columns like the header, found 1"),
        new Case("an empty cell", "time,value\n1,\n", "baseline.txt:2: not a number: \"\""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void badInputNamesFileAndLine(Case c) throws IOException {
    Path file = Files.writeString(dir.resolve("baseline.txt"), c.content());

    assertThat(SampleFile.read(file, "baseline.txt"))
        .isEqualTo(new SampleFile.Result.Invalid(c.message()));
  }

  @Test
  void aMissingFileIsNamed() {
    assertThat(SampleFile.read(dir.resolve("nope.txt"), "nope.txt"))
        .isEqualTo(new SampleFile.Result.Invalid("nope.txt: no such file"));
  }
}
