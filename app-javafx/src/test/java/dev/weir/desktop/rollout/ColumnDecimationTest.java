package dev.weir.desktop.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ColumnDecimationTest {

  @Test
  void eachColumnHoldsTheFirstLowestHighestAndLastValueThatFallsInIt() {
    // x 0..9 into 2 columns over [0, 10): 0-4 in the first, 5-9 in the second
    double[] x = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    double[] y = {5, 1, 9, 2, 3, 7, 7, 0, 8, 6};
    ColumnDecimation d = ColumnDecimation.of(x, y, 10, 0, 10, 2);

    assertThat(d.columns()).isEqualTo(2);
    assertThat(d.first()).containsExactly(5, 7);
    assertThat(d.min()).containsExactly(1, 0);
    assertThat(d.max()).containsExactly(9, 8);
    assertThat(d.last()).containsExactly(3, 6);
  }

  @Test
  void emptyColumnsHoldNaNAndNaNValuesAndPointsOutsideTheRangeAreLeftOut() {
    double[] x = {-5, 0, 1, 2, 20, 30};
    double[] y = {100, 1, Double.NaN, 3, 50, 60};
    ColumnDecimation d = ColumnDecimation.of(x, y, 6, 0, 20, 4);

    assertThat(d.has(0)).isTrue();
    assertThat(d.min()[0]).isEqualTo(1);
    assertThat(d.max()[0]).isEqualTo(3);
    assertThat(d.has(1)).isFalse();
    assertThat(d.has(2)).isFalse();
    assertThat(Double.isNaN(d.first()[1])).isTrue();
    assertThat(d.has(3)).as("a point at xMax goes to the last column").isTrue();
    assertThat(d.first()[3]).isEqualTo(50);
  }

  @Test
  void onlyTheLeadingCountPointsAreRead() {
    double[] x = {0, 1, 2, 3};
    double[] y = {1, 2, 3, 99};
    ColumnDecimation d = ColumnDecimation.of(x, y, 3, 0, 4, 1);
    assertThat(d.max()[0]).isEqualTo(3);
  }

  @Test
  void tenThousandPointsKeepEveryExtremeInAtMostFourValuesPerColumn() {
    Random random = new Random(7);
    int n = 10_000;
    double[] x = new double[n];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = i * 100.0; // one every 100 ms
      y[i] = 200 + random.nextGaussian() * 10;
    }
    y[4321] = 900; // a single spike must survive thinning
    y[8765] = -50;
    ColumnDecimation d = ColumnDecimation.of(x, y, n, 0, n * 100.0, 600);

    assertThat(d.columns()).isEqualTo(600);
    double max = Double.NEGATIVE_INFINITY;
    double min = Double.POSITIVE_INFINITY;
    for (int c = 0; c < 600; c++) {
      assertThat(d.has(c)).isTrue();
      max = Math.max(max, d.max()[c]);
      min = Math.min(min, d.min()[c]);
      assertThat(d.min()[c]).isLessThanOrEqualTo(Math.min(d.first()[c], d.last()[c]));
      assertThat(d.max()[c]).isGreaterThanOrEqualTo(Math.max(d.first()[c], d.last()[c]));
    }
    assertThat(max).isEqualTo(900);
    assertThat(min).isEqualTo(-50);
    int spikeColumn = (int) (4321 * 100.0 * 600 / (n * 100.0));
    assertThat(d.max()[spikeColumn]).isEqualTo(900);
  }

  @Test
  void refusesNoColumnsAndAnEmptyRange() {
    assertThatThrownBy(() -> ColumnDecimation.of(new double[0], new double[0], 0, 0, 1, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("columns");
    assertThatThrownBy(() -> ColumnDecimation.of(new double[0], new double[0], 0, 5, 5, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("xMax");
  }
}
