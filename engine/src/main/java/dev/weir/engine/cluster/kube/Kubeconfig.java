package dev.weir.engine.cluster.kube;

import dev.weir.engine.cluster.ClusterError;
import dev.weir.engine.cluster.ClusterError.Reason;
import dev.weir.engine.cluster.ClusterException;
import io.kubernetes.client.util.KubeConfig;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * A kubeconfig as kubectl reads it: one file, or the files of {@code KUBECONFIG} (separated by the
 * platform's path separator) merged, else {@code ~/.kube/config}.
 *
 * <p>Merging follows kubectl: the first file that defines a cluster, user or context by a name
 * wins; {@code current-context} comes from the first file that sets it. Relative paths in a file
 * (certificate-authority, client-certificate, client-key, tokenFile, an exec plugin's command with
 * a slash) are resolved against that file's folder, as kubectl does. Bearer tokens, client
 * certificates (data or files) and basic auth are handled by client-java from the merged document;
 * token files by {@link TokenFileCredentials}, which reads them again when they change (a pod's
 * rotated service account token; {@link #inCluster} builds such a kubeconfig for a pod); exec
 * credential plugins (EKS, GKE, AKS) by {@link ExecCredentials}, which runs them when a credential
 * is needed and again when it expires. TLS is verified unless the cluster entry sets
 * {@code insecure-skip-tls-verify}.
 *
 * <p>Immutable and thread-safe. {@link #toString()} never shows a credential.
 */
public final class Kubeconfig {
  private static final String PATH_SEPARATOR = File.pathSeparator;

  private final List<Path> files;
  private final Map<String, Object> clusters;
  private final Map<String, Object> users;
  private final Map<String, Object> contexts;
  private final String currentContext;

  private Kubeconfig(
      List<Path> files,
      Map<String, Object> clusters,
      Map<String, Object> users,
      Map<String, Object> contexts,
      String currentContext) {
    this.files = List.copyOf(files);
    this.clusters = clusters;
    this.users = users;
    this.contexts = contexts;
    this.currentContext = currentContext;
  }

  /**
   * The kubeconfig kubectl would use: {@code KUBECONFIG} from {@code environment} when set, else
   * {@code home/.kube/config}.
   *
   * @throws ClusterException {@code CONFIGURATION} when no file can be read
   */
  public static Kubeconfig load(Map<String, String> environment, Path home) {
    String variable = environment.getOrDefault("KUBECONFIG", "");
    List<Path> paths = new ArrayList<>();
    for (String part : variable.split(PATH_SEPARATOR)) {
      if (!part.isBlank()) {
        paths.add(Path.of(part));
      }
    }
    if (paths.isEmpty()) {
      return fromFiles(List.of(home.resolve(".kube").resolve("config")));
    }
    // kubectl skips files of KUBECONFIG that do not exist
    List<Path> existing = paths.stream().filter(Files::isRegularFile).toList();
    if (existing.isEmpty()) {
      throw configuration("none of the KUBECONFIG files exists: " + variable);
    }
    return fromFiles(existing);
  }

  /**
   * The kubeconfig of a pod's own cluster ({@link InClusterConfig}), in memory: one context {@code
   * in-cluster} whose user reads its token from the service account's {@code token} file and whose
   * cluster is verified against its {@code ca.crt}.
   *
   * @throws ClusterException {@code CONFIGURATION} when the token or CA file cannot be read
   */
  public static Kubeconfig inCluster(InClusterConfig config) {
    config.check();
    Map<String, Object> clusters = new LinkedHashMap<>();
    Map<String, Object> users = new LinkedHashMap<>();
    Map<String, Object> contexts = new LinkedHashMap<>();
    String name = "in-cluster";
    clusters.put(
        name,
        Map.of(
            "name",
            name,
            "cluster",
            Map.of("server", config.server(), "certificate-authority", config.caFile().toString())));
    users.put(name, Map.of("name", name, "user", Map.of("tokenFile", config.tokenFile().toString())));
    contexts.put(
        name,
        Map.of(
            "name",
            name,
            "context",
            Map.of("cluster", name, "user", name, "namespace", config.namespace())));
    return new Kubeconfig(List.of(config.directory()), clusters, users, contexts, name);
  }

  /** One kubeconfig file. */
  public static Kubeconfig fromFile(Path file) {
    return fromFiles(List.of(file));
  }

  /**
   * Several kubeconfig files merged as kubectl merges {@code KUBECONFIG}.
   *
   * @throws ClusterException {@code CONFIGURATION} naming the file that cannot be read or parsed
   */
  public static Kubeconfig fromFiles(List<Path> files) {
    Map<String, Object> clusters = new LinkedHashMap<>();
    Map<String, Object> users = new LinkedHashMap<>();
    Map<String, Object> contexts = new LinkedHashMap<>();
    String current = "";
    for (Path file : files) {
      Map<String, Object> document = read(file);
      Path base = file.toAbsolutePath().getParent();
      mergeNamed(document, "clusters", "cluster", clusters, base, file);
      mergeNamed(document, "users", "user", users, base, file);
      mergeNamed(document, "contexts", "context", contexts, base, file);
      if (current.isEmpty() && document.get("current-context") instanceof String c) {
        current = c;
      }
    }
    return new Kubeconfig(files, clusters, users, contexts, current);
  }

  /** The files read, in merge order. */
  public List<Path> files() {
    return files;
  }

  /** Every context name, in merge order. */
  public List<String> contexts() {
    return List.copyOf(contexts.keySet());
  }

  /** The current context, "" when no file sets one. */
  public String currentContext() {
    return currentContext;
  }

  /** {@code context} itself, or the current context when {@code context} is null or blank. */
  public String resolveContext(String context) {
    String name = context == null || context.isBlank() ? currentContext : context;
    if (name.isEmpty()) {
      throw configuration(
          "the kubeconfig " + describeFiles() + " sets no current-context; pass --context");
    }
    if (!contexts.containsKey(name)) {
      throw configuration(
          "no context named '"
              + name
              + "' in "
              + describeFiles()
              + "; known: "
              + String.join(", ", contexts.keySet()));
    }
    return name;
  }

  /** The namespace a context names, "" when none. */
  public String namespace(String context) {
    Object entry = contexts.get(resolveContext(context));
    return entry instanceof Map<?, ?> m
            && m.get("context") instanceof Map<?, ?> c
            && c.get("namespace") instanceof String ns
        ? ns
        : "";
  }

  /** client-java's view of one context of the merged document. */
  KubeConfig clientConfig(String context) {
    return clientConfig(context, false);
  }

  /**
   * client-java's view of one context; with {@code withoutExec} the context's user has no exec
   * plugin, so that client-java does not run it once at build time ({@link ExecCredentials} runs it
   * when needed instead).
   */
  @SuppressWarnings("unchecked")
  KubeConfig clientConfig(String context, boolean withoutExec) {
    String name = resolveContext(context);
    ArrayList<Object> userList = new ArrayList<>(users.values());
    String userName = userOf(name);
    boolean tokenFile = tokenFile(name).isPresent();
    if ((withoutExec || tokenFile) && users.get(userName) instanceof Map<?, ?> entry) {
      Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) entry);
      if (copy.get("user") instanceof Map<?, ?> body) {
        Map<String, Object> bodyCopy = new LinkedHashMap<>((Map<String, Object>) body);
        if (withoutExec) {
          bodyCopy.remove("exec");
        }
        // the gateway reads a token file itself, and again when it changes (TokenFileCredentials)
        bodyCopy.remove("tokenFile");
        copy.put("user", bodyCopy);
      }
      userList.replaceAll(u -> u == entry ? copy : u);
    }
    KubeConfig config =
        new KubeConfig(
            new ArrayList<>(contexts.values()), new ArrayList<>(clusters.values()), userList);
    if (!config.setContext(name)) {
      throw configuration(
          "context '" + name + "' names a cluster or user that " + describeFiles() + " lacks");
    }
    if (config.getServer() == null || config.getServer().isBlank()) {
      throw configuration("context '" + name + "' has no cluster server in " + describeFiles());
    }
    return config;
  }

  /**
   * The exec credential plugin of a context's user, if it has one: its command (a relative path
   * already resolved against its file's folder), arguments, environment and API version.
   *
   * @throws ClusterException {@code CONFIGURATION} when the exec entry lacks a command or API
   *     version
   */
  @SuppressWarnings("unchecked")
  Optional<ExecPlugin> execPlugin(String context) {
    String name = resolveContext(context);
    if (!(users.get(userOf(name)) instanceof Map<?, ?> entry)
        || !(entry.get("user") instanceof Map<?, ?> body)
        || !(body.get("exec") instanceof Map<?, ?> exec)) {
      return Optional.empty();
    }
    String where = "the exec plugin of user '" + userOf(name) + "' in " + describeFiles();
    if (!(exec.get("command") instanceof String command) || command.isBlank()) {
      throw configuration(where + " has no command");
    }
    if (!(exec.get("apiVersion") instanceof String apiVersion) || apiVersion.isBlank()) {
      throw configuration(where + " has no apiVersion");
    }
    List<String> args = new ArrayList<>();
    if (exec.get("args") instanceof List<?> list) {
      list.forEach(a -> args.add(String.valueOf(a)));
    }
    Map<String, String> env = new LinkedHashMap<>();
    if (exec.get("env") instanceof List<?> list) {
      for (Object item : list) {
        if (item instanceof Map<?, ?> pair && pair.get("name") instanceof String key) {
          env.put(key, pair.get("value") == null ? "" : String.valueOf(pair.get("value")));
        }
      }
    }
    String server = "";
    if (contexts.get(name) instanceof Map<?, ?> ctx
        && ctx.get("context") instanceof Map<?, ?> c
        && c.get("cluster") instanceof String clusterName
        && clusters.get(clusterName) instanceof Map<?, ?> cluster
        && cluster.get("cluster") instanceof Map<?, ?> clusterBody
        && clusterBody.get("server") instanceof String url) {
      server = url;
    }
    return Optional.of(
        new ExecPlugin(
            command,
            args,
            env,
            apiVersion,
            Boolean.TRUE.equals(exec.get("provideClusterInfo")),
            server));
  }

  /** The token file of a context's user ({@code tokenFile}), if it has one. */
  Optional<Path> tokenFile(String context) {
    String name = resolveContext(context);
    return users.get(userOf(name)) instanceof Map<?, ?> entry
            && entry.get("user") instanceof Map<?, ?> body
            && body.get("tokenFile") instanceof String file
            && !file.isBlank()
            && !(body.get("token") instanceof String token && !token.isBlank())
        ? Optional.of(Path.of(file))
        : Optional.empty();
  }

  private String userOf(String context) {
    return contexts.get(context) instanceof Map<?, ?> m
            && m.get("context") instanceof Map<?, ?> c
            && c.get("user") instanceof String user
        ? user
        : "";
  }

  private String describeFiles() {
    return String.join(PATH_SEPARATOR, files.stream().map(Path::toString).toList());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> read(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw configuration("kubeconfig " + file + " does not exist");
    } catch (IOException e) {
      throw configuration("cannot read kubeconfig " + file + ": " + e.getMessage());
    }
    LoaderOptions options = new LoaderOptions();
    options.setMaxAliasesForCollections(50);
    options.setCodePointLimit(16 * 1024 * 1024);
    try {
      Object loaded = new Yaml(new SafeConstructor(options)).load(text);
      if (loaded == null) {
        return Map.of();
      }
      if (!(loaded instanceof Map<?, ?>)) {
        throw configuration(file + ":1:1: a kubeconfig is a mapping");
      }
      return (Map<String, Object>) loaded;
    } catch (MarkedYAMLException e) {
      var mark = e.getProblemMark();
      throw configuration(
          file + ":" + (mark.getLine() + 1) + ":" + (mark.getColumn() + 1) + ": " + e.getProblem());
    } catch (YAMLException e) {
      throw configuration(file + ":1:1: " + e.getMessage());
    }
  }

  @SuppressWarnings("unchecked")
  private static void mergeNamed(
      Map<String, Object> document,
      String listKey,
      String itemKey,
      Map<String, Object> into,
      Path base,
      Path file) {
    if (!(document.get(listKey) instanceof List<?> list)) {
      return;
    }
    for (Object item : list) {
      if (!(item instanceof Map<?, ?> entry) || !(entry.get("name") instanceof String name)) {
        throw configuration(file + ": every entry of " + listKey + " needs a name");
      }
      if (into.containsKey(name)) {
        continue; // the first file wins, as in kubectl
      }
      Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) entry);
      if (copy.get(itemKey) instanceof Map<?, ?> body) {
        copy.put(itemKey, absolutePaths((Map<String, Object>) body, base));
      }
      into.put(name, copy);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> absolutePaths(Map<String, Object> body, Path base) {
    Map<String, Object> copy = new LinkedHashMap<>(body);
    for (String key :
        List.of("certificate-authority", "client-certificate", "client-key", "tokenFile")) {
      if (copy.get(key) instanceof String path && !path.isBlank()) {
        copy.put(key, resolve(base, path));
      }
    }
    if (copy.get("exec") instanceof Map<?, ?> exec) {
      Map<String, Object> execCopy = new LinkedHashMap<>((Map<String, Object>) exec);
      if (execCopy.get("command") instanceof String command
          && command.contains("/")
          && !Path.of(command).isAbsolute()) {
        execCopy.put("command", resolve(base, command));
      }
      copy.put("exec", execCopy);
    }
    return copy;
  }

  private static String resolve(Path base, String path) {
    Path p = Path.of(path);
    return p.isAbsolute() || base == null ? path : base.resolve(p).normalize().toString();
  }

  private static ClusterException configuration(String message) {
    return new ClusterException(ClusterError.of(Reason.CONFIGURATION, message));
  }

  @Override
  public String toString() {
    return "Kubeconfig" + files + " contexts=" + contexts.keySet() + " current=" + currentContext;
  }
}
