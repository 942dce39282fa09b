package dev.weir.tui.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class AnalyzeCommandTest {
  @TempDir Path dir;

  record Run(int exit, String out, String err) {}

  private Run weir(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = WeirCommand.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  private Path series(String name, int from, int count) throws IOException {
    return Files.writeString(
        dir.resolve(name),
        IntStream.range(from, from + count)
            .mapToObj(Integer::toString)
            .collect(Collectors.joining("\n", "", "\n")));
  }

  @Test
  void aCanaryFarAboveTheBaselineIsHighAndExitsOne() throws IOException {
    Path baseline = series("baseline.txt", 200, 30);
    Path canary = series("canary.txt", 400, 30);

    Run run =
        weir(
            "analyze",
            "--baseline",
            baseline.toString(),
            "--canary",
            canary.toString(),
            "--direction",
            "increase",
            "--name",
            "p99 latency",
            "--unit",
            "ms");

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).isEmpty();
    assertThat(run.out().lines().toList())
        .containsExactly(
            "p99 latency: canary 415 ms vs stable 215 ms (+93%), p < 0.001 → High (fail)",
            "  verdict     HIGH",
            "  baseline    30 samples, median 214.5 ms",
            "  canary      30 samples, median 414.5 ms",
            "  p-value     2.87e-11 (two-sided Mann-Whitney U, normal approximation)",
            "  settings    direction increase, effect size 0.1, confidence 0.98, at least 10"
                + " samples");
  }

  @Test
  void identicalSeriesPassAndExitZero() throws IOException {
    Path baseline = series("baseline.txt", 200, 30);

    Run run = weir("analyze", "--baseline", baseline.toString(), "--canary", baseline.toString());

    assertThat(run.exit()).isZero();
    assertThat(run.out()).startsWith("canary 215 vs stable 215 (+0%), p = 1 → Pass\n");
  }

  @Test
  void jsonOutputHasTheStableFields() throws IOException {
    Path baseline = series("baseline.txt", 200, 30);
    Path canary =
        Files.writeString(
            dir.resolve("canary.csv"),
            "time,value\n"
                + IntStream.range(0, 30)
                    .mapToObj(i -> i + "," + (100 + i))
                    .collect(Collectors.joining("\n")));

    Run run =
        weir(
            "analyze",
            "--baseline",
            baseline.toString(),
            "--canary",
            canary.toString(),
            "-o",
            "json");

    assertThat(run.exit()).isEqualTo(1);
    JsonNode json = new ObjectMapper().readTree(run.out());
    assertThat(json.get("verdict").asText()).isEqualTo("LOW");
    assertThat(json.get("pValue").asDouble()).isLessThan(0.001);
    assertThat(json.get("baselineMedian").asDouble()).isEqualTo(214.5);
    assertThat(json.get("canaryMedian").asDouble()).isEqualTo(114.5);
    assertThat(json.get("relativeChange").asDouble())
        .isCloseTo(-100 / 214.5, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(json.get("explanation").asText())
        .isEqualTo("canary 115 vs stable 215 (-47%), p < 0.001 → Low (fail)");
  }

  @Test
  void tooFewSamplesIsNoDataExitOneWithNullStatistics() throws IOException {
    Run run =
        weir(
            "analyze",
            "--baseline",
            series("b.txt", 0, 5).toString(),
            "--canary",
            series("c.txt", 100, 30).toString(),
            "-o",
            "json");

    assertThat(run.exit()).isEqualTo(1);
    JsonNode json = new ObjectMapper().readTree(run.out());
    assertThat(json.get("verdict").asText()).isEqualTo("NODATA");
    assertThat(json.get("pValue").isNull()).isTrue();
    assertThat(json.get("explanation").asText())
        .isEqualTo(
            "30 canary and 5 stable samples, need at least 10 on each side → NoData (no verdict)");
  }

  @Test
  void aDecreaseIsAllowedWhenOnlyAnIncreaseIsBad() throws IOException {
    Run run =
        weir(
            "analyze",
            "--baseline",
            series("b.txt", 200, 30).toString(),
            "--canary",
            series("c.txt", 100, 30).toString(),
            "--direction",
            "increase");

    assertThat(run.exit()).isZero();
    assertThat(run.out()).contains("→ Pass (lower, allowed: only an increase is bad)");
  }

  @Test
  void aBadNumberNamesTheFileAndLineAndExitsTwo() throws IOException {
    Path baseline = Files.writeString(dir.resolve("baseline.txt"), "1\n2\n3\n4\n5\n6\n12,5x\n8\n");

    Run run =
        weir(
            "analyze",
            "--baseline",
            baseline.toString(),
            "--canary",
            series("c.txt", 0, 20).toString());

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).isEqualTo(baseline + ":7: not a number: \"12,5x\"\n");
  }

  @Test
  void aMissingFileOrABadSettingExitsTwo() throws IOException {
    Path canary = series("c.txt", 0, 20);

    Run missing =
        weir(
            "analyze",
            "--baseline",
            dir.resolve("nope.txt").toString(),
            "--canary",
            canary.toString());
    Run confidence =
        weir(
            "analyze",
            "--baseline",
            canary.toString(),
            "--canary",
            canary.toString(),
            "--confidence",
            "1.5");
    Run direction =
        weir(
            "analyze",
            "--baseline",
            canary.toString(),
            "--canary",
            canary.toString(),
            "--direction",
            "up");
    Run format =
        weir(
            "analyze",
            "--baseline",
            canary.toString(),
            "--canary",
            canary.toString(),
            "-o",
            "yaml");

    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.err()).isEqualTo(dir.resolve("nope.txt") + ": no such file\n");
    assertThat(confidence.exit()).isEqualTo(2);
    assertThat(confidence.err())
        .isEqualTo("weir analyze: confidence must be between 0 and 1 (exclusive), got 1.5\n");
    assertThat(direction.exit()).isEqualTo(2);
    assertThat(direction.err()).contains("must be increase, decrease or either, got \"up\"");
    assertThat(format.exit()).isEqualTo(2);
  }
}
