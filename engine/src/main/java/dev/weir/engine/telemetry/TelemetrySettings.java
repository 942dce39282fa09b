package dev.weir.engine.telemetry;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Where and how often to push. Immutable; {@link #toString()} hides the password.
 *
 * @param pushgateway the Pushgateway's base URL ({@code http://pushgateway:9091}); no user-info
 * @param job the {@code job} grouping label (default {@code weir})
 * @param instance the {@code instance} grouping label: the operator's machine, {@code user@host}
 * @param interval how often metrics are pushed
 * @param timeout how long one push may take before it is abandoned
 * @param username basic-auth user, if the Pushgateway needs one
 * @param password basic-auth password
 */
public record TelemetrySettings(
    URI pushgateway,
    String job,
    String instance,
    Duration interval,
    Duration timeout,
    Optional<String> username,
    Optional<String> password) {

  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(15);
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

  public TelemetrySettings {
    Objects.requireNonNull(pushgateway, "pushgateway");
    if (!"http".equals(pushgateway.getScheme()) && !"https".equals(pushgateway.getScheme())) {
      throw new IllegalArgumentException("Pushgateway address must be http:// or https://");
    }
    if (pushgateway.getRawUserInfo() != null) {
      throw new IllegalArgumentException(
          "Pushgateway address must not carry credentials; give a username and"
              + " password instead");
    }
    Objects.requireNonNull(job, "job");
    Objects.requireNonNull(instance, "instance");
    Objects.requireNonNull(interval, "interval");
    Objects.requireNonNull(timeout, "timeout");
    if (interval.isNegative() || interval.isZero() || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("interval and timeout must be positive");
    }
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
  }

  /**
   * Pushes to {@code pushgateway} as job {@code weir} from this machine, every 15 s, with a 2 s
   * timeout.
   */
  public static TelemetrySettings of(URI pushgateway) {
    return new TelemetrySettings(
        pushgateway,
        "weir",
        thisMachine(),
        DEFAULT_INTERVAL,
        DEFAULT_TIMEOUT,
        Optional.empty(),
        Optional.empty());
  }

  public TelemetrySettings withInterval(Duration value) {
    return new TelemetrySettings(pushgateway, job, instance, value, timeout, username, password);
  }

  public TelemetrySettings withTimeout(Duration value) {
    return new TelemetrySettings(pushgateway, job, instance, interval, value, username, password);
  }

  public TelemetrySettings withInstance(String value) {
    return new TelemetrySettings(pushgateway, job, value, interval, timeout, username, password);
  }

  public TelemetrySettings withBasicAuth(String user, String secret) {
    return new TelemetrySettings(
        pushgateway, job, instance, interval, timeout, Optional.of(user), Optional.of(secret));
  }

  /** {@code user@host} of this process: who is operating, from where. */
  public static String thisMachine() {
    String user = System.getProperty("user.name", "unknown");
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = Optional.ofNullable(System.getenv("HOSTNAME")).orElse("unknown-host");
    }
    return (user + "@" + host).toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return "TelemetrySettings[pushgateway="
        + pushgateway
        + ", job="
        + job
        + ", instance="
        + instance
        + ", interval="
        + interval
        + ", timeout="
        + timeout
        + ", auth="
        + (username.isPresent() ? username.get() + ":***" : "none")
        + "]";
  }
}
