package dev.weir.drills;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.engine.git.GitException;
import dev.weir.engine.git.GitSettings;
import dev.weir.engine.git.GitSource;
import dev.weir.engine.git.JGitSource;
import dev.weir.engine.git.WorkspaceSpec;
import dev.weir.engine.git.RevisionTree;
import dev.weir.engine.manifest.RenderedApplication;
import dev.weir.engine.manifest.Renderer;
import dev.weir.engine.manifest.RepositoryRender;
import dev.weir.engine.model.DesiredState;
import dev.weir.engine.model.Manifest;
import dev.weir.engine.rollout.RolloutOwnership;
import dev.weir.engine.time.EngineClock;
import dev.weir.sandbox.api.SandboxApiException;
import dev.weir.sandbox.api.SandboxApiServer;
import dev.weir.sandbox.api.SandboxObjects;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Seeds the sandbox's cluster with the sample repository's applications as Git stood at one
 * revision (by default one commit before the newest, so the newest waits to roll out), as Weir
 * would have synced them: server-side apply by field manager {@value #MANAGER}, each object
 * labelled {@code app.kubernetes.io/managed-by: weir} and annotated {@code weir.dev/application:
 * NAME}. Then it makes the drift the sample tells of: {@code inventory}'s replicas edited from 3 to
 * 5 by {@code kubectl-edit}. What was seeded is kept in the state file ({@link #seeded}).
 *
 * <p>Not thread-safe; run once on a sandbox nobody else writes to.
 */
public final class SampleCluster {
  /** Weir's field manager, as the reconciler applies with. */
  public static final String MANAGER = "weir";

  static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
  static final String APPLICATION_ANNOTATION = "weir.dev/application";
  private static final String STATE = "sample";
  private static final ObjectMapper JSON = new ObjectMapper();

  private SampleCluster() {}

  /**
   * What was seeded.
   *
   * @param repository the sample repository (the workspace's remote)
   * @param revision the commit whose desired state was applied
   * @param applications the applications applied, in order
   * @param objects how many objects were applied
   * @param problems one line per application or object that could not be applied
   */
  public record Seeded(
      Path repository,
      String revision,
      List<String> applications,
      int objects,
      List<String> problems) {
    public Seeded {
      applications = List.copyOf(applications);
      problems = List.copyOf(problems);
    }
  }

  /**
   * As {@link #seed(SandboxApiServer, GitSource, String, Path)}, reading {@code repository} (a
   * local path) with the Git settings of {@code environment} and {@code home}.
   *
   * @throws IOException with Git's one line when the repository cannot be read
   */
  public static Seeded seed(
      SandboxApiServer server, Path repository, String rev, Map<String, String> environment, Path home)
      throws IOException {
    GitSettings settings = GitSettings.from(environment, home);
    try (GitSource source =
        JGitSource.open(WorkspaceSpec.of(repository.toString()), settings, EngineClock.system())) {
      return seed(server, source, rev, repository);
    } catch (GitException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  /**
   * Applies every application of {@code source} at {@code rev} (e.g. {@code HEAD~1}) into {@code
   * server}'s objects, then makes the inventory drift.
   *
   * @param repository where the sample repository lives, recorded for scenarios
   */
  public static Seeded seed(
      SandboxApiServer server, GitSource source, String rev, Path repository) {
    SandboxObjects objects = server.objects();
    RevisionTree tree = source.tree(rev);
    RepositoryRender render = new Renderer().render(tree);
    List<String> applications = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    render.problems().forEach(p -> problems.add(p.toString()));
    List<ObjectNode> clusterScoped = new ArrayList<>();
    List<ObjectNode> namespaced = new ArrayList<>();
    for (RenderedApplication application : render.applications()) {
      Optional<DesiredState> state = application.lastGood();
      if (application.failed() || state.isEmpty()) {
        problems.add(application.name() + ": " + application.summary());
        continue;
      }
      applications.add(application.name());
      // stamped as a sync stamps them, so that Git's newer template is a rollout due
      for (Manifest manifest : RolloutOwnership.stamped(state.get()).resources().values()) {
        ObjectNode object = JSON.valueToTree(manifest.object());
        ObjectNode metadata =
            object.get("metadata") instanceof ObjectNode m ? m : object.putObject("metadata");
        if (!manifest.namespace().isEmpty()) {
          metadata.put("namespace", manifest.namespace());
        }
        child(metadata, "labels").put(MANAGED_BY_LABEL, MANAGER);
        child(metadata, "annotations").put(APPLICATION_ANNOTATION, application.name());
        (manifest.namespace().isEmpty() ? clusterScoped : namespaced).add(object);
      }
    }
    int applied = 0;
    for (List<ObjectNode> batch : List.of(clusterScoped, namespaced)) {
      for (ObjectNode object : batch) {
        try {
          objects.apply(object, MANAGER, true);
          applied++;
        } catch (SandboxApiException e) {
          problems.add(describe(object) + ": " + e.getMessage());
        }
      }
    }
    if (applications.contains("inventory")) {
      ObjectNode patch = JSON.createObjectNode();
      patch.putObject("spec").put("replicas", 5);
      try {
        objects.mergePatch("apps/v1", "Deployment", "shop", "inventory", patch, "kubectl-edit");
      } catch (SandboxApiException e) {
        problems.add("the inventory drift: " + e.getMessage());
      }
    }
    Seeded seeded =
        new Seeded(repository.toAbsolutePath(), tree.revision(), applications, applied, problems);
    ObjectNode record = JSON.createObjectNode();
    record.put("repository", seeded.repository().toString());
    record.put("revision", seeded.revision());
    record.set("applications", JSON.valueToTree(seeded.applications()));
    server.keepState(STATE, () -> record);
    server.requestSave();
    return seeded;
  }

  /** What was seeded into {@code server}'s sandbox, if it was. */
  public static Optional<Seeded> seeded(SandboxApiServer server) {
    return server
        .savedState(STATE)
        .map(
            s -> {
              List<String> applications = new ArrayList<>();
              s.path("applications").forEach(a -> applications.add(a.asText()));
              return new Seeded(
                  Path.of(s.path("repository").asText()),
                  s.path("revision").asText(),
                  applications,
                  0,
                  List.of());
            });
  }

  /** Whether {@code server}'s sandbox already holds objects Weir manages. */
  public static boolean holdsApplications(SandboxApiServer server) {
    for (String[] kind :
        new String[][] {{"apps/v1", "Deployment"}, {"v1", "Service"}, {"v1", "ConfigMap"}}) {
      for (JsonNode object : server.objects().list(kind[0], kind[1], null)) {
        if (MANAGER.equals(
            object.path("metadata").path("labels").path(MANAGED_BY_LABEL).asText(null))) {
          return true;
        }
      }
    }
    return false;
  }

  private static ObjectNode child(ObjectNode parent, String field) {
    return parent.get(field) instanceof ObjectNode m ? m : parent.putObject(field);
  }

  private static String describe(ObjectNode object) {
    String namespace = object.path("metadata").path("namespace").asText("");
    return object.path("kind").asText()
        + " "
        + (namespace.isEmpty() ? "" : namespace + "/")
        + object.path("metadata").path("name").asText();
  }
}
