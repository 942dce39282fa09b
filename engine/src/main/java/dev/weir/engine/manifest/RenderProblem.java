package dev.weir.engine.manifest;

import dev.weir.engine.model.SourceLocation;
import java.util.Objects;

/**
 * Why a file, an application or a repository could not be rendered, and where. Printed as one line,
 * {@code file:line:column: what is wrong}, with no stack trace and no dump of the offending text.
 * Immutable.
 *
 * @param location the file and position at fault (for a tool failure, the kustomization or chart
 *     file)
 * @param reason what kind of problem this is, for UIs and for retry decisions
 * @param message the one-line description, without the location
 */
public record RenderProblem(SourceLocation location, Reason reason, String message) {

  /**
   * The kind of problem. {@link #isTransient()} tells whether retrying the same revision may help.
   */
  public enum Reason {
    /** Not valid YAML or JSON. */
    SYNTAX,
    /** Over one of the {@link YamlLimits}: too big, too deep, too many aliases or documents. */
    LIMIT,
    /** Not UTF-8 text. */
    ENCODING,
    /** Valid YAML, but not a Kubernetes object (no apiVersion, kind or name; not a mapping). */
    INVALID_OBJECT,
    /** The same object, or the same application, defined twice. */
    DUPLICATE,
    /** A {@code weir.dev} Application document that cannot be used. */
    INVALID_APPLICATION,
    /**
     * An Argo CD Application whose source Weir cannot serve: another repository, a chart
     * repository, several sources, a plugin.
     */
    UNSERVABLE_SOURCE,
    /** The application's path holds no files. */
    PATH_NOT_FOUND,
    /**
     * A kustomization or chart refers to something Weir does not let kustomize or helm read: a
     * remote source, an absolute path, a path outside the repository.
     */
    UNSAFE_SOURCE,
    /** kustomize or helm is needed but not on the PATH. */
    TOOL_MISSING,
    /** kustomize or helm ran and failed. */
    TOOL_FAILED,
    /** kustomize or helm did not finish in time. */
    TOOL_TIMEOUT,
    /** A flagd flag file ({@code *.flagd.json}) that flagd would reject or misread. */
    INVALID_FLAGS,
    /** A file of the revision could not be read. */
    READ_FAILED;

    /** Whether the same input may succeed on a later attempt (a timeout, an I/O error). */
    public boolean isTransient() {
      return this == TOOL_TIMEOUT || this == READ_FAILED || this == TOOL_MISSING;
    }
  }

  public RenderProblem {
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(message, "message");
  }

  /** {@code file:line:column: message}. */
  @Override
  public String toString() {
    return location + ": " + message;
  }
}
