package dev.weir.themes;

/**
 * A theme as a JavaFX style sheet of looked-up colours: {@code .root { -weir-danger: #ff6b66; … }}.
 * The desktop's own style sheet refers to these names only ({@code -fx-text-fill: -weir-danger}),
 * so switching theme is switching this one sheet.
 */
public final class JavaFxCss {
  private JavaFxCss() {}

  /** The style sheet's text. */
  public static String of(Theme theme) {
    StringBuilder css = new StringBuilder();
    css.append("/* Weir theme '").append(theme.id()).append("', generated from dev.weir.themes.Theme */\n");
    css.append(".root {\n");
    for (Token token : Token.values()) {
      css.append("  -weir-").append(token.cssName()).append(": ").append(theme.rgb(token).hex()).append(";\n");
    }
    css.append("}\n");
    return css.toString();
  }
}
