package dev.weir.engine.git;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StrictKnownHostsTest {
  @TempDir Path tmp;

  private static KeyPair key() throws Exception {
    return KeyUtils.generateKeyPair("ecdsa-sha2-nistp256", 256);
  }

  @Test
  void aListedKeyIsAcceptedOnlyForItsHostAndPort() throws Exception {
    KeyPair server = key();
    Path knownHosts = tmp.resolve("known_hosts");
    Files.writeString(
        knownHosts, "[git.example.com]:2222 " + PublicKeyEntry.toString(server.getPublic()) + "\n");
    StrictKnownHosts hosts = new StrictKnownHosts(List.of(knownHosts));
    InetSocketAddress remote = InetSocketAddress.createUnresolved("git.example.com", 2222);

    assertThat(hosts.accept("[git.example.com]:2222", remote, server.getPublic(), null, null))
        .isTrue();
    assertThat(hosts.lookup("[git.example.com]:2222", remote, null)).hasSize(1);
    assertThat(
            hosts.accept(
                "git.example.com",
                InetSocketAddress.createUnresolved("git.example.com", 22),
                server.getPublic(),
                null,
                null))
        .as("same host, other port")
        .isFalse();
    assertThat(hosts.takeRefusal()).startsWith("Unknown host key for git.example.com: ");
  }

  @Test
  void aRevokedKeyIsRefusedEvenIfAlsoListed() throws Exception {
    KeyPair server = key();
    String entry = PublicKeyEntry.toString(server.getPublic());
    Path knownHosts = tmp.resolve("known_hosts");
    Files.writeString(knownHosts, "@revoked * " + entry + "\ngit.example.com " + entry + "\n");
    StrictKnownHosts hosts = new StrictKnownHosts(List.of(knownHosts));

    boolean accepted =
        hosts.accept(
            "git.example.com",
            InetSocketAddress.createUnresolved("git.example.com", 22),
            server.getPublic(),
            null,
            null);

    assertThat(accepted).isFalse();
    assertThat(hosts.takeRefusal())
        .contains("is revoked")
        .contains(KeyUtils.getFingerPrint(server.getPublic()));
    assertThat(hosts.takeRefusal()).as("read once").isNull();
  }

  @Test
  void connectAddressesAreReadAsKnownHostsWritesThem() {
    InetSocketAddress any = InetSocketAddress.createUnresolved("x", 22);
    assertThat(StrictKnownHosts.HostPort.parse("[127.0.0.1]:2222", any).toString())
        .isEqualTo("[127.0.0.1]:2222");
    assertThat(StrictKnownHosts.HostPort.parse("github.com", any).toString())
        .isEqualTo("github.com");
    assertThat(StrictKnownHosts.HostPort.parse("github.com:22", any).toString())
        .isEqualTo("github.com");
  }
}
