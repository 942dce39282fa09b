package dev.weir.drills.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.sandbox.SandboxAnnotations;
import dev.weir.sandbox.api.SandboxObjects;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * {@code crashloop}: a bad configuration makes {@code pricing}'s new pods crash at start. The
 * rollout stalls at its first new pod (maxUnavailable keeps the old pods serving) while the pod
 * restarts with growing back-off; the change is rolled back and pricing recovers.
 */
final class CrashloopScenario implements Scenario {
  private static final String APPLICATION = "pricing";
  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public String name() {
    return "crashloop";
  }

  @Override
  public String description() {
    return "pricing's new pods crash-loop after a bad config; the rollout stalls, old pods keep"
               + " serving; rolled back";
  }

  @Override
  public Set<String> applications() {
    return Set.of(APPLICATION);
  }

  @Override
  public List<Step> steps(ScenarioContext context) {
    SandboxObjects objects = context.server().objects();
    return List.of(
        new Step(
            "bad config",
            Duration.ofSeconds(5),
            log -> {
              if (objects.get("apps/v1", "Deployment", "shop", APPLICATION).isEmpty()) {
                throw new ScenarioException(
                    "the sandbox has no Deployment shop/pricing: run 'weir sandbox init DIR'"
                        + " first");
              }
              objects.mergePatch(
                  "apps/v1", "Deployment", "shop", APPLICATION, annotation("true"), "kubectl-edit");
              log.say(
                  APPLICATION,
                  "pod template changed in the cluster: " + SandboxAnnotations.CRASHLOOP + "=true",
                  "drill: a bad config makes new pods crash at start");
              return true;
            }),
        new Step(
            "crash-looping",
            Duration.ofMinutes(5),
            log -> {
              for (JsonNode pod : objects.list("v1", "Pod", "shop")) {
                JsonNode container = pod.path("status").path("containerStatuses").path(0);
                if (pod.path("metadata")
                        .path("labels")
                        .path("app.kubernetes.io/name")
                        .asText()
                        .equals(APPLICATION)
                    && container.path("restartCount").asInt() >= 3) {
                  int serving = context.world().endpoints("shop", APPLICATION).size();
                  log.say(
                      APPLICATION,
                      "pod "
                          + pod.path("metadata").path("name").asText()
                          + " is in CrashLoopBackOff after "
                          + container.path("restartCount").asInt()
                          + " restarts; "
                          + serving
                          + " pods still serve",
                      "the rollout waits for a Ready pod; maxUnavailable keeps the old ones");
                  return true;
                }
              }
              return false;
            }),
        new Step(
            "roll back",
            Duration.ofSeconds(5),
            log -> {
              objects.mergePatch(
                  "apps/v1",
                  "Deployment",
                  "shop",
                  APPLICATION,
                  annotation(null),
                  "kubectl-rollout");
              log.say(APPLICATION, "pod template restored", "kubectl rollout undo");
              return true;
            }),
        new Step(
            "recovered",
            Duration.ofMinutes(3),
            log -> {
              JsonNode deployment =
                  objects.get("apps/v1", "Deployment", "shop", APPLICATION).orElseThrow();
              int replicas = deployment.path("spec").path("replicas").asInt(1);
              JsonNode status = deployment.path("status");
              boolean done =
                  status.path("updatedReplicas").asInt() == replicas
                      && status.path("availableReplicas").asInt() == replicas
                      && status.path("replicas").asInt() == replicas
                      && status.path("observedGeneration").asLong()
                          == deployment.path("metadata").path("generation").asLong();
              if (!done) {
                return false;
              }
              log.say(
                  APPLICATION,
                  "recovered: " + replicas + "/" + replicas + " pods ready",
                  "the bad pods are gone");
              return true;
            }));
  }

  private static ObjectNode annotation(String value) {
    ObjectNode patch = JSON.createObjectNode();
    ObjectNode annotations =
        patch
            .putObject("spec")
            .putObject("template")
            .putObject("metadata")
            .putObject("annotations");
    if (value == null) {
      annotations.putNull(SandboxAnnotations.CRASHLOOP);
    } else {
      annotations.put(SandboxAnnotations.CRASHLOOP, value);
    }
    return patch;
  }
}
