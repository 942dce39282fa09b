package dev.weir.sandbox.api;

import dev.weir.engine.time.EngineClock;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/**
 * How to start a {@link SandboxApiServer}. Built with {@link #builder()}; every option has a
 * default:
 *
 * <ul>
 *   <li>{@code port} 0 (any free loopback port), {@code https} true (a fresh self-signed CA),
 *   <li>{@code stateFile} {@link SandboxStateLocation#forCurrentUser()} — {@code
 *       $XDG_DATA_HOME/weir/sandbox/state.json} or {@code ~/.local/share/weir/sandbox/state.json};
 *       {@link Builder#ephemeral()} keeps everything in memory,
 *   <li>{@code clock} {@link EngineClock#system()} (timestamps, save debounce, watch timeouts and
 *       bookmarks),
 *   <li>{@code adminToken} and {@code readOnlyToken} random 32-byte tokens,
 *   <li>{@code eventWindow} 10,000 events a watch can resume from, {@code saveDebounce} 500 ms,
 *       {@code bookmarkInterval} 60 s, {@code kinds} {@link KindRegistry#builtin()}.
 * </ul>
 *
 * <p>Immutable and thread-safe. {@link #toString()} never shows the tokens.
 */
public final class SandboxOptions {
  private final int port;
  private final boolean https;
  private final Path stateFile;
  private final EngineClock clock;
  private final String adminToken;
  private final String readOnlyToken;
  private final int eventWindow;
  private final Duration saveDebounce;
  private final Duration bookmarkInterval;
  private final KindRegistry kinds;

  private SandboxOptions(Builder builder) {
    this.port = builder.port;
    this.https = builder.https;
    this.stateFile = builder.stateFile;
    this.clock = builder.clock;
    this.adminToken = builder.adminToken == null ? randomToken() : builder.adminToken;
    this.readOnlyToken = builder.readOnlyToken == null ? randomToken() : builder.readOnlyToken;
    this.eventWindow = builder.eventWindow;
    this.saveDebounce = builder.saveDebounce;
    this.bookmarkInterval = builder.bookmarkInterval;
    this.kinds = builder.kinds == null ? KindRegistry.builtin() : builder.kinds;
    if (adminToken.equals(readOnlyToken)) {
      throw new IllegalArgumentException("the admin and read-only tokens must differ");
    }
  }

  /** Options with every default (state under the user's data directory). */
  public static SandboxOptions defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public int port() {
    return port;
  }

  public boolean https() {
    return https;
  }

  /** Where state is kept; empty for an in-memory sandbox. */
  public Optional<Path> stateFile() {
    return Optional.ofNullable(stateFile);
  }

  public EngineClock clock() {
    return clock;
  }

  /** The token that may do everything (user {@code admin}). */
  public String adminToken() {
    return adminToken;
  }

  /** The token that may only get, list and watch (user {@code viewer}). */
  public String readOnlyToken() {
    return readOnlyToken;
  }

  public int eventWindow() {
    return eventWindow;
  }

  public Duration saveDebounce() {
    return saveDebounce;
  }

  public Duration bookmarkInterval() {
    return bookmarkInterval;
  }

  public KindRegistry kinds() {
    return kinds;
  }

  @Override
  public String toString() {
    return "SandboxOptions[port="
        + port
        + ", https="
        + https
        + ", stateFile="
        + stateFile
        + ", eventWindow="
        + eventWindow
        + "]";
  }

  private static String randomToken() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** A mutable builder; not thread-safe. */
  public static final class Builder {
    private int port;
    private boolean https = true;
    private Path stateFile = SandboxStateLocation.forCurrentUser().stateFile();
    private EngineClock clock = EngineClock.system();
    private String adminToken;
    private String readOnlyToken;
    private int eventWindow = 10_000;
    private Duration saveDebounce = Duration.ofMillis(500);
    private Duration bookmarkInterval = Duration.ofSeconds(60);
    private KindRegistry kinds;

    private Builder() {}

    /** The loopback port; 0 picks a free one. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be 0..65535, was " + port);
      }
      this.port = port;
      return this;
    }

    /** HTTPS with a generated CA (true, the default) or plain HTTP. */
    public Builder https(boolean https) {
      this.https = https;
      return this;
    }

    /** Keeps state in {@code file} (loaded at start, saved on change and on close). */
    public Builder stateFile(Path file) {
      this.stateFile = Objects.requireNonNull(file, "file");
      return this;
    }

    /** Keeps state in memory only. */
    public Builder ephemeral() {
      this.stateFile = null;
      return this;
    }

    public Builder clock(EngineClock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    public Builder adminToken(String token) {
      this.adminToken = requireToken(token);
      return this;
    }

    public Builder readOnlyToken(String token) {
      this.readOnlyToken = requireToken(token);
      return this;
    }

    /** How many recent events a watch may resume from before it gets 410 Expired. */
    public Builder eventWindow(int events) {
      if (events < 1) {
        throw new IllegalArgumentException("eventWindow must be at least 1");
      }
      this.eventWindow = events;
      return this;
    }

    public Builder saveDebounce(Duration delay) {
      this.saveDebounce = Objects.requireNonNull(delay, "delay");
      return this;
    }

    public Builder bookmarkInterval(Duration interval) {
      if (interval.isZero() || interval.isNegative()) {
        throw new IllegalArgumentException("bookmarkInterval must be positive");
      }
      this.bookmarkInterval = interval;
      return this;
    }

    /** The kinds to serve (default: {@link KindRegistry#builtin()}). */
    public Builder kinds(KindRegistry kinds) {
      this.kinds = Objects.requireNonNull(kinds, "kinds");
      return this;
    }

    public SandboxOptions build() {
      return new SandboxOptions(this);
    }

    private static String requireToken(String token) {
      if (token == null || token.isBlank() || token.chars().anyMatch(c -> c <= ' ' || c > '~')) {
        throw new IllegalArgumentException(
            "a token must be non-blank printable ASCII without spaces");
      }
      return token;
    }
  }
}
