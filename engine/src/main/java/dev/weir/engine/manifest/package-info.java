/**
 * Manifests: YAML and JSON loading with hard limits, discovery of {@code weir.dev} Applications,
 * and rendering of an application's path into its {@link dev.weir.engine.model.DesiredState} —
 * plain directories read here, kustomize and helm directories through their real binaries.
 *
 * <p>Entry points: {@link dev.weir.engine.manifest.Renderer} (every application of a revision, with
 * caching and last-good retention), {@link dev.weir.engine.manifest.YamlLoader} (one file) and
 * {@link dev.weir.engine.manifest.ManifestPrinter} ({@code -o yaml|json}). Every problem is a
 * {@link dev.weir.engine.manifest.RenderProblem}: one line, {@code file:line:column: what is
 * wrong}.
 */
package dev.weir.engine.manifest;
