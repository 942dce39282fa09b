package dev.weir.tui.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.engine.console.OfflineJudge;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code weir analyze}: the statistical canary judge on two series from files, for offline use and
 * scripts. Exit 0 when the verdict is Pass, 1 when High, Low or NoData, 2 for bad input.
 */
@Command(
    name = "analyze",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Judges a canary series against a baseline (stable) series with the Mann-Whitney U test, as a"
          + " rollout's analysis does, and explains the verdict in one line.",
      "Each file holds numbers, one per line, or CSV with a header and a `value` column.",
      "Exit status: 0 Pass; 1 High, Low or NoData; 2 bad input."
    })
final class AnalyzeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--baseline",
      required = true,
      paramLabel = "FILE",
      description = "The stable series.")
  Path baseline;

  @Option(
      names = "--canary",
      required = true,
      paramLabel = "FILE",
      description = "The canary series.")
  Path canary;

  @Option(
      names = "--direction",
      paramLabel = "increase|decrease|either",
      defaultValue = "either",
      converter = DirectionConverter.class,
      description =
          "Which change is bad: increase (latency, errors), decrease (success rate), either"
              + " (default).")
  String direction;

  @Option(
      names = "--effect-size",
      paramLabel = "X",
      defaultValue = "0.10",
      description =
          "Allowed relative difference of the medians (default ${DEFAULT-VALUE}, i.e. 10%%).")
  double effectSize;

  @Option(
      names = "--confidence",
      paramLabel = "C",
      defaultValue = "0.98",
      description = "Confidence of the test, between 0 and 1 (default ${DEFAULT-VALUE}).")
  double confidence;

  @Option(
      names = "--min-samples",
      paramLabel = "N",
      defaultValue = "10",
      description = "Fewer samples than this on either side is NoData (default ${DEFAULT-VALUE}).")
  int minSamples;

  @Option(
      names = "--name",
      paramLabel = "NAME",
      defaultValue = "",
      description = "A metric name to start the explanation with.")
  String name;

  @Option(
      names = "--unit",
      paramLabel = "UNIT",
      defaultValue = "",
      description = "Shown after numbers, e.g. ms.")
  String unit;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "text|json",
      defaultValue = "text",
      description = "Output format: text (default) or json.")
  String output;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (!output.equals("text") && !output.equals("json")) {
      err.println("weir analyze: -o must be text or json, got \"" + output + "\"");
      return ExitCodes.BAD_INPUT;
    }
    OfflineJudge.Settings settings =
        new OfflineJudge.Settings(direction, effectSize, confidence, minSamples, name, unit);
    OfflineJudge.Judged verdict;
    switch (OfflineJudge.judge(baseline, canary, settings)) {
      case OfflineJudge.BadSettings bad -> {
        err.println("weir analyze: " + bad.message());
        return ExitCodes.BAD_INPUT;
      }
      case OfflineJudge.BadFile bad -> {
        err.println(bad.message());
        return ExitCodes.BAD_INPUT;
      }
      case OfflineJudge.Judged judged -> verdict = judged;
    }
    if (output.equals("json")) {
      out.println(json(verdict));
    } else {
      text(out, verdict);
    }
    out.flush();
    return verdict.pass() ? ExitCodes.OK : ExitCodes.FAILED;
  }

  private void text(PrintWriter out, OfflineJudge.Judged verdict) {
    String suffix = unit.isEmpty() ? "" : " " + unit;
    out.println(verdict.explanation());
    out.printf(Locale.ROOT, "  verdict     %s%n", verdict.verdict());
    out.printf(
        Locale.ROOT,
        "  baseline    %d samples, median %s%s%n",
        verdict.baselineCount(),
        number(verdict.baselineMedian()),
        suffix);
    out.printf(
        Locale.ROOT,
        "  canary      %d samples, median %s%s%n",
        verdict.canaryCount(),
        number(verdict.canaryMedian()),
        suffix);
    out.printf(
        Locale.ROOT,
        "  p-value     %s (two-sided Mann-Whitney U, normal approximation)%n",
        Double.isNaN(verdict.pValue())
            ? "n/a"
            : String.format(Locale.ROOT, "%.3g", verdict.pValue()));
    out.printf(
        Locale.ROOT,
        "  settings    direction %s, effect size %s, confidence %s, at least %d samples%n",
        direction,
        number(effectSize),
        number(confidence),
        minSamples);
  }

  private String json(OfflineJudge.Judged verdict) throws Exception {
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode node = mapper.createObjectNode();
    node.put("verdict", verdict.verdict());
    putNumber(node, "pValue", verdict.pValue());
    putNumber(node, "baselineMedian", verdict.baselineMedian());
    putNumber(node, "canaryMedian", verdict.canaryMedian());
    putNumber(node, "relativeChange", verdict.relativeChange());
    node.put("baselineCount", verdict.baselineCount());
    node.put("canaryCount", verdict.canaryCount());
    node.put("direction", direction);
    node.put("effectSize", effectSize);
    node.put("confidence", confidence);
    node.put("minSamples", minSamples);
    node.put("explanation", verdict.explanation());
    return mapper.writeValueAsString(node);
  }

  /** Undefined numbers (no data, an infinite change) are JSON null. */
  private static void putNumber(ObjectNode node, String field, double value) {
    if (Double.isFinite(value)) {
      node.put(field, value);
    } else {
      node.putNull(field);
    }
  }

  private static String number(double value) {
    if (!Double.isFinite(value)) {
      return "n/a";
    }
    return new java.math.BigDecimal(value)
        .round(new java.math.MathContext(4))
        .stripTrailingZeros()
        .toPlainString();
  }

  /** Accepts increase, decrease, either in any case, and names the choices when wrong. */
  static final class DirectionConverter implements picocli.CommandLine.ITypeConverter<String> {
    @Override
    public String convert(String value) {
      return OfflineJudge.direction(value)
          .orElseThrow(
              () ->
                  new picocli.CommandLine.TypeConversionException(
                      "must be increase, decrease or either, got \"" + value + "\""));
    }
  }
}
