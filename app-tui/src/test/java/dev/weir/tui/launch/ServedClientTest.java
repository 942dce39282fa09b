package dev.weir.tui.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which command lines {@link ServedClient} hands to a serving process, and as what. */
class ServedClientTest {
  @TempDir Path directory;

  @Test
  void statusOnTheSandboxIsSentWithEveryOptionSpelledOneWay() throws Exception {
    Files.createDirectory(directory.resolve("shop.git"));
    Files.writeString(directory.resolve("ca.pem"), "");

    assertThat(
            ServedClient.servable(
                new String[] {
                  "status", "--repo", "shop.git", "--sandbox", "-ojson", "--prometheus-ca=ca.pem",
                  "--branch", "main"
                },
                directory))
        .contains(
            List.of(
                "status",
                "--repo=" + directory.resolve("shop.git"),
                "--sandbox",
                "-o=json",
                "--prometheus-ca=" + directory.resolve("ca.pem"),
                "--branch=main"));
  }

  @Test
  void urlsAndScpLikeAddressesAreTheSameFromAnyDirectory() {
    assertThat(
            ServedClient.servable(
                new String[] {"status", "--sandbox", "--repo", "git@example.com:org/deploy.git"},
                directory))
        .contains(List.of("status", "--sandbox", "--repo=git@example.com:org/deploy.git"));
    assertThat(
            ServedClient.servable(
                new String[] {"status", "--sandbox", "--repo=https://example.com/org/deploy.git"},
                directory))
        .contains(List.of("status", "--sandbox", "--repo=https://example.com/org/deploy.git"));
  }

  @Test
  void anythingElseRunsInTheClient() {
    for (String[] args :
        List.of(
            new String[] {"status", "--repo", "/abs"},
            new String[] {"diff", "--repo", "/abs", "--sandbox"},
            new String[] {"status", "--repo", "/abs", "--sandbox", "--kubeconfig", "/k"},
            new String[] {"status", "--repo", "/abs", "--sandbox", "--help"},
            new String[] {"status", "--repo", "/abs", "--sandbox", "--"},
            new String[] {"status", "--repo", "missing.git", "--sandbox"},
            new String[] {"status", "--sandbox", "--repo"})) {
      assertThat(ServedClient.servable(args, directory)).as(String.join(" ", args)).isEmpty();
    }
  }
}
