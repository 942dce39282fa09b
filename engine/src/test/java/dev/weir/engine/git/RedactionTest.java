package dev.weir.engine.git;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RedactionTest {
  record Case(String name, String input, String expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static List<Case> urls() {
    return List.of(
        new Case(
            "user and password masked whole",
            "https://alice:hunter22@git.example.com/shop.git",
            "https://***@git.example.com/shop.git"),
        new Case(
            "token as user:password",
            "https://x-access-token:ghp_abc123@github.com/o/r.git",
            "https://***@github.com/o/r.git"),
        new Case(
            "token as the user name alone",
            "https://ghp_abc123@github.com/o/r.git",
            "https://***@github.com/o/r.git"),
        new Case(
            "an @ in the password",
            "https://alice:p@ss@git.example.com/shop.git",
            "https://***@git.example.com/shop.git"),
        new Case(
            "inside a sentence",
            "fetch http://bob:pw99@127.0.0.1:8080/git/r failed: 401",
            "fetch http://***@127.0.0.1:8080/git/r failed: 401"),
        new Case(
            "two URLs in a sentence",
            "https://TOKENVALUE@a.example/r moved to https://b.example/r",
            "https://***@a.example/r moved to https://b.example/r"),
        new Case(
            "ssh user alone is not a secret",
            "ssh://git@github.com/o/r.git",
            "ssh://git@github.com/o/r.git"),
        new Case(
            "ssh user with a password",
            "ssh://git:hunter22@github.com/o/r.git",
            "ssh://***@github.com/o/r.git"),
        new Case("scp-like is untouched", "git@github.com:o/r.git", "git@github.com:o/r.git"),
        new Case("no credentials", "https://github.com/o/r.git", "https://github.com/o/r.git"));
  }

  @ParameterizedTest
  @MethodSource("urls")
  void urlUserInfoIsMaskedWhole(Case c) {
    assertThat(Redaction.url(c.input())).isEqualTo(c.expected());
  }

  @ParameterizedTest
  @MethodSource("urls")
  void knownSecretsAreMaskedAnywhereInAText(Case c) {
    String text = "remote said: token tok-Secret-77 is invalid for " + c.input();
    String scrubbed = Redaction.text(text, List.of("tok-Secret-77"));
    assertThat(scrubbed).isEqualTo("remote said: token *** is invalid for " + c.expected());
  }
}
