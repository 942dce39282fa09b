package dev.weir.sandbox.world;

/** What a controller reconciles: one object of a kind the world simulates. */
record WorkKey(Kind kind, String namespace, String name) implements Comparable<WorkKey> {
  enum Kind {
    DEPLOYMENT("apps/v1", "Deployment"),
    REPLICA_SET("apps/v1", "ReplicaSet"),
    STATEFUL_SET("apps/v1", "StatefulSet"),
    DAEMON_SET("apps/v1", "DaemonSet"),
    JOB("batch/v1", "Job"),
    POD("v1", "Pod");

    final String apiVersion;
    final String kind;

    Kind(String apiVersion, String kind) {
      this.apiVersion = apiVersion;
      this.kind = kind;
    }

    static Kind of(String kind) {
      for (Kind k : values()) {
        if (k.kind.equals(kind)) {
          return k;
        }
      }
      return null;
    }
  }

  @Override
  public int compareTo(WorkKey other) {
    int c = kind.compareTo(other.kind);
    if (c != 0) {
      return c;
    }
    c = namespace.compareTo(other.namespace);
    return c != 0 ? c : name.compareTo(other.name);
  }

  @Override
  public String toString() {
    return kind.kind + " " + namespace + "/" + name;
  }
}
