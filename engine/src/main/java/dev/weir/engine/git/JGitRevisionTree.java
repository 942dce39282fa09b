package dev.weir.engine.git;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * A {@link RevisionTree} over a JGit commit's tree. Regular and executable files are listed; symbolic
 * links and submodules are not (a renderer cannot read them).
 *
 * <p>Immutable and thread-safe: each call opens its own {@link ObjectReader}, and JGit's object
 * database may be read concurrently.
 */
final class JGitRevisionTree implements RevisionTree {
  private final Repository repository;
  private final ObjectId commit;
  private final ObjectId tree;

  private final List<String> urls;

  JGitRevisionTree(Repository repository, ObjectId commit, ObjectId tree, List<String> urls) {
    this.urls = List.copyOf(urls);
    this.repository = repository;
    this.commit = commit.copy();
    this.tree = tree.copy();
  }

  ObjectId commitId() {
    return commit;
  }

  ObjectId treeId() {
    return tree;
  }

  @Override
  public List<String> repositoryUrls() {
    return urls;
  }

  @Override
  public String revision() {
    return commit.name();
  }

  @Override
  public List<TreeFile> files(String directory) throws IOException {
    String dir = normalize(directory);
    List<TreeFile> files = new ArrayList<>();
    try (ObjectReader reader = repository.newObjectReader()) {
      ObjectId start = tree;
      String prefix = "";
      if (!dir.isEmpty()) {
        try (TreeWalk find = TreeWalk.forPath(reader, dir, tree)) {
          if (find == null || !find.getFileMode(0).equals(FileMode.TREE)) {
            return List.of();
          }
          start = find.getObjectId(0);
          prefix = dir + "/";
        }
      }
      try (TreeWalk walk = new TreeWalk(reader)) {
        walk.addTree(start);
        walk.setRecursive(true);
        while (walk.next()) {
          FileMode mode = walk.getFileMode(0);
          if (mode.equals(FileMode.REGULAR_FILE) || mode.equals(FileMode.EXECUTABLE_FILE)) {
            ObjectId blob = walk.getObjectId(0);
            long size = reader.getObjectSize(blob, Constants.OBJ_BLOB);
            files.add(new TreeFile(prefix + walk.getPathString(), blob.name(), size));
          }
        }
      }
    }
    files.sort(Comparator.comparing(TreeFile::path));
    return List.copyOf(files);
  }

  @Override
  public byte[] read(TreeFile file) throws IOException {
    ObjectId blob;
    try {
      blob = ObjectId.fromString(file.blobId());
    } catch (IllegalArgumentException e) {
      throw new IOException("not a blob id: " + file.blobId() + " for " + file.path());
    }
    try (ObjectReader reader = repository.newObjectReader();
        InputStream in = reader.open(blob, Constants.OBJ_BLOB).openStream()) {
      return in.readAllBytes();
    }
  }

  /** "apps/x/" and "/apps/x" become "apps/x"; "" and "." the root; ".." segments are refused. */
  static String normalize(String path) {
    String p = path == null ? "" : path.replace('\\', '/').strip();
    while (p.startsWith("./")) {
      p = p.substring(2);
    }
    p = p.replaceAll("/{2,}", "/").replaceAll("^/+|/+$", "");
    if (p.equals(".")) {
      return "";
    }
    for (String segment : p.split("/")) {
      if (segment.equals("..") || segment.equals(".")) {
        throw new IllegalArgumentException("path must stay inside the repository: " + path);
      }
    }
    return p;
  }

  @Override
  public String toString() {
    return "RevisionTree[" + commit.abbreviate(7).name() + "]";
  }
}
