package dev.weir.engine.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import dev.weir.engine.git.GitSettings;
import dev.weir.engine.git.JGitSource;
import dev.weir.engine.git.WorkspaceSpec;
import dev.weir.engine.manifest.RenderProblem.Reason;
import dev.weir.engine.model.ResourceKey;
import dev.weir.engine.testkit.DirectoryTree;
import dev.weir.engine.time.EngineClock;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A hostile repository can neither read the operator's files nor run code nor reach the network
 * through Weir's rendering. Each test builds the attack as it was reported and asserts that it
 * fails safely: one line naming the file, line and field, nothing of the operator's files in any
 * output, no request, no process left behind.
 *
 * <p>kustomize is the real one ({@code kubectl kustomize} from the kubectl on the PATH). helm is
 * not installed on this machine, so helm tests use a stand-in {@code helm} script on an injected
 * search path ({@link ExternalTools#withSearchPath}) that records the arguments and environment it
 * was given and prints one ConfigMap, as {@code helm template} would for a one-template chart.
 * Files of the operator are stood for by files in a temporary directory ({@code operator}), and
 * {@code /etc/passwd}.
 */
class HostileRepositoryIT {

  @TempDir Path repo;
  @TempDir Path bin;
  @TempDir Path temp;
  @TempDir Path operator;

  /** A private key of the operator's, outside every repository. */
  private Path privateKey;

  private static final String KEY_TEXT = "-----BEGIN OPENSSH PRIVATE KEY----- weir-test-secret";

  private HttpServer server;
  private final List<String> requests = new CopyOnWriteArrayList<>();

  @BeforeEach
  void operatorFilesAndAServerThatRecordsRequests() throws IOException {
    privateKey = operator.resolve(".ssh/id_rsa");
    Files.createDirectories(privateKey.getParent());
    Files.writeString(privateKey, KEY_TEXT + "\n");
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
          byte[] body =
              "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fetched\n"
                  .getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  private String base() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  // -----------------------------------------------------------------------------------------------
  // Set-up

  private static String application(String name, String path, String namespace) {
    return """
    apiVersion: weir.dev/v1alpha1
    kind: Application
    metadata:
      name: "%s"
    spec:
      source:
        path: "%s"
      destination: {namespace: %s}
    """
        .formatted(name, path, namespace);
  }

  private static Optional<Path> kubectlDirectory() {
    return ExternalTools.fromEnvironment().find("kubectl").map(Path::getParent);
  }

  private static Path kubectl() {
    Optional<Path> dir = kubectlDirectory();
    assumeTrue(dir.isPresent(), "kubectl is not on the PATH: install kubectl to run this test");
    return dir.get();
  }

  private Renderer renderer(RenderOptions options) {
    return new Renderer(options);
  }

  private RenderOptions options(List<Path> path) {
    return RenderOptions.defaults()
        .withTools(new ExternalTools(path, Duration.ofSeconds(60), temp));
  }

  private RenderOptions withKubectl() {
    return options(List.of(kubectl()));
  }

  /** The stand-in helm (see the class comment) first on the search path, then the system's. */
  private RenderOptions withStandInHelm() throws IOException {
    executable(
        "helm",
        """
        #!/bin/sh
        # A stand-in for helm, which is not installed on this machine: records its arguments (one
        # a line) and environment, then prints what helm template prints for a one-template chart.
        for a in "$@"; do printf '%%s\\n' "$a"; done > %1$s/helm.args
        env > %1$s/helm.env
        for a in "$@"; do release=$previous; previous=$a; done
        echo "---"
        echo "# Source: chart/templates/cm.yaml"
        printf 'apiVersion: v1\\nkind: ConfigMap\\nmetadata:\\n  name: %%s\\n' "$release"
        """
            .formatted(bin));
    return options(List.of(bin, Path.of("/usr/bin"), Path.of("/bin")));
  }

  private Path executable(String name, String script) throws IOException {
    Path file = bin.resolve(name);
    Files.writeString(file, script);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return file;
  }

  private List<String> helmArguments() throws IOException {
    return Files.readAllLines(bin.resolve("helm.args"));
  }

  private static Map<String, String> chart(String dir) {
    return Map.of(
        dir + "/Chart.yaml", "apiVersion: v2\nname: chart\nversion: 0.1.0\n",
        dir + "/values.yaml", "replicas: 1\n",
        dir + "/templates/cm.yaml", "apiVersion: v1\nkind: ConfigMap\n");
  }

  private static Map<String, String> files(Map<String, String> first, Map<String, String> more) {
    Map<String, String> all = new HashMap<>(first);
    all.putAll(more);
    return all;
  }

  /** Everything a user sees of a render: every problem and every rendered object. */
  private static String everythingShown(RepositoryRender render) {
    StringBuilder shown = new StringBuilder();
    render.problems().forEach(p -> shown.append(p).append('\n'));
    for (RenderedApplication app : render.applications()) {
      app.errors().forEach(p -> shown.append(p).append('\n'));
      app.lastGood()
          .ifPresent(
              s ->
                  shown.append(
                      ManifestPrinter.print(
                          List.copyOf(s.resources().values()), ManifestPrinter.Format.YAML)));
    }
    return shown.toString();
  }

  private static void assertOneLine(RenderedApplication app, Reason reason, String line) {
    assertThat(app.lastGood()).as("nothing rendered").isEmpty();
    assertThat(app.errors())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p).hasToString(line);
              assertThat(p.reason()).isEqualTo(reason);
            });
  }

  // -----------------------------------------------------------------------------------------------
  // 1. A repository path became a kustomize flag

  @Test
  void pathThatIsAKustomizeFlagFailsToLoadAndNoOperatorFileIsRead() {
    Path kubectl = kubectl();
    String flag = "--load-restrictor=LoadRestrictionsNone";
    String outside = repo.relativize(privateKey).toString(); // ../../…/.ssh/id_rsa
    DirectoryTree tree =
        DirectoryTree.write(
            repo,
            Map.of(
                "weir/apps.yaml",
                application("inject", flag, "shop"),
                flag + "/kustomization.yaml",
                "resources: [../base-inj]\n",
                "base-inj/kustomization.yaml",
                "configMapGenerator:\n- name: loot\n  files: [id_rsa=../" + outside + "]\n",
                "kustomization.yaml",
                "configMapGenerator:\n"
                    + "- name: loot\n"
                    + "  files: [id_rsa="
                    + privateKey
                    + ", passwd=/etc/passwd]\n"));
    Renderer renderer = renderer(options(List.of(kubectl)));

    RepositoryRender render = renderer.render(tree);

    RenderedApplication inject = render.application("inject").orElseThrow();
    assertOneLine(
        inject,
        Reason.INVALID_APPLICATION,
        "weir/apps.yaml:7:11: Application inject: spec.source.path must not have a directory"
            + " starting with '-': --load-restrictor=LoadRestrictionsNone");
    assertThat(renderer.toolRuns()).as("kustomize never ran").isZero();
    assertThat(everythingShown(render)).doesNotContain("weir-test-secret", "root:x:0");
  }

  @Test
  void kustomizeRunsWithItsLoadRestrictorOnAndTheDirectoryAsARelativePathAfterDashDash()
      throws IOException {
    // A stand-in kubectl records how kustomize is called and the files it was given; the real
    // one shows that the restrictor works.
    executable(
        "kubectl",
        "#!/bin/sh\n# a stand-in recording its arguments and files\nprintf '%s\\n' \"$@\" > "
            + bin
            + "/kubectl.args\nfind . -type f | sort > "
            + bin
            + "/kubectl.files\n");
    DirectoryTree tree =
        DirectoryTree.write(
            repo,
            Map.of(
                "weir/apps.yaml", application("web", "apps/web", "shop"),
                "apps/web/kustomization.yaml", "resources: [cm.yaml]\n",
                "apps/web/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n",
                "apps/web/.git/config", "[core]\n\tfsmonitor = touch /tmp/pwned\n",
                "apps/unrelated/big.yaml", "apiVersion: v1\nkind: ConfigMap\n"));

    renderer(options(List.of(bin, Path.of("/usr/bin"), Path.of("/bin")))).render(tree);

    assertThat(Files.readAllLines(bin.resolve("kubectl.args")))
        .containsExactly(
            "kustomize", "--load-restrictor=LoadRestrictionsRootOnly", "--", "./apps/web");
    assertThat(Files.readAllLines(bin.resolve("kubectl.files")))
        .as("only what the kustomization reaches, never Git configuration")
        .containsExactly("./apps/web/cm.yaml", "./apps/web/kustomization.yaml");
  }

  @Test
  void aKustomizationInADirectoryNamedLikeAFlagIsRenderedAsADirectory() {
    // Inside a valid application path, a directory of that name is only a directory: ./ and --.
    String flag = "--load-restrictor=LoadRestrictionsNone";
    DirectoryTree tree =
        DirectoryTree.write(
            repo,
            Map.of(
                "weir/apps.yaml",
                application("web", "apps", "shop"),
                "apps/" + flag + "/kustomization.yaml",
                "configMapGenerator:\n- name: loot\n  files: [../other/secret.txt]\n",
                "apps/other/secret.txt",
                "weir-test-secret\n"));

    RepositoryRender render = renderer(withKubectl()).render(tree);

    assertThat(render.application("web").orElseThrow().errors())
        .singleElement()
        .asString()
        .startsWith("apps/" + flag + "/kustomization.yaml:1:1: kubectl kustomize apps/" + flag)
        .contains("security; file 'apps/other/secret.txt' is not in or below 'apps/" + flag + "'");
    assertThat(everythingShown(render)).doesNotContain("weir-test-secret");
  }

  @Test
  void kustomizeRefusesAFileOutsideTheKustomizationsDirectory() {
    DirectoryTree tree =
        DirectoryTree.write(
            repo,
            Map.of(
                "weir/apps.yaml", application("web", "apps/web", "shop"),
                "apps/web/kustomization.yaml",
                    "configMapGenerator:\n- name: loot\n  files: [../other/secret.txt]\n",
                "apps/other/secret.txt", "weir-test-secret\n"));

    RepositoryRender render = renderer(withKubectl()).render(tree);

    RenderedApplication web = render.application("web").orElseThrow();
    assertThat(web.errors())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.reason()).isEqualTo(Reason.TOOL_FAILED);
              assertThat(p.toString())
                  .startsWith("apps/web/kustomization.yaml:1:1: kubectl kustomize apps/web failed:")
                  .contains("security; file 'apps/other/secret.txt' is not in or below 'apps/web'")
                  .doesNotContain("\n");
            });
    assertThat(everythingShown(render)).doesNotContain("weir-test-secret");
  }

  // -----------------------------------------------------------------------------------------------
  // 2. An application's name became a helm flag

  @Test
  void applicationNamedLikeAHelmFlagFailsToLoadAndHelmNeverRuns() throws IOException {
    RenderOptions options = withStandInHelm();
    DirectoryTree tree =
        DirectoryTree.write(
            repo,
            files(
                chart("apps/chart"),
                Map.of(
                    "weir/post-renderer.yaml",
                    application("--post-renderer=/bin/sh", "apps/chart", "shop"),
                    "weir/set-file.yaml",
                    application("--set-file=k=/root/.ssh/id_rsa", "apps/chart", "shop"))));
    Renderer renderer = renderer(options);

    RepositoryRender render = renderer.render(tree);

    assertThat(render.applications())
        .as("listed, failing to load")
        .extracting(RenderedApplication::name)
        .containsExactly("--post-renderer=/bin/sh", "--set-file=k=/root/.ssh/id_rsa");
    assertOneLine(
        render.application("--post-renderer=/bin/sh").orElseThrow(),
        Reason.INVALID_APPLICATION,
        "weir/post-renderer.yaml:4:9: Application: metadata.name must be a Kubernetes name"
            + " (lowercase letters, digits, '-' and '.', starting and ending with a letter or"
            + " digit, at most 253 characters): --post-renderer=/bin/sh");
    assertThat(render.application("--set-file=k=/root/.ssh/id_rsa").orElseThrow().errors())
        .extracting(RenderProblem::toString)
        .singleElement()
        .asString()
        .startsWith("weir/set-file.yaml:4:9: Application: metadata.name must be a Kubernetes name");
    assertThat(renderer.toolRuns()).isZero();
    assertThat(bin.resolve("helm.args")).as("helm was never called").doesNotExist();
  }

  @Test
  void helmGetsOnlyTheValidatedNameNamespaceAndRelativeChartAfterDashDash() throws IOException {
    RenderOptions options = withStandInHelm();
    DirectoryTree tree =
        DirectoryTree.write(
            repo,
            files(
                chart("apps/storefront/chart"),
                Map.of("weir/apps.yaml", application("storefront", "apps/storefront", "shop"))));

    RenderedApplication app =
        renderer(options).render(tree).application("storefront").orElseThrow();

    assertThat(app.errors()).isEmpty();
    assertThat(app.lastGood().orElseThrow().resources())
        .containsKey(new ResourceKey("", "ConfigMap", "shop", "storefront"));
    assertThat(helmArguments())
        .containsExactly(
            "template",
            "--namespace=shop",
            "--include-crds",
            "--",
            "storefront",
            "./apps/storefront/chart");
  }

  @Test
  void helmRunsWithAnEnvironmentOfItsOwnUnderTheWorkDirectory() throws IOException {
    RenderOptions options = withStandInHelm();
    DirectoryTree tree =
        DirectoryTree.write(
            repo,
            files(
                chart("apps/chart"), Map.of("weir/apps.yaml", application("a", "apps/chart", ""))));

    renderer(options).render(tree);

    Map<String, String> env = new HashMap<>();
    for (String line : Files.readAllLines(bin.resolve("helm.env"))) {
      int equals = line.indexOf('=');
      if (equals > 0) {
        env.put(line.substring(0, equals), line.substring(equals + 1));
      }
    }
    String home = env.get("HOME");
    assertThat(home).startsWith(temp.toString()).isNotEqualTo(System.getProperty("user.home"));
    for (String name :
        List.of(
            "HELM_CACHE_HOME",
            "HELM_CONFIG_HOME",
            "HELM_DATA_HOME",
            "HELM_PLUGINS",
            "HELM_REPOSITORY_CONFIG",
            "HELM_REGISTRY_CONFIG",
            "KUBECONFIG",
            "XDG_CONFIG_HOME")) {
      assertThat(env.get(name)).as(name).startsWith(home + "/");
    }
    assertThat(env).containsEntry("HTTPS_PROXY", "http://127.0.0.1:9");
    Set<String> own = new HashSet<>(Set.of("PWD", "SHLVL", "_", "OLDPWD")); // set by sh
    own.addAll(options.tools().isolatedEnvironment(temp, temp, false).keySet());
    assertThat(env.keySet()).as("nothing but its own environment").isSubsetOf(own);
    try (Stream<Path> left = Files.list(temp)) {
      assertThat(left).as("the work directory and its HOME are removed").isEmpty();
    }
  }

  @Test
  void remoteChartDependencyIsRefusedUnlessVendored() throws IOException {
    RenderOptions options = withStandInHelm();
    String chartYaml =
        "apiVersion: v2\n"
            + "name: chart\n"
            + "version: 0.1.0\n"
            + "dependencies:\n"
            + "- name: redis\n"
            + "  version: 1.0.0\n"
            + "  repository: "
            + base()
            + "/charts?token=s3cr3t\n";
    Map<String, String> files =
        files(
            chart("apps/chart"),
            Map.of(
                "weir/apps.yaml",
                application("a", "apps/chart", "shop"),
                "apps/chart/Chart.yaml",
                chartYaml));
    Renderer renderer = renderer(options);

    RenderedApplication app =
        renderer.render(DirectoryTree.write(repo, files)).application("a").orElseThrow();

    assertOneLine(
        app,
        Reason.UNSAFE_SOURCE,
        "apps/chart/Chart.yaml:7:15: dependencies[0].repository "
            + base()
            + "/charts is remote and redis is not vendored in charts/: Weir renders without network"
            + " access (run helm dependency build and commit charts/, or let the operator allow"
            + " remote sources)");
    assertThat(renderer.toolRuns()).isZero();
    assertThat(requests).isEmpty();

    DirectoryTree.writeFile(
        repo, "apps/chart/charts/redis-1.0.0.tgz", new byte[] {0x1f, (byte) 0x8b});
    RenderedApplication vendored =
        renderer.render(DirectoryTree.of(repo)).application("a").orElseThrow();

    assertThat(vendored.errors()).as("helm template fetches nothing charts/ holds").isEmpty();
    assertThat(helmArguments()).doesNotContain("--dependency-update");
    assertThat(requests).isEmpty();
  }

  @Test
  void remoteChartDependencyIsFetchedOnlyWhenAllowedAndNeverFromAMetadataAddress()
      throws IOException {
    RenderOptions options = withStandInHelm().withRemoteSources(true);
    Map<String, String> files =
        files(
            chart("apps/chart"),
            Map.of(
                "weir/apps.yaml",
                application("a", "apps/chart", "shop"),
                "apps/chart/Chart.yaml",
                "apiVersion: v2\n"
                    + "name: chart\n"
                    + "version: 0.1.0\n"
                    + "dependencies:\n"
                    + "- {name: redis, version: 1.0.0, repository:"
                    + " \"https://192.0.2.10/charts\"}\n"));

    RenderedApplication allowed =
        renderer(options).render(DirectoryTree.write(repo, files)).application("a").orElseThrow();

    assertThat(allowed.errors()).isEmpty();
    assertThat(helmArguments()).contains("--dependency-update");

    DirectoryTree.writeFile(
        repo,
        "apps/chart/Chart.yaml",
        ("apiVersion: v2\nname: chart\nversion: 0.1.0\ndependencies:\n"
                + "- {name: redis, version: 1.0.0, repository: \"oci://169.254.169.254/charts\"}\n")
            .getBytes(StandardCharsets.UTF_8));
    RenderedApplication metadata =
        renderer(options).render(DirectoryTree.of(repo)).application("a").orElseThrow();

    assertOneLine(
        metadata,
        Reason.UNSAFE_SOURCE,
        "apps/chart/Chart.yaml:5:45: dependencies[0].repository oci://169.254.169.254/charts is"
            + " refused even with remote sources allowed: it is link-local (169.254.169.254),"
            + " where metadata services live");
  }

  // -----------------------------------------------------------------------------------------------
  // 6. Rendering made outbound requests

  /** A kustomization reaching the network, and the line that refuses it. */
  record RemoteCase(String name, String kustomization, String line) {
    @Override
    public String toString() {
      return name;
    }
  }

  static List<RemoteCase> remoteCases() {
    String metadata = "BASE/latest/meta-data/iam/security-credentials/role";
    String refused =
        " is remote: Weir renders without network access (vendor it into the repository, or let"
            + " the operator allow remote sources)";
    return List.of(
        new RemoteCase(
            "an http resource (the report)",
            "resources:\n- " + metadata + "\n",
            "apps/web/kustomization.yaml:2:3: resources[0] " + metadata + refused),
        new RemoteCase(
            "a git base with credentials",
            "bases:\n- git::https://weir:s3cr3t@HOSTPORT/org/repo//base?ref=main\n",
            "apps/web/kustomization.yaml:2:3: bases[0] https://***@HOSTPORT/org/repo//base"
                + refused),
        new RemoteCase(
            "a github.com component",
            "components: [\"github.com/org/repo/components/x?ref=v1\"]\n",
            "apps/web/kustomization.yaml:1:14: components[0] github.com/org/repo/components/x"
                + refused),
        new RemoteCase(
            "an scp-like git resource",
            "resources: [\"git@HOST:org/repo\"]\n",
            "apps/web/kustomization.yaml:1:13: resources[0] git@HOST:org/repo" + refused),
        new RemoteCase(
            "a generated ConfigMap from a URL",
            "configMapGenerator:\n- name: creds\n  files: [role=" + metadata + "]\n",
            "apps/web/kustomization.yaml:3:11: configMapGenerator[0].files[0] "
                + metadata
                + refused),
        new RemoteCase(
            "a patch from a URL",
            "resources: [cm.yaml]\npatches:\n- path: BASE/patch.yaml\n",
            "apps/web/kustomization.yaml:3:9: patches[0].path BASE/patch.yaml" + refused),
        new RemoteCase(
            "a helm chart repository",
            "helmCharts:\n- name: x\n  repo: BASE/charts\n",
            "apps/web/kustomization.yaml:3:9: helmCharts[0].repo BASE/charts" + refused),
        new RemoteCase(
            "an inline generator reading a URL",
            "generators:\n- |-\n  apiVersion: builtin\n  kind: ConfigMapGenerator\n"
                + "  metadata: {name: x}\n  files: ["
                + metadata
                + "]\n",
            "apps/web/kustomization.yaml:2:3: generators[0].files[0] " + metadata + refused),
        new RemoteCase(
            "a base of the overlay reaching out",
            "resources: [../base]\n",
            "apps/base/kustomization.yaml:1:13: resources[0] BASE/cm.yaml" + refused));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("remoteCases")
  void remoteSourcesAreRefusedBeforeKustomizeRunsAndNoRequestArrives(RemoteCase c) {
    Path kubectl = kubectl();
    String hostPort = "127.0.0.1:" + server.getAddress().getPort();
    DirectoryTree tree =
        DirectoryTree.write(
            repo,
            Map.of(
                "weir/apps.yaml",
                application("web", "apps/web", "shop"),
                "apps/web/kustomization.yaml",
                c.kustomization
                    .replace("BASE", base())
                    .replace("HOSTPORT", hostPort)
                    .replace("HOST", "127.0.0.1"),
                "apps/web/cm.yaml",
                "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n",
                "apps/base/kustomization.yaml",
                "resources: [" + base() + "/cm.yaml]\n"));
    Renderer renderer = renderer(options(List.of(kubectl)));

    RepositoryRender render = renderer.render(tree);

    assertOneLine(
        render.application("web").orElseThrow(),
        Reason.UNSAFE_SOURCE,
        c.line.replace("BASE", base()).replace("HOSTPORT", hostPort).replace("HOST", "127.0.0.1"));
    assertThat(requests).as("requests that arrived").isEmpty();
    assertThat(renderer.toolRuns()).isZero();
    assertThat(everythingShown(render)).doesNotContain("s3cr3t");
  }

  @Test
  void remoteResourceIsFetchedWhenTheOperatorAllowsIt() {
    Path kubectl = kubectl();
    DirectoryTree tree =
        DirectoryTree.write(
            repo,
            Map.of(
                "weir/apps.yaml",
                application("web", "apps/web", "shop"),
                "apps/web/kustomization.yaml",
                "resources: [" + base() + "/cm.yaml]\n"));

    RenderedApplication web =
        renderer(options(List.of(kubectl)).withRemoteSources(true))
            .render(tree)
            .application("web")
            .orElseThrow();

    assertThat(web.errors()).isEmpty();
    assertThat(web.lastGood().orElseThrow().resources())
        .containsKey(new ResourceKey("", "ConfigMap", "shop", "fetched"));
    assertThat(requests).containsExactly("GET /cm.yaml");
  }

  record MetadataCase(String resource, String why) {
    @Override
    public String toString() {
      return resource;
    }
  }

  static List<MetadataCase> metadataCases() {
    return List.of(
        new MetadataCase(
            "http://169.254.169.254/latest/meta-data/iam/security-credentials/role",
            "it is link-local (169.254.169.254), where metadata services live"),
        new MetadataCase(
            "http://metadata.google.internal/computeMetadata/v1/",
            "it is a cloud metadata service (metadata.google.internal)"),
        new MetadataCase(
            "http://[fe80::a9fe:a9fe]/latest/",
            "it is link-local (fe80:0:0:0:0:0:a9fe:a9fe), where metadata services live"),
        new MetadataCase(
            "http://[::ffff:169.254.169.254]/latest/",
            "it is link-local (169.254.169.254), where metadata services live"),
        new MetadataCase(
            "http://2852039166/latest/", "its host 2852039166 is not a canonical address or name"),
        new MetadataCase(
            "http://100.100.100.200/latest/meta-data/",
            "it is a cloud metadata service (100.100.100.200)"),
        new MetadataCase(
            "git::file:///root/.ssh",
            "a file:// source reads the machine Weir runs on, not the repository"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("metadataCases")
  void metadataAndLinkLocalAddressesAreRefusedEvenWhenRemoteSourcesAreAllowed(MetadataCase c) {
    DirectoryTree tree =
        DirectoryTree.write(
            repo,
            Map.of(
                "weir/apps.yaml",
                application("web", "apps/web", "shop"),
                "apps/web/kustomization.yaml",
                "resources:\n- \"" + c.resource + "\"\n"));
    Renderer renderer = renderer(options(List.of(bin)).withRemoteSources(true));

    RenderedApplication web = renderer.render(tree).application("web").orElseThrow();

    String shown = c.resource.startsWith("git::") ? c.resource.substring(5) : c.resource;
    assertOneLine(
        web,
        Reason.UNSAFE_SOURCE,
        "apps/web/kustomization.yaml:2:3: resources[0] "
            + shown
            + " is refused even with remote sources allowed: "
            + c.why);
    assertThat(renderer.toolRuns()).isZero();
  }

  // -----------------------------------------------------------------------------------------------
  // What held before: outside paths, absolute paths, symbolic links, plugins, no shell

  @Test
  void absoluteAndOutsidePathsInAKustomizationAreRefused() {
    record Case(String kustomization, String line) {}
    List<Case> cases =
        List.of(
            new Case(
                "resources: [/etc/passwd]\n",
                "apps/web/kustomization.yaml:1:13: resources[0] /etc/passwd is an absolute path:"
                    + " kustomize may only read files of the repository"),
            new Case(
                "configMapGenerator:\n- name: x\n  files: [key=" + privateKey + "]\n",
                "apps/web/kustomization.yaml:3:11: configMapGenerator[0].files[0] "
                    + privateKey
                    + " is an absolute path: kustomize may only read files of the repository"),
            new Case(
                "resources: [../../../../../../../home]\n",
                "apps/web/kustomization.yaml:1:13: resources[0] ../../../../../../../home is"
                    + " outside the repository"),
            new Case(
                "secretGenerator:\n- name: x\n  envs: [../../"
                    + repo.relativize(privateKey)
                    + "]\n",
                "apps/web/kustomization.yaml:3:10: secretGenerator[0].envs[0] ../../"
                    + repo.relativize(privateKey)
                    + " is outside the repository"));
    for (Case c : cases) {
      DirectoryTree tree =
          DirectoryTree.write(
              repo,
              Map.of(
                  "weir/apps.yaml",
                  application("web", "apps/web", "shop"),
                  "apps/web/kustomization.yaml",
                  c.kustomization));

      RenderedApplication web =
          renderer(options(List.of(bin))).render(tree).application("web").orElseThrow();

      assertOneLine(web, Reason.UNSAFE_SOURCE, c.line);
    }
  }

  @Test
  void symbolicLinksInTheRepositoryAreNotFollowed() throws Exception {
    Path kubectl = kubectl();
    Path work = Files.createDirectories(operator.resolve("work"));
    Files.createDirectories(work.resolve("weir"));
    Files.createDirectories(work.resolve("apps/web"));
    Files.writeString(work.resolve("weir/apps.yaml"), application("web", "apps/web", "shop"));
    Files.writeString(
        work.resolve("apps/web/kustomization.yaml"),
        "configMapGenerator:\n- name: loot\n  files: [passwd, id_rsa]\n");
    Files.createSymbolicLink(work.resolve("apps/web/passwd"), Path.of("/etc/passwd"));
    Files.createSymbolicLink(work.resolve("apps/web/id_rsa"), privateKey);
    git(work, "init", "-q", "-b", "main");
    git(work, "add", "-A");
    git(work, "-c", "user.name=Mallory", "-c", "user.email=m@example.com", "commit", "-qm", "x");

    try (JGitSource source =
        JGitSource.open(
            WorkspaceSpec.of(work.toString()),
            GitSettings.from(Map.of(), operator.resolve("home")),
            EngineClock.system())) {
      Renderer renderer = renderer(options(List.of(kubectl)));
      RepositoryRender render = renderer.render(source.head());

      RenderedApplication web = render.application("web").orElseThrow();
      assertThat(web.errors())
          .singleElement()
          .satisfies(
              p -> {
                assertThat(p.reason()).isEqualTo(Reason.TOOL_FAILED);
                assertThat(p.toString())
                    .startsWith(
                        "apps/web/kustomization.yaml:1:1: kubectl kustomize apps/web failed:")
                    .contains("no such file or directory")
                    .doesNotContain("\n");
              });
      assertThat(everythingShown(render)).doesNotContain("weir-test-secret", "root:x:0");
    }
  }

  @Test
  void kustomizePluginsExecFunctionsAndHelmStayOff() throws IOException {
    Path kubectl = kubectl();
    Path marker = operator.resolve("pwned");
    executable("pwn", "#!/bin/sh\n# would prove a plugin ran\ntouch " + marker + "\n");
    record Case(String kustomization, String plugin, String error) {}
    List<Case> cases =
        List.of(
            new Case(
                "generators: [plugin.yaml]\n",
                "apiVersion: weir.test/v1\nkind: Pwn\nmetadata:\n  name: pwn\n  annotations:\n"
                    + "    config.kubernetes.io/function: |\n      exec:\n        path: "
                    + bin.resolve("pwn")
                    + "\n",
                "external plugins disabled"),
            new Case(
                "transformers: [plugin.yaml]\n",
                "apiVersion: weir.test/v1\nkind: Pwn\nmetadata:\n  name: pwn\n",
                "external plugins disabled"),
            new Case(
                "helmCharts:\n- name: chart\n  version: 0.1.0\n",
                "apiVersion: v1\nkind: ConfigMap\n",
                "must specify --enable-helm"));
    executable(
        "helm", "#!/bin/sh\n# a stand-in helm: would prove helm ran\ntouch " + marker + "\n");
    for (Case c : cases) {
      DirectoryTree tree =
          DirectoryTree.write(
              repo,
              Map.of(
                  "weir/apps.yaml", application("web", "apps/web", "shop"),
                  "apps/web/kustomization.yaml", c.kustomization,
                  "apps/web/plugin.yaml", c.plugin));

      RenderedApplication web =
          renderer(options(List.of(kubectl, bin))).render(tree).application("web").orElseThrow();

      assertThat(web.errors())
          .singleElement()
          .satisfies(
              p -> {
                assertThat(p.reason()).isEqualTo(Reason.TOOL_FAILED);
                assertThat(p.toString()).contains(c.error).doesNotContain("\n");
              });
      assertThat(marker).as("no plugin ran").doesNotExist();
    }
  }

  @Test
  void argumentsReachToolsAsTheyAreWithoutAShell() throws IOException {
    withStandInHelm();
    String shelly = "apps/a;touch pwned $(id) `id` |x";
    DirectoryTree tree =
        DirectoryTree.write(
            repo,
            files(
                chart(shelly),
                Map.of(
                    "weir/apps.yaml",
                    application("a", shelly, "shop"),
                    "weir/web.yaml",
                    application("web", "apps/web $(id)", "shop"),
                    "apps/web $(id)/kustomization.yaml",
                    "resources: [cm.yaml]\n",
                    "apps/web $(id)/cm.yaml",
                    "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web}\n")));

    RepositoryRender render =
        renderer(options(List.of(bin, kubectl(), Path.of("/usr/bin"), Path.of("/bin"))))
            .render(tree);

    assertThat(render.application("a").orElseThrow().errors()).isEmpty();
    assertThat(helmArguments()).last().isEqualTo("./" + shelly);
    assertThat(render.application("web").orElseThrow().errors())
        .as("kustomize got the directory as one argument")
        .isEmpty();
  }

  // -----------------------------------------------------------------------------------------------
  // 8. Unbounded reads

  @Test
  void aHugeFileInAKustomizeOrHelmDirectoryIsOneLineAndNeverRead() throws Exception {
    Path work = Files.createDirectories(operator.resolve("work"));
    Map<String, String> text =
        files(
            chart("apps/chart"),
            Map.of(
                "weir/apps.yaml",
                application("web", "apps/web", "shop")
                    + "---\n"
                    + application("chart", "apps/chart", "shop"),
                "apps/web/kustomization.yaml",
                "configMapGenerator:\n- name: big\n  files: [blob.bin]\n"));
    text.forEach(
        (path, content) ->
            DirectoryTree.writeFile(work, path, content.getBytes(StandardCharsets.UTF_8)));
    for (String path : List.of("apps/web/blob.bin", "apps/chart/files/blob.bin")) {
      Files.createDirectories(work.resolve(path).getParent());
      try (RandomAccessFile sparse = new RandomAccessFile(work.resolve(path).toFile(), "rw")) {
        sparse.setLength(200L << 20); // 200 MiB of zeros, one Git blob, never in the test's memory
      }
    }
    executable("helm", "#!/bin/sh\n# a stand-in helm: would prove helm ran\nexit 3\n");
    git(work, "init", "-q", "-b", "main");
    git(work, "add", "-A");
    git(work, "-c", "user.name=Mallory", "-c", "user.email=m@example.com", "commit", "-qm", "x");

    try (JGitSource source =
        JGitSource.open(
            WorkspaceSpec.of(work.toString()),
            GitSettings.from(Map.of(), operator.resolve("home")),
            EngineClock.system())) {
      Renderer renderer = renderer(options(List.of(bin)));
      RepositoryRender render = renderer.render(source.head());

      assertOneLine(
          render.application("web").orElseThrow(),
          Reason.LIMIT,
          "apps/web/blob.bin:1:1: file is 209715200 bytes, over the limit of 16777216 bytes");
      assertOneLine(
          render.application("chart").orElseThrow(),
          Reason.LIMIT,
          "apps/chart/files/blob.bin:1:1: file is 209715200 bytes, over the limit of 16777216"
              + " bytes");
      assertThat(renderer.toolRuns()).isZero();
    }
  }

  @Test
  void limitsApplyToTheKustomizationTheToolsInputsAndWhatTheyPrint() throws IOException {
    executable("helm", "#!/bin/sh\n# a stand-in helm that prints without end\nexec yes 'a: b'\n");
    YamlLimits small = YamlLimits.DEFAULT.withMaxFileBytes(64 << 10).withMaxTotalBytes(1 << 20);
    RenderOptions options =
        options(List.of(bin, Path.of("/usr/bin"), Path.of("/bin"))).withLimits(small);
    String big = "# " + "x".repeat(100 << 10) + "\n";
    String medium = "# " + "x".repeat(60 << 10) + "\n";
    Map<String, String> files = new HashMap<>();
    files.put(
        "weir/apps.yaml",
        application("web", "apps/web", "shop")
            + "---\n"
            + application("wide", "apps/wide", "shop")
            + "---\n"
            + application("chatty", "apps/chatty", "shop"));
    files.put("apps/web/kustomization.yaml", big + "resources: []\n");
    files.put("apps/wide/Chart.yaml", "apiVersion: v2\nname: wide\nversion: 0.1.0\n");
    for (int i = 0; i < 20; i++) {
      files.put("apps/wide/templates/t" + i + ".yaml", medium);
    }
    files.putAll(chart("apps/chatty"));
    Renderer renderer = renderer(options);

    RepositoryRender render = renderer.render(DirectoryTree.write(repo, files));

    assertOneLine(
        render.application("web").orElseThrow(),
        Reason.LIMIT,
        "apps/web/kustomization.yaml:1:1: file is 102417 bytes, over the limit of 65536 bytes");
    assertOneLine(
        render.application("wide").orElseThrow(),
        Reason.LIMIT,
        "apps/wide/Chart.yaml:1:1: helm would read 1228901 bytes under apps/wide, over the limit"
            + " of 1048576 bytes");
    assertOneLine(
        render.application("chatty").orElseThrow(),
        Reason.TOOL_FAILED,
        "apps/chatty/Chart.yaml:1:1: helm template apps/chatty failed: output is over the limit"
            + " of 1048576 bytes");
  }

  // -----------------------------------------------------------------------------------------------
  // Time limits

  @Test
  void aToolWhoseChildHangsIsKilledWithTheChildAtTheTimeLimit() throws Exception {
    Path pid = operator.resolve("child.pid");
    executable(
        "helm",
        "#!/bin/sh\n# a stand-in helm waiting for a child that never finishes\n"
            + "sleep 86400 &\necho $! > "
            + pid
            + "\nwait\n");
    DirectoryTree tree =
        DirectoryTree.write(
            repo,
            files(
                chart("apps/chart"), Map.of("weir/apps.yaml", application("a", "apps/chart", ""))));
    Renderer renderer =
        renderer(
            RenderOptions.defaults()
                .withTools(
                    new ExternalTools(
                        List.of(bin, Path.of("/usr/bin"), Path.of("/bin")),
                        Duration.ofMillis(300),
                        temp)));

    RenderedApplication app = renderer.render(tree).application("a").orElseThrow();

    assertOneLine(
        app,
        Reason.TOOL_TIMEOUT,
        "apps/chart/Chart.yaml:1:1: helm template apps/chart did not finish within 300ms");
    long child = Long.parseLong(Files.readString(pid).strip());
    Optional<ProcessHandle> left = ProcessHandle.of(child);
    if (left.isPresent()) {
      // Killed already: wait, without sleeping, until it is gone; a live one fails here.
      left.get().onExit().get(10, TimeUnit.SECONDS);
    }
    assertThat(ProcessHandle.of(child).filter(ProcessHandle::isAlive)).isEmpty();
  }

  // -----------------------------------------------------------------------------------------------

  private static void git(Path dir, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("git", "-C", dir.toString()));
    command.addAll(List.of(args));
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    assertThat(process.waitFor()).as("git %s", List.of(args)).isZero();
  }
}
