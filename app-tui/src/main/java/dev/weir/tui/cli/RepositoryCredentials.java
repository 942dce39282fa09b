package dev.weir.tui.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code --repo-credentials DIR}: a Kubernetes Secret mounted as files, turned into what the
 * engine's Git settings read. {@code token} (and {@code username}) become {@code WEIR_GIT_TOKEN}
 * (and {@code WEIR_GIT_USERNAME}) of the command's environment — in memory, never exported.
 * {@code ssh-privatekey} and {@code known_hosts} are linked from a private SSH directory ({@code
 * id_rsa}, which holds any key type, and {@code known_hosts}) under a home of their own in the
 * temporary directory, so host keys are checked strictly as on a laptop; the Git cache stays
 * where it was ({@code XDG_CACHE_HOME}, else the real home's {@code .cache}). Links, not copies:
 * a rotated Secret is read at the next connection, and no key is written anywhere.
 */
final class RepositoryCredentials {
  private RepositoryCredentials() {}

  static CliEnvironment apply(Path directory, CliEnvironment environment) {
    if (!Files.isDirectory(directory)) {
      throw new CommandException(
          ExitCodes.BAD_INPUT, "--repo-credentials " + directory + ": not a directory");
    }
    Map<String, String> variables = new HashMap<>(environment.variables());
    Path home = environment.home();
    try {
      Path token = directory.resolve("token");
      Path key = directory.resolve("ssh-privatekey");
      if (Files.isRegularFile(token)) {
        String value = Files.readString(token, StandardCharsets.UTF_8).strip();
        if (value.isEmpty()) {
          throw new CommandException(
              ExitCodes.BAD_INPUT, "--repo-credentials " + token + ": the token file is empty");
        }
        variables.put("WEIR_GIT_TOKEN", value);
        Path username = directory.resolve("username");
        if (Files.isRegularFile(username)) {
          variables.put("WEIR_GIT_USERNAME", Files.readString(username).strip());
        }
      } else if (Files.isRegularFile(key)) {
        Path knownHosts = directory.resolve("known_hosts");
        if (!Files.isRegularFile(knownHosts)) {
          throw new CommandException(
              ExitCodes.BAD_INPUT,
              "--repo-credentials "
                  + directory
                  + ": ssh-privatekey needs known_hosts beside it (host keys are checked strictly)");
        }
        Path sshHome =
            Files.createTempDirectory(
                "weir-ssh-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path ssh = Files.createDirectory(sshHome.resolve(".ssh"));
        Files.createSymbolicLink(ssh.resolve("id_rsa"), key.toAbsolutePath());
        Files.createSymbolicLink(ssh.resolve("known_hosts"), knownHosts.toAbsolutePath());
        String cache = variables.get("XDG_CACHE_HOME");
        if (cache == null || cache.isBlank()) {
          variables.put("XDG_CACHE_HOME", home.resolve(".cache").toString());
        }
        variables.remove("SSH_AUTH_SOCK"); // the Secret's key, not an agent's
        home = sshHome;
      } else {
        throw new CommandException(
            ExitCodes.BAD_INPUT,
            "--repo-credentials "
                + directory
                + ": holds neither 'token' nor 'ssh-privatekey' (with 'known_hosts')");
      }
    } catch (IOException e) {
      throw new CommandException(
          ExitCodes.BAD_INPUT, "--repo-credentials " + directory + ": " + e.getMessage());
    }
    return new CliEnvironment(variables, home);
  }
}
