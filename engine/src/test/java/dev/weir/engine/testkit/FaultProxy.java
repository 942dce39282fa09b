package dev.weir.engine.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy on loopback in front of a server, for fault tests: it can cut every connection and
 * refuse new ones (the API server is "down"), and hold responses (the API server is "slow"). TLS
 * passes through untouched.
 */
public final class FaultProxy implements AutoCloseable {
  private final ServerSocket listener;
  private final int targetPort;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private volatile boolean down;
  private volatile boolean holding;
  private final Object holdLock = new Object();

  public FaultProxy(int targetPort) throws IOException {
    this.targetPort = targetPort;
    listener = new ServerSocket();
    listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    Thread.ofVirtual().start(this::accept);
  }

  public int port() {
    return listener.getLocalPort();
  }

  /** Copies a kubeconfig, pointing it at this proxy instead of {@code targetPort}. */
  public Path rewrite(Path kubeconfig, Path into) throws IOException {
    String text = Files.readString(kubeconfig);
    Files.writeString(into, text.replace(":" + targetPort, ":" + port()));
    return into;
  }

  /** Cuts every open connection and refuses new ones until {@link #up()}. */
  public void down() {
    down = true;
    for (Socket socket : List.copyOf(sockets)) {
      closeQuietly(socket);
    }
  }

  public void up() {
    down = false;
  }

  /** Stops forwarding server bytes to clients until {@link #release()}. */
  public void hold() {
    holding = true;
  }

  public void release() {
    synchronized (holdLock) {
      holding = false;
      holdLock.notifyAll();
    }
  }

  private void accept() {
    while (!listener.isClosed()) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException e) {
        return;
      }
      if (down) {
        closeQuietly(client);
        continue;
      }
      try {
        Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        sockets.add(client);
        sockets.add(server);
        Thread.ofVirtual().start(() -> pump(client, server, false));
        Thread.ofVirtual().start(() -> pump(server, client, true));
      } catch (IOException e) {
        closeQuietly(client);
      }
    }
  }

  private void pump(Socket from, Socket to, boolean fromServer) {
    byte[] buffer = new byte[16384];
    try (InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream()) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        if (fromServer) {
          synchronized (holdLock) {
            while (holding && !down) {
              holdLock.wait(1000);
            }
          }
        }
        if (down) {
          break;
        }
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException | InterruptedException e) {
      // one side went away
    } finally {
      closeQuietly(from);
      closeQuietly(to);
      sockets.remove(from);
      sockets.remove(to);
    }
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // already closed
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
    down();
    release();
  }
}
