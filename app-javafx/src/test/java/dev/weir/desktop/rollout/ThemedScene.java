package dev.weir.desktop.rollout;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import dev.weir.themes.JavaFxCss;
import dev.weir.themes.Theme;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javafx.application.Application;
import javafx.scene.Parent;
import javafx.scene.Scene;

/**
 * A scene as the desktop window themes it: AtlantaFX's Primer (light, or dark for the dark and
 * high-contrast themes) as the user-agent sheet and the Weir theme's looked-up colours
 * ({@link JavaFxCss}) as a scene sheet, so the panel's own sheet resolves {@code -weir-*}.
 */
final class ThemedScene {
  private ThemedScene() {}

  static Scene of(Parent root, Theme theme, double width, double height) {
    Scene scene = new Scene(root, width, height);
    apply(scene, theme);
    return scene;
  }

  static void apply(Scene scene, Theme theme) {
    Application.setUserAgentStylesheet(
        theme == Theme.LIGHT
            ? new PrimerLight().getUserAgentStylesheet()
            : new PrimerDark().getUserAgentStylesheet());
    scene
        .getStylesheets()
        .setAll(
            "data:text/css;base64,"
                + Base64.getEncoder()
                    .encodeToString(JavaFxCss.of(theme).getBytes(StandardCharsets.UTF_8)));
  }
}
