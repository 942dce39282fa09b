package dev.weir.engine.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Argo Rollouts' Prometheus provider fields and secret arguments as Weir reads them (decision
 * 0037), each case citing the Argo documentation it follows: analysis/prometheus.md ({@code
 * timeout}, {@code headers}, {@code insecure}, "Range queries") and features/analysis.md ("Analysis
 * Template Arguments": {@code valueFrom.secretKeyRef}).
 */
class ArgoPrometheusFieldsTest {

  record Accepted(String name, String doc, String prometheusYaml, PrometheusQuerySpec expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static List<Accepted> accepted() {
    return List.of(
        new Accepted(
            "timeout in seconds",
            "analysis/prometheus.md: timeout is expressed in seconds",
            "{query: up, timeout: 40}",
            new PrometheusQuerySpec(
                Optional.empty(),
                Optional.of("up"),
                Optional.empty(),
                Optional.empty(),
                Optional.of(Duration.ofSeconds(40)),
                List.of(),
                Optional.empty(),
                Optional.empty())),
        new Accepted(
            "headers as key and value",
            "analysis/prometheus.md: headers: [{key: X-Scope-OrgID, value: tenant_a}]",
            "{query: up, headers: [{key: X-Scope-OrgID, value: tenant_a},"
                + " {key: Authorization, value: 'Bearer {{args.token}}'}]}",
            new PrometheusQuerySpec(
                Optional.empty(),
                Optional.of("up"),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                List.of(
                    new PrometheusQuerySpec.Header("X-Scope-OrgID", "tenant_a"),
                    new PrometheusQuerySpec.Header("Authorization", "Bearer {{args.token}}")),
                Optional.empty(),
                Optional.empty())),
        new Accepted(
            "insecure, remembered with where it is said",
            "analysis/prometheus.md: insecure: true skips TLS verification",
            "{address: 'https://prometheus.example.com', query: up, insecure: true}",
            new PrometheusQuerySpec(
                Optional.of("https://prometheus.example.com"),
                Optional.of("up"),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                List.of(),
                Optional.of(
                    "apps/shop/analysis.yaml:1:1 spec.metrics[0].provider.prometheus.insecure"),
                Optional.empty())),
        new Accepted(
            "insecure false is the default",
            "analysis/prometheus.md",
            "{query: up, insecure: false}",
            PrometheusQuerySpec.threshold("up")),
        new Accepted(
            "range query with start, end and step",
            "analysis/prometheus.md, Range queries: start now() - duration(...), end now(), step",
            "{query: 'http_latency_ms{service=\"{{args.token}}\"}', rangeQuery: {start: 'now() -"
                + " duration(\"{{args.lookback}}\")', end: 'now()', step: 1m}}",
            new PrometheusQuerySpec(
                Optional.empty(),
                Optional.of("http_latency_ms{service=\"{{args.token}}\"}"),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                List.of(),
                Optional.empty(),
                Optional.of(
                    new PrometheusQuerySpec.RangeQuery(
                        "now() - duration(\"{{args.lookback}}\")",
                        "now()",
                        Duration.ofMinutes(1))))),
        new Accepted(
            "basic authentication from arguments",
            "analysis/prometheus.md, With Basic Authentication (Grafana Cloud): basicAuth username"
                + " and password",
            "{query: up, authentication: {basicAuth: {username: '{{ args.token }}', password:"
                + " '{{args.token}}'}}}",
            withAuthentication(
                new PrometheusQuerySpec.Authentication.BasicAuth(
                    "{{ args.token }}", "{{args.token}}"))),
        new Accepted(
            "oauth2 client credentials",
            "analysis/prometheus.md, With OAuth2: tokenUrl, clientId, clientSecret, scopes",
            "{query: up, authentication: {oauth2: {tokenUrl: 'https://my-oauth2-provider/token',"
                + " clientId: my-client-id, clientSecret: '{{ args.token }}', scopes:"
                + " [my-oauth2-scope]}}}",
            withAuthentication(
                new PrometheusQuerySpec.Authentication.OAuth2(
                    "https://my-oauth2-provider/token",
                    "my-client-id",
                    "{{ args.token }}",
                    List.of("my-oauth2-scope")))),
        new Accepted(
            "oauth2 without scopes",
            "analysis/prometheus.md, With OAuth2 (scopes are optional in RFC 6749 4.4.2)",
            "{query: up, authentication: {oauth2: {tokenUrl: 'http://idp:8080/token',"
                + " clientId: weir, clientSecret: x}}}",
            withAuthentication(
                new PrometheusQuerySpec.Authentication.OAuth2(
                    "http://idp:8080/token", "weir", "x", List.of()))));
  }

  private static PrometheusQuerySpec withAuthentication(
      PrometheusQuerySpec.Authentication authentication) {
    return new PrometheusQuerySpec(
        Optional.empty(),
        Optional.of("up"),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        List.of(),
        Optional.empty(),
        Optional.empty(),
        Optional.of(authentication));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("accepted")
  void argosPrometheusFieldsAreRead(Accepted c) {
    AnalysisTemplateSpec spec = Templates.spec(template(c.prometheusYaml()));

    assertThat(spec.metrics().getFirst().prometheus()).as(c.doc()).isEqualTo(c.expected());
  }

  record Refused(String name, String doc, String prometheusYaml, String expectedError) {
    @Override
    public String toString() {
      return name;
    }
  }

  static List<Refused> refused() {
    String at = "apps/shop/analysis.yaml:7:1: spec.metrics[0].provider.prometheus.";
    return List.of(
        new Refused(
            "timeout not a number",
            "analysis/prometheus.md: timeout is a whole number of seconds",
            "{query: up, timeout: 30s}",
            at + "timeout: must be a whole number, got \"30s\""),
        new Refused(
            "header without a value",
            "analysis/prometheus.md: headers are key and value",
            "{query: up, headers: [{key: X-Scope-OrgID}]}",
            at + "headers[0].value: missing"),
        new Refused(
            "header name with a space",
            "RFC 9110 field names",
            "{query: up, headers: [{key: 'X Scope', value: a}]}",
            at + "headers[0].key: not an HTTP header name: \"X Scope\""),
        new Refused(
            "header using an undeclared argument",
            "features/analysis.md: arguments are declared in spec.args",
            "{query: up, headers: [{key: Authorization, value: 'Bearer {{args.missing}}'}]}",
            at
                + "headers[0].value: uses {{args.missing}} but spec.args declares no argument"
                + " \"missing\""),
        new Refused(
            "insecure not a boolean",
            "analysis/prometheus.md: insecure: true",
            "{query: up, insecure: yes please}",
            at + "insecure: must be true or false"),
        new Refused(
            "range start Weir cannot evaluate",
            "analysis/prometheus.md, Range queries: now() and duration()",
            "{query: up, rangeQuery: {start: 'now() - 5m', end: 'now()', step: 1m}}",
            at
                + "rangeQuery.start: not understood: \"now() - 5m\"; use now(), now() -"
                + " duration(\"5m\") or now() + duration(\"5m\")"),
        new Refused(
            "range without a step",
            "analysis/prometheus.md, Range queries: step is the resolution",
            "{query: up, rangeQuery: {start: 'now() - duration(\"5m\")', end: 'now()'}}",
            at + "rangeQuery.step: missing, e.g. 1m"),
        new Refused(
            "sigv4 is refused with the reason",
            "analysis/prometheus.md, Utilizing Amazon Managed Prometheus: sigv4 region, profile,"
                + " roleArn",
            "{query: up, authentication: {sigv4: {region: eu-west-1}}}",
            at
                + "authentication.sigv4: authentication.sigv4 is not supported by Weir: it signs"
                + " with the AWS credentials of Argo's controller (IRSA), which Weir does not"
                + " have; put a signing proxy (aws-sigv4-proxy) before Amazon Managed Prometheus"
                + " and give its address"),
        new Refused(
            "a bearer block is not Argo's",
            "analysis/prometheus.md: a bearer token is a headers entry; authentication knows"
                + " sigv4, oauth2 and basicAuth",
            "{query: up, authentication: {bearer: {token: x}}}",
            at + "authentication.bearer: unknown field; known fields here: basicAuth, oauth2, sigv4"),
        new Refused(
            "basic authentication without a password",
            "analysis/prometheus.md, With Basic Authentication: username and password",
            "{query: up, authentication: {basicAuth: {username: admin}}}",
            at
                + "authentication.basicAuth.password: missing, e.g. \"{{args.password}}\" from a"
                + " secretKeyRef"),
        new Refused(
            "oauth2 without a token URL",
            "analysis/prometheus.md, With OAuth2: tokenUrl",
            "{query: up, authentication: {oauth2: {clientId: a, clientSecret: b}}}",
            at + "authentication.oauth2.tokenUrl: missing"),
        new Refused(
            "oauth2 token URL that is not http",
            "RFC 6749 3.2: the token endpoint is an HTTP URL",
            "{query: up, authentication: {oauth2: {tokenUrl: 'ftp://idp/token', clientId: a,"
                + " clientSecret: b}}}",
            at
                + "authentication.oauth2.tokenUrl: must be an http:// or https:// URL, e.g."
                + " https://idp.example.com/oauth2/token"),
        new Refused(
            "oauth2 secret from an undeclared argument",
            "features/analysis.md: arguments are declared in spec.args",
            "{query: up, authentication: {oauth2: {tokenUrl: 'https://idp/token', clientId: a,"
                + " clientSecret: '{{args.oauthSecret}}'}}}",
            at
                + "authentication.oauth2.clientSecret: uses {{args.oauthSecret}} but spec.args"
                + " declares no argument \"oauthSecret\""),
        new Refused(
            "both an Authorization header and authentication",
            "analysis/prometheus.md: each sets the Authorization header",
            "{query: up, headers: [{key: authorization, value: 'Bearer {{args.token}}'}],"
                + " authentication: {basicAuth: {username: a, password: b}}}",
            at
                + "authentication: give authentication or an Authorization header, not both: each"
                + " would replace the other"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refused")
  void badPrometheusFieldsNameFileLineAndField(Refused c) {
    var result =
        AnalysisTemplateParser.parse(
            Templates.manifest(template(c.prometheusYaml()), "apps/shop/analysis.yaml", 7));

    assertThat(result).as(c.doc()).isInstanceOf(AnalysisTemplateParser.Result.Invalid.class);
    assertThat(((AnalysisTemplateParser.Result.Invalid) result).errors())
        .extracting(Object::toString)
        .contains(c.expectedError());
  }

  record Time(String expression, Instant expected) {
    @Override
    public String toString() {
      return expression;
    }
  }

  static final Instant TEN = Instant.parse("2026-12-02T10:00:00Z");

  static List<Time> times() {
    // RangeTime's Javadoc examples; analysis/prometheus.md, "Range queries"
    return List.of(
        new Time("now()", TEN),
        new Time("now() - duration(\"5m\")", TEN.minus(Duration.ofMinutes(5))),
        new Time("now()-duration('1h30m')", TEN.minus(Duration.ofMinutes(90))),
        new Time("now() + duration(\"30s\")", TEN.plusSeconds(30)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("times")
  void rangeTimesAreTheMeasurementsTimeMovedByADuration(Time c) {
    assertThat(RangeTime.problem(c.expression())).isEmpty();
    assertThat(RangeTime.at(c.expression(), TEN)).isEqualTo(c.expected());
  }

  @Test
  void aRangeTimeWeirCannotEvaluateIsSaidSo() {
    assertThat(RangeTime.problem("now() - 5m")).isPresent();
    assertThat(RangeTime.problem("now() - duration(\"five minutes\")"))
        .contains("not a duration: \"five minutes\" (use e.g. 30s, 5m, 1h30m)");
    assertThat(RangeTime.problem("now() - duration(\"{{args.lookback}}\")"))
        .as("checked when the measurement is taken")
        .isEmpty();
    assertThatThrownBy(() -> RangeTime.at("now() - duration(\"soon\")", TEN))
        .hasMessage("not a duration: \"soon\" (use e.g. 30s, 5m, 1h30m)");
  }

  @Test
  void secretKeyRefArgumentsAreReadAndTheRolloutsValuesWin() {
    // features/analysis.md, Analysis Template Arguments: valueFrom.secretKeyRef {name, key}
    AnalysisTemplateSpec spec =
        Templates.spec(
            """
            apiVersion: argoproj.io/v1alpha1
            kind: AnalysisTemplate
            metadata: {name: t}
            spec:
              args:
              - name: token
                valueFrom:
                  secretKeyRef: {name: prom-token, key: token}
              - name: tenant
                valueFrom:
                  secretKeyRef: {name: prom-token, key: tenant}
              metrics:
              - name: m
                successCondition: result[0] > 0
                provider:
                  prometheus:
                    query: up
                    headers: [{key: Authorization, value: 'Bearer {{args.token}}'}]
            """);
    SecretSource secrets =
        ref ->
            switch (ref.key()) {
              case "token" -> "s3cr3t-t0ken";
              default -> throw new AssertionError("the rollout gives tenant; not read");
            };

    AnalysisArgs args = AnalysisArgs.resolve(spec, Map.of("tenant", "a"), secrets);

    assertThat(spec.args().getFirst().secret())
        .contains(new ArgSpec.SecretKeyRef("prom-token", "token"));
    assertThat(args.values()).containsEntry("token", "s3cr3t-t0ken").containsEntry("tenant", "a");
    assertThat(args.problem()).isEmpty();
    assertThat(args.redact("rejected: invalid regex s3cr3t-t0ken(")).isEqualTo(
        "rejected: invalid regex *****(");
    assertThat(args.toString()).doesNotContain("s3cr3t");
    assertThat(QueryOptions.of(spec.metrics().getFirst().prometheus(), args.values()).toString())
        .isEqualTo("QueryOptions[timeout=default, headers=[Authorization]]")
        .doesNotContain("s3cr3t");
  }

  @Test
  void aMissingSecretEndsTheRunInErrorNamingItWithoutAValue() {
    AnalysisTemplateSpec spec =
        Templates.spec(
            """
            apiVersion: argoproj.io/v1alpha1
            kind: AnalysisTemplate
            metadata: {name: t}
            spec:
              args:
              - name: token
                valueFrom: {secretKeyRef: {name: prom-token, key: token}}
              metrics:
              - name: m
                successCondition: result[0] > 0
                provider: {prometheus: {query: 'up{t="{{args.token}}"}'}}
            """);
    var clock = new dev.weir.engine.time.ManualClock(TEN);
    var executor =
        new AnalysisRunExecutor(
            spec,
            AnalysisArgs.resolve(
                spec,
                Map.of(),
                ref -> {
                  throw new SecretSource.Unavailable("Secret shop/prom-token not found");
                }),
            new ScriptedProvider(),
            clock,
            Runnable::run);

    executor.start();

    assertThat(executor.state().phase()).isEqualTo(AnalysisPhase.ERROR);
    assertThat(executor.state().message())
        .isEqualTo("args.token (valueFrom.secretKeyRef): Secret shop/prom-token not found");
  }

  @Test
  void basicAuthenticationIsTheBasicHeaderOfTheArgumentsAndNeverShown() {
    // analysis/prometheus.md, With Basic Authentication: username and password from Secrets
    AnalysisTemplateSpec spec =
        Templates.spec(
            template(
                "{query: up, authentication: {basicAuth: {username: '{{ args.token }}', password:"
                    + " '{{args.lookback}}'}}}"));
    PrometheusQuerySpec prometheus = spec.metrics().getFirst().prometheus();

    QueryOptions options =
        QueryOptions.of(prometheus, Map.of("token", "grafana-user", "lookback", "p4ss:w0rd"));

    // RFC 7617: base64 of user-id ":" password
    assertThat(options.headers())
        .containsExactly(Map.entry("Authorization", "Basic Z3JhZmFuYS11c2VyOnA0c3M6dzByZA=="));
    assertThat(options.toString()).doesNotContain("p4ss").doesNotContain("Z3Jh");
    assertThat(prometheus.toString()).doesNotContain("lookback");
  }

  @Test
  void templateArgsFromAFieldAreReadWithTheRollout() {
    // features/analysis.md: valueFrom.fieldRef.fieldPath, as a Rollout's own arguments have it
    AnalysisTemplateSpec spec =
        Templates.spec(
            """
            apiVersion: argoproj.io/v1alpha1
            kind: AnalysisTemplate
            metadata: {name: t}
            spec:
              args:
              - name: app
                valueFrom: {fieldRef: {fieldPath: "metadata.labels['app']"}}
              metrics:
              - {name: m, successCondition: 'result[0] > 0', provider: {prometheus: {query: up}}}
            """);

    assertThat(spec.args().getFirst().fieldRef()).contains("metadata.labels['app']");
    assertThat(spec.args().getFirst().value()).isEmpty();
  }

  @Test
  void templateArgsFromOtherSourcesAreRefusedByName() {
    var result =
        AnalysisTemplateParser.parse(
            Templates.manifest(
                """
                apiVersion: argoproj.io/v1alpha1
                kind: AnalysisTemplate
                metadata: {name: t}
                spec:
                  args:
                  - name: image
                    valueFrom: {configMapKeyRef: {name: images, key: web}}
                  - name: token
                    valueFrom: {secretKeyRef: {name: prom-token}}
                  metrics:
                  - {name: m, successCondition: 'result[0] > 0', provider: {prometheus: {query: up}}}
                """,
                "t.yaml",
                3));

    assertThat(((AnalysisTemplateParser.Result.Invalid) result).errors())
        .extracting(Object::toString)
        .containsExactly(
            "t.yaml:3:1: spec.args[0].valueFrom.configMapKeyRef: unknown field; known fields here:"
                + " fieldRef, secretKeyRef",
            "t.yaml:3:1: spec.args[1].valueFrom.secretKeyRef.key: missing");
  }

  @Test
  void theOptInToInsecureIsThePersonsNeverTheRepositorys() {
    // the environment of the person running Weir; a template alone cannot turn verification off
    assertThat(PrometheusAccess.fromEnvironment(Map.of(), Optional.empty()).insecureAllowed())
        .isFalse();
    assertThat(
            PrometheusAccess.fromEnvironment(
                    Map.of(PrometheusAccess.ALLOW_INSECURE, "true"), Optional.empty())
                .insecureAllowed())
        .isTrue();
    assertThatThrownBy(
            () ->
                PrometheusAccess.fromEnvironment(
                    Map.of(PrometheusAccess.ALLOW_INSECURE, "yes"), Optional.empty()))
        .hasMessage("WEIR_PROMETHEUS_ALLOW_INSECURE must be true or false");
  }

  private static String template(String prometheusYaml) {
    return """
        apiVersion: argoproj.io/v1alpha1
        kind: AnalysisTemplate
        metadata: {name: t}
        spec:
          args: [{name: token, value: x}, {name: lookback, value: 5m}]
          metrics:
          - name: m
            successCondition: result[0] > 0
            provider:
              prometheus: %s
        """
        .formatted(prometheusYaml);
  }
}
