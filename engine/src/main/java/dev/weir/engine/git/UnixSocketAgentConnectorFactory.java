package dev.weir.engine.git;

import java.io.File;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.transport.sshd.agent.AbstractConnector;
import org.eclipse.jgit.transport.sshd.agent.Connector;
import org.eclipse.jgit.transport.sshd.agent.ConnectorFactory;

/**
 * Reaches the user's ssh-agent over its Unix domain socket with the JDK's own socket channels, so
 * no native library (JNA) is needed. The socket comes from the ssh config's {@code IdentityAgent}
 * or from {@code SSH_AUTH_SOCK} in the injected environment; {@code none} disables the agent.
 *
 * <p>Thread-safe; each connector serves one SSH session.
 */
final class UnixSocketAgentConnectorFactory implements ConnectorFactory {
  private static final String AUTH_SOCK = "SSH_AUTH_SOCK";

  private static final ConnectorDescriptor DESCRIPTOR =
      new ConnectorDescriptor() {
        @Override
        public String getIdentityAgent() {
          return AUTH_SOCK;
        }

        @Override
        public String getDisplayName() {
          return "ssh-agent (SSH_AUTH_SOCK)";
        }
      };

  private final Map<String, String> environment;

  UnixSocketAgentConnectorFactory(Map<String, String> environment) {
    this.environment = environment;
  }

  @Override
  public Connector create(String identityAgent, File homeDir) {
    return new UnixSocketConnector(socketPath(identityAgent, homeDir));
  }

  private String socketPath(String identityAgent, File homeDir) {
    String agent = identityAgent;
    if (agent == null || agent.isBlank() || agent.equals(AUTH_SOCK)) {
      return environment.get(AUTH_SOCK);
    }
    if (agent.equalsIgnoreCase("none")) {
      return null;
    }
    if (agent.startsWith("$")) {
      return environment.get(agent.substring(1).replace("{", "").replace("}", ""));
    }
    if (agent.startsWith("~/") && homeDir != null) {
      return new File(homeDir, agent.substring(2)).getPath();
    }
    return agent;
  }

  @Override
  public boolean isSupported() {
    return !System.getProperty("os.name", "").toLowerCase().startsWith("windows");
  }

  @Override
  public String getName() {
    return "weir-unix-socket";
  }

  @Override
  public Collection<ConnectorDescriptor> getSupportedConnectors() {
    return List.of(DESCRIPTOR);
  }

  @Override
  public ConnectorDescriptor getDefaultConnector() {
    return DESCRIPTOR;
  }

  /** One connection to the agent; requests and replies are framed by {@link AbstractConnector}. */
  private static final class UnixSocketConnector extends AbstractConnector {
    private final String socket;
    private SocketChannel channel;

    UnixSocketConnector(String socket) {
      this.socket = socket;
    }

    @Override
    public synchronized boolean connect() throws IOException {
      if (socket == null || socket.isBlank()) {
        return false;
      }
      if (channel == null) {
        SocketChannel opened = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
          opened.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
          opened.close();
          throw new IOException(
              "cannot connect to the ssh-agent at " + socket + ": " + e.getMessage(), e);
        }
        channel = opened;
      }
      return true;
    }

    @Override
    public synchronized byte[] rpc(byte command, byte[] message) throws IOException {
      if (channel == null) {
        throw new IOException("not connected to the ssh-agent");
      }
      prepareMessage(command, message);
      ByteBuffer out = ByteBuffer.wrap(message);
      while (out.hasRemaining()) {
        channel.write(out);
      }
      byte[] length = readFully(new byte[4]);
      return readFully(new byte[toLength(command, length)]);
    }

    private byte[] readFully(byte[] target) throws IOException {
      ByteBuffer in = ByteBuffer.wrap(target);
      while (in.hasRemaining()) {
        if (channel.read(in) < 0) {
          throw new IOException("the ssh-agent closed the connection");
        }
      }
      return target;
    }

    @Override
    public synchronized void close() throws IOException {
      if (channel != null) {
        channel.close();
        channel = null;
      }
    }
  }
}
