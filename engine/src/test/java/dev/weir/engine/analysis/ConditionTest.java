package dev.weir.engine.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConditionTest {
  private static final MetricValue SCALAR = MetricValue.scalar(0.995);
  private static final MetricValue VECTOR = MetricValue.vector(List.of(0.2, 0.4, 0.9));

  record Case(String condition, MetricValue value, boolean holds) {
    @Override
    public String toString() {
      return condition + " on " + value.display();
    }
  }

  static List<Case> decided() {
    return List.of(
        new Case("result >= 0.99", SCALAR, true),
        new Case("result >= 0.999", SCALAR, false),
        new Case("result[0] < 0.5", VECTOR, true),
        new Case("result[2] < 0.5", VECTOR, false),
        new Case("all(result, x -> x < 1)", VECTOR, true),
        new Case("all(result, x -> x < 0.5)", VECTOR, false),
        new Case("any(result, x -> x > 0.8)", VECTOR, true),
        new Case("all(result, x -> x < 1)", SCALAR, true),
        new Case("len(result) == 3", VECTOR, true),
        new Case("len(result) == 1", SCALAR, true),
        new Case("max(result) < 1 && min(result) > 0.1", VECTOR, true),
        new Case("result ge 0.99", SCALAR, true),
        new Case("result >= 0.99", MetricValue.vector(List.of(0.995)), true),
        new Case("result[0] >= 0.99", MetricValue.vector(List.of(0.995)), true),
        new Case("result < 0.3 && len(result) == 1", MetricValue.vector(List.of(0.42)), false),
        new Case("isNaN(result)", MetricValue.scalar(Double.NaN), true));
  }

  /**
   * Argo Rollouts' conditions as its docs write them (features/analysis.md: {@code result[0] >=
   * 0.95}, {@code len(result) == 0 || …}, {@code default(result[0], 0)}; expr-lang's builtins {@code
   * all}, {@code any} with {@code #} predicates, {@code asInt}, {@code asFloat}, {@code isNaN},
   * {@code isInf}), evaluated the same way in Weir.
   */
  static List<Case> argo() {
    MetricValue empty = MetricValue.vector(List.of());
    return List.of(
        new Case("all(result, {# < 1})", VECTOR, true),
        new Case("all(result, # < 0.5)", VECTOR, false),
        new Case("any(result, {# > 0.8})", VECTOR, true),
        new Case("any(result, # > 0.95) || len(result) == 0", VECTOR, false),
        new Case("len(result) == 0 || result[0] >= 0.95", empty, true),
        new Case("default(result[0], 0) >= 0.95", empty, false),
        new Case("default(result[0], 1) >= 0.95", empty, true),
        new Case("default(result[0], 0) >= 0.95", MetricValue.vector(List.of(0.97)), true),
        new Case("asInt(result[2] * 10) == 9", VECTOR, true),
        new Case("asFloat('0.5') < result[2]", VECTOR, true),
        new Case("asInt('42') == 42", SCALAR, true),
        new Case("isInf(result)", MetricValue.scalar(Double.POSITIVE_INFINITY), true),
        new Case("isInf(result) || isNaN(result)", VECTOR, false),
        new Case("result[0] < 0.5 and not (result[1] > 0.5)", VECTOR, true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("argo")
  void argoRolloutsConditionsMeanWhatTheyMeanToArgo(Case c) {
    assertThat(Condition.of(c.condition()).evaluate(c.value()))
        .isEqualTo(new Condition.Evaluation.Decided(c.holds()));
  }

  @Test
  void anArgoConditionWithAMistakeIsFoundWhenTheTemplateIsRead() {
    assertThat(Condition.compile("all(result, {# < })")).isInstanceOf(Condition.Compiled.Invalid.class);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("decided")
  void conditionsOverScalarsAndVectors(Case c) {
    assertThat(Condition.of(c.condition()).evaluate(c.value()))
        .isEqualTo(new Condition.Evaluation.Decided(c.holds()));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "new('java.io.File', '/')",
        "x = 3",
        "result.getClass()",
        "''.getClass().forName('java.lang.Runtime')",
        "while (true) { }",
        "var x = 1; x",
        "#pragma jexl.import java.lang\nresult > 1"
      })
  void theSandboxRejectsWhatIsNotAPureExpression(String source) {
    var compiled = Condition.compile(source);
    if (compiled instanceof Condition.Compiled.Ok ok) {
      assertThat(ok.condition().evaluate(SCALAR))
          .isInstanceOf(Condition.Evaluation.Undecided.class);
    } else {
      assertThat(compiled).isInstanceOf(Condition.Compiled.Invalid.class);
    }
  }

  @Test
  void aSyntaxErrorNamesTheColumn() {
    assertThat(Condition.compile("result >= 0.99 &&"))
        .isInstanceOf(Condition.Compiled.Invalid.class);
    assertThat(((Condition.Compiled.Invalid) Condition.compile("result >= 0.99 &&")).message())
        .startsWith("column ");
  }

  @Test
  void anIndexOutOfRangeOrAWrongTypeIsUndecidedNeverFalseOrTrue() {
    assertThat(Condition.of("result[5] < 0.5").evaluate(VECTOR))
        .isInstanceOf(Condition.Evaluation.Undecided.class);
    assertThat(Condition.of("result >= 0.99").evaluate(VECTOR))
        .isInstanceOf(Condition.Evaluation.Undecided.class);
    assertThat(Condition.of("result + 1").evaluate(SCALAR))
        .isInstanceOf(Condition.Evaluation.Undecided.class);
    assertThat(Condition.of("other > 1").evaluate(SCALAR))
        .isInstanceOf(Condition.Evaluation.Undecided.class);
  }

  @Test
  void undecidedNamesTheConditionAndTheValue() {
    var undecided =
        (Condition.Evaluation.Undecided) Condition.of("result >= 0.99").evaluate(VECTOR);

    assertThat(undecided.reason())
        .startsWith("condition `result >= 0.99` could not be evaluated on [0.2, 0.4, 0.9]");
  }
}
