package dev.weir.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OCI image the packaging profile wrote ({@code weir-image-VERSION.oci.tar}), opened as a
 * container runtime opens it: the layout's index, its manifest, the config and the layers in
 * order, each checked against its digest and unpacked into one directory. That directory is then
 * run as the root filesystem of a process under {@code chroot}, as the image's user (65532), with
 * the image's environment only and a private mount and PID namespace holding what every OCI
 * runtime provides ({@code /proc}, the standard {@code /dev} nodes): so what runs can use nothing
 * of the host's files, libraries or Java. Running needs root (chroot, mount, mknod); without it
 * those tests are skipped and say so.
 */
class OciImageIT {
  static final Path TARGET = Path.of(System.getProperty("weir.packaged", "target")).toAbsolutePath();
  static final String VERSION = System.getProperty("weir.package.version", "0.1.0");
  static final String REFERENCE = System.getProperty("weir.image.reference", "weir:" + VERSION);
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path scratch;
  static Path layout;
  static Path root;
  static JsonNode manifest;
  static JsonNode config;
  static String manifestDigest;

  @BeforeAll
  static void unpack() throws Exception {
    Path tar = TARGET.resolve("weir-image-" + VERSION + ".oci.tar");
    assertThat(tar).exists();
    layout = Files.createDirectories(scratch.resolve("layout"));
    root = Files.createDirectories(scratch.resolve("rootfs"));
    Run untar = run(List.of("tar", "--warning=no-unknown-keyword", "-xf", tar.toString(), "-C", layout.toString()));
    assertThat(untar.code()).as(untar.err()).isZero();

    JsonNode index = JSON.readTree(layout.resolve("index.json").toFile());
    assertThat(index.path("manifests")).hasSize(1);
    JsonNode entry = index.path("manifests").get(0);
    assertThat(entry.path("annotations").path("org.opencontainers.image.ref.name").asText()).isEqualTo(REFERENCE);
    manifestDigest = entry.path("digest").asText();
    manifest = JSON.readTree(blob(entry).toFile());
    config = JSON.readTree(blob(manifest.path("config")).toFile());
    // the layers in order, as a runtime stacks them (numeric owners: the image's, not the host's names)
    for (JsonNode layer : manifest.path("layers")) {
      Run extract = run(List.of("tar", "--warning=no-unknown-keyword", "--numeric-owner", "-xzpf",
          blob(layer).toString(), "-C", root.toString()));
      assertThat(extract.code()).as(extract.err()).isZero();
    }
  }

