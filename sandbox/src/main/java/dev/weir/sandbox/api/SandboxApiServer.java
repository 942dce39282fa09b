package dev.weir.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.weir.engine.time.EngineClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import javax.net.ssl.SSLParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sandbox Kubernetes API server: a simulated, faithful subset of the Kubernetes API over
 * HTTP(S) on a loopback port, which client-java and kubectl reach through the kubeconfig that
 * {@link #writeKubeconfig} writes, exactly as they reach a real cluster. What it serves and how
 * closely it follows a real server is written down in {@code docs/sandbox-fidelity.md}.
 *
 * <pre>{@code
 * try (SandboxApiServer sandbox = SandboxApiServer.start(SandboxOptions.builder().ephemeral().build())) {
 *   sandbox.writeKubeconfig(Path.of("kubeconfig"), sandbox.adminToken());
 *   // kubectl --kubeconfig kubeconfig get deployments -A
 * }
 * }</pre>
 *
 * <p>State (objects, the resourceVersion counter) is loaded from the options' state file at start,
 * saved after changes (debounced on the {@link EngineClock}) and on {@link #close()}. A fresh
 * sandbox has the namespaces {@code default}, {@code kube-system}, {@code kube-public} and {@code
 * kube-node-lease}.
 *
 * <p>Thread-safe. Requests are served on virtual threads. {@link #close()} ends every watch, stops
 * the listener and saves; closing twice does nothing.
 */
public final class SandboxApiServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SandboxApiServer.class);
  private static final String SEEDING_MANAGER = "kube-apiserver";

  private final SandboxOptions options;
  private final ObjectStore store;
  private final HttpServer server;
  private final ExecutorService executor;
  private final SandboxCertificates certificates;
  private final Authenticator authenticator;
  private final StateFile stateFile;
  private final URI url;
  private final AtomicBoolean savePending = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Object saveLock = new Object();
  private volatile EngineClock.Scheduled pendingSave;
  private final SandboxObjects objects;
  private final Map<String, JsonNode> loadedExtensions;
  private final Map<String, Supplier<JsonNode>> extensions = new ConcurrentHashMap<>();
  private final List<Runnable> closeHooks = new CopyOnWriteArrayList<>();
  private ApiRouter router;
  private volatile ServiceProxy services;

  private SandboxApiServer(
      SandboxOptions options,
      ObjectStore store,
      HttpServer server,
      ExecutorService executor,
      SandboxCertificates certificates,
      Authenticator authenticator,
      StateFile stateFile,
      SandboxObjects objects,
      Map<String, JsonNode> loadedExtensions) {
    this.options = options;
    this.authenticator = authenticator;
    this.objects = objects;
    this.loadedExtensions = Map.copyOf(loadedExtensions);
    this.store = store;
    this.server = server;
    this.executor = executor;
    this.certificates = certificates;
    this.stateFile = stateFile;
    int port = server.getAddress().getPort();
    this.url = URI.create((certificates == null ? "http" : "https") + "://127.0.0.1:" + port);
  }

  /**
   * Turns Nagle's algorithm off for the JDK's HTTP server ({@code sun.net.httpserver.nodelay}),
   * unless the process chose otherwise. The server writes a response's headers and body in
   * separate writes; with Nagle on, the body waited for the client's delayed ACK of the headers —
   * 40 ms on Linux — on about one request in six: most of a {@code weir status}'s time against a
   * served sandbox (decision 0014). The JDK reads the property once, when its first server starts;
   * a process that started another JDK HTTP server before keeps what it had.
   */
  private static void noDelay() {
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  /**
   * Loads the state, binds the loopback port and starts serving.
   *
   * @throws IOException when the port cannot be bound or the state file cannot be read
   */
  public static SandboxApiServer start(SandboxOptions options) throws IOException {
    EngineClock clock = options.clock();
    KindRegistry registry = options.kinds();
    ObjectStore store = new ObjectStore(options.eventWindow(), 1_000_000);
    StateFile stateFile = options.stateFile().map(StateFile::new).orElse(null);
    Map<String, JsonNode> loadedExtensions = Map.of();
    if (stateFile != null) {
      Optional<StateFile.Contents> contents = stateFile.load(registry);
      if (contents.isPresent()) {
        store.restore(contents.get().snapshot());
        loadedExtensions = contents.get().extensions();
      }
    }
    FieldManager fieldManager = new FieldManager(clock);
    ResourceHandler resources = new ResourceHandler(registry, store, fieldManager, clock);
    seedNamespaces(registry, store, resources);
    new CustomResourceDefinitions(registry, store, resources, clock).start();

    InetSocketAddress address =
        new InetSocketAddress(InetAddress.getLoopbackAddress(), options.port());
    noDelay();
    SandboxCertificates certificates = null;
    HttpServer server;
    if (options.https()) {
      certificates = SandboxCertificates.generate(clock.instant());
      HttpsServer https = HttpsServer.create(address, 128);
      https.setHttpsConfigurator(
          new HttpsConfigurator(certificates.sslContext()) {
            @Override
            public void configure(HttpsParameters parameters) {
              // ask for a client certificate, as kube-apiserver does, but do not require one
              SSLParameters ssl = getSSLContext().getDefaultSSLParameters();
              ssl.setWantClientAuth(true);
              parameters.setSSLParameters(ssl);
            }
          });
      server = https;
    } else {
      server = HttpServer.create(address, 128);
    }
    ExecutorService executor =
        Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("sandbox-api-", 0).factory());
    server.setExecutor(executor);
    Authenticator authenticator =
        new Authenticator(options.adminToken(), options.readOnlyToken(), certificates, clock);
    SandboxApiServer sandbox =
        new SandboxApiServer(
            options,
            store,
            server,
            executor,
            certificates,
            authenticator,
            stateFile,
            new SandboxObjects(registry, store, resources),
            loadedExtensions);
    ApiRouter router =
        new ApiRouter(
            registry,
            store,
            resources,
            authenticator,
            clock,
            options.bookmarkInterval(),
            () -> "127.0.0.1:" + server.getAddress().getPort());
    sandbox.router = router;
    server.createContext("/", router);
    sandbox.services = router.services();
    store.onChange(sandbox::scheduleSave);
    server.start();
    LOG.info("sandbox API server listening on {}", sandbox.url);
    return sandbox;
  }

  private static void seedNamespaces(
      KindRegistry registry, ObjectStore store, ResourceHandler resources) {
    Optional<KindInfo> namespaces = registry.byResource("", "v1", "namespaces");
    if (namespaces.isEmpty()) {
      return;
    }
    for (String name : new String[] {"default", "kube-system", "kube-public", "kube-node-lease"}) {
      if (store.get(namespaces.get(), "", name) == null) {
        var object = Json.MAPPER.createObjectNode();
        object.put("apiVersion", "v1");
        object.put("kind", "Namespace");
        object.putObject("metadata").put("name", name);
        resources.create(
            namespaces.get(),
            null,
            object,
            new ResourceHandler.WriteOptions(SEEDING_MANAGER, true, false, false));
      }
    }
  }

  /** The server's base URL, e.g. {@code https://127.0.0.1:43121}. */
  public URI url() {
    return url;
  }

  /** In-process access to the objects, through the same verbs as HTTP requests. */
  public SandboxObjects objects() {
    return objects;
  }

  /** The clock the server keeps time with (timestamps, watch timeouts, saves). */
  public EngineClock clock() {
    return options.clock();
  }

  /**
   * Serves {@code handler} at {@code path} (and below) on this server's port, beside the Kubernetes
   * API, e.g. a Prometheus {@code /metrics} endpoint, behind the API's authentication: a request
   * without a token or client certificate the API accepts is answered 401 ({@code Unauthorized},
   * as a {@code Status}) and never reaches {@code handler}. Any authenticated user may use it,
   * the read-only one too (a real cluster grants {@code get} on {@code /metrics} by RBAC).
   */
  public void route(String path, HttpHandler handler) {
    server.createContext(
        path,
        exchange -> {
          if (authenticator
              .authenticate(
                  ApiRouter.peerCertificates(exchange),
                  exchange.getRequestHeaders().getFirst("Authorization"))
              .isEmpty()) {
            try (exchange) {
              byte[] body = Json.bytes(Authenticator.unauthorized().toStatus());
              exchange.getResponseHeaders().set("Content-Type", "application/json");
              exchange.sendResponseHeaders(401, body.length);
              exchange.getResponseBody().write(body);
            }
            return;
          }
          handler.handle(exchange);
        });
  }

  /**
   * Serves {@code backend} behind port {@code port} of the Service {@code namespace/name}, for
   * requests through the API server's service proxy ({@code
   * /api/v1/namespaces/NS/services/NAME:PORT/proxy/…}), authenticated and authorised as any API
   * request. The Service object itself must exist, as in Kubernetes; until it does the proxy
   * answers 404.
   */
  public void serveService(String namespace, String name, int port, ServiceBackend backend) {
    services.register(namespace, name, port, backend);
  }

  /**
   * Registers a part of the sandbox whose in-flight state is kept in the state file beside the
   * objects, under {@code name}: {@code state} is asked for a JSON document at every save (on any
   * thread; it must be thread-safe). {@link #savedState(String)} hands it back after a restart.
   */
  public void keepState(String name, Supplier<JsonNode> state) {
    extensions.put(name, state);
  }

  /** The state saved under {@code name} in the state file this server started from, if any. */
  public Optional<JsonNode> savedState(String name) {
    return Optional.ofNullable(loadedExtensions.get(name)).map(JsonNode::deepCopy);
  }

  /** Asks for a save soon (debounced, as after a change of objects). */
  public void requestSave() {
    scheduleSave();
  }

  /**
   * Serves {@code GET …/pods/NAME/log} ({@code kubectl logs}) from {@code source}; without one, as
   * for the bare API server, the log subresource answers 404.
   */
  public void serveLogs(PodLogSource source) {
    router.serveLogs(source);
  }

  /** Runs {@code hook} when the server closes, before the final save. */
  public void onClose(Runnable hook) {
    closeHooks.add(hook);
  }

  /** The token of user {@code admin}, who may do everything. */
  public String adminToken() {
    return options.adminToken();
  }

  /** The token of user {@code viewer}, who may only get, list and watch. */
  public String readOnlyToken() {
    return options.readOnlyToken();
  }

  /**
   * Lets {@code token} authenticate as {@code user} in {@code groups} from now on ({@code
   * system:masters} may do everything, anyone else only read), beside the admin and read-only
   * tokens. Tokens are not saved with the state.
   */
  public void addToken(String token, String user, List<String> groups) {
    requirePrintable(token);
    authenticator.addToken(token, user, groups);
  }

  /** Stops {@code token} from authenticating from the next request on; true when it did. */
  public boolean revokeToken(String token) {
    return authenticator.revokeToken(token);
  }

  /**
   * A client certificate for {@code user} in {@code groups} (subject CN and O values), signed by
   * this server's CA and valid for a year from the clock's now. Over HTTPS only.
   *
   * @throws IllegalStateException over plain HTTP, where no certificate can be presented
   */
  public ClientCertificate issueClientCertificate(String user, List<String> groups) {
    if (certificates == null) {
      throw new IllegalStateException("client certificates need HTTPS");
    }
    return certificates.issueClientCertificate(
        user, groups, options.clock().instant(), Duration.ofDays(365));
  }

  /**
   * A client certificate and its private key, both PEM. {@link #toString()} never shows the key.
   *
   * @param certificatePem the certificate ({@code BEGIN CERTIFICATE})
   * @param keyPem the private key, PKCS#8 ({@code BEGIN PRIVATE KEY})
   */
  public record ClientCertificate(String certificatePem, String keyPem) {
    @Override
    public String toString() {
      return "ClientCertificate[key hidden]";
    }
  }

  /** Where state is saved; empty for an in-memory sandbox. */
  public Optional<Path> stateFile() {
    return options.stateFile();
  }

  /** The CA certificate (PEM) that signed the serving certificate; empty over plain HTTP. */
  public Optional<String> certificateAuthorityPem() {
    return Optional.ofNullable(certificates).map(SandboxCertificates::caPem);
  }

  /**
   * Writes a kubeconfig for this server with one cluster, user and context named {@code
   * weir-sandbox} (namespace {@code default}), authenticating with {@code token}. Over HTTPS it
   * carries the CA in {@code certificate-authority-data}, so TLS verification stays on. The file is
   * written atomically and readable only by the user (it holds the token).
   */
  public void writeKubeconfig(Path file, String token) throws IOException {
    requirePrintable(token);
    writeKubeconfigWithUser(file, "    token: \"" + token + "\"\n");
  }

  /**
   * As {@link #writeKubeconfig(Path, String)}, authenticating with a client certificate carried in
   * {@code client-certificate-data} and {@code client-key-data}.
   */
  public void writeKubeconfig(Path file, ClientCertificate certificate) throws IOException {
    Base64.Encoder base64 = Base64.getEncoder();
    writeKubeconfigWithUser(
        file,
        "    client-certificate-data: "
            + base64.encodeToString(
                certificate.certificatePem().getBytes(StandardCharsets.US_ASCII))
            + "\n    client-key-data: "
            + base64.encodeToString(certificate.keyPem().getBytes(StandardCharsets.US_ASCII))
            + "\n");
  }

  private static void requirePrintable(String token) {
    if (token == null
        || token.isBlank()
        || token.chars().anyMatch(c -> c <= ' ' || c > '~' || c == '"')) {
      throw new IllegalArgumentException("the token must be non-blank printable ASCII");
    }
  }

  private void writeKubeconfigWithUser(Path file, String user) throws IOException {
    StringBuilder yaml = new StringBuilder();
    yaml.append("apiVersion: v1\nkind: Config\nclusters:\n- name: weir-sandbox\n  cluster:\n");
    yaml.append("    server: ").append(url).append('\n');
    if (certificates != null) {
      String caData =
          Base64.getEncoder()
              .encodeToString(certificates.caPem().getBytes(StandardCharsets.US_ASCII));
      yaml.append("    certificate-authority-data: ").append(caData).append('\n');
    }
    yaml.append("users:\n- name: weir-sandbox\n  user:\n").append(user);
    yaml.append("contexts:\n- name: weir-sandbox\n  context:\n    cluster: weir-sandbox\n");
    yaml.append("    user: weir-sandbox\n    namespace: default\n");
    yaml.append("current-context: weir-sandbox\npreferences: {}\n");
    Path absolute = file.toAbsolutePath();
    Files.createDirectories(absolute.getParent());
    Path temp = absolute.resolveSibling(absolute.getFileName() + ".tmp");
    Files.deleteIfExists(temp);
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      Files.createFile(
          temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }
    Files.writeString(temp, yaml, StandardCharsets.UTF_8);
    try {
      Files.move(
          temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Saves the state now (a no-op for an in-memory sandbox). */
  public void save() throws IOException {
    if (stateFile == null) {
      return;
    }
    synchronized (saveLock) {
      savePending.set(false);
      Map<String, JsonNode> states = new TreeMap<>(loadedExtensions);
      extensions.forEach((name, state) -> states.put(name, state.get()));
      stateFile.save(store.snapshot(), states);
    }
  }

  private void scheduleSave() {
    if (stateFile != null && !closed.get() && savePending.compareAndSet(false, true)) {
      pendingSave = options.clock().schedule(options.saveDebounce(), this::saveQuietly);
    }
  }

  private void saveQuietly() {
    try {
      save();
    } catch (IOException | UncheckedIOException e) {
      LOG.warn("could not save the sandbox state to {}: {}", stateFile.path(), e.getMessage());
    }
  }

  /** Ends every watch, stops serving and saves the state. */
  @Override
  public void close() throws IOException {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    for (Runnable hook : closeHooks) {
      try {
        hook.run();
      } catch (RuntimeException e) {
        LOG.warn("a sandbox close hook failed", e);
      }
    }
    store.endAllWatches();
    server.stop(0);
    executor.shutdownNow();
    EngineClock.Scheduled scheduled = pendingSave;
    if (scheduled != null) {
      scheduled.cancel();
    }
    save();
  }

  @Override
  public String toString() {
    return "SandboxApiServer[" + url + "]";
  }
}
