package dev.weir.engine.cluster;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Who holds a Lease: a person on a host, and the one process and console instance acting for them.
 * Immutable.
 *
 * <p>On the wire ({@code spec.holderIdentity}) it reads {@code alice@bastion (pid 4242, weir sync)
 * #5f0c9e1a2b3c4d6e}: the user and host, the process id and program, and a random instance id. The
 * instance id is drawn afresh for every holder made by {@link #forThisProcess} or {@link #of}, so
 * two consoles can never mistake each other's Lease for their own: not two {@code weir sync} runs
 * of the same user on one bastion (same user, host and program), not two consoles in one process
 * (same pid), not two containers whose processes are all pid 1.
 *
 * <p>Identities written by earlier versions ({@code root@bastion (sync)}, {@code alice@bastion
 * (console)}) and by other tools (leader election's {@code host_uuid}) are read as they are: {@link
 * #parse} keeps them word for word in {@link #identity()}, and {@link #describe()} shows them
 * unchanged. They are never equal to an identity of this version, so a Lease an old version still
 * holds is waited for, never taken over.
 *
 * @param who {@code user@host}, or the whole identity when it was not written by Weir
 * @param pid the process id; 0 when unknown (an old or foreign identity)
 * @param program what runs, e.g. {@code weir sync}; "" when unknown
 * @param instance 16 hex digits; "" when unknown (an old or foreign identity)
 */
public record LeaseHolder(String who, long pid, String program, String instance) {
  private static final Pattern CURRENT =
      Pattern.compile("^(\\S+) \\(pid (\\d{1,18}), ([^()]+)\\) #([0-9a-f]{16})$");
  private static final Pattern EARLIER = Pattern.compile("^(\\S+) \\(([^()]+)\\)$");
  private static final SecureRandom RANDOM = new SecureRandom();

  public LeaseHolder {
    Objects.requireNonNull(who, "who");
    Objects.requireNonNull(program, "program");
    Objects.requireNonNull(instance, "instance");
  }

  /**
   * This process acting for {@code user}, on this host: e.g. {@code alice@bastion (pid 4242, weir
   * sync) #5f0c9e1a2b3c4d6e}. Every call draws a new instance id.
   *
   * @param program what runs, e.g. {@code weir sync} or {@code weir tui}
   */
  public static LeaseHolder forThisProcess(String user, String program) {
    return of(user + "@" + hostName(), program);
  }

  /**
   * {@code who} (e.g. {@code alice@bastion}) in this process running {@code program}, with a new
   * instance id.
   */
  public static LeaseHolder of(String who, String program) {
    byte[] bytes = new byte[8];
    RANDOM.nextBytes(bytes);
    return new LeaseHolder(
        who.isBlank() ? "someone" : who.strip().replaceAll("\\s+", "_"),
        ProcessHandle.current().pid(),
        program.isBlank() ? "weir" : program.replaceAll("[()]", "").strip(),
        HexFormat.of().formatHex(bytes));
  }

  /**
   * Reads a Lease's {@code spec.holderIdentity}, of this version, an earlier one or another tool.
   */
  public static LeaseHolder parse(String identity) {
    Matcher current = CURRENT.matcher(identity);
    if (current.matches()) {
      return new LeaseHolder(
          current.group(1), Long.parseLong(current.group(2)), current.group(3), current.group(4));
    }
    Matcher earlier = EARLIER.matcher(identity);
    if (earlier.matches()) {
      return new LeaseHolder(earlier.group(1), 0, earlier.group(2), "");
    }
    return new LeaseHolder(identity, 0, "", "");
  }

  /** {@code spec.holderIdentity} as written to the Lease; {@link #parse} reads it back equal. */
  public String identity() {
    if (!instance.isEmpty()) {
      return describe() + " #" + instance;
    }
    return describe();
  }

  /**
   * For people: {@code alice@bastion (pid 4242, weir sync)}; an earlier version's identity as it
   * was written ({@code root@bastion (sync)}).
   */
  public String describe() {
    if (pid > 0) {
      return who + " (pid " + pid + ", " + program + ")";
    }
    return program.isEmpty() ? who : who + " (" + program + ")";
  }

  /** Whether this identity was written by this version of Weir (it names a process instance). */
  public boolean current() {
    return !instance.isEmpty();
  }

  @Override
  public String toString() {
    return identity();
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }
}
