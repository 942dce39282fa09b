package dev.weir.tui.cli;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the arguments of the incident controls ({@code freeze}, {@code hotfix}, {@code backport}):
 * durations such as {@code 2h}, one application or {@code --all} (objects and fields are read by
 * the engine, as the diff shows them). Bad input is a {@link CommandException} with exit code 2 and one line naming the
 * option. Stateless.
 */
final class IncidentArguments {
  private static final Pattern DURATION =
      Pattern.compile("(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");

  private IncidentArguments() {}

  /** {@code 2h}, {@code 30m}, {@code 1h30m}, {@code 1d}, {@code 90s}; more than zero. */
  static Duration duration(String option, String text) {
    Matcher m = DURATION.matcher(text == null ? "" : text.strip().toLowerCase(Locale.ROOT));
    if (text == null || text.isBlank() || !m.matches()) {
      throw badDuration(option, text);
    }
    try {
      Duration duration =
          Duration.ofDays(part(m.group(1)))
              .plusHours(part(m.group(2)))
              .plusMinutes(part(m.group(3)))
              .plusSeconds(part(m.group(4)));
      if (duration.isZero()) {
        throw badDuration(option, text);
      }
      return duration;
    } catch (ArithmeticException e) {
      throw badDuration(option, text);
    }
  }

  private static long part(String digits) {
    return digits == null ? 0 : Long.parseLong(digits);
  }

  private static CommandException badDuration(String option, String text) {
    return new CommandException(
        ExitCodes.BAD_INPUT,
        option + " '" + text + "' is not a duration; use e.g. 30m, 2h, 1h30m or 1d");
  }

  /** The application named {@code app}, or {@code null} (every application) with {@code --all}. */
  static String applicationOrAll(String app, boolean all) {
    if (all == (app != null)) {
      throw new CommandException(
          ExitCodes.BAD_INPUT, "name one application, or --all for every application");
    }
    return app;
  }
}
