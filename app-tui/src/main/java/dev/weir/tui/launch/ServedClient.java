package dev.weir.tui.launch;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Hands {@code weir status --sandbox …} to the running {@code weir sandbox serve}, when there is
 * one, instead of starting the engine in this JVM (decision 0014): the serving process has its
 * classes loaded and compiled, the sandbox in its own heap, and answers in a fraction of the time.
 * Any doubt — another command, an option this class does not know, a relative path it cannot
 * resolve, no socket, a server of another build — and the command runs here as always.
 *
 * <p>Loads nothing but {@code java.base}, and avoids what bootstraps at first use (lambdas, string
 * concatenation, regular expressions) on its way: the point is to cost little beside the JVM's
 * start.
 */
public final class ServedClient {

  /** Options of {@code weir status} that take a value, and those of them that name a file. */
  private static final Set<String> VALUED =
      Set.of(
          "--repo",
          "--branch",
          "--trusted-keys",
          "--context",
          "--prometheus",
          "--prometheus-ca",
          "-o",
          "--output");

  private static final Set<String> FILES = Set.of("--trusted-keys", "--prometheus-ca");

  private ServedClient() {}

  /**
   * Runs {@code args} in the serving process, writing what it prints to {@code out} and {@code
   * err} in {@code encoding} (this process's {@code stdout.encoding}); empty when the command
   * should run in this process instead (nothing was printed then).
   */
  public static OptionalInt forward(
      String[] args,
      Map<String, String> environment,
      Path home,
      Path workingDirectory,
      String encoding,
      OutputStream out,
      OutputStream err) {
    Optional<List<String>> arguments = servable(args, workingDirectory);
    if (arguments.isEmpty()) {
      return OptionalInt.empty();
    }
    Path socket = dataDirectory(environment, home).resolve(ServedCommand.SOCKET);
    if (!Files.exists(socket)) {
      return OptionalInt.empty();
    }
    SocketChannel channel;
    try {
      channel = SocketChannel.open(StandardProtocolFamily.UNIX);
    } catch (IOException | UnsupportedOperationException e) {
      return OptionalInt.empty();
    }
    try (channel) {
      try {
        channel.connect(UnixDomainSocketAddress.of(socket));
      } catch (IOException e) {
        return OptionalInt.empty(); // left by a server that was killed
      }
      var request =
          new ServedCommand(
              ServedCommand.thisBuild(),
              workingDirectory.toString(),
              home.toString(),
              encoding,
              environment,
              arguments.get());
      DataInputStream in;
      try {
        request.write(
            new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(channel))));
        in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(channel)));
        int first = in.read();
        if (first < 0 || first == ServedCommand.DECLINED) {
          return OptionalInt.empty();
        }
        return OptionalInt.of(answer(first, in, out, err));
      } catch (IOException e) {
        return OptionalInt.empty(); // nothing was printed yet: run it here
      }
    } catch (IOException e) {
      return OptionalInt.empty();
    } catch (Served stopped) {
      PrintStream line = new PrintStream(err, true, StandardCharsets.UTF_8);
      line.println("weir: 'weir sandbox serve' stopped while answering: " + stopped.getMessage());
      return OptionalInt.of(3);
    }
  }

  /** Copies frames until the exit code. */
  private static int answer(int type, DataInputStream in, OutputStream out, OutputStream err)
      throws Served {
    try {
      while (true) {
        switch (type) {
          case ServedCommand.OUT, ServedCommand.ERR -> {
            int length = in.readInt();
            byte[] bytes = in.readNBytes(length);
            OutputStream target = type == ServedCommand.OUT ? out : err;
            target.write(bytes);
            target.flush();
          }
          case ServedCommand.EXIT -> {
            return in.readInt();
          }
          default -> throw new IOException("unexpected frame " + type);
        }
        type = in.read();
        if (type < 0) {
          throw new EOFException("the answer ended early");
        }
      }
    } catch (IOException e) {
      throw new Served(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }
  }

  /**
   * The arguments to send, with relative file paths made absolute; empty unless this is {@code
   * status … --sandbox} with options this class knows.
   */
  static Optional<List<String>> servable(String[] args, Path workingDirectory) {
    if (args.length < 2 || !args[0].equals("status")) {
      return Optional.empty();
    }
    List<String> result = new ArrayList<>();
    result.add("status");
    boolean sandbox = false;
    for (int i = 1; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--sandbox")) {
        sandbox = true;
        result.add(arg);
        continue;
      }
      String name;
      String value;
      int equals = arg.indexOf('=');
      if (arg.startsWith("--") && equals > 0) {
        name = arg.substring(0, equals);
        value = arg.substring(equals + 1);
      } else if (arg.startsWith("-o") && arg.length() > 2 && !arg.startsWith("--")) {
        name = "-o";
        value = arg.substring(arg.charAt(2) == '=' ? 3 : 2);
      } else if (VALUED.contains(arg) && i + 1 < args.length) {
        name = arg;
        value = args[++i];
      } else {
        return Optional.empty();
      }
      if (!VALUED.contains(name)) {
        return Optional.empty();
      }
      if (FILES.contains(name) || name.equals("--repo")) {
        Optional<String> absolute = absolute(name, value, workingDirectory);
        if (absolute.isEmpty()) {
          return Optional.empty();
        }
        value = absolute.get();
      }
      result.add(name.concat("=").concat(value)); // no indy string concatenation: it costs start-up
    }
    return sandbox ? Optional.of(List.copyOf(result)) : Optional.empty();
  }

  /** A file option's value for another working directory; empty when that cannot be known. */
  private static Optional<String> absolute(String name, String value, Path workingDirectory) {
    if (name.equals("--repo") && (value.contains("://") || scpLike(value))) {
      return Optional.of(value); // a URL or an scp-like address: the same from anywhere
    }
    try {
      Path path = Path.of(value);
      if (path.isAbsolute()) {
        return Optional.of(value);
      }
      Path resolved = workingDirectory.resolve(path).toAbsolutePath().normalize();
      return Files.exists(resolved) ? Optional.of(resolved.toString()) : Optional.empty();
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /** {@code user@host:path}, as git reads it (no regular expression: it costs start-up). */
  private static boolean scpLike(String value) {
    int at = value.indexOf('@');
    int colon = value.indexOf(':');
    return at > 0 && colon > at + 1 && value.lastIndexOf('/', colon) < 0;
  }

  /**
   * The sandbox's data directory, as {@code SandboxStateLocation} resolves it (that class is not
   * loaded here, to keep the client's start small): {@code $XDG_DATA_HOME/weir/sandbox} when set
   * to an absolute path, else {@code ~/.local/share/weir/sandbox}.
   */
  static Path dataDirectory(Map<String, String> environment, Path home) {
    String xdg = environment.get("XDG_DATA_HOME");
    Path base =
        xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()
            ? Path.of(xdg)
            : home.resolve(".local").resolve("share");
    return base.resolve("weir").resolve("sandbox");
  }

  /** The serving process went away mid-answer: something was printed, so it cannot be rerun. */
  private static final class Served extends Exception {
    Served(String message) {
      super(message, null, false, false);
    }
  }
}
