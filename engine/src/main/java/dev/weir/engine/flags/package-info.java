/**
 * Feature flags: flagd flag-definition files ({@code *.flagd.json}, flagd's own schema) loaded and
 * validated with one {@code file:line:column} problem each, evaluated with flagd's own in-process
 * evaluator (OpenFeature's flagd provider: its flag parser and JsonLogic targeting with {@code
 * fractional}, {@code sem_ver}, {@code starts_with}, {@code ends_with}), and edited as text so that
 * a change keeps the file's formatting and key order (decision 0024).
 *
 * <p>Entry points: {@link dev.weir.engine.flags.FlagFile#parse} (one file), {@link
 * dev.weir.engine.flags.FlagSet} (every flag file of an application, and the {@code flagd.json} an
 * in-cluster flagd serves), {@link dev.weir.engine.flags.FlagEvaluator} ("which variant does this
 * context get, and why") and {@link dev.weir.engine.flags.FlagEditor} (a {@link
 * dev.weir.engine.flags.FlagChange} applied to a file's text). OpenFeature and flagd types never
 * leave this package.
 */
package dev.weir.engine.flags;
