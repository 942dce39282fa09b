package dev.weir.tui.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.engine.console.ApplicationView;
import dev.weir.engine.console.CommandResult;
import dev.weir.engine.console.FlagAnswer;
import dev.weir.engine.console.FlagView;
import dev.weir.engine.model.FlagChange;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code weir flags list|eval|set}: an application's feature flags (its flagd files), which variant
 * a context gets and why (flagd's own evaluator), and a flag changed as a Git commit with a reason,
 * pushed and synced. Through the console façade only, as every face.
 */
@Command(
    name = "flags",
    mixinStandardHelpOptions = true,
    description = "Feature flags: the flagd files (*.flagd.json) in an application's path.",
    subcommands = {FlagsCommand.ListFlags.class, FlagsCommand.Eval.class, FlagsCommand.Set.class})
final class FlagsCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  /** {@code weir flags list APP}. */
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "Lists the application's flags: state, default variant, fractional split, targeting and last change.")
  static final class ListFlags implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin RepoOptions repo;
    @Mixin ClusterOptions cluster;

    @Parameters(paramLabel = "APP", description = "The application.")
    String app;

    @Override
    public Integer call() {
      return ConsoleSession.run(
          spec,
          repo,
          cluster,
          session -> {
            var view = session.console.snapshot().application(app);
            if (view.isEmpty()) {
              return CompletableFuture.completedFuture(
                  CommandResult.of(CommandResult.Status.BAD_INPUT, "no application named '" + app + "'"));
            }
            List<FlagView> flags = view.get().flags();
            print(spec.commandLine().getOut(), flags);
            return CompletableFuture.completedFuture(
                CommandResult.ok(flags.size() + " flag" + (flags.size() == 1 ? "" : "s") + " in " + app));
          });
    }

    static void print(PrintWriter out, List<FlagView> flags) {
      int width = Math.max(4, flags.stream().mapToInt(f -> f.key().length()).max().orElse(4));
      String format = "%-" + width + "s  %-5s  %-10s  %-20s  %s%n";
      out.printf(format, "FLAG", "STATE", "DEFAULT", "SPLIT", "TARGETING");
      for (FlagView f : flags) {
        out.printf(format, f.key(), f.state(), f.defaultVariant(),
            f.splitText().isEmpty() ? "-" : f.splitText(), f.targeting());
        f.lastChange().ifPresent(c -> out.println("  last change: " + c));
      }
      out.flush();
    }
  }

  /** {@code weir flags eval APP FLAG --context JSON [-o json]}. */
  @Command(
      name = "eval",
      mixinStandardHelpOptions = true,
      description =
          "Which variant the context gets, its value and why (the rule that matched, the default, or disabled),"
              + " evaluated with flagd's own in-process evaluator at Git's head. --context is the evaluation"
              + " context here; the kubeconfig context is --kube-context.")
  static final class Eval implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin RepoOptions repo;

    // --context is the evaluation context here (the issue's contract), so the cluster options are
    // spelled out with the kubeconfig context as --kube-context.
    @Option(names = "--sandbox", description = "The sandbox kept under your data directory (see 'weir sandbox').")
    boolean sandbox;

    @Option(names = "--kubeconfig", paramLabel = "FILE", description = "A kubeconfig file, as kubectl reads it.")
    java.nio.file.Path kubeconfig;

    @Option(names = "--kube-context", paramLabel = "NAME", description = "The kubeconfig context (default: its current one).")
    String kubeContext;

    private ClusterOptions cluster() {
      ClusterOptions cluster = new ClusterOptions();
      if (sandbox || kubeconfig != null) {
        cluster.target = new ClusterOptions.Target();
        cluster.target.sandbox = sandbox;
        cluster.target.kubeconfig = kubeconfig;
      }
      cluster.context = kubeContext;
      cluster.command = spec;
      return cluster;
    }

    @Parameters(index = "0", paramLabel = "APP", description = "The application.")
    String app;

    @Parameters(index = "1", paramLabel = "FLAG", description = "The flag's key.")
    String flag;

    @Option(names = "--context", paramLabel = "JSON", defaultValue = "{}",
        description = "The evaluation context, a JSON object; targetingKey is the targeting key (default: {}).")
    String context;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
        description = "text (default) or json.")
    String output;

    @Override
    public Integer call() {
      Map<String, Object> parsed;
      try {
        @SuppressWarnings("unchecked")
        Map<String, Object> map = JSON.readValue(context, LinkedHashMap.class);
        parsed = map;
      } catch (JsonProcessingException | ClassCastException e) {
        throw new CommandException(ExitCodes.BAD_INPUT, "--context is not a JSON object: " + context);
      }
      if (!output.equals("text") && !output.equals("json")) {
        throw new CommandException(ExitCodes.BAD_INPUT, "-o is text or json, not " + output);
      }
      var out = spec.commandLine().getOut();
      var err = spec.commandLine().getErr();
      try (ConsoleSession session = ConsoleSession.open(repo, cluster(), null, spec.name())) {
        FlagAnswer answer = session.console.evaluateFlag(app, flag, parsed).join();
        if (!answer.result().ok()) {
          err.println("weir: " + answer.result().message());
          err.flush();
          return ConsoleSession.exitCode(answer.result());
        }
        if (output.equals("json")) {
          ObjectNode node = JSON.createObjectNode();
          node.put("application", answer.application());
          node.put("flag", answer.flag());
          if (answer.variant().isPresent()) {
            node.put("variant", answer.variant().get());
          } else {
            node.putNull("variant");
          }
          try {
            node.set("value", answer.value().isPresent() ? JSON.readTree(answer.value().get()) : null);
          } catch (JsonProcessingException e) {
            node.put("value", answer.value().get());
          }
          node.put("reason", answer.reason());
          node.put("why", answer.why());
          out.println(node.toPrettyString());
        } else {
          out.println("variant: " + answer.variant().orElse("(none: the caller's default)"));
          out.println("value:   " + answer.value().orElse("(none)"));
          out.println("reason:  " + answer.reason() + " — " + answer.why());
        }
        out.flush();
        return ExitCodes.OK;
      }
    }
  }

  /**
   * {@code weir flags set APP FLAG (--on|--off|--default V|--fraction V=PCT…|--add-segment
   * SEGMENT|--remove-segment SEGMENT) --reason TEXT}.
   */
  @Command(
      name = "set",
      mixinStandardHelpOptions = true,
      description =
          "Changes one flag as a Git commit: the flag file edited in place (formatting and key order kept),"
              + " authored with your git identity and the reason, pushed, then the application synced so the"
              + " flags ConfigMap (flagd.json) follows. An edit that would not validate changes nothing; a refused"
              + " push leaves the commit in the local clone and the cluster as it was. Prints what it will do"
              + " first; --preview prints only that.")
  static final class Set implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin RepoOptions repo;
    @Mixin ClusterOptions cluster;

    @Parameters(index = "0", paramLabel = "APP", description = "The application.")
    String app;

    @Parameters(index = "1", paramLabel = "FLAG", description = "The flag's key.")
    String flag;

    @ArgGroup(exclusive = true, multiplicity = "1")
    What what;

    static final class What {
      @Option(names = "--on", description = "state: ENABLED.")
      boolean on;

      @Option(names = "--off", description = "state: DISABLED (every caller gets its own default).")
      boolean off;

      @Option(names = "--default", paramLabel = "VARIANT", description = "Another default variant.")
      String defaultVariant;

      @Option(names = "--fraction", paramLabel = "VARIANT=PCT", split = ",",
          description = "New percentages of the flag's fractional split, e.g. --fraction on=50 (one bucket may be left out: it gets the rest).")
      List<String> fractions;

      @Option(names = "--add-segment", paramLabel = "VARIANT:KEY=VALUE[,VALUE…]",
          description = "Serve VARIANT to a segment first, before the rest of the targeting:"
              + " VARIANT:email-domain=example.com (email ends with @example.com),"
              + " VARIANT:users=ann@example.com,bo@example.com (these emails),"
              + " VARIANT:ATTRIBUTE=V1,V2 (the context attribute is one of the values, e.g. on:country=DE,FR).")
      String addSegment;

      @Option(names = "--remove-segment", paramLabel = "VARIANT:KEY=VALUE[,VALUE…]",
          description = "Remove the segment written exactly so (same syntax as --add-segment).")
      String removeSegment;
    }

    @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why; goes into the commit message.")
    String reason;

    @Option(names = "--no-push", description = "Commit in the local clone only (the cluster is not synced).")
    boolean noPush;

    @Option(names = "--preview", description = "Print what the change would do and change nothing.")
    boolean previewOnly;

    FlagChange change() {
      if (what.on || what.off) {
        return new FlagChange.SetState(what.on);
      }
      if (what.defaultVariant != null) {
        return new FlagChange.SetDefault(what.defaultVariant);
      }
      if (what.addSegment != null) {
        return new FlagChange.AddSegment(segment("--add-segment", what.addSegment));
      }
      if (what.removeSegment != null) {
        return new FlagChange.RemoveSegment(segment("--remove-segment", what.removeSegment));
      }
      Map<String, Integer> percents = new LinkedHashMap<>();
      for (String f : what.fractions) {
        int eq = f.indexOf('=');
        try {
          percents.put(f.substring(0, eq).strip(), Integer.parseInt(f.substring(eq + 1).strip().replace("%", "")));
        } catch (RuntimeException e) {
          throw new CommandException(ExitCodes.BAD_INPUT, "--fraction is VARIANT=PCT, e.g. on=50; not " + f);
        }
      }
      try {
        return new FlagChange.SetFractions(percents);
      } catch (IllegalArgumentException e) {
        throw new CommandException(ExitCodes.BAD_INPUT, "--fraction: " + e.getMessage());
      }
    }

    /**
     * A segment as the command line writes it, {@code VARIANT:KEY=VALUE[,VALUE…]}: {@code
     * email-domain} is one domain (the email ends with {@code @domain}), {@code users} a list of
     * emails, any other key a context attribute whose value is one of the values.
     */
    static FlagChange.Segment segment(String option, String text) {
      int colon = text.indexOf(':');
      int eq = text.indexOf('=', Math.max(colon, 0));
      String usage = option + " is VARIANT:email-domain=DOMAIN, VARIANT:users=EMAIL[,EMAIL…] or"
          + " VARIANT:ATTRIBUTE=VALUE[,VALUE…] (e.g. on:country=DE,FR); not " + text;
      if (colon <= 0 || eq < 0 || eq == colon + 1) {
        throw new CommandException(ExitCodes.BAD_INPUT, usage);
      }
      String variant = text.substring(0, colon).strip();
      String key = text.substring(colon + 1, eq).strip();
      List<String> values = java.util.Arrays.stream(text.substring(eq + 1).split(","))
          .map(String::strip)
          .toList();
      if (variant.isEmpty() || key.isEmpty() || values.stream().anyMatch(String::isEmpty)) {
        throw new CommandException(ExitCodes.BAD_INPUT, usage);
      }
      return switch (key) {
        case "email-domain" -> {
          if (values.size() != 1) {
            throw new CommandException(ExitCodes.BAD_INPUT,
                option + ": email-domain takes one domain (add one segment per domain); not " + text);
          }
          String domain = values.getFirst();
          yield new FlagChange.Segment("email", FlagChange.Segment.Match.ENDS_WITH,
              List.of(domain.startsWith("@") ? domain : "@" + domain), variant);
        }
        case "users" -> new FlagChange.Segment("email", FlagChange.Segment.Match.IN, values, variant);
        default -> new FlagChange.Segment(key, FlagChange.Segment.Match.IN, values, variant);
      };
    }

    @Override
    public Integer call() {
      FlagChange change = change();
      return ConsoleSession.run(
          spec,
          repo,
          cluster,
          session -> session.console.previewSetFlag(app, flag, change, reason, !noPush),
          session -> session.console.setFlag(app, flag, change, reason, !noPush),
          previewOnly);
    }
  }
}
