package dev.weir.packaging;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FileEntry;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import com.google.cloud.tools.jib.api.buildplan.Port;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Writes Weir's OCI image from what {@code image-stage.sh} staged, with Jib (jib-core) from the
 * empty base {@code scratch}: no Docker daemon and no image registry is involved, so the build runs
 * where neither is reachable. Three layers, each a staged folder, in the order they change least
 * often: the root filesystem (Debian's libc6 and ca-certificates, the user), the jlink runtime, and
 * the launcher with Weir's jars. Files keep their mode; every file belongs to root except the
 * user's home; times are Jib's fixed epoch, so the same inputs give the same digest.
 *
 * <p>The image runs as {@code nonroot} (65532) with the entrypoint {@code /opt/weir/bin/weir} (the
 * jpackage launcher, a native program: no shell is needed or present) and {@code weir} on the
 * {@code PATH}, so a pod's {@code command: [weir]} finds it.
 *
 * <p>Usage: {@code OciImage STAGE-DIR OUTPUT-TAR IMAGE-REFERENCE VERSION}. Prints the image's
 * digest and size; writes the digest beside the tar ({@code OUTPUT-TAR.digest}).
 */
public final class OciImage {
  /** The user the image runs as: distroless' {@code nonroot}. */
  public static final String USER = "65532:65532";

  /** Where the app image is. */
  public static final String APP_DIR = "/opt/weir";

  private OciImage() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 4) {
      throw new IllegalArgumentException("usage: OciImage STAGE-DIR OUTPUT-TAR IMAGE-REFERENCE VERSION");
    }
    Path stage = Path.of(args[0]);
    Path output = Path.of(args[1]);
    String reference = args[2];
    String version = args[3];
    Files.createDirectories(output.toAbsolutePath().getParent());
    Files.deleteIfExists(output);

    JibContainer container =
        Jib.fromScratch()
            .setFormat(ImageFormat.OCI)
            .addFileEntriesLayer(layer("root filesystem", stage.resolve("rootfs")))
            .addFileEntriesLayer(layer("java runtime", stage.resolve("runtime")))
            .addFileEntriesLayer(layer("weir", stage.resolve("app")))
            .setEntrypoint(APP_DIR + "/bin/weir")
            .setProgramArguments(List.of())
            .setUser(USER)
            .setWorkingDirectory(AbsoluteUnixPath.get("/home/nonroot"))
            .setEnvironment(
                Map.of(
                    "PATH", APP_DIR + "/bin",
                    "HOME", "/home/nonroot",
                    "SSL_CERT_FILE", "/etc/ssl/certs/ca-certificates.crt"))
            .addExposedPort(Port.tcp(8080))
            .setLabels(
                Map.of(
                    "org.opencontainers.image.title", "weir",
                    "org.opencontainers.image.description",
                        "Weir's reconciler and command line: GitOps and progressive delivery",
                    "org.opencontainers.image.version", version,
                    "org.opencontainers.image.base.name", "scratch",
                    "dev.weir.debian-packages",
                        Files.readString(stage.resolve("packages.txt")).strip().replace('\n', ',')))
            .setCreationTime(Instant.EPOCH)
            .containerize(
                Containerizer.to(TarImage.at(output).named(reference))
                    .setOfflineMode(true)
                    .setApplicationLayersCache(stage.resolve("jib-cache"))
                    .setBaseImageLayersCache(stage.resolve("jib-cache"))
                    .setToolName("weir-packaging"));

    String digest = container.getDigest().toString();
    Files.writeString(Path.of(output + ".digest"), digest + "\n");
    System.out.printf(
        "image: %s %s, %s (%.1f MB)%n",
        reference, digest, output.getFileName(), Files.size(output) / (1024.0 * 1024.0));
  }

  /** One layer: every file and folder under {@code root}, at the same path in the image. */
  static FileEntriesLayer layer(String name, Path root) throws IOException {
    FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName(name);
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted().toList()) {
        if (path.equals(root)) {
          continue;
        }
        if (Files.isSymbolicLink(path)) {
          throw new IOException(path + " is a link: image-stage.sh replaces links by copies");
        }
        String inImage = "/" + root.relativize(path).toString().replace('\\', '/');
        boolean home = inImage.equals("/home/nonroot") || inImage.startsWith("/home/nonroot/");
        layer.addEntry(
            new FileEntry(
                path,
                AbsoluteUnixPath.get(inImage),
                FilePermissions.fromPosixFilePermissions(
                    Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS)),
                FileEntriesLayer.DEFAULT_MODIFICATION_TIME,
                home ? USER : "0:0"));
      }
    }
    return layer.build();
  }
}
