package dev.weir.drills;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;

/**
 * Writes Weir's sample GitOps repository ({@code shop/deploy}): a real Git repository with a short
 * history whose applications exercise every feature — a bad canary, a good canary, blue/green, drift,
 * kustomize, feature flags, and a commit that does not render.
 *
 * <p>The repository is bare, like one on a Git server: Weir pushes its rollbacks there, and people
 * change it the GitOps way, in a clone, with a push. (A push into a checked-out branch would leave
 * that working tree behind its own branch, which is why Git refuses such pushes by default.)
 *
 * <p>The content ships as resources under {@code sample/NN-name/}; each folder is one commit, its
 * files added or replaced, its {@code .message} the commit message. Commits are dated one hour
 * apart, ending at the given instant, so the same instant gives the same commit ids.
 */
public final class SampleRepository {
  private static final String ROOT = "/dev/weir/drills/sample/";
  private static final List<String> AUTHORS =
      List.of("Alice Moreau <alice@shop.example>", "Bob Lindqvist <bob@shop.example>", "Carmen Diaz <carmen@shop.example>");

  private SampleRepository() {}

  /** What {@link #write} made: the repository folder and its commits, oldest first. */
  public record Written(Path directory, List<String> commits) {}

  /**
   * Creates the sample repository in {@code directory}, which must not exist or be empty.
   *
   * @param newest the date of the newest commit
   * @throws IllegalStateException when the folder exists and is not empty
   */
  public static Written write(Path directory, Instant newest) throws IOException {
    if (Files.isDirectory(directory)) {
      try (var entries = Files.list(directory)) {
        if (entries.findAny().isPresent()) {
          throw new IllegalStateException(directory + " exists and is not empty");
        }
      }
    }
    Path work = Files.createTempDirectory("weir-sample");
    try {
      List<String> ids = commitAll(work, newest);
      Git.cloneRepository().setBare(true).setURI(work.toUri().toString()).setDirectory(directory.toFile())
          .setBranch("main").call().close();
      try (Git bare = Git.open(directory.toFile())) {
        bare.remoteRemove().setRemoteName("origin").call();
      }
      return new Written(directory, ids);
    } catch (GitAPIException e) {
      throw new IOException("could not write the sample repository in " + directory + ": " + e.getMessage(), e);
    } finally {
      try (var paths = Files.walk(work)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** Whether {@code directory} already holds a repository this class wrote. */
  public static boolean isSample(Path directory) {
    try (Git git = Git.open(directory.toFile())) {
      var main = git.getRepository().resolve("refs/heads/main:apps/storefront/rollout.yaml");
      return main != null;
    } catch (IOException e) {
      return false;
    }
  }

  private static List<String> commitAll(Path work, Instant newest) throws IOException, GitAPIException {
    Map<String, List<String>> commits = commitFiles();
    List<String> ids = new ArrayList<>();
    try (Git git = Git.init().setDirectory(work.toFile()).setInitialBranch("main").call()) {
      int n = commits.size();
      int index = 0;
      for (var commit : commits.entrySet()) {
        String message = null;
        for (String file : commit.getValue()) {
          String content = resource(commit.getKey() + "/" + file);
          if (file.equals(".message")) {
            message = content;
            continue;
          }
          Path target = work.resolve(file);
          Files.createDirectories(target.getParent());
          Files.writeString(target, content);
          git.add().addFilepattern(file).call();
        }
        Instant when = newest.minus(Duration.ofHours(n - 1 - index));
        PersonIdent author = person(AUTHORS.get(index % AUTHORS.size()), when);
        ids.add(git.commit().setMessage(message).setAuthor(author).setCommitter(author).setSign(false).call().getName());
        index++;
      }
    }
    return List.copyOf(ids);
  }

  private static PersonIdent person(String nameAndEmail, Instant when) {
    int lt = nameAndEmail.indexOf('<');
    String name = nameAndEmail.substring(0, lt).trim();
    String email = nameAndEmail.substring(lt + 1, nameAndEmail.length() - 1);
    return new PersonIdent(name, email, when, ZoneOffset.UTC);
  }

  /** Commit folder name to the files in it, both in order. */
  private static Map<String, List<String>> commitFiles() {
    Map<String, List<String>> commits = new LinkedHashMap<>();
    for (String line : resource("index.txt").split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      int slash = line.indexOf('/');
      commits.computeIfAbsent(line.substring(0, slash), k -> new ArrayList<>()).add(line.substring(slash + 1));
    }
    return commits;
  }

  private static String resource(String name) {
    try (InputStream in = SampleRepository.class.getResourceAsStream(ROOT + name)) {
      if (in == null) {
        throw new IllegalStateException("sample resource missing from the build: " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
