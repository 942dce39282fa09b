package dev.weir.engine.git;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes credentials from URLs and messages before they reach a log, an error or the screen. A
 * URL's user info is masked whole ({@code https://***@host/…}): a token is often given as the user
 * name alone. The one exception is an SSH user name without a password ({@code ssh://git@host/…}):
 * it names the key's login and is not a secret.
 */
final class Redaction {
  // scheme://USERINFO@ — the user info runs to the last '@' before the path or a blank.
  private static final Pattern URL_USER_INFO =
      Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]*)://([^/\\s]*)@");
  private static final Set<String> SSH_SCHEMES = Set.of("ssh", "git+ssh", "ssh+git");

  private Redaction() {}

  /** The URL, or any text, with the user info of every URL in it replaced by {@code ***}. */
  static String url(String url) {
    if (url == null) {
      return null;
    }
    Matcher m = URL_USER_INFO.matcher(url);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String scheme = m.group(1);
      String userInfo = m.group(2);
      boolean sshUser =
          SSH_SCHEMES.contains(scheme.toLowerCase(Locale.ROOT)) && !userInfo.contains(":");
      String replacement = sshUser ? m.group() : scheme + "://***@";
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** The text with every URL's user info and every given secret replaced by {@code ***}. */
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
