package dev.weir.engine.traffic;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How a canary's share of traffic is set, as declared in a Rollout's {@code
 * spec.strategy.canary.trafficRouting} (Argo Rollouts' field names). Immutable.
 *
 * <p>{@link ReplicaRatio} is what a rollout gets when it declares no router: the canary's share is
 * the share of its pods among all pods behind the one Service.
 */
public sealed interface TrafficRoutingSpec
    permits TrafficRoutingSpec.GatewayApi,
        TrafficRoutingSpec.Istio,
        TrafficRoutingSpec.Smi,
        TrafficRoutingSpec.Nginx,
        TrafficRoutingSpec.ReplicaRatio {

  /** A short name for messages: {@code Gateway API HTTPRoute shop/storefront}. */
  String describe();

  /** Whether requests can be routed to the canary by header or cookie, beside the weight. */
  boolean supportsMatches();

  /**
   * Why this router cannot copy a share of matching requests to the canary ({@code
   * setMirrorRoute}); empty when it can (Istio, Gateway API).
   */
  default java.util.Optional<String> cannotMirror() {
    return switch (this) {
      case GatewayApi g -> java.util.Optional.empty();
      case Istio i -> java.util.Optional.empty();
      case Smi s -> java.util.Optional.of("SMI " + SmiRouter.MIRROR_REASON);
      case Nginx n -> java.util.Optional.of("NGINX " + NginxRouter.MIRROR_REASON);
      case ReplicaRatio r ->
          java.util.Optional.of(
              "without trafficRouting requests cannot be mirrored; use istio or"
                  + " plugins.argoproj-labs/gatewayAPI");
    };
  }

  /** {@code gatewayAPI: {httpRoute: NAME}}: the backendRefs' weights of one HTTPRoute. */
  record GatewayApi(String httpRoute) implements TrafficRoutingSpec {
    public GatewayApi {
      Objects.requireNonNull(httpRoute, "httpRoute");
    }

    @Override
    public String describe() {
      return "HTTPRoute " + httpRoute;
    }

    @Override
    public boolean supportsMatches() {
      return true;
    }
  }

  /**
   * {@code istio: {virtualService: {name: NAME, routes: [ROUTE…]}, destinationRule: {…}}}: the
   * destination weights of the named HTTP routes of one VirtualService (all its HTTP routes when
   * none is named): between the stable and canary Services, or with a {@link DestinationRule}
   * between its stable and canary subsets.
   */
  record Istio(String virtualService, List<String> routes, Optional<DestinationRule> destinationRule)
      implements TrafficRoutingSpec {
    public Istio {
      Objects.requireNonNull(virtualService, "virtualService");
      routes = List.copyOf(routes);
      Objects.requireNonNull(destinationRule, "destinationRule");
    }

    /** Host-level splitting: between the stable and canary Services. */
    public Istio(String virtualService, List<String> routes) {
      this(virtualService, routes, Optional.empty());
    }

    @Override
    public String describe() {
      return "VirtualService " + virtualService;
    }

    @Override
    public boolean supportsMatches() {
      return true;
    }
  }

  /**
   * {@code istio.destinationRule: {name, canarySubsetName, stableSubsetName}}: subset-level
   * splitting (Argo Rollouts' {@code features/traffic-management/istio.md}). The VirtualService's
   * route sends to two subsets of one host; the rollout keeps each subset's pod-template-hash label
   * on its side's pods. Immutable.
   */
  public record DestinationRule(String name, String canarySubsetName, String stableSubsetName) {
    public DestinationRule {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(canarySubsetName, "canarySubsetName");
      Objects.requireNonNull(stableSubsetName, "stableSubsetName");
    }
  }

  /**
   * {@code smi: {trafficSplitName: NAME, rootService: SERVICE}}: an SMI TrafficSplit's backend
   * weights. The split is created when missing; its root service defaults to the stable service.
   */
  record Smi(String trafficSplitName, Optional<String> rootService) implements TrafficRoutingSpec {
    public Smi {
      Objects.requireNonNull(trafficSplitName, "trafficSplitName");
      Objects.requireNonNull(rootService, "rootService");
    }

    @Override
    public String describe() {
      return "TrafficSplit " + trafficSplitName;
    }

    @Override
    public boolean supportsMatches() {
      return false;
    }
  }

  /**
   * {@code nginx: {stableIngress: NAME}}: a generated {@code NAME-canary} Ingress with the NGINX
   * Ingress controller's canary annotations, pointing at the canary service.
   */
  record Nginx(String stableIngress) implements TrafficRoutingSpec {
    public Nginx {
      Objects.requireNonNull(stableIngress, "stableIngress");
    }

    @Override
    public String describe() {
      return "Ingress " + stableIngress;
    }

    @Override
    public boolean supportsMatches() {
      return true;
    }
  }

  /** No router: the canary gets its share of the pods, and so of the requests. */
  record ReplicaRatio() implements TrafficRoutingSpec {
    @Override
    public String describe() {
      return "replica ratio";
    }

    @Override
    public boolean supportsMatches() {
      return false;
    }
  }
}
