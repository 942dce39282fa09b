package dev.weir.engine.analysis;

import java.util.HashMap;
import java.util.Map;
import org.apache.commons.jexl3.JexlBuilder;
import org.apache.commons.jexl3.JexlEngine;
import org.apache.commons.jexl3.JexlFeatures;
import org.apache.commons.jexl3.introspection.JexlPermissions;

/**
 * The one sandboxed Apache Commons JEXL engine behind {@link Condition}: expressions only (no
 * scripts, loops, assignments, {@code new}, method calls, pragmas or annotations), JEXL's {@code
 * RESTRICTED} permissions plus {@link ConditionFunctions}, strict about undefined variables and
 * failing operators. Thread-safe.
 */
final class ConditionLanguage {
  static final JexlEngine ENGINE = create();

  private ConditionLanguage() {}

  private static JexlEngine create() {
    JexlFeatures features =
        new JexlFeatures()
            .script(false)
            .loops(false)
            .sideEffect(false)
            .sideEffectGlobal(false)
            .newInstance(false)
            .methodCall(false)
            .importPragma(false)
            .pragma(false)
            .annotation(false)
            .register(false)
            .comparatorNames(true);
    Map<String, Object> functions = new HashMap<>();
    functions.put(null, ConditionFunctions.class);
    return new JexlBuilder()
        .features(features)
        .permissions(
            JexlPermissions.RESTRICTED.compose(
                "dev.weir.engine.analysis { +ConditionFunctions {} }"))
        .namespaces(functions)
        .strict(true)
        .safe(false)
        .silent(false)
        .cache(512)
        .create();
  }
}
