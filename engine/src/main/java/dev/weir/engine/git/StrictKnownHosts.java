package dev.weir.engine.git;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.sshd.ServerKeyDatabase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Strict host key checking against OpenSSH {@code known_hosts} files: a server is accepted only if
 * its key is listed for its host (and port). An unknown, changed or revoked key is refused — never
 * added, never asked about — and the refusal, with the key's SHA256 fingerprint, is kept for the
 * error message, since JGit only reports a generic failure.
 *
 * <p>Thread-safe. The refusal slot holds the latest refusal; the source serialises network use so
 * it belongs to the operation that reads it.
 */
final class StrictKnownHosts implements ServerKeyDatabase {
  private static final Logger LOG = LoggerFactory.getLogger(StrictKnownHosts.class);

  private final List<Path> defaultFiles;
  private final AtomicReference<String> lastRefusal = new AtomicReference<>();

  StrictKnownHosts(List<Path> defaultFiles) {
    this.defaultFiles = List.copyOf(defaultFiles);
  }

  /** The latest refusal's message, cleared by reading it; null if none. */
  String takeRefusal() {
    return lastRefusal.getAndSet(null);
  }

  @Override
  public List<PublicKey> lookup(
      String connectAddress, InetSocketAddress remoteAddress, Configuration config) {
    List<PublicKey> keys = new ArrayList<>();
    HostPort target = HostPort.parse(connectAddress, remoteAddress);
    for (KnownHostEntry entry : entries(config)) {
      if (entry.getMarker() == null && entry.isHostMatch(target.host(), target.port())) {
        PublicKey key = keyOf(entry);
        if (key != null) {
          keys.add(key);
        }
      }
    }
    return keys;
  }

  @Override
  public boolean accept(
      String connectAddress,
      InetSocketAddress remoteAddress,
      PublicKey serverKey,
      Configuration config,
      CredentialsProvider provider) {
    HostPort target = HostPort.parse(connectAddress, remoteAddress);
    List<PublicKey> known = new ArrayList<>();
    for (KnownHostEntry entry : entries(config)) {
      if (!entry.isHostMatch(target.host(), target.port())) {
        continue;
      }
      PublicKey key = keyOf(entry);
      if (key == null) {
        continue;
      }
      if ("revoked".equals(entry.getMarker())) {
        if (KeyUtils.compareKeys(key, serverKey)) {
          return refuse(
              "The host key of "
                  + target
                  + " ("
                  + describe(serverKey)
                  + ") is revoked in known_hosts");
        }
      } else if (entry.getMarker() == null) {
        if (KeyUtils.compareKeys(key, serverKey)) {
          return true;
        }
        known.add(key);
      }
    }
    if (known.isEmpty()) {
      return refuse(
          "Unknown host key for "
              + target
              + ": "
              + describe(serverKey)
              + " is not in known_hosts; check the fingerprint and add it (ssh-keyscan) to"
              + " connect");
    }
    List<String> expected = known.stream().map(StrictKnownHosts::describe).toList();
    return refuse(
        "HOST KEY CHANGED for "
            + target
            + ": the server offers "
            + describe(serverKey)
            + " but known_hosts has "
            + String.join(", ", expected)
            + "; refusing (possible man-in-the-middle), fix known_hosts if the change is expected");
  }

  private boolean refuse(String message) {
    LOG.warn(message);
    lastRefusal.set(message);
    return false;
  }

  static String describe(PublicKey key) {
    return KeyUtils.getKeyType(key) + " key " + KeyUtils.getFingerPrint(key);
  }

  private List<KnownHostEntry> entries(Configuration config) {
    List<Path> files = new ArrayList<>();
    if (config != null) {
      for (List<String> configured :
          Arrays.asList(config.getUserKnownHostsFiles(), config.getGlobalKnownHostsFiles())) {
        if (configured != null) {
          configured.forEach(f -> files.add(Path.of(f)));
        }
      }
    }
    if (files.isEmpty()) {
      files.addAll(defaultFiles);
    }
    List<KnownHostEntry> entries = new ArrayList<>();
    for (Path file : files) {
      if (!Files.isRegularFile(file)) {
        continue;
      }
      try {
        entries.addAll(KnownHostEntry.readKnownHostEntries(file));
      } catch (IOException | RuntimeException e) {
        LOG.warn("cannot read known hosts file {}: {}", file, e.getMessage());
      }
    }
    return entries;
  }

  private static PublicKey keyOf(KnownHostEntry entry) {
    if (entry.getKeyEntry() == null) {
      return null;
    }
    try {
      return entry.getKeyEntry().resolvePublicKey(null, PublicKeyEntryResolver.IGNORING);
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      return null;
    }
  }

  /** The host and port a connection was made to, as written in known_hosts. */
  record HostPort(String host, int port) {
    static HostPort parse(String connectAddress, InetSocketAddress remote) {
      int port = remote == null ? 22 : remote.getPort();
      String address = connectAddress == null ? "" : connectAddress;
      if (address.startsWith("[")) {
        int close = address.indexOf(']');
        String host = address.substring(1, close < 0 ? address.length() : close);
        if (close > 0 && address.length() > close + 2 && address.charAt(close + 1) == ':') {
          port = Integer.parseInt(address.substring(close + 2));
        }
        return new HostPort(host, port);
      }
      if (address.isEmpty() && remote != null) {
        return new HostPort(remote.getHostString(), port);
      }
      int colon = address.lastIndexOf(':');
      if (colon > 0 && address.indexOf(':') == colon) {
        return new HostPort(
            address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)));
      }
      return new HostPort(address, port);
    }

    @Override
    public String toString() {
      return port == 22 ? host : "[" + host + "]:" + port;
    }
  }
}
