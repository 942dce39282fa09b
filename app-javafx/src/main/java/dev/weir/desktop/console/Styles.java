package dev.weir.desktop.console;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import dev.weir.themes.JavaFxCss;
import dev.weir.themes.Rgb;
import dev.weir.themes.Theme;
import dev.weir.themes.Token;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import javafx.application.Application;
import javafx.scene.Scene;

/**
 * A theme applied to a scene: AtlantaFX's Primer (light or dark, by the theme's background) as the
 * user-agent base, then the theme's tokens ({@link JavaFxCss}) and the console's own sheet, which
 * uses only those tokens. Switching theme swaps the first two sheets. Stateless.
 */
final class Styles {
  private static final String OWN = Styles.class.getResource("/dev/weir/desktop/desktop.css").toExternalForm();

  private Styles() {}

  /** Applies {@code theme} to {@code scene} (on the JavaFX thread). */
  static void apply(Scene scene, Theme theme) {
    Application.setUserAgentStylesheet(
        dark(theme) ? new PrimerDark().getUserAgentStylesheet() : new PrimerLight().getUserAgentStylesheet());
    scene.getStylesheets().setAll(sheets(theme));
  }

  /** The scene's own sheets for {@code theme}, in order. */
  static List<String> sheets(Theme theme) {
    return List.of(dataUri(JavaFxCss.of(theme) + tints(theme)), OWN);
  }

  /** Whether the theme draws light text on a dark background. */
  static boolean dark(Theme theme) {
    return theme.rgb(Token.BACKGROUND).luminance() < 0.5;
  }

  /** Translucent backgrounds derived from the tokens (JavaFX CSS cannot add alpha to a looked-up colour). */
  private static String tints(Theme theme) {
    return ".root {\n"
        + "  -weir-diff-added-bg: " + rgba(theme.rgb(Token.DIFF_ADDED), dark(theme) ? 0.20 : 0.14) + ";\n"
        + "  -weir-diff-removed-bg: " + rgba(theme.rgb(Token.DIFF_REMOVED), dark(theme) ? 0.20 : 0.12) + ";\n"
        + "  -weir-scrim: " + (dark(theme) ? "rgba(0,0,0,0.55)" : "rgba(0,0,0,0.30)") + ";\n"
        + "}\n";
  }

  private static String rgba(Rgb rgb, double alpha) {
    return "rgba(" + rgb.red() + "," + rgb.green() + "," + rgb.blue() + "," + alpha + ")";
  }

  private static String dataUri(String css) {
    return "data:text/css;base64," + Base64.getEncoder().encodeToString(css.getBytes(StandardCharsets.UTF_8));
  }
}
