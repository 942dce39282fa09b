package dev.weir.sandbox.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SelectorTest {
  record Case(String selector, Map<String, String> labels, boolean matches) {
    @Override
    public String toString() {
      return "'" + selector + "' on " + labels + " -> " + matches;
    }
  }

  static Stream<Case> cases() {
    Map<String, String> web = Map.of("app", "web", "tier", "front");
    return Stream.of(
        new Case("", web, true),
        new Case("app=web", web, true),
        new Case("app==web", web, true),
        new Case("app=db", web, false),
        new Case("app!=db", web, true),
        new Case("missing!=x", web, true),
        new Case("app in (web, db)", web, true),
        new Case("app in (db)", web, false),
        new Case("app notin (db)", web, true),
        new Case("missing notin (db)", web, true),
        new Case("tier", web, true),
        new Case("missing", web, false),
        new Case("!missing", web, true),
        new Case("!tier", web, false),
        new Case("app=web,tier in (front,back),!canary", web, true),
        new Case("app.kubernetes.io/name=web", Map.of("app.kubernetes.io/name", "web"), true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void labelSelectorMatchesLikeARealServer(Case c) {
    assertThat(LabelSelector.parse(c.selector()).matches(c.labels())).isEqualTo(c.matches());
  }

  @Test
  void malformedSelectorsAreBadRequests() {
    for (String bad : new String[] {"app=(x", "a b c", "=x"}) {
      assertThatThrownBy(() -> LabelSelector.parse(bad))
          .as(bad)
          .isInstanceOfSatisfying(StatusException.class, e -> assertThat(e.code()).isEqualTo(400));
    }
  }
}
