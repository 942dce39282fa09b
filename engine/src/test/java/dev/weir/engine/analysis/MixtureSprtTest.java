package dev.weir.engine.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.weir.sandbox.Draws;
import java.time.Duration;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * The mSPRT of {@link MixtureSprt} and the {@link ExperimentJudge}: known values (worked by hand in
 * the class comment, checked with Python's {@code math}), and its promises under continuous
 * monitoring, measured over simulated Bernoulli streams drawn with the sandbox's own generator
 * ({@link Draws#binomial}, as the sandbox draws conversions): the always-valid interval covers the
 * true uplift at every look in at least 1 − α of 400 seeds; with equal true rates the false-winner
 * (or false-harm) rate over 500 seeds stays at or below α = 0.05; a better B stops early.
 *
 * <p>The streams stand in for the full sandbox here because a whole sandbox per seed would take
 * minutes; {@code ExperimentSandboxTest} (drills) runs the experiment through the sandbox's traffic
 * and metrics for one seed each way.
 */
class MixtureSprtTest {
  static final double ALPHA = 0.05;
  static final double TAU = 0.02;

  record Case(String name, long sa, long na, long sb, long nb, double lambda, double p, double lo,
      double hi) {}

  static Stream<Case> known() {
    return Stream.of(
        // worked in MixtureSprt's class comment
        new Case("not yet clear", 100, 1000, 130, 1000, 2.5135895, 0.39783743, -0.0165620, 0.0765620),
        new Case("B wins", 1000, 10000, 1300, 10000, 3.0116837e8, 3.3204018e-9, 0.0161246,
            0.0438754),
        // B worse, unequal shares (B a 10% segment)
        new Case("B harms", 9000, 90000, 800, 10000, 66275789, 1.5088466e-8, -0.0291828,
            -0.0108172),
        // equal rates: Λ(0) < 1, p capped at 1
        new Case("no difference", 500, 5000, 500, 5000, 0.28734789, 1, -0.0182476, 0.0182476));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("known")
  void knownValues(Case c) {
    MixtureSprt.Estimate e =
        MixtureSprt.estimate(
            new ConversionCounts(c.sa(), c.na()), new ConversionCounts(c.sb(), c.nb()), ALPHA, TAU);
    assertThat(e.likelihoodRatio()).isCloseTo(c.lambda(), within(c.lambda() * 1e-6));
    assertThat(e.pValue()).isCloseTo(c.p(), within(Math.max(c.p() * 1e-6, 1e-12)));
    assertThat(e.lower()).isCloseTo(c.lo(), within(1e-6));
    assertThat(e.upper()).isCloseTo(c.hi(), within(1e-6));
    // here the interval (unpooled variance) and the test (pooled) agree on whether 0 is excluded
    assertThat(e.clear(ALPHA) != 0).isEqualTo(e.lower() > 0 || e.upper() < 0);
  }

  @Test
  void alwaysValidIntervalIsWiderThanTheFixedHorizonOne() {
    // the price of peeking: wider than the z interval a single look at a fixed horizon allows
    NormalDistribution normal = new NormalDistribution();
    double z = normal.inverseCumulativeProbability(1 - ALPHA / 2);
    for (long n : new long[] {200, 2_000, 20_000, 200_000}) {
      ConversionCounts a = new ConversionCounts(n / 10, n);
      ConversionCounts b = new ConversionCounts(n / 8, n);
      MixtureSprt.Estimate e = MixtureSprt.estimate(a, b, ALPHA, TAU);
      double fixed = z * Math.sqrt(0.1 * 0.9 / n + 0.125 * 0.875 / n);
      double half = (e.upper() - e.lower()) / 2;
      assertThat(half).as("n=%d", n).isGreaterThan(fixed);
      // …and, like it, shrinking towards 0 as the trials grow (about as sqrt(log n / n))
      assertThat(half).isLessThan(fixed * 3.5);
    }
  }

  @Test
  void noTrialNoEstimate() {
    MixtureSprt.Estimate e =
        MixtureSprt.estimate(new ConversionCounts(3, 10), ConversionCounts.NONE, ALPHA, TAU);
    assertThat(e).isEqualTo(MixtureSprt.Estimate.NONE);
    assertThat(e.clear(ALPHA)).isZero();
  }

  @Test
  void allOrNothingEarlyCountsDoNotClaimCertainty() {
    // 0 of 120 against 120 of 120 would be a variance of 0 with the plain plug-in
    MixtureSprt.Estimate e =
        MixtureSprt.estimate(new ConversionCounts(0, 120), new ConversionCounts(0, 110), ALPHA, TAU);
    assertThat(e.pValue()).isEqualTo(1.0);
    assertThat(e.upper() - e.lower()).isPositive();
  }

  // ---- under continuous monitoring, over simulated streams -------------------------------------

  /** Per look (a minute): A gets the rest of the traffic, B a 10% segment. */
  static final double A_PER_LOOK = 900;
  static final double B_PER_LOOK = 100;

  record Run(ExperimentJudgement last, int looks, boolean coveredAtEveryLook) {}

  /** One experiment, looked at every minute until it stops (sample limit 20 000 on B). */
  static Run run(long seed, double rateA, double rateB, ExperimentSettings settings) {
    ConversionCounts a = ConversionCounts.NONE;
    ConversionCounts b = ConversionCounts.NONE;
    Optional<MixtureSprt.Estimate> earlier = Optional.empty();
    boolean covered = true;
    for (int look = 1; ; look++) {
      SplittableRandom random = Draws.random(seed, look);
      int na = Draws.poisson(random, A_PER_LOOK);
      int nb = Draws.poisson(random, B_PER_LOOK);
      a = a.plus(new ConversionCounts(Draws.binomial(random, na, rateA), na));
      b = b.plus(new ConversionCounts(Draws.binomial(random, nb, rateB), nb));
      ExperimentJudgement j =
          ExperimentJudge.judge(settings, a, b, Duration.ofMinutes(look), earlier);
      earlier = Optional.of(j.estimate());
      double truth = rateB - rateA;
      if (!(j.estimate().lower() <= truth && truth <= j.estimate().upper())) {
        covered = false;
      }
      if (j.outcome().stopped()) {
        return new Run(j, look, covered);
      }
    }
  }

  static final ExperimentSettings SETTINGS = ExperimentSettings.of(20_000);

  @Test
  void equalRatesNameAFalseWinnerOrHarmInAtMostAlphaOfFiveHundredSeeds() {
    int seeds = 500;
    int wrong = 0;
    for (long seed = 1; seed <= seeds; seed++) {
      Run run = run(seed, 0.10, 0.10, SETTINGS);
      if (run.last().outcome() != ExperimentJudgement.Outcome.NO_DIFFERENCE) {
        wrong++;
      }
    }
    // each run was looked at about 200 times: a fixed-horizon test peeked at so often would name a
    // false winner in far more than 5% of the runs
    assertThat((double) wrong / seeds).isLessThanOrEqualTo(ALPHA);
  }

  @Test
  void intervalCoversTheTrueUpliftAtEveryLookInAtLeastOneMinusAlphaOfFourHundredSeeds() {
    int seeds = 400;
    int missed = 0;
    // no early stop, so every look of the whole horizon counts
    ExperimentSettings noStop =
        new ExperimentSettings(ALPHA, TAU, 5_000, Optional.empty(), Long.MAX_VALUE);
    for (long seed = 1; seed <= seeds; seed++) {
      if (!run(seed, 0.10, 0.12, noStop).coveredAtEveryLook()) {
        missed++;
      }
    }
    assertThat((double) missed / seeds).isLessThanOrEqualTo(ALPHA);
  }

  @Test
  void aBetterBStopsEarlyAsTheWinner() {
    int seeds = 100;
    int won = 0;
    long looks = 0;
    for (long seed = 1; seed <= seeds; seed++) {
      Run run = run(seed, 0.10, 0.13, SETTINGS);
      if (run.last().outcome() == ExperimentJudgement.Outcome.B_WINS) {
        won++;
        looks += run.looks();
      }
    }
    assertThat(won).isGreaterThanOrEqualTo(95);
    // early: well before B's 20 000 trials (200 looks)
    assertThat(looks / won).isLessThan(100);
  }

  @Test
  void aWorseBStopsEarlyAsHarm() {
    Run run = run(7, 0.10, 0.06, SETTINGS);
    assertThat(run.last().outcome()).isEqualTo(ExperimentJudgement.Outcome.B_HARMS);
    assertThat(run.last().estimate().upper()).isNegative();
    assertThat(run.last().message()).contains("B harms: keep A");
  }

  @Test
  void theSampleLimitEndsAnUnclearExperiment() {
    Run run = run(3, 0.10, 0.10, ExperimentSettings.of(1_000));
    assertThat(run.last().outcome()).isEqualTo(ExperimentJudgement.Outcome.NO_DIFFERENCE);
    assertThat(run.last().b().trials()).isGreaterThanOrEqualTo(1_000);
    assertThat(run.last().message()).contains("sample limit of 1000 trials per variant reached");
  }

  @Test
  void theTimeLimitEndsAnUnclearExperiment() {
    ExperimentSettings settings =
        new ExperimentSettings(ALPHA, TAU, 1_000_000, Optional.of(Duration.ofMinutes(30)), 100);
    Run run = run(3, 0.10, 0.10, settings);
    assertThat(run.looks()).isEqualTo(30);
    assertThat(run.last().message()).contains("time limit reached");
  }

  @Test
  void theMessageShowsRatesUpliftAndInterval() {
    ExperimentJudgement j =
        ExperimentJudge.judge(
            SETTINGS,
            new ConversionCounts(1000, 10000),
            new ConversionCounts(1300, 10000),
            Duration.ofMinutes(5),
            Optional.empty());
    assertThat(j.message())
        .isEqualTo(
            "B 13.0% (1300/10000) vs A 10.0% (1000/10000): uplift +3.0 points [+1.6, +4.4] (95%"
                + " always-valid), p = 3.32e-09 — B wins: promote B");
  }
}
