package dev.weir.engine.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Which references kustomize or helm would fetch, and how they are shown. */
class RemoteSourceTest {

  /** {@code shown} is the printed form of a remote reference, or null for a local path. */
  record Case(String reference, boolean existsLocally, String host, String shown) {
    @Override
    public String toString() {
      return reference;
    }
  }

  static List<Case> cases() {
    return List.of(
        new Case(
            "https://example.com/org/repo//base?ref=v1",
            false,
            "example.com",
            "https://example.com/org/repo//base"),
        new Case(
            "https://user:token@example.com:8443/x",
            false,
            "example.com",
            "https://***@example.com:8443/x"),
        new Case(
            "git::https://example.com/org/repo",
            false,
            "example.com",
            "https://example.com/org/repo"),
        new Case(
            "ssh://git@example.com/org/repo",
            false,
            "example.com",
            "ssh://***@example.com/org/repo"),
        new Case(
            "oci://registry.example.com/charts",
            false,
            "registry.example.com",
            "oci://registry.example.com/charts"),
        new Case("HTTP://[FE80::1]:80/x", false, "fe80::1", "http://[FE80::1]:80/x"),
        new Case("file:///root/.ssh", false, "", "file:///root/.ssh"),
        new Case("gh:org/repo", false, "github.com", "gh:org/repo"),
        new Case("git@github.com:org/repo", false, "github.com", "git@github.com:org/repo"),
        new Case(
            "deploy-token@gitlab.com:org/repo", false, "gitlab.com", "***@gitlab.com:org/repo"),
        new Case(
            "github.com/org/repo/base?ref=v1", false, "github.com", "github.com/org/repo/base"),
        new Case("GitHub.com:org/repo", false, "github.com", "GitHub.com:org/repo"),
        new Case("gitlab.com/org/repo", false, "gitlab.com", "gitlab.com/org/repo"),
        new Case("gitlab.com/org/repo", true, null, null),
        new Case("../base", false, null, null),
        new Case("deployment.yaml", false, null, null),
        new Case("overlays/prod", false, null, null),
        new Case("config.d/app.yaml", true, null, null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void referencesThatToolsWouldFetchAreRemote(Case c) {
    Optional<RemoteSource> remote = RemoteSource.of(c.reference, c.existsLocally);

    if (c.shown == null) {
      assertThat(remote).isEmpty();
    } else {
      assertThat(remote).isPresent();
      assertThat(remote.get().host()).isEqualTo(c.host);
      assertThat(remote.get().display()).isEqualTo(c.shown);
    }
  }
}
