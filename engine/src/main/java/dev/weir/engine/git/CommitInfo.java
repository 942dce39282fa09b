package dev.weir.engine.git;

import java.time.Instant;

/**
 * One commit as the console shows it in an application's history.
 *
 * @param sha the full commit id
 * @param shortSha the first seven characters of {@code sha}
 * @param authorName the author's name
 * @param authorEmail the author's e-mail address
 * @param date when the commit was authored
 * @param message the full commit message
 */
public record CommitInfo(
    String sha,
    String shortSha,
    String authorName,
    String authorEmail,
    Instant date,
    String message) {

  /** The first line of the message. */
  public String subject() {
    int newline = message.indexOf('\n');
    return (newline < 0 ? message : message.substring(0, newline)).strip();
  }
}
