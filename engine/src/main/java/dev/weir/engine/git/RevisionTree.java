package dev.weir.engine.git;

import java.io.IOException;
import java.util.List;

/**
 * The files of the repository at one revision, read-only. This is what the manifest renderer
 * reads; it never sees JGit. Paths are relative to the repository root, separated by {@code /}.
 *
 * <p>Implementations are immutable and thread-safe; {@link #read} may be called concurrently.
 */
public interface RevisionTree {

  /** The full commit id this tree belongs to. */
  String revision();

  /**
   * Every regular file under {@code directory} (recursively; "" for the whole repository), in path
   * order, with its blob id so that callers can cache work per unchanged file.
   */
  List<TreeFile> files(String directory) throws IOException;

  /**
   * The URLs this repository is known by, without logins: the workspace's, and for a local
   * workspace the {@code origin} it was cloned from. An Argo CD Application's {@code
   * source.repoURL} is this repository when it names one of them. Empty when unknown.
   */
  default List<String> repositoryUrls() {
    return List.of();
  }

  /** The content of one file of this tree. */
  byte[] read(TreeFile file) throws IOException;

  /** A file at a revision: its path and the id of its content (equal ids mean equal bytes). */
  record TreeFile(String path, String blobId, long size) {}
}
