package dev.weir.engine.console;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The rule every face's architecture test checks (docs/decisions/0019-apps-use-only-the-facade.md):
 * the apps import only {@code dev.weir.engine.console} and {@code dev.weir.engine.model} of the
 * engine. Shared through the engine's test-jar so that the terminal and the desktop console check
 * the same rule.
 *
 * <p>Allowed besides the façade, by decision: the engine's clock ({@code dev.weir.engine.time}, a
 * module of its own that the drills' virtual time needs), the sandbox ({@code dev.weir.sandbox})
 * and the drills ({@code dev.weir.drills}), which are products beside the engine, not inside it.
 *
 * <p>While commands are moved behind the façade by others, a face may exempt whole classes by
 * simple name (and their nested classes), and members annotated with an annotation named {@code
 * PendingFacade}; each exemption names why and goes at merge.
 */
public final class FacadeBoundary {
  /** The engine's packages a face may use. */
  public static final List<String> FACADE =
      List.of("dev.weir.engine.console", "dev.weir.engine.model", "dev.weir.engine.time");

  private FacadeBoundary() {}

  /**
   * Classes in {@code appPackages} (e.g. {@code dev.weir.tui..}) depend on no engine package but
   * the façade's, except the classes named in {@code exempt} (simple names).
   */
  public static ArchRule appsUseOnlyTheFacade(Set<String> exempt, String... appPackages) {
    return classes()
        .that()
        .resideInAnyPackage(appPackages)
        .and(notExempt(exempt))
        .should(dependOnTheEngineOnlyThroughTheFacade())
        .because(
            "the faces are thin: what one face can do the other must be able to (DESIGN.md);"
                + " the engine's console and model packages are its façade, its clock, the sandbox"
                + " and the drills sit beside it (docs/decisions/0019)")
        .allowEmptyShould(true);
  }

  private static DescribedPredicate<JavaClass> notExempt(Set<String> exempt) {
    return DescribedPredicate.describe(
        "are not exempt " + exempt,
        c -> {
          String outer = c.getName().substring(c.getPackageName().length() + 1);
          int dollar = outer.indexOf('$');
          return !exempt.contains(dollar < 0 ? outer : outer.substring(0, dollar));
        });
  }

  /** Whether a class of {@code packageName} is the engine's but not its façade's. */
  static boolean beyondTheFacade(String packageName) {
    boolean engine = packageName.equals("dev.weir.engine") || packageName.startsWith("dev.weir.engine.");
    return engine
        && FACADE.stream().noneMatch(p -> packageName.equals(p) || packageName.startsWith(p + "."));
  }

  static ArchCondition<JavaClass> dependOnTheEngineOnlyThroughTheFacade() {
    return new ArchCondition<>("depend on the engine only through " + FACADE) {
      @Override
      public void check(JavaClass app, ConditionEvents events) {
        Set<String> pending =
            app.getCodeUnits().stream()
                .filter(
                    unit ->
                        unit.getAnnotations().stream()
                            .anyMatch(a -> a.getRawType().getSimpleName().equals("PendingFacade")))
                .map(JavaCodeUnit::getFullName)
                .collect(Collectors.toSet());
        for (Dependency dependency : app.getDirectDependenciesFromSelf()) {
          if (!beyondTheFacade(dependency.getTargetClass().getPackageName())) {
            continue;
          }
          String description = dependency.getDescription();
          if (pending.stream().anyMatch(member -> description.startsWith(originPrefix(member), description.indexOf('<')))) {
            continue;
          }
          events.add(SimpleConditionEvent.violated(dependency, description));
        }
      }
    };
  }

  private static String originPrefix(String member) {
    return "<" + member + ">";
  }
}
