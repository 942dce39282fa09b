package dev.weir.tui.cli;

import dev.weir.engine.console.ApplicationView;
import dev.weir.engine.console.ConsoleSnapshot;
import dev.weir.engine.console.ResourceView;
import dev.weir.engine.model.ResourceKey;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the arguments of the incident controls ({@code freeze}, {@code hotfix}, {@code backport}):
 * durations such as {@code 2h}, objects named {@code KIND/NAME}, fields as dotted paths or JSON
 * pointers. Bad input is a {@link CommandException} with exit code 2 and one line naming the
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

  /**
   * The object of {@code application} that {@code text} names: {@code KIND/NAME} or {@code
   * KIND/NAMESPACE/NAME}; the kind may be written {@code kind.group} and in any case.
   */
  static ResourceKey resource(ConsoleSnapshot snapshot, String application, String text) {
    ApplicationView view = StatusCommand.view(snapshot, application);
    String[] parts = text.split("/", -1);
    if (parts.length < 2 || parts.length > 3 || List.of(parts).stream().anyMatch(String::isBlank)) {
      throw new CommandException(
          ExitCodes.BAD_INPUT, "--resource '" + text + "' is not KIND/NAME or KIND/NAMESPACE/NAME");
    }
    String kind = parts[0];
    String namespace = parts.length == 3 ? parts[1] : null;
    String name = parts[parts.length - 1];
    List<ResourceKey> matches =
        view.resources().stream()
            .map(ResourceView::key)
            .filter(k -> k.name().equals(name))
            .filter(k -> namespace == null || k.namespace().equals(namespace))
            .filter(
                k ->
                    k.kind().equalsIgnoreCase(kind)
                        || (k.kind() + "." + k.group()).equalsIgnoreCase(kind))
            .toList();
    if (matches.size() == 1) {
      return matches.getFirst();
    }
    throw new CommandException(
        ExitCodes.BAD_INPUT,
        matches.isEmpty()
            ? application + " has no object " + text
            : "--resource '"
                + text
                + "' is ambiguous in "
                + application
                + ": "
                + matches
                + "; use KIND.GROUP/NAMESPACE/NAME");
  }

  /**
   * A field as a JSON pointer: {@code /spec/replicas} as it is, {@code spec.replicas} converted.
   */
  static String pointer(String field) {
    if (field == null || field.isEmpty()) {
      return "";
    }
    if (field.startsWith("/")) {
      return field;
    }
    StringBuilder pointer = new StringBuilder();
    for (String part : field.split("\\.", -1)) {
      if (part.isEmpty()) {
        throw new CommandException(
            ExitCodes.BAD_INPUT,
            "--field '" + field + "' is not a path such as spec.replicas or /spec/replicas");
      }
      pointer.append('/').append(part.replace("~", "~0").replace("/", "~1"));
    }
    return pointer.toString();
  }
}
