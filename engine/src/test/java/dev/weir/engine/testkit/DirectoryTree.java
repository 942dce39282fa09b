package dev.weir.engine.testkit;

import dev.weir.engine.git.RevisionTree;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * A {@link RevisionTree} over a plain directory, for tests and benchmarks of the renderer. The
 * listing is a snapshot taken at construction: every regular file with its Git blob id (SHA-1 of
 * {@code "blob <size>\0"} and the content, as {@code git hash-object} computes it). The revision is
 * the SHA-1 of the listing, so two snapshots of equal content have equal revisions. {@link #read}
 * checks the content still has its blob id and fails otherwise, so a test that edits the directory
 * must take a new snapshot. Immutable and thread-safe.
 */
public final class DirectoryTree implements RevisionTree {

  private final Path root;
  private final List<TreeFile> files;
  private final String revision;

  private DirectoryTree(Path root, List<TreeFile> files) {
    this.root = root;
    this.files = List.copyOf(files);
    StringBuilder listing = new StringBuilder();
    this.files.forEach(f -> listing.append(f.path()).append('\0').append(f.blobId()).append('\n'));
    this.revision = sha1Hex(listing.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** A snapshot of every regular file under {@code root}. */
  public static DirectoryTree of(Path root) {
    List<TreeFile> files = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path file : walk.filter(Files::isRegularFile).toList()) {
        byte[] content = Files.readAllBytes(file);
        String path = root.relativize(file).toString().replace('\\', '/');
        files.add(new TreeFile(path, blobId(content), content.length));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    files.sort((a, b) -> a.path().compareTo(b.path()));
    return new DirectoryTree(root, files);
  }

  /**
   * Writes {@code files} (path to UTF-8 text) under {@code root}, making directories, then
   * snapshots it.
   */
  public static DirectoryTree write(Path root, Map<String, String> files) {
    files.forEach((path, text) -> writeFile(root, path, text.getBytes(StandardCharsets.UTF_8)));
    return of(root);
  }

  /** Writes one file under {@code root}, making its directories. */
  public static void writeFile(Path root, String path, byte[] content) {
    try {
      Path target = root.resolve(path);
      Files.createDirectories(target.getParent());
      Files.write(target, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Git's blob id of {@code content}. */
  public static String blobId(byte[] content) {
    try {
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      sha1.update(("blob " + content.length + "\0").getBytes(StandardCharsets.US_ASCII));
      return HexFormat.of().formatHex(sha1.digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String sha1Hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public Path root() {
    return root;
  }

  @Override
  public String revision() {
    return revision;
  }

  @Override
  public List<TreeFile> files(String directory) {
    Objects.requireNonNull(directory, "directory");
    if (directory.isEmpty()) {
      return files;
    }
    String prefix = directory.endsWith("/") ? directory : directory + "/";
    return files.stream().filter(f -> f.path().startsWith(prefix)).toList();
  }

  @Override
  public byte[] read(TreeFile file) throws IOException {
    byte[] content = Files.readAllBytes(root.resolve(file.path()));
    if (!blobId(content).equals(file.blobId())) {
      throw new IOException(file.path() + " changed since this snapshot was taken");
    }
    return content;
  }
}
