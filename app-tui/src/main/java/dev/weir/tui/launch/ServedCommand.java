package dev.weir.tui.launch;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * One command line handed to the process that serves the sandbox ({@code weir sandbox serve}),
 * which runs it as this process would have, and the frames it answers with. Spoken over the Unix
 * domain socket {@code commands.sock} in the sandbox's data directory (decision 0014).
 *
 * <p>A request: {@link #MAGIC}, the client's {@link #thisBuild()}, its working directory, home
 * folder, stdout encoding, environment and arguments. The answer: frames of a type byte — {@link
 * #OUT} or {@link #ERR} with bytes to write, {@link #EXIT} with the exit code (last), or {@link
 * #DECLINED} with why (first and only: the client then runs the command itself).
 *
 * <p>Uses only {@code java.base}: the client side must start without loading picocli or the
 * engine.
 *
 * @param fingerprint the build of Weir that sent it ({@link #thisBuild()})
 * @param workingDirectory the client's working directory
 * @param home the client's home folder
 * @param encoding the client's {@code stdout.encoding}
 * @param environment the client's environment variables
 * @param arguments the command line, with relative paths made absolute by the client
 */
public record ServedCommand(
    String fingerprint,
    String workingDirectory,
    String home,
    String encoding,
    Map<String, String> environment,
    List<String> arguments) {

  /** Protocol and version: a client and a server that disagree never talk. */
  public static final int MAGIC = 0x57454952 + 1; // "WEIR", version 1

  /** The socket's name in the sandbox's data directory. */
  public static final String SOCKET = "commands.sock";

  public static final byte OUT = 1;
  public static final byte ERR = 2;
  public static final byte EXIT = 3;
  public static final byte DECLINED = 4;

  private static final int MAX_STRING = 1 << 20;
  private static final int MAX_ENTRIES = 10_000;

  public ServedCommand {
    environment = Map.copyOf(environment);
    arguments = List.copyOf(arguments);
  }

  /** Writes the request. */
  public void write(DataOutputStream out) throws IOException {
    out.writeInt(MAGIC);
    writeString(out, fingerprint);
    writeString(out, workingDirectory);
    writeString(out, home);
    writeString(out, encoding);
    out.writeInt(environment.size());
    for (Map.Entry<String, String> e : environment.entrySet()) {
      writeString(out, e.getKey());
      writeString(out, e.getValue());
    }
    out.writeInt(arguments.size());
    for (String argument : arguments) {
      writeString(out, argument);
    }
    out.flush();
  }

  /**
   * Reads a request.
   *
   * @throws IOException when the stream ends early or does not speak this protocol
   */
  public static ServedCommand read(DataInputStream in) throws IOException {
    if (in.readInt() != MAGIC) {
      throw new IOException("not a weir command request (or another version of weir)");
    }
    String fingerprint = readString(in);
    String directory = readString(in);
    String home = readString(in);
    String encoding = readString(in);
    int variables = count(in);
    Map<String, String> environment = new LinkedHashMap<>();
    for (int i = 0; i < variables; i++) {
      environment.put(readString(in), readString(in));
    }
    int count = count(in);
    List<String> arguments = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      arguments.add(readString(in));
    }
    return new ServedCommand(fingerprint, directory, home, encoding, environment, arguments);
  }

  /**
   * Which build of Weir this is: the build time the build wrote into {@code version.properties}
   * (the same in {@code weir.jar} and in {@code target/classes}, from which {@code ./weir} starts
   * the client), else where the classes were loaded from and when that was last modified. A server
   * of another build declines, so a command never runs on code older (or newer) than the one the
   * user started.
   */
  public static String thisBuild() {
    try (InputStream in = ServedCommand.class.getResourceAsStream("/dev/weir/tui/version.properties")) {
      if (in != null) {
        Properties properties = new Properties();
        properties.load(in);
        String build = properties.getProperty("build", "");
        if (!build.isBlank() && !build.startsWith("${")) {
          return "weir ".concat(properties.getProperty("version", "")).concat(" built ").concat(build);
        }
      }
    } catch (IOException e) {
      // fall back to the code's location
    }
    try {
      Path code =
          Path.of(ServedCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return code.toString()
          .concat("@")
          .concat(Long.toString(Files.getLastModifiedTime(code).toMillis()));
    } catch (IOException | URISyntaxException | RuntimeException e) {
      return "unknown";
    }
  }

  static void writeString(DataOutputStream out, String value) throws IOException {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  static String readString(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length < 0 || length > MAX_STRING) {
      throw new IOException("bad string length " + length);
    }
    return new String(in.readNBytes(length), StandardCharsets.UTF_8);
  }

  private static int count(DataInputStream in) throws IOException {
    int count = in.readInt();
    if (count < 0 || count > MAX_ENTRIES) {
      throw new IOException("bad count " + count);
    }
    return count;
  }
}
