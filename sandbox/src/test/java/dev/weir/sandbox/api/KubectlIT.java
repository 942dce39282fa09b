package dev.weir.sandbox.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kubectl on PATH against the sandbox API server, through the kubeconfig it writes. */
class KubectlIT {
  private static final String DEPLOYMENT =
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
        namespace: shop
        labels: {app: web}
      spec:
        replicas: 2
        selector:
          matchLabels: {app: web}
        template:
          metadata:
            labels: {app: web}
          spec:
            containers:
            - name: app
              image: nginx:1.27
              ports:
              - containerPort: 80
      """;

  @TempDir Path dir;
  Path kubectl;
  SandboxFixture sandbox;

  record Run(int exitCode, String out, String err) {}

  @BeforeEach
  void start() throws Exception {
    Optional<Path> found = findOnPath("kubectl");
    Assumptions.assumeTrue(
        found.isPresent(),
        "kubectl is not on PATH: the kubectl tests need it (e.g. /usr/bin/kubectl)");
    kubectl = found.get();
    sandbox = new SandboxFixture(dir);
    sandbox.namespace("shop");
    Files.writeString(dir.resolve("web.yaml"), DEPLOYMENT);
  }

  @AfterEach
  void stop() throws IOException {
    if (sandbox != null) {
      sandbox.close();
    }
  }

  private static Optional<Path> findOnPath(String name) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String entry : path.split(File.pathSeparator)) {
      Path candidate = Path.of(entry, name);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  private ProcessBuilder command(Path kubeconfig, List<String> args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(kubectl.toString());
    command.add("--kubeconfig");
    command.add(kubeconfig.toString());
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    Path home = Files.createDirectories(dir.resolve("home"));
    builder.environment().put("HOME", home.toString());
    builder.environment().remove("KUBECONFIG");
    return builder;
  }

  private Run kubectl(String... args) throws Exception {
    return kubectl(List.of(), args);
  }

  private Run kubectl(List<String> env, String... args) throws Exception {
    return kubectl(sandbox.kubeconfig, env, args);
  }

  private Run kubectl(Path kubeconfig, List<String> env, String... args) throws Exception {
    ProcessBuilder builder = command(kubeconfig, List.of(args));
    for (String pair : env) {
      int equals = pair.indexOf('=');
      builder.environment().put(pair.substring(0, equals), pair.substring(equals + 1));
    }
    Process process = builder.start();
    process.getOutputStream().close();
    CompletableFuture<String> out =
        CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
    CompletableFuture<String> err =
        CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("kubectl " + String.join(" ", args) + " did not finish in 60 s");
    }
    return new Run(process.exitValue(), out.get(), err.get());
  }

  private static String read(java.io.InputStream stream) {
    try {
      return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  @Test
  void getListsTheSeededNamespaces() throws Exception {
    Run run = kubectl("get", "namespaces");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("NAME")
        .contains("default")
        .contains("kube-system")
        .contains("shop");
  }

  @Test
  void aClientCertificateAuthenticatesKubectlAndOneOfAnotherCaIsUnauthorized() throws Exception {
    Path alice = dir.resolve("alice-kubeconfig");
    sandbox.server.writeKubeconfig(
        alice, sandbox.server.issueClientCertificate("alice", List.of("system:masters")));
    Run get = kubectl(alice, List.of(), "get", "ns");
    assertThat(get.exitCode()).as(get.err()).isZero();
    assertThat(get.out()).contains("kube-system").contains("shop");
    Run applied = kubectl(alice, List.of(), "apply", "--server-side", "-f", "web.yaml");
    assertThat(applied.exitCode()).as(applied.err()).isZero();

    Path bob = dir.resolve("bob-kubeconfig");
    sandbox.server.writeKubeconfig(
        bob, sandbox.server.issueClientCertificate("bob", List.of("developers")));
    Run refused = kubectl(bob, List.of(), "apply", "--server-side", "-f", "web.yaml");
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.err())
        .contains(
            "deployments.apps \"web\" is forbidden: User \"bob\" cannot patch resource"
                + " \"deployments\"");

    Path stranger = dir.resolve("stranger-kubeconfig");
    try (SandboxFixture other = new SandboxFixture(Files.createDirectories(dir.resolve("other")))) {
      sandbox.server.writeKubeconfig(
          stranger, other.server.issueClientCertificate("mallory", List.of("system:masters")));
    }
    Run unauthorized = kubectl(stranger, List.of(), "get", "ns");
    assertThat(unauthorized.exitCode()).isEqualTo(1);
    assertThat(unauthorized.err()).contains("Unauthorized");

    Path strangerWithToken =
        Files.writeString(
            dir.resolve("stranger-with-token"),
            Files.readString(stranger)
                .replace(
                    "  user:\n",
                    "  user:\n    token: \"" + sandbox.server.readOnlyToken() + "\"\n"));
    Run byToken = kubectl(strangerWithToken, List.of(), "get", "ns");
    assertThat(byToken.exitCode())
        .as("a certificate of an unknown CA does not stop the token from authenticating")
        .isZero();
  }

  @Test
  void aJsonPatchBombOrTooManyOperationsAreRefusedAndKubectlIsAnsweredRightAfter()
      throws Exception {
    Files.writeString(
        dir.resolve("bomb.yaml"),
        "apiVersion: v1\nkind: ConfigMap\n"
            + "metadata: {name: bomb, namespace: shop}\ndata: {key: value}\n");
    Run created = kubectl("apply", "--server-side", "-f", "bomb.yaml");
    assertThat(created.exitCode()).as(created.err()).isZero();

    Run bomb =
        kubectl(
            "patch",
            "configmap",
            "bomb",
            "-n",
            "shop",
            "--type=json",
            "-p",
            SandboxClientJavaIT.patchBomb(22));
    assertThat(bomb.exitCode()).as(bomb.out()).isEqualTo(1);
    assertThat(bomb.err())
        .isEqualTo(
            "The request is invalid: Unable to complete the copy, the accumulated size increase of"
                + " copy is more than 3145728, exceeding the limit 3145728\n");

    Path many =
        Files.writeString(
            dir.resolve("many.json"), SandboxClientJavaIT.manyTests(10_001, "bomb"));
    Run tooMany =
        kubectl(
            "patch",
            "configmap",
            "bomb",
            "-n",
            "shop",
            "--type=json",
            "--patch-file",
            many.toString());
    assertThat(tooMany.exitCode()).as(tooMany.out()).isEqualTo(1);
    assertThat(tooMany.err())
        .isEqualTo(
            "Error from server (RequestEntityTooLarge): Request entity too large: The allowed"
                + " maximum operations in a JSON patch is 10000, got 10001\n");

    Path large =
        Files.writeString(
            dir.resolve("large.json"),
            "{\"data\":{\"large\":\"" + "x".repeat(3 * 1024 * 1024) + "\"}}");
    Run tooLarge =
        kubectl(
            "patch",
            "configmap",
            "bomb",
            "-n",
            "shop",
            "--type=merge",
            "--patch-file",
            large.toString());
    assertThat(tooLarge.exitCode()).as(tooLarge.out()).isEqualTo(1);
    assertThat(tooLarge.err())
        .startsWith(
            "Error from server (RequestEntityTooLarge): Request entity too large: limit is 3145728"
                + " (configmaps \"bomb\" would be ")
        .endsWith(" bytes)\n");

    Run get = kubectl("get", "configmap", "bomb", "-n", "shop", "-o", "jsonpath={.data.key}");
    assertThat(get.exitCode()).as(get.err()).isZero();
    assertThat(get.out()).isEqualTo("value");
  }

  @Test
  void serverSideApplyCreatesTheDeploymentAndGetShowsIt() throws Exception {
    Run applied = kubectl("apply", "--server-side", "-f", "web.yaml");
    assertThat(applied.exitCode()).as(applied.err()).isZero();
    assertThat(applied.out()).contains("deployment.apps/web serverside-applied");

    Run get =
        kubectl(
            "get",
            "deployment",
            "web",
            "-n",
            "shop",
            "-o",
            "jsonpath={.spec.replicas} {.metadata.managedFields[*].manager}");
    assertThat(get.exitCode()).as(get.err()).isZero();
    assertThat(get.out()).isEqualTo("2 kubectl");

    Run table = kubectl("get", "deploy", "-n", "shop");
    assertThat(table.out())
        .as("the server prints a Table with a real server's columns")
        .containsPattern("NAME +READY +UP-TO-DATE +AVAILABLE +AGE")
        .containsPattern("web +0/2 +0 +0 +");
    assertThat(kubectl("get", "deploy", "-n", "shop", "-o", "wide").out())
        .containsPattern("CONTAINERS +IMAGES +SELECTOR")
        .contains("nginx:1.27");
  }

  @Test
  void editMakesDriftThatTheNextApplyReportsAsAConflict() throws Exception {
    assertThat(kubectl("apply", "--server-side", "-f", "web.yaml").exitCode()).isZero();
    Path editor = dir.resolve("editor.sh");
    Files.writeString(editor, "#!/bin/sh\nsed -i 's/^  replicas: .*/  replicas: 5/' \"$1\"\n");
    Files.setPosixFilePermissions(editor, PosixFilePermissions.fromString("rwx------"));

    Run edit =
        kubectl(
            List.of("EDITOR=" + editor, "KUBE_EDITOR=" + editor),
            "edit",
            "deployment/web",
            "-n",
            "shop");
    assertThat(edit.exitCode()).as(edit.err()).isZero();
    assertThat(edit.out()).contains("deployment.apps/web edited");
    Run get =
        kubectl(
            "get",
            "deployment",
            "web",
            "-n",
            "shop",
            "-o",
            "jsonpath={.spec.replicas} {.metadata.generation}");
    assertThat(get.out()).isEqualTo("5 2");

    Run conflict = kubectl("apply", "--server-side", "-f", "web.yaml");
    assertThat(conflict.exitCode()).isEqualTo(1);
    assertThat(conflict.err())
        .contains(
            "Apply failed with 1 conflict: conflict with \"kubectl-edit\" using apps/v1:"
                + " .spec.replicas");

    Run forced = kubectl("apply", "--server-side", "--force-conflicts", "-f", "web.yaml");
    assertThat(forced.exitCode()).as(forced.err()).isZero();
    assertThat(
            kubectl("get", "deployment", "web", "-n", "shop", "-o", "jsonpath={.spec.replicas}")
                .out())
        .isEqualTo("2");
  }

  @Test
  void scaleAndDeleteWork() throws Exception {
    assertThat(kubectl("apply", "--server-side", "-f", "web.yaml").exitCode()).isZero();
    Run scale = kubectl("scale", "deployment", "web", "-n", "shop", "--replicas=4");
    assertThat(scale.exitCode()).as(scale.err()).isZero();
    assertThat(
            kubectl("get", "deployment", "web", "-n", "shop", "-o", "jsonpath={.spec.replicas}")
                .out())
        .isEqualTo("4");

    Run delete = kubectl("delete", "deployment", "web", "-n", "shop");
    assertThat(delete.exitCode()).as(delete.err()).isZero();
    assertThat(delete.out()).contains("deployment.apps \"web\" deleted");
    Run gone = kubectl("get", "deployment", "web", "-n", "shop");
    assertThat(gone.exitCode()).isEqualTo(1);
    assertThat(gone.err())
        .contains("Error from server (NotFound): deployments.apps \"web\" not found");
  }

  @Test
  void typedCreateCommandsSendProtobufAndTheObjectsAreStored() throws Exception {
    List<List<String>> commands =
        List.of(
            List.of("create", "namespace", "proto"),
            List.of("create", "configmap", "settings", "--from-literal=mode=fast", "-n", "shop"),
            List.of(
                "create",
                "secret",
                "generic",
                "db",
                "--from-literal=password=s3cret",
                "-n",
                "shop"),
            List.of(
                "create",
                "deployment",
                "idle",
                "--image=nginx:1.27",
                "--replicas=0",
                "--port=80",
                "-n",
                "shop"),
            List.of("create", "service", "clusterip", "front", "--tcp=80:8080", "-n", "shop"),
            List.of("create", "serviceaccount", "robot", "-n", "shop"),
            List.of("create", "job", "once", "--image=busybox", "-n", "shop", "--", "echo", "hi"),
            List.of("create", "ingress", "entry", "--rule=shop.example/=front:80", "-n", "shop"));
    for (List<String> command : commands) {
      Run run = kubectl(command.toArray(String[]::new));
      assertThat(run.exitCode()).as(String.join(" ", command) + ": " + run.err()).isZero();
      assertThat(run.out()).contains(" created");
    }
    assertThat(kubectl("get", "ns", "proto", "-o", "jsonpath={.status.phase}").out())
        .isEqualTo("Active");
    assertThat(
            kubectl("get", "secret", "db", "-n", "shop", "-o", "jsonpath={.data.password} {.type}")
                .out())
        .isEqualTo("czNjcmV0 Opaque");
    assertThat(
            kubectl(
                    "get",
                    "deployment",
                    "idle",
                    "-n",
                    "shop",
                    "-o",
                    "jsonpath={.spec.replicas} {.spec.template.spec.containers[0].ports[0]}"
                        + " {.metadata.managedFields[0].manager}")
                .out())
        .as("an explicit zero (a Go pointer) survives; managed by kubectl-create")
        .isEqualTo("0 {\"containerPort\":80,\"protocol\":\"TCP\"} kubectl-create");
    assertThat(
            kubectl(
                    "get",
                    "service",
                    "front",
                    "-n",
                    "shop",
                    "-o",
                    "jsonpath={.spec.type} {.spec.ports[0].port}>{.spec.ports[0].targetPort}")
                .out())
        .isEqualTo("ClusterIP 80>8080");
    assertThat(
            kubectl(
                    "get",
                    "job",
                    "once",
                    "-n",
                    "shop",
                    "-o",
                    "jsonpath={.spec.template.spec.containers[0].command}")
                .out())
        .isEqualTo("[\"echo\",\"hi\"]");
    assertThat(
            kubectl(
                    "get",
                    "ingress",
                    "entry",
                    "-n",
                    "shop",
                    "-o",
                    "jsonpath={.spec.rules[0].host}"
                        + " {.spec.rules[0].http.paths[0].backend.service.name}")
                .out())
        .isEqualTo("shop.example front");
  }

  @Test
  void anApplyAfterKubectlScaleConflictsWithTheScaleSubresourceManager() throws Exception {
    assertThat(kubectl("apply", "--server-side", "-f", "web.yaml").exitCode()).isZero();
    Run scale = kubectl("scale", "deployment", "web", "-n", "shop", "--replicas=4");
    assertThat(scale.exitCode()).as(scale.err()).isZero();
    assertThat(
            kubectl(
                    "get",
                    "deployment",
                    "web",
                    "-n",
                    "shop",
                    "-o",
                    "jsonpath={.metadata.managedFields[?(@.subresource==\"scale\")].manager}")
                .out())
        .as("kubectl 1.32 names no field manager for scale: the server takes the User-Agent's")
        .isEqualTo("kubectl");

    Run conflict = kubectl("apply", "--server-side", "-f", "web.yaml");
    assertThat(conflict.exitCode()).isEqualTo(1);
    assertThat(conflict.err())
        .contains(
            "Apply failed with 1 conflict: conflict with \"kubectl\" with subresource"
                + " \"scale\" using apps/v1: .spec.replicas");
    Run forced = kubectl("apply", "--server-side", "--force-conflicts", "-f", "web.yaml");
    assertThat(forced.exitCode()).as(forced.err()).isZero();
    assertThat(
            kubectl("get", "deployment", "web", "-n", "shop", "-o", "jsonpath={.spec.replicas}")
                .out())
        .isEqualTo("2");
  }

  @Test
  void defaultsAreFilledInOnCreateAndInDryRunSoKubectlDiffSeesNoDrift() throws Exception {
    Run dryRun =
        kubectl(
            "apply",
            "--server-side",
            "--dry-run=server",
            "-f",
            "web.yaml",
            "-o",
            "jsonpath={.spec.strategy.type} {.spec.strategy.rollingUpdate.maxSurge}"
                + " {.spec.strategy.rollingUpdate.maxUnavailable} {.spec.revisionHistoryLimit}"
                + " {.spec.progressDeadlineSeconds} {.spec.template.spec.restartPolicy}"
                + " {.spec.template.spec.dnsPolicy} {.spec.template.spec.schedulerName}"
                + " {.spec.template.spec.terminationGracePeriodSeconds}"
                + " {.spec.template.spec.containers[0].imagePullPolicy}"
                + " {.spec.template.spec.containers[0].terminationMessagePath}");
    assertThat(dryRun.exitCode()).as(dryRun.err()).isZero();
    assertThat(dryRun.out())
        .isEqualTo(
            "RollingUpdate 25% 25% 10 600 Always ClusterFirst default-scheduler 30 IfNotPresent"
                + " /dev/termination-log");

    assertThat(kubectl("apply", "--server-side", "-f", "web.yaml").exitCode()).isZero();
    Run diff = kubectl("diff", "--server-side", "-f", "web.yaml");
    assertThat(diff.exitCode()).as("no differences: " + diff.out() + diff.err()).isZero();
    assertThat(diff.out()).isEmpty();

    Files.writeString(
        dir.resolve("svc.yaml"),
        """
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: shop}
        spec:
          type: NodePort
          selector: {app: web}
          ports: [{port: 80}]
        """);
    assertThat(kubectl("apply", "--server-side", "-f", "svc.yaml").exitCode()).isZero();
    assertThat(
            kubectl(
                    "get",
                    "svc",
                    "web",
                    "-n",
                    "shop",
                    "-o",
                    "jsonpath={.spec.sessionAffinity} {.spec.externalTrafficPolicy}"
                        + " {.spec.internalTrafficPolicy} {.spec.ipFamilies} {.spec.ipFamilyPolicy}"
                        + " {.spec.ports[0].targetPort} {.spec.ports[0].protocol}")
                .out())
        .isEqualTo("None Cluster Cluster [\"IPv4\"] SingleStack 80 TCP");
    assertThat(kubectl("diff", "--server-side", "-f", "svc.yaml").exitCode()).isZero();
  }

  @Test
  void aCustomResourceDefinitionServesItsKindToKubectl() throws Exception {
    Files.writeString(
        dir.resolve("crd.yaml"),
        """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: widgets.example.dev}
        spec:
          group: example.dev
          scope: Namespaced
          names: {kind: Widget, plural: widgets, shortNames: [wd]}
          versions:
          - name: v1
            served: true
            storage: true
            subresources: {status: {}}
            schema:
              openAPIV3Schema:
                type: object
                properties:
                  spec:
                    type: object
                    properties:
                      size: {type: integer, default: 3}
                      color: {type: string}
                  status:
                    type: object
                    properties:
                      phase: {type: string}
        """);
    Files.writeString(
        dir.resolve("widget.yaml"),
        """
        apiVersion: example.dev/v1
        kind: Widget
        metadata: {name: w1, namespace: shop}
        spec: {color: red}
        """);
    Run crd = kubectl("apply", "--server-side", "-f", "crd.yaml");
    assertThat(crd.exitCode()).as(crd.err()).isZero();
    Run established =
        kubectl(
            "wait", "--for", "condition=established", "crd/widgets.example.dev", "--timeout=20s");
    assertThat(established.exitCode()).as(established.err()).isZero();
    assertThat(kubectl("api-resources", "--api-group=example.dev").out())
        .containsPattern("widgets +wd +example.dev/v1 +true +Widget");

    Run applied = kubectl("apply", "--server-side", "-f", "widget.yaml");
    assertThat(applied.exitCode()).as(applied.err()).isZero();
    assertThat(applied.out()).contains("widget.example.dev/w1 serverside-applied");
    assertThat(
            kubectl(
                    "get",
                    "wd",
                    "w1",
                    "-n",
                    "shop",
                    "-o",
                    "jsonpath={.spec.color} {.spec.size} {.metadata.managedFields[0].manager}")
                .out())
        .as("the schema's default is filled in")
        .isEqualTo("red 3 kubectl");
    assertThat(kubectl("diff", "--server-side", "-f", "widget.yaml").exitCode())
        .as("a schema default is not drift")
        .isZero();

    Run status =
        kubectl(
            "patch",
            "widget",
            "w1",
            "-n",
            "shop",
            "--subresource=status",
            "--type=merge",
            "-p",
            "{\"status\":{\"phase\":\"Ready\"}}");
    assertThat(status.exitCode()).as(status.err()).isZero();
    assertThat(kubectl("get", "widgets", "-n", "shop").out())
        .containsPattern("NAME +AGE")
        .containsPattern("w1 +");
    assertThat(kubectl("get", "widget", "w1", "-n", "shop", "-o", "jsonpath={.status.phase}").out())
        .isEqualTo("Ready");

    Run deleted = kubectl("delete", "crd", "widgets.example.dev");
    assertThat(deleted.exitCode()).as(deleted.err()).isZero();
    Run gone = kubectl("get", "widgets", "-n", "shop");
    assertThat(gone.exitCode()).isEqualTo(1);
    assertThat(gone.err())
        .as("kubectl's discovery cache still knows the kind, as against a real server")
        .contains("the server could not find the requested resource");
  }

  @Test
  void getWatchStreamsEvents() throws Exception {
    assertThat(kubectl("apply", "--server-side", "-f", "web.yaml").exitCode()).isZero();
    Process watch =
        command(
                sandbox.kubeconfig,
                List.of("get", "deployments", "-n", "shop", "-w", "--output-watch-events"))
            .start();
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(watch.getInputStream(), StandardCharsets.UTF_8))) {
      assertThat(nextLine(lines)).contains("EVENT").contains("NAME");
      assertThat(nextLine(lines)).contains("ADDED").contains("web");
      assertThat(kubectl("scale", "deployment", "web", "-n", "shop", "--replicas=3").exitCode())
          .isZero();
      assertThat(nextLine(lines)).contains("MODIFIED").contains("web");
      assertThat(kubectl("delete", "deployment", "web", "-n", "shop").exitCode()).isZero();
      assertThat(nextLine(lines)).contains("DELETED").contains("web");
    } finally {
      watch.destroy();
      if (!watch.waitFor(10, TimeUnit.SECONDS)) {
        watch.destroyForcibly();
      }
    }
  }

  private static String nextLine(BufferedReader reader) throws Exception {
    String line =
        CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return reader.readLine();
                  } catch (IOException e) {
                    return null;
                  }
                })
            .get(30, TimeUnit.SECONDS);
    assertThat(line).as("kubectl get -w ended early").isNotNull();
    return line;
  }
}
