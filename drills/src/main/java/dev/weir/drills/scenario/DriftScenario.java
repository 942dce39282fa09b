package dev.weir.drills.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.engine.git.JGitSource;
import dev.weir.engine.git.WorkspaceSpec;
import dev.weir.engine.manifest.RenderedApplication;
import dev.weir.engine.manifest.Renderer;
import dev.weir.engine.model.DesiredState;
import dev.weir.engine.model.Manifest;
import dev.weir.engine.model.ResourceKey;
import dev.weir.sandbox.api.SandboxObjects;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code drift}: someone scales {@code checkout} from 3 replicas to 1 with {@code kubectl edit}.
 * The engine detects the drift (Git says 3) and, as checkout's sync policy has {@code selfHeal:
 * true}, one reconcile pass puts it back; the scenario ends when 3 pods are Ready again. Without an
 * engine attached, the scenario detects the drift itself by rendering the desired state and says
 * that nothing heals it.
 */
final class DriftScenario implements Scenario {
  private static final String APPLICATION = "checkout";
  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public String name() {
    return "drift";
  }

  @Override
  public String description() {
    return "checkout is scaled from 3 to 1 by kubectl edit; the drift is detected and self-healed"
               + " from Git";
  }

  @Override
  public boolean usesEngine() {
    return true;
  }

  @Override
  public Set<String> applications() {
    return Set.of(APPLICATION);
  }

  @Override
  public List<Step> steps(ScenarioContext context) {
    SandboxObjects objects = context.server().objects();
    int[] before = {0};
    return List.of(
        new Step(
            "edit",
            Duration.ofSeconds(5),
            log -> {
              ObjectNode deployment =
                  objects
                      .get("apps/v1", "Deployment", "shop", APPLICATION)
                      .orElseThrow(
                          () ->
                              new ScenarioException(
                                  "the sandbox has no Deployment shop/checkout: run 'weir sandbox"
                                      + " init DIR' first"));
              before[0] = deployment.path("spec").path("replicas").asInt(1);
              ObjectNode patch = JSON.createObjectNode();
              patch.putObject("spec").put("replicas", 1);
              objects.mergePatch(
                  "apps/v1", "Deployment", "shop", APPLICATION, patch, "kubectl-edit");
              log.say(
                  APPLICATION,
                  "Deployment shop/checkout scaled from "
                      + before[0]
                      + " to 1 in the cluster by kubectl-edit",
                  "drill: a hand edit nobody committed to Git");
              return true;
            }),
        new Step(
            "scaled down",
            Duration.ofMinutes(1),
            log -> {
              JsonNode status =
                  objects
                      .get("apps/v1", "Deployment", "shop", APPLICATION)
                      .orElseThrow()
                      .path("status");
              if (status.path("replicas").asInt() != 1) {
                return false;
              }
              log.say(
                  APPLICATION,
                  "runs 1 pod now",
                  "the ReplicaSet controller deleted the others");
              return true;
            }),
        new Step(
            "detect",
            Duration.ofMinutes(5),
            log -> {
              if (context.engine().isPresent()) {
                Optional<String> drift = context.engine().get().drift(APPLICATION);
                drift.ifPresent(
                    d ->
                        log.say(
                            APPLICATION,
                            "drift detected: " + d,
                            "the engine compared the cluster with Git"));
                return drift.isPresent();
              }
              int desired = desiredReplicas(context);
              int live =
                  objects
                      .get("apps/v1", "Deployment", "shop", APPLICATION)
                      .orElseThrow()
                      .path("spec")
                      .path("replicas")
                      .asInt();
              if (live == desired) {
                return false;
              }
              log.say(
                  APPLICATION,
                  "drift detected: Deployment shop/checkout spec.replicas is "
                      + live
                      + " in the cluster, "
                      + desired
                      + " in Git at "
                      + shortRevision(context),
                  "compared with the rendered desired state");
              return true;
            }),
        new Step(
            "self-heal",
            Duration.ofMinutes(5),
            log -> {
              if (context.engine().isEmpty()) {
                log.say(
                    APPLICATION,
                    "not self-healed: no reconciler is attached to this run",
                    "the drift stays until someone syncs");
                return true;
              }
              String outcome = context.engine().get().reconcile(APPLICATION);
              log.say(APPLICATION, "reconciled: " + outcome, "syncPolicy selfHeal: true");
              return true;
            }),
        new Step(
            "healed",
            Duration.ofMinutes(5),
            log -> {
              if (context.engine().isEmpty()) {
                return true;
              }
              JsonNode deployment =
                  objects.get("apps/v1", "Deployment", "shop", APPLICATION).orElseThrow();
              int replicas = deployment.path("spec").path("replicas").asInt();
              int ready = deployment.path("status").path("readyReplicas").asInt();
              if (replicas <= 1
                  || ready != replicas
                  || context.engine().get().drift(APPLICATION).isPresent()) {
                return false;
              }
              log.say(
                  APPLICATION,
                  "healed: " + ready + "/" + replicas + " pods ready, as in Git",
                  "drift gone");
              return true;
            }));
  }

  private static int desiredReplicas(ScenarioContext context) {
    String revision = context.revision().orElse("HEAD~1");
    try (JGitSource source =
        JGitSource.open(
            WorkspaceSpec.of(context.requireRepository().toString()),
            context.git(),
            context.server().clock())) {
      Optional<RenderedApplication> application =
          new Renderer().render(source.tree(revision)).application(APPLICATION);
      DesiredState state =
          application
              .flatMap(RenderedApplication::lastGood)
              .orElseThrow(() -> new ScenarioException("checkout does not render at " + revision));
      Manifest deployment =
          state.resources().get(new ResourceKey("apps", "Deployment", "shop", APPLICATION));
      if (deployment == null) {
        throw new ScenarioException("checkout's desired state has no Deployment shop/checkout");
      }
      Object spec = deployment.object().get("spec");
      Object replicas = spec instanceof Map<?, ?> map ? map.get("replicas") : null;
      return replicas instanceof Number number ? number.intValue() : 1;
    }
  }

  private static String shortRevision(ScenarioContext context) {
    String revision = context.revision().orElse("HEAD~1");
    return revision.length() > 7 ? "rev " + revision.substring(0, 7) : revision;
  }
}
