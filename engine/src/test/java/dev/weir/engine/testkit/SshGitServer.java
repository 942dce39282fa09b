package dev.weir.engine.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.ReceivePack;
import org.eclipse.jgit.transport.UploadPack;

/**
 * A real SSH Git server on a loopback port: Apache MINA sshd with public-key authentication,
 * serving {@code git-upload-pack} and {@code git-receive-pack} for the bare repositories under a
 * root directory with JGit's {@link UploadPack} and {@link ReceivePack}. Its host key is generated
 * on start; {@link #knownHostsLine()} is what a client's {@code known_hosts} needs.
 */
public final class SshGitServer implements AutoCloseable {
  private final SshServer server;
  private final Path root;
  private final KeyPair hostKey;
  private final AtomicReference<Runnable> beforeNextPush = new AtomicReference<>();

  private SshGitServer(SshServer server, Path root, KeyPair hostKey) {
    this.server = server;
    this.root = root;
    this.hostKey = hostKey;
  }

  /**
   * Starts a server for the repositories under {@code root}, admitting only {@code authorizedKey}.
   */
  public static SshGitServer start(Path root, PublicKey authorizedKey) {
    try {
      KeyPair hostKey = KeyUtils.generateKeyPair(KeyPairProvider.ECDSA_SHA2_NISTP256, 256);
      SshServer server = SshServer.setUpDefaultServer();
      server.setHost("127.0.0.1");
      server.setPort(0);
      server.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
      server.setPublickeyAuthenticator(
          (user, key, session) -> KeyUtils.compareKeys(key, authorizedKey));
      server.setPasswordAuthenticator(null);
      server.setKeyboardInteractiveAuthenticator(null);
      SshGitServer git = new SshGitServer(server, root, hostKey);
      server.setCommandFactory((channel, command) -> git.new GitCommand(command));
      server.start();
      return git;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public int port() {
    return server.getPort();
  }

  /** The SSH URL of the repository {@code name} under the root. */
  public String url(String name) {
    return "ssh://git@127.0.0.1:" + port() + "/" + name;
  }

  public PublicKey hostKey() {
    return hostKey.getPublic();
  }

  /** The server's {@code known_hosts} line. */
  public String knownHostsLine() {
    return knownHostsLine(port(), hostKey.getPublic());
  }

  /** A {@code known_hosts} line claiming {@code key} for 127.0.0.1 at {@code port}. */
  public static String knownHostsLine(int port, PublicKey key) {
    return "[127.0.0.1]:" + port + " " + PublicKeyEntry.toString(key);
  }

  /** The SHA256 fingerprint of a key, as ssh shows it. */
  public static String fingerprint(PublicKey key) {
    return KeyUtils.getFingerPrint(key);
  }

  /**
   * Runs {@code action} once, when the next push connects, before the server advertises its refs.
   */
  public void beforeNextPush(Runnable action) {
    beforeNextPush.set(action);
  }

  /**
   * Generates an ECDSA key pair and writes it as {@code id_ecdsa}/{@code id_ecdsa.pub} (OpenSSH
   * format).
   */
  public static KeyPair writeClientKey(Path sshDirectory) {
    try {
      Files.createDirectories(sshDirectory);
      KeyPair pair = KeyUtils.generateKeyPair(KeyPairProvider.ECDSA_SHA2_NISTP256, 256);
      Path key = sshDirectory.resolve("id_ecdsa");
      try (OutputStream out = Files.newOutputStream(key)) {
        OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(pair, "weir-test", null, out);
      }
      Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
      Files.writeString(
          sshDirectory.resolve("id_ecdsa.pub"),
          PublicKeyEntry.toString(pair.getPublic()) + " weir-test\n");
      return pair;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    try {
      server.stop(true);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One {@code git-upload-pack} or {@code git-receive-pack} exec request. */
  private final class GitCommand implements Command {
    private final String command;
    private InputStream in;
    private OutputStream out;
    private OutputStream err;
    private ExitCallback exit;

    GitCommand(String command) {
      this.command = command;
    }

    @Override
    public void setInputStream(InputStream in) {
      this.in = in;
    }

    @Override
    public void setOutputStream(OutputStream out) {
      this.out = out;
    }

    @Override
    public void setErrorStream(OutputStream err) {
      this.err = err;
    }

    @Override
    public void setExitCallback(ExitCallback callback) {
      this.exit = callback;
    }

    @Override
    public void start(ChannelSession channel, Environment environment) {
      String protocol = environment.getEnv().get("GIT_PROTOCOL");
      Thread thread = new Thread(() -> serve(protocol), "ssh-git " + command);
      thread.setDaemon(true);
      thread.start();
    }

    private void serve(String protocol) {
      List<String> words = List.of(command.split(" ", 2));
      String verb = words.get(0);
      String path = words.size() < 2 ? "" : words.get(1).replace("'", "").replaceFirst("^/+", "");
      try (Repository repository =
          new FileRepositoryBuilder()
              .setGitDir(root.resolve(path).toFile())
              .setMustExist(true)
              .build()) {
        if (verb.equals("git-upload-pack")) {
          UploadPack upload = new UploadPack(repository);
          if (protocol != null) {
            upload.setExtraParameters(List.of(protocol.split(":")));
          }
          upload.upload(in, out, err);
        } else if (verb.equals("git-receive-pack")) {
          Runnable action = beforeNextPush.getAndSet(null);
          if (action != null) {
            action.run();
          }
          new ReceivePack(repository).receive(in, out, err);
        } else {
          throw new IOException("unsupported command: " + command);
        }
        out.flush();
        exit.onExit(0);
      } catch (IOException | RuntimeException e) {
        try {
          err.write((e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8));
          err.flush();
        } catch (IOException ignored) {
          // the client is gone
        }
        exit.onExit(1, String.valueOf(e.getMessage()));
      }
    }

    @Override
    public void destroy(ChannelSession channel) {}
  }
}
