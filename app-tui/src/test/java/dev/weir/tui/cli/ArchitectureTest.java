package dev.weir.tui.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.weir.engine.console.FacadeBoundary;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The terminal app imports only the engine's façade: {@code dev.weir.engine.console} and {@code
 * dev.weir.engine.model} (and the clock, the sandbox and the drills, beside the engine; decision
 * 0019).
 */
class ArchitectureTest {

  /**
   * Commands moved behind the façade in parallel on issue 11 §3 that still reach past it; the lead
   * removes each name when its branch merges (and with the last, the {@code @PendingFacade}
   * members of RepoOptions). BackportCommand (reconcile.Hotfix), RollbackCommand and
   * HistoryCommand (git, manifest): helper {@code commands}; RolloutCommand (rollout, cluster,
   * git, manifest, analysis): helper {@code rollout-view}. SyncCommand and HotfixCommand, also
   * theirs, already pass and are not exempt.
   */
  static final Set<String> BEING_MOVED =
      Set.of();

  @Test
  void theTerminalAppUsesTheEngineOnlyThroughItsFacade() {
    JavaClasses app =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.weir.tui");
    assertThat(app).as("the app's classes were found").isNotEmpty();
    FacadeBoundary.appsUseOnlyTheFacade(BEING_MOVED, "dev.weir.tui..").check(app);
  }

  @Test
  void aClassThatReachesPastTheFacadeFailsTheRuleButItsPendingMemberDoesNot() {
    JavaClasses fixture = new ClassFileImporter().importClasses(FacadeBoundaryFixture.class);
    assertThatThrownBy(
            () -> FacadeBoundary.appsUseOnlyTheFacade(Set.of(), "dev.weir.tui..").check(fixture))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("FacadeBoundaryFixture.revision(dev.weir.engine.git.GitSource)")
        .hasMessageNotContaining("pendingRevision")
        .hasMessageNotContaining("applications(");
  }

  @Test
  void anExemptClassIsLetThrough() {
    JavaClasses fixture = new ClassFileImporter().importClasses(FacadeBoundaryFixture.class);
    FacadeBoundary.appsUseOnlyTheFacade(Set.of("FacadeBoundaryFixture"), "dev.weir.tui..")
        .check(fixture);
  }
}
