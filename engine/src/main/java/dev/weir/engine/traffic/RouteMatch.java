package dev.weir.engine.traffic;

import java.util.Objects;

/**
 * One condition of an A/B route: requests that meet it go to the canary whatever the weight.
 * Immutable.
 */
public sealed interface RouteMatch permits RouteMatch.Header, RouteMatch.Cookie {

  /** How a header's value is compared. */
  enum MatchType {
    EXACT,
    PREFIX,
    REGEX
  }

  /**
   * {@code text} with every regular-expression metacharacter escaped by a backslash, a form that
   * Java, RE2 (Envoy, Gateway API implementations) and PCRE (NGINX) all read the same way.
   */
  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length() + 8);
    for (char c : text.toCharArray()) {
      if ("\\^$.|?*+()[]{}".indexOf(c) >= 0) {
        out.append('\\');
      }
      out.append(c);
    }
    return out.toString();
  }

  /** A request header compared with {@code value}; header names are case-insensitive. */
  record Header(String name, MatchType type, String value) implements RouteMatch {
    public Header {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(value, "value");
    }

    /** The value as a regular expression, whatever the type. */
    public String regex() {
      return switch (type) {
        case EXACT -> "^" + escape(value) + "$";
        case PREFIX -> "^" + escape(value) + ".*";
        case REGEX -> value;
      };
    }
  }

  /** A cookie called {@code name} whose value is {@code value}. */
  record Cookie(String name, String value) implements RouteMatch {
    public Cookie {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
    }

    /** A regular expression that matches a {@code Cookie} header holding this cookie. */
    public String headerRegex() {
      return "^(.*?;\\s*)?" + escape(name) + "=" + escape(value) + "(;.*)?$";
    }
  }
}
