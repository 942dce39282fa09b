package dev.weir.desktop.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.weir.engine.console.FacadeBoundary;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The rollout panel reads the engine only through its façade (decision 0019). The window's own
 * architecture test, when it has one, covers every package of the desktop app; this one holds the
 * rollout package to the rule meanwhile.
 */
class RolloutFacadeTest {
  @Test
  void theRolloutPanelUsesTheEngineOnlyThroughItsFacade() {
    JavaClasses rollout =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.weir.desktop.rollout");
    assertThat(rollout).as("the panel's classes were found").isNotEmpty();
    FacadeBoundary.appsUseOnlyTheFacade(Set.of(), "dev.weir.desktop.rollout..").check(rollout);
  }
}