  /** A blob of the layout, after checking its size and SHA-256 against the descriptor. */
  static Path blob(JsonNode descriptor) throws Exception {
    String digest = descriptor.path("digest").asText();
    assertThat(digest).startsWith("sha256:");
    Path file = layout.resolve("blobs/sha256").resolve(digest.substring("sha256:".length()));
    assertThat(file).exists();
    assertThat(Files.size(file)).as("size of " + digest).isEqualTo(descriptor.path("size").asLong());
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) {
        sha.update(buffer, 0, n);
      }
    }
    assertThat("sha256:" + HexFormat.of().formatHex(sha.digest())).as("content of " + digest).isEqualTo(digest);
    return file;
  }

  @Test
  void theLayoutHoldsOneManifestOfThreeLayersAndTheBuildPrintedItsDigest() throws Exception {
    assertThat(Files.readString(layout.resolve("oci-layout"))).contains("\"imageLayoutVersion\"");
    assertThat(manifest.path("mediaType").asText()).isEqualTo("application/vnd.oci.image.manifest.v1+json");
    assertThat(manifest.path("layers")).hasSize(3);
    assertThat(manifest.path("layers").findValuesAsText("mediaType"))
        .containsOnly("application/vnd.oci.image.layer.v1.tar+gzip");
    Path digestFile = TARGET.resolve("weir-image-" + VERSION + ".oci.tar.digest");
    assertThat(Files.readString(digestFile).strip()).isEqualTo(manifestDigest);
    long layers = 0;
    for (JsonNode layer : manifest.path("layers")) {
      layers += layer.path("size").asLong();
    }
    assertThat(layers).as("compressed size of the layers in bytes").isBetween(30L << 20, 150L << 20);
  }

  @Test
  void theImageRunsAsNonRootWithTheLauncherAsEntrypointAndHasNoShell() throws Exception {
    JsonNode run = config.path("config");
    assertThat(config.path("os").asText()).isEqualTo("linux");
    assertThat(config.path("architecture").asText()).isEqualTo("amd64");
    assertThat(run.path("User").asText()).isEqualTo("65532:65532");
    assertThat(run.path("Entrypoint").toString()).isEqualTo("[\"/opt/weir/bin/weir\"]");
    assertThat(run.path("Env").toString()).contains("PATH=/opt/weir/bin", "HOME=/home/nonroot");
    assertThat(run.path("ExposedPorts").has("8080/tcp")).isTrue();
    assertThat(run.path("Labels").path("dev.weir.debian-packages").asText()).contains("libc6 ", "ca-certificates ");

    assertThat(Files.readString(root.resolve("etc/passwd"))).contains("nonroot:x:65532:65532:");
    assertThat(Files.getAttribute(root.resolve("home/nonroot"), "unix:uid")).isEqualTo(65532);
    assertThat(Files.getAttribute(root.resolve("opt/weir/bin/weir"), "unix:uid")).isEqualTo(0);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("opt/weir/bin/weir"))))
        .isEqualTo("rwxr-xr-x");
    assertThat(root.resolve("lib64/ld-linux-x86-64.so.2")).isRegularFile();
    assertThat(root.resolve("opt/weir/lib/runtime/bin/java")).isRegularFile();
    assertThat(Files.size(root.resolve("etc/ssl/certs/ca-certificates.crt"))).isGreaterThan(100_000);
    // no shell, no coreutils, no package manager
    for (String absent : List.of("bin/sh", "bin/bash", "usr/bin/sh", "usr/bin/env", "bin/ls", "usr/bin/apt", "usr/bin/dpkg")) {
      assertThat(root.resolve(absent)).as(absent).doesNotExist();
    }
    try (Stream<Path> files = Files.walk(root)) {
      assertThat(files.filter(p -> p.getFileName().toString().matches("(ba|da|k|z|c|tc)?sh"))).isEmpty();
    }
  }

  @Test
  void weirVersionRunsInTheUnpackedImageAsItsUserWithNothingFromTheHost() throws Exception {
    Run version = inImage(Duration.ofMinutes(3), "/opt/weir/bin/weir", "--version");
    assertThat(version.code()).as(version.err()).isZero();
    assertThat(version.out())
        .containsPattern("weir \\d+\\.\\d+\\.\\d+(-SNAPSHOT)? \\(commit ")
        .contains("Java 25");
  }

  @Test
  void aDrillPlaysOutInTheUnpackedImage() throws Exception {
    Run init = inImage(Duration.ofMinutes(5), "/opt/weir/bin/weir", "sandbox", "init", "/home/nonroot/shop");
    assertThat(init.out())
        .as(init.err())
        .contains("wrote the sample repository to /home/nonroot/shop")
        .contains("seeded the sandbox (/home/nonroot/.local/share/weir/sandbox/state.json)");
    // The sample's search application is rendered by kustomize, and the image carries no kustomize
    // binary (nor helm): that one application stays unseeded, exit 1 (docs/deploy.md says so).
    assertThat(init.code()).isEqualTo(1);
    assertThat(init.err()).contains("search: render failed");

    Run drill = inImage(Duration.ofMinutes(8), "/opt/weir/bin/weir", "sandbox", "run", "--scenario", "bad-canary", "--speed", "max");
    assertThat(drill.code()).as(drill.out() + drill.err()).isZero();
    assertThat(drill.out())
        .containsPattern("storefront  rollout ROLLED_BACK: v2\\.4\\.1 rolled back")
        .containsPattern("storefront  aborted: weight 0%, all traffic on v2\\.4\\.0")
        .contains("bad-canary played out in ");
    // what it wrote belongs to the image's user
    try (Stream<Path> written = Files.walk(root.resolve("home/nonroot"))) {
      List<Path> files = written.filter(Files::isRegularFile).toList();
      assertThat(files).isNotEmpty();
      for (Path file : files) {
        assertThat(Files.getAttribute(file, "unix:uid")).as(file.toString()).isEqualTo(65532);
      }
    }
  }

  // --- running things -------------------------------------------------------------------------

  record Run(int code, String out, String err) {}

  /**
   * Runs {@code command} in the unpacked image as an OCI runtime would: in new mount and PID
   * namespaces, the root directory a mount point of its own, {@code /proc} mounted, {@code /dev}
   * a tmpfs with the standard nodes (null, zero, full, random, urandom, tty), then {@code chroot}
   * as 65532:65532 with only the image's environment. The shell here is the host's, playing the
   * runtime; the image has none.
   */
  static Run inImage(Duration deadline, String... command) throws Exception {
    assumeTrue("0".equals(run(List.of("id", "-u")).out().strip()), "running the image needs root (chroot, mount, mknod)");
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/unshare")) && Files.isExecutable(Path.of("/usr/sbin/chroot")),
        "unshare and chroot (util-linux, coreutils) are needed to run the image");
    String r = "'" + root + "'";
    StringBuilder script = new StringBuilder("set -e; mount --bind " + r + " " + r + "; ")
        .append("mkdir -p ").append(r).append("/proc ").append(r).append("/dev; ")
        .append("mount -t proc proc ").append(r).append("/proc; ")
        .append("mount -t tmpfs -o mode=755 tmpfs ").append(r).append("/dev; ");
    for (String node : List.of("null 1 3", "zero 1 5", "full 1 7", "random 1 8", "urandom 1 9", "tty 5 0")) {
      String[] parts = node.split(" ");
      script.append("mknod -m 666 ").append(r).append("/dev/").append(parts[0])
          .append(" c ").append(parts[1]).append(' ').append(parts[2]).append("; ");
    }
    script.append("exec env -i PATH=/opt/weir/bin HOME=/home/nonroot /usr/sbin/chroot --userspec=65532:65532 ")
        .append(r);
    for (String arg : command) {
      script.append(" '").append(arg).append("'");
    }
    List<String> all = List.of("/usr/bin/unshare", "--mount", "--pid", "--fork", "/bin/sh", "-c", script.toString());
    return run(all, deadline);
  }

  static Run run(List<String> command) throws Exception {
    return run(command, Duration.ofMinutes(3));
  }

  static Run run(List<String> command, Duration deadline) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command));
    builder.environment().clear();
    builder.environment().put("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
    Path out = Files.createTempFile(scratch, "out", ".txt");
    Path err = Files.createTempFile(scratch, "err", ".txt");
    Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!process.waitFor(deadline.toSeconds(), TimeUnit.SECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not end within " + deadline
          + "; it printed:\n" + Files.readString(out) + Files.readString(err));
    }
    return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
  }
}
