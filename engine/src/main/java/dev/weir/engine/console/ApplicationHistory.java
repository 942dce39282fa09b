package dev.weir.engine.console;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The commits that touched an application's path, newest first: the revisions a rollback can go
 * to. Immutable.
 *
 * @param status {@code OK}, or why there is no history ({@code BAD_INPUT}: no such application;
 *     {@code FAILED}: the repository could not be read), said in {@code message}
 * @param message one line: {@code 3 commits touched apps/payments} or what went wrong
 * @param application the application's name
 * @param path its path in the repository ("" when unknown)
 * @param commits newest first
 */
public record ApplicationHistory(
    CommandResult.Status status,
    String message,
    String application,
    String path,
    List<Commit> commits) {

  /**
   * One commit.
   *
   * @param sha the full commit id
   * @param shortSha its first seven characters
   * @param author the author's name
   * @param email the author's e-mail address
   * @param date when it was authored
   * @param subject the first line of the message
   * @param message the full message
   */
  public record Commit(
      String sha,
      String shortSha,
      String author,
      String email,
      Instant date,
      String subject,
      String message) {
    public Commit {
      Objects.requireNonNull(sha, "sha");
      Objects.requireNonNull(date, "date");
    }
  }

  public ApplicationHistory {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(application, "application");
    Objects.requireNonNull(path, "path");
    commits = List.copyOf(commits);
  }

  /** No history: {@code result} says why. */
  public static ApplicationHistory failed(String application, CommandResult result) {
    return new ApplicationHistory(result.status(), result.message(), application, "", List.of());
  }

  public boolean ok() {
    return status == CommandResult.Status.OK;
  }
}
