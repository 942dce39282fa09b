package dev.weir.engine.git;

import java.util.regex.Pattern;

/** Removes passwords from URLs and messages before they reach a log, an error or the screen. */
final class Redaction {
  // scheme://user:password@host → scheme://user:***@host; a lone user name is not a secret.
  private static final Pattern URL_PASSWORD =
      Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]*://[^/@:\\s]*):[^/@\\s]*@");

  private Redaction() {}

  /** The URL with any password replaced by {@code ***}. */
  static String url(String url) {
    return url == null ? null : URL_PASSWORD.matcher(url).replaceAll("$1:***@");
  }

  /** The text with every URL password and every given secret replaced by {@code ***}. */
  static String text(String text, Iterable<String> secrets) {
    if (text == null) {
      return "";
    }
    String result = url(text);
    for (String secret : secrets) {
      if (secret != null && secret.length() >= 3) {
        result = result.replace(secret, "***");
      }
    }
    return result;
  }
}
