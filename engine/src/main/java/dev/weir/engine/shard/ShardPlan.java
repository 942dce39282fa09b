package dev.weir.engine.shard;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which applications one reconciler replica should hold, given the live replicas and who holds
 * each application's Lease now: the pure decision of {@link ShardKeeper}, run at every tick.
 *
 * <p>The rule. With {@code n} applications and {@code m} live replicas (this one included), a
 * replica holds at most {@code ceil(n / m)}. It keeps renewing what it holds up to that quota and
 * releases the surplus (a new replica joined, so that one can take them); it takes free
 * applications (no holder, or a Lease past its expiry) up to the quota. A Lease another replica
 * holds and has not let expire is never taken, whether that replica looks alive or not: it may
 * still be acting, and the Lease's expiry is the one bound everybody agrees on. Which
 * applications a replica prefers to take or keep is rendezvous hashing of (application, replica):
 * each application ranks the live replicas the same way everywhere, so replicas that start
 * together mostly reach for different applications and the spread settles in a tick or two.
 *
 * <p>Everything is a value; time is the {@code now} passed in.
 */
public final class ShardPlan {
  private ShardPlan() {}

  /**
   * An application's Lease as read.
   *
   * @param holder its holder identity; "" when free
   * @param expiresAt renewTime + leaseDurationSeconds
   */
  public record Holding(String holder, Instant expiresAt) {
    public Holding {
      Objects.requireNonNull(holder, "holder");
      Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /** Whether nobody holds it at {@code now}: free, or expired. */
    public boolean freeAt(Instant now) {
      return holder.isEmpty() || !now.isBefore(expiresAt);
    }
  }

  /**
   * What to do at this tick.
   *
   * @param renew applications this replica holds and keeps (renew their Leases)
   * @param acquire free applications to take
   * @param release applications to give up (surplus above the quota)
   * @param quota the most applications this replica may hold now
   */
  public record Decision(Set<String> renew, Set<String> acquire, Set<String> release, int quota) {
    public Decision {
      renew = Set.copyOf(renew);
      acquire = Set.copyOf(acquire);
      release = Set.copyOf(release);
    }
  }

  /**
   * The decision for replica {@code self}.
   *
   * @param applications every application of the repository
   * @param live the identities of the live replicas (membership Leases not expired); {@code self}
   *     counts whether listed or not
   * @param holdings each application's Lease as read (absent: no Lease yet, so free)
   * @param now the engine clock's instant
   */
  public static Decision decide(
      String self,
      Set<String> applications,
      Set<String> live,
      Map<String, Holding> holdings,
      Instant now) {
    Set<String> members = new TreeSet<>(live);
    members.add(self);
    int quota =
        applications.isEmpty() ? 0 : (applications.size() + members.size() - 1) / members.size();
    List<String> mine = new ArrayList<>();
    List<String> free = new ArrayList<>();
    for (String app : new TreeSet<>(applications)) {
      Holding holding = holdings.get(app);
      if (holding == null || holding.freeAt(now)) {
        free.add(app);
      } else if (holding.holder().equals(self)) {
        mine.add(app);
      }
    }
    // most preferred first: the applications that rank this replica highest
    // ranked once each: a sort would hash every application again at each of its comparisons
    Map<String, Integer> ranks = new java.util.HashMap<>();
    mine.forEach(app -> ranks.put(app, rank(app, self, members)));
    free.forEach(app -> ranks.put(app, rank(app, self, members)));
    Comparator<String> preference =
        Comparator.<String>comparingInt(ranks::get).thenComparing(a -> a);
    mine.sort(preference);
    free.sort(preference);
    Set<String> renew = new TreeSet<>(mine.subList(0, Math.min(quota, mine.size())));
    Set<String> release = new TreeSet<>(mine.subList(renew.size(), mine.size()));
    int room = quota - renew.size();
    Set<String> acquire = new TreeSet<>(free.subList(0, Math.max(0, Math.min(room, free.size()))));
    return new Decision(renew, acquire, release, quota);
  }

  /**
   * Where {@code self} stands among {@code members} for {@code application}: 0 when it is the
   * replica rendezvous hashing picks first.
   */
  static int rank(String application, String self, Set<String> members) {
    long mine = weight(application, self);
    int rank = 0;
    for (String member : members) {
      if (!member.equals(self)) {
        long theirs = weight(application, member);
        if (theirs > mine || theirs == mine && member.compareTo(self) < 0) {
          rank++;
        }
      }
    }
    return rank;
  }

  private static long weight(String application, String member) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest((application + "\n" + member).getBytes(StandardCharsets.UTF_8));
      long value = 0;
      for (int i = 0; i < 8; i++) {
        value = value << 8 | (digest[i] & 0xff);
      }
      return value;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
