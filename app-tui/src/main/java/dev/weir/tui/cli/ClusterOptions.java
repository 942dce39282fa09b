package dev.weir.tui.cli;

import dev.weir.drills.LocalSandbox;
import dev.weir.sandbox.api.SandboxStateLocation;
import dev.weir.engine.time.EngineClock;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code --sandbox | --kubeconfig FILE [--context NAME]}: the cluster a command works on. With
 * neither, the kubeconfig kubectl would use ({@code $KUBECONFIG}, else {@code ~/.kube/config}).
 */
final class ClusterOptions {

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  Target target;

  static final class Target {
    @Option(names = "--sandbox", description = "The sandbox kept under your data directory (see 'weir sandbox').")
    boolean sandbox;

    @Option(names = "--kubeconfig", paramLabel = "FILE", description = "A kubeconfig file, as kubectl reads it.")
    Path kubeconfig;
  }

  @Option(names = "--context", paramLabel = "NAME", description = "The kubeconfig context (default: its current one).")
  String context;

  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  /**
   * The cluster to talk to. For the sandbox this may start its API server in-process, which the
   * returned connection stops (saving its state) when closed.
   */
  ClusterConnection connect() {
    return connect(false);
  }

  /** As {@link #connect()}; with neither option, the sandbox when {@code sandboxByDefault} ({@code weir tui}). */
  ClusterConnection connect(boolean sandboxByDefault) {
    return connect(sandboxByDefault, ((WeirCommand) command.root().userObject()).environment());
  }

  /**
   * As {@link #connect(boolean)}, in the given environment: for a mixin inside another mixin
   * ({@link ConsoleOptions}), whose injected spec is not the command's.
   */
  ClusterConnection connect(boolean sandboxByDefault, CliEnvironment environment) {
    if (target != null && target.sandbox || target == null && sandboxByDefault) {
      try {
        LocalSandbox sandbox = LocalSandbox.attach(
            SandboxStateLocation.resolve(environment.variables(), environment.home()), EngineClock.system());
        return new ClusterConnection(List.of(sandbox.kubeconfig()), Optional.of("weir-sandbox"), Optional.of(sandbox));
      } catch (IllegalStateException e) {
        throw new CommandException(ExitCodes.UNREACHABLE, e.getMessage());
      } catch (IOException e) {
        throw new CommandException(ExitCodes.UNREACHABLE, "could not start the sandbox: " + e.getMessage());
      }
    }
    List<Path> files;
    if (target != null && target.kubeconfig != null) {
      files = List.of(target.kubeconfig);
    } else {
      String variable = environment.variables().get("KUBECONFIG");
      files = variable != null && !variable.isBlank()
          ? Arrays.stream(variable.split(File.pathSeparator)).filter(s -> !s.isBlank()).map(Path::of).toList()
          : List.of(environment.home().resolve(".kube/config"));
    }
    if (files.stream().noneMatch(Files::isRegularFile)) {
      throw new CommandException(ExitCodes.BAD_INPUT, "no kubeconfig at " + files.getFirst()
          + "; give --kubeconfig FILE, or --sandbox to use the sandbox");
    }
    return new ClusterConnection(files, Optional.ofNullable(context), Optional.empty());
  }

  /** Kubeconfig files (merged in order, as kubectl does), the context, and the sandbox to stop afterwards. */
  record ClusterConnection(List<Path> kubeconfigs, Optional<String> context, Optional<LocalSandbox> sandbox)
      implements AutoCloseable {
    @Override
    public void close() {
      sandbox.ifPresent(s -> {
        try {
          s.close();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }
}
