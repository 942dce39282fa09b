package dev.weir.engine;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The boundaries of DESIGN.md, checked on the compiled engine so that a violation fails the build. */
class ArchitectureTest {
  private static JavaClasses engine;

  @BeforeAll
  static void importEngine() {
    engine = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.weir.engine");
  }

  @ParameterizedTest
  @ValueSource(strings = {"javafx.application.Platform", "com.googlecode.lanterna.screen.Screen"})
  void noUiLibraryIsOnTheEngineClasspath(String uiClass) {
    assertThatThrownBy(() -> Class.forName(uiClass)).isInstanceOf(ClassNotFoundException.class);
  }

  @Test
  void engineCodeUsesNoUiLibrary() {
    noClasses().should().dependOnClassesThat().resideInAnyPackage("javafx..", "com.googlecode.lanterna..")
        .check(engine);
  }

  @Test
  void modelImportsNothingOfOurs() {
    noClasses().that().resideInAPackage("dev.weir.engine.model..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "dev.weir.engine.git..", "dev.weir.engine.manifest..", "dev.weir.engine.cluster..",
            "dev.weir.engine.diff..", "dev.weir.engine.reconcile..",
            "dev.weir.engine.rollout..", "dev.weir.engine.traffic..", "dev.weir.engine.analysis..",
            "dev.weir.engine.flags..", "dev.weir.engine.telemetry..", "dev.weir.engine.console..",
            "dev.weir.engine.time..")
        .allowEmptyShould(true)
        .check(engine);
  }

  /**
   * The engine reaches a sandbox only over HTTP, as any cluster. Maven already keeps it so (the
   * sandbox is a test dependency of the engine, the drills none, and the enforcer bans both from
   * its compile scope); this states it where the other boundaries are.
   */
  @Test
  void noEnginePackageReachesTheSandboxOrTheDrills() {
    noClasses().should().dependOnClassesThat().resideInAnyPackage("dev.weir.sandbox..", "dev.weir.drills..")
        .check(engine);
  }

  @Test
  void clientJavaStaysInTheKubeAdapter() {
    noClasses().that().resideOutsideOfPackage("dev.weir.engine.cluster.kube..")
        .should().dependOnClassesThat().resideInAnyPackage("io.kubernetes..", "com.google.gson..", "okhttp3..")
        .check(engine);
  }

  @Test
  void jgitStaysInTheGitAdapter() {
    noClasses().that().resideOutsideOfPackage("dev.weir.engine.git..")
        .should().dependOnClassesThat().resideInAPackage("org.eclipse.jgit..")
        .check(engine);
  }
}
