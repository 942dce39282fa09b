package dev.weir.themes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ThemeTest {
  /** Tokens drawn as text (or as text-sized marks) on the background and on surfaces. */
  static final Set<Token> TEXT =
      EnumSet.of(
          Token.FG_DEFAULT,
          Token.FG_MUTED,
          Token.ACCENT,
          Token.SUCCESS,
          Token.WARNING,
          Token.DANGER,
          Token.INFO,
          Token.CANARY,
          Token.STABLE,
          Token.THRESHOLD,
          Token.DIFF_ADDED,
          Token.DIFF_REMOVED);

  static double minimumContrast(Theme theme) {
    return theme == Theme.HIGH_CONTRAST ? 7.0 : 4.5;
  }

  @ParameterizedTest
  @EnumSource(Theme.class)
  void everyTokenHasAColourAndOneOfTheSixteen(Theme theme) {
    for (Token token : Token.values()) {
      assertThat(theme.rgb(token)).as(theme.id() + " " + token).isNotNull();
      assertThat(theme.ansi16(token)).as(theme.id() + " " + token).isNotNull();
      assertThat(theme.ansi256(token)).as(theme.id() + " " + token).isBetween(16, 255);
    }
  }

  @ParameterizedTest
  @EnumSource(Theme.class)
  void textIsReadableOnTheBackgroundAndOnSurfaces(Theme theme) {
    for (Token token : TEXT) {
      for (Token ground : EnumSet.of(Token.BACKGROUND, Token.SURFACE)) {
        double contrast = theme.rgb(token).contrast(theme.rgb(ground));
        assertThat(contrast)
            .as("%s: %s %s on %s %s", theme.id(), token, theme.rgb(token), ground, theme.rgb(ground))
            .isGreaterThanOrEqualTo(minimumContrast(theme));
      }
    }
    assertThat(theme.rgb(Token.SELECTION_FG).contrast(theme.rgb(Token.SELECTION_BG)))
        .as(theme.id() + ": the selected row's text")
        .isGreaterThanOrEqualTo(minimumContrast(theme));
  }

  @ParameterizedTest
  @EnumSource(Theme.class)
  void canaryAndStableDifferForEveryKindOfColourVision(Theme theme) {
    for (ColourVision vision : ColourVision.values()) {
      double difference =
          vision.seen(theme.rgb(Token.CANARY)).distance(vision.seen(theme.rgb(Token.STABLE)));
      assertThat(difference)
          .as("%s, %s: canary %s against stable %s (CIE76 ΔE)", theme.id(), vision,
              theme.rgb(Token.CANARY), theme.rgb(Token.STABLE))
          .isGreaterThan(25);
    }
    assertThat(theme.ansi16(Token.CANARY)).isNotEqualTo(theme.ansi16(Token.STABLE));
    assertThat(theme.ansi256(Token.CANARY)).isNotEqualTo(theme.ansi256(Token.STABLE));
  }

  @ParameterizedTest
  @EnumSource(Theme.class)
  void successAndDangerDifferForEveryKindOfColourVision(Theme theme) {
    // badges carry an icon and a word too; the colour should still not mislead
    for (ColourVision vision : ColourVision.values()) {
      double difference =
          vision.seen(theme.rgb(Token.SUCCESS)).distance(vision.seen(theme.rgb(Token.DANGER)));
      assertThat(difference).as("%s, %s", theme.id(), vision).isGreaterThan(10);
    }
  }

  @ParameterizedTest
  @EnumSource(Theme.class)
  void theThresholdLineStandsApartFromBothVersions(Theme theme) {
    for (Token version : EnumSet.of(Token.CANARY, Token.STABLE)) {
      assertThat(Lab.of(theme.rgb(Token.THRESHOLD)).distance(Lab.of(theme.rgb(version))))
          .as(theme.id() + ": the threshold line against " + version)
          .isGreaterThan(20);
    }
  }

  @org.junit.jupiter.api.Test
  void themesAreFoundByTheNamesUsersGive() {
    assertThat(Theme.byId("dark")).contains(Theme.DARK);
    assertThat(Theme.byId(" Light ")).contains(Theme.LIGHT);
    assertThat(Theme.byId("high-contrast")).contains(Theme.HIGH_CONTRAST);
    assertThat(Theme.byId("solarized")).isEmpty();
    assertThat(Theme.byId(null)).isEmpty();
  }
}
