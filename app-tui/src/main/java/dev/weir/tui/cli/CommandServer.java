package dev.weir.tui.cli;

import dev.weir.sandbox.api.SandboxStateLocation;
import dev.weir.tui.launch.ServedCommand;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * The serving side of {@link dev.weir.tui.launch.ServedClient}: {@code weir sandbox serve} answers
 * {@code weir status --sandbox} for other processes of the same user, on the Unix domain socket
 * {@code commands.sock} in the sandbox's data directory (decision 0014).
 *
 * <p>Design note. A forwarded command runs exactly as it would in the client's JVM — the same
 * picocli command, the same engine pass (Git fetched, rendered and compared with the cluster now),
 * with the client's environment, home folder and stdout encoding — only in a JVM that is already
 * warm, and that reaches the sandbox it serves over HTTPS through the kubeconfig as any client
 * does. So its rows are the ones the client would have printed. What is served is deliberately
 * narrow ({@code status}); anything else is declined and runs in the client. The socket is {@code
 * 0600}, and a connection from another user is refused (peer credentials), since a forwarded
 * command acts with the serving user's rights.
 *
 * <p>Thread-safe: each connection is answered on its own virtual thread.
 */
final class CommandServer implements AutoCloseable {
  private final Path socket;
  private final ServerSocketChannel channel;
  private final UserPrincipal owner;
  private final String fingerprint = ServedCommand.thisBuild();
  private final AtomicInteger served = new AtomicInteger();
  private final Thread acceptor;

  private CommandServer(Path socket, ServerSocketChannel channel, UserPrincipal owner) {
    this.socket = socket;
    this.channel = channel;
    this.owner = owner;
    this.acceptor = Thread.ofPlatform().daemon().name("weir-commands").unstarted(this::accept);
  }

  /**
   * Listens on {@code commands.sock} in {@code location}'s directory. Call only while this process
   * owns the sandbox ({@code LocalSandbox.serve}): a socket file found there is then stale and is
   * replaced.
   *
   * @throws IOException when the socket cannot be made (a path too long for a Unix socket, say)
   */
  static CommandServer start(SandboxStateLocation location) throws IOException {
    Path socket = location.directory().resolve(ServedCommand.SOCKET);
    Files.deleteIfExists(socket);
    ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      channel.bind(UnixDomainSocketAddress.of(socket));
      Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
      UserPrincipal owner = Files.getOwner(socket);
      CommandServer server = new CommandServer(socket, channel, owner);
      server.acceptor.start();
      return server;
    } catch (IOException | RuntimeException e) {
      channel.close();
      Files.deleteIfExists(socket);
      throw e;
    }
  }

  /**
   * Runs one {@code weir status --repo repository --sandbox} in the background, printing nothing,
   * so that the first status a person asks for finds the code loaded and compiled: the first one
   * after the serve started took seconds, the next ones a fraction. The same command a person would
   * run (it reads, never writes); its clone lands in the cache as theirs would.
   */
  void warmUp(Path repository, CliEnvironment environment) {
    Thread.ofPlatform()
        .daemon()
        .name("weir-commands-warm-up")
        .priority(Thread.MIN_PRIORITY)
        .start(
            () -> {
              String[] args = {"status", "--repo", repository.toString(), "--sandbox"};
              var commandLine = WeirCommand.commandLine(environment, args);
              PrintWriter nothing = new PrintWriter(OutputStream.nullOutputStream());
              commandLine.setOut(nothing);
              commandLine.setErr(nothing);
              commandLine.execute(args);
            });
  }

  /** How many commands this server ran (declined ones not counted). */
  int served() {
    return served.get();
  }

  /** The socket's path. */
  Path socket() {
    return socket;
  }

  private void accept() {
    while (channel.isOpen()) {
      SocketChannel connection;
      try {
        connection = channel.accept();
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException e) {
        continue;
      }
      Thread.ofVirtual().name("weir-command").start(() -> answer(connection));
    }
  }

  private void answer(SocketChannel connection) {
    try (connection) {
      UnixDomainPrincipal peer = connection.getOption(ExtendedSocketOptions.SO_PEERCRED);
      if (peer == null || !Objects.equals(peer.user(), owner)) {
        return; // another user: not even an answer
      }
      var in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(connection)));
      var out = new DataOutputStream(Channels.newOutputStream(connection));
      ServedCommand command;
      try {
        command = ServedCommand.read(in);
      } catch (IOException e) {
        return;
      }
      Optional<String> declined = declined(command);
      if (declined.isPresent()) {
        synchronized (out) {
          out.writeByte(ServedCommand.DECLINED);
          out.writeUTF(declined.get());
          out.flush();
        }
        return;
      }
      served.incrementAndGet();
      int code = run(command, out);
      synchronized (out) {
        out.writeByte(ServedCommand.EXIT);
        out.writeInt(code);
        out.flush();
      }
    } catch (IOException | RuntimeException e) {
      // the client went away, or the command failed beyond its own handling: the client says so
    }
  }

  /** Why this server does not run {@code command}; empty when it does. */
  private Optional<String> declined(ServedCommand command) {
    if (!command.fingerprint().equals(fingerprint)) {
      return Optional.of("another build of weir serves the sandbox");
    }
    if (command.arguments().isEmpty()
        || !command.arguments().getFirst().equals("status")
        || !command.arguments().contains("--sandbox")) {
      return Optional.of("only 'status --sandbox' is served");
    }
    if (!Objects.equals(command.environment().get("PATH"), System.getenv("PATH"))) {
      // kustomize and helm are found on the PATH: the client's could render differently
      return Optional.of("another PATH");
    }
    if (!Charset.isSupported(command.encoding())) {
      return Optional.of("unknown encoding " + command.encoding());
    }
    return Optional.empty();
  }

  private static int run(ServedCommand command, DataOutputStream connection) {
    Charset charset = Charset.forName(command.encoding());
    var environment = new CliEnvironment(command.environment(), Path.of(command.home()));
    String[] args = command.arguments().toArray(String[]::new);
    var commandLine = WeirCommand.commandLine(environment, args);
    commandLine.setOut(writer(ServedCommand.OUT, connection, charset));
    commandLine.setErr(writer(ServedCommand.ERR, connection, charset));
    int code = commandLine.execute(args);
    commandLine.getOut().flush();
    commandLine.getErr().flush();
    return code;
  }

  private static PrintWriter writer(byte type, DataOutputStream connection, Charset charset) {
    OutputStream frames =
        new OutputStream() {
          @Override
          public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
          }

          @Override
          public void write(byte[] bytes, int offset, int length) throws IOException {
            if (length == 0) {
              return;
            }
            synchronized (connection) {
              connection.writeByte(type);
              connection.writeInt(length);
              connection.write(bytes, offset, length);
              connection.flush();
            }
          }
        };
    return new PrintWriter(new OutputStreamWriter(frames, charset), true);
  }

  /** Stops answering and removes the socket. */
  @Override
  public void close() throws IOException {
    channel.close();
    Files.deleteIfExists(socket);
  }
}
