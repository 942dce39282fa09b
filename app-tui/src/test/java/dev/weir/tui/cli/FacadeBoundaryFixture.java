package dev.weir.tui.cli;

import dev.weir.engine.console.ConsoleSnapshot;
import dev.weir.engine.git.GitSource;
import dev.weir.engine.model.SyncStatus;

/** What {@link ArchitectureTest} must catch and must let through: never used but by it. */
final class FacadeBoundaryFixture {
  private FacadeBoundaryFixture() {}

  /** Through the façade: allowed. */
  static int applications(ConsoleSnapshot snapshot) {
    return (int) snapshot.applications().stream().filter(a -> a.sync() == SyncStatus.Synced).count();
  }

  /** Past it: a violation. */
  static String revision(GitSource git) {
    return git.head().revision();
  }

  /** Past it, but marked as pending: let through. */
  @PendingFacade("FacadeBoundaryFixture")
  static String pendingRevision(GitSource git) {
    return git.head().revision();
  }
}
