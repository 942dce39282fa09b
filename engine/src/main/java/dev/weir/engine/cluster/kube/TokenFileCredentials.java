package dev.weir.engine.cluster.kube;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Bearer tokens read from a file (a kubeconfig user's {@code tokenFile}, a pod's service account
 * token), put on every request of a gateway and read again whenever the file changes.
 *
 * <p>Design note. The kubelet rotates a projected service account token (hourly by default) by
 * swapping the file behind a symlink. client-java reads a {@code tokenFile} once, when its client
 * is built, so a reconciler in a pod would fail every request an hour after it started. Here the
 * file's modification time, size and identity are looked at on every request (a {@code stat}, no
 * read) and the token read again when any of them changed; a 401 answer also reads it again and
 * retries once, for a rotation that kept the same size and time stamp.
 *
 * <p>Errors: an unreadable or empty file fails the request with an {@link IOException} naming the
 * file, never the token. Thread-safe.
 */
final class TokenFileCredentials implements Interceptor {
  private record Stamp(FileTime modified, long size, Object key) {}

  /** A token and the file's stamp when it was read; replaced whole, so read without a lock. */
  private record Read(String token, Stamp stamp) {}

  private final Path file;
  private volatile Read read;

  TokenFileCredentials(Path file) {
    this.file = file;
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    Response response = chain.proceed(authorized(request, token(false)));
    if (response.code() != 401) {
      return response;
    }
    response.close();
    return chain.proceed(authorized(request, token(true)));
  }

  private static Request authorized(Request request, String token) {
    return request.newBuilder().header("Authorization", "Bearer " + token).build();
  }

  /**
   * The token in the file, read again when the file changed (or {@code reread}). The common case,
   * an unchanged file, takes no lock: a replica sends hundreds of requests at once, and with one
   * lock around every {@code stat} its Lease renewals queued behind the others' (decision 0050).
   */
  String token(boolean reread) throws IOException {
    Stamp now = stamp();
    Read last = read;
    if (!reread && last != null && now.equals(last.stamp())) {
      return last.token();
    }
    synchronized (this) {
      last = read;
      if (!reread && last != null && now.equals(last.stamp())) {
        return last.token(); // another request read it meanwhile
      }
      String token = Files.readString(file, StandardCharsets.US_ASCII).strip();
      if (token.isEmpty()) {
        throw new IOException("token file " + file + " is empty");
      }
      read = new Read(token, now);
      return token;
    }
  }

  private Stamp stamp() throws IOException {
    try {
      // follows symlinks: the kubelet swaps ..data behind token
      BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
      return new Stamp(attributes.lastModifiedTime(), attributes.size(), attributes.fileKey());
    } catch (NoSuchFileException e) {
      throw new IOException("token file " + file + " does not exist");
    }
  }

  @Override
  public String toString() {
    return "TokenFileCredentials[" + file + "]";
  }
}
