package dev.weir.desktop;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.weir.engine.console.FacadeBoundary;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The desktop app imports only the engine's façade: {@code dev.weir.engine.console} and {@code
 * dev.weir.engine.model} (and the clock, the sandbox and the drills, beside the engine; decision
 * 0019), as the terminal app's ArchitectureTest checks for it.
 */
class ArchitectureTest {

  @Test
  void theDesktopAppUsesTheEngineOnlyThroughItsFacade() {
    JavaClasses app =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.weir.desktop");
    assertThat(app).as("the app's classes were found").isNotEmpty();
    FacadeBoundary.appsUseOnlyTheFacade(Set.of(), "dev.weir.desktop..").check(app);
  }
}
