package dev.weir.engine.manifest;

import java.util.Set;

/**
 * Which kinds are cluster-scoped: the common built-in ones, and custom kinds whose
 * CustomResourceDefinition says {@code scope: Cluster} in the same rendered application. Kinds are
 * named {@code group/Kind} ({@code /Namespace} for the core group). Immutable.
 */
final class ResourceScope {

  private static final Set<String> BUILT_IN =
      Set.of(
          "/Namespace",
          "/Node",
          "/PersistentVolume",
          "/ComponentStatus",
          "rbac.authorization.k8s.io/ClusterRole",
          "rbac.authorization.k8s.io/ClusterRoleBinding",
          "apiextensions.k8s.io/CustomResourceDefinition",
          "storage.k8s.io/StorageClass",
          "storage.k8s.io/CSIDriver",
          "storage.k8s.io/CSINode",
          "storage.k8s.io/VolumeAttachment",
          "scheduling.k8s.io/PriorityClass",
          "admissionregistration.k8s.io/ValidatingWebhookConfiguration",
          "admissionregistration.k8s.io/MutatingWebhookConfiguration",
          "admissionregistration.k8s.io/ValidatingAdmissionPolicy",
          "admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding",
          "apiregistration.k8s.io/APIService",
          "networking.k8s.io/IngressClass",
          "node.k8s.io/RuntimeClass",
          "certificates.k8s.io/CertificateSigningRequest",
          "flowcontrol.apiserver.k8s.io/FlowSchema",
          "flowcontrol.apiserver.k8s.io/PriorityLevelConfiguration",
          "gateway.networking.k8s.io/GatewayClass");

  static final ResourceScope BUILT_IN_ONLY = new ResourceScope(Set.of());

  private final Set<String> customClusterKinds;

  ResourceScope(Set<String> customClusterKinds) {
    this.customClusterKinds = Set.copyOf(customClusterKinds);
  }

  boolean isClusterScoped(String group, String kind) {
    String key = group + "/" + kind;
    return BUILT_IN.contains(key) || customClusterKinds.contains(key);
  }

  Set<String> customClusterKinds() {
    return customClusterKinds;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ResourceScope s && s.customClusterKinds.equals(customClusterKinds);
  }

  @Override
  public int hashCode() {
    return customClusterKinds.hashCode();
  }
}
