package dev.weir.engine.cluster.kube;

import dev.weir.engine.cluster.ClusterError;
import dev.weir.engine.cluster.ClusterException;
import dev.weir.engine.cluster.ProxiedService;
import dev.weir.engine.cluster.ProxyResponse;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.Pair;
import io.kubernetes.client.openapi.models.V1Status;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@link KubeClusterGateway#proxyGet}: a raw GET through the API server's service proxy on the
 * gateway's own HTTP client, so the kubeconfig's credentials (token, client certificate, exec
 * plugin) and CA apply as to every other request. The body is read as bytes, never through
 * client-java's JSON models; an API server {@code Status} in an error answer is told apart from the
 * Service's own answer by its {@code kind}.
 */
final class KubeServiceProxy {
  private final KubeClusterGateway gateway;
  private final ApiClient client;

  KubeServiceProxy(KubeClusterGateway gateway, ApiClient client) {
    this.gateway = gateway;
    this.client = client;
  }

  ProxyResponse get(
      ProxiedService service, String path, Map<String, String> parameters, Duration timeout) {
    String relative = path.startsWith("/") ? path.substring(1) : path;
    String what = "GET " + service + "/" + relative + " through the service proxy";
    List<Pair> query = new ArrayList<>();
    parameters.forEach((k, v) -> query.add(new Pair(k, v)));
    Map<String, String> headers = new HashMap<>();
    headers.put("Accept", "application/json, */*");
    okhttp3.Call call;
    try {
      call =
          client.buildCall(
              client.getBasePath(),
              service.proxyPath() + escapePath(relative),
              "GET",
              query,
              new ArrayList<>(),
              null,
              headers,
              new HashMap<>(),
              new HashMap<>(),
              new String[] {"BearerToken"},
              null);
    } catch (ApiException e) {
      throw gateway.failure(e, what, false);
    }
    call.timeout().timeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
    try (okhttp3.Response response = call.execute()) {
      gateway.markReachable();
      String contentType = response.header("Content-Type", "");
      byte[] body = read(response.body(), what);
      if (response.code() >= 400 && isStatus(contentType, body)) {
        V1Status status = null;
        try {
          status =
              client
                  .getJSON()
                  .deserialize(new String(body, StandardCharsets.UTF_8), V1Status.class);
        } catch (RuntimeException notStatus) {
          // keep the generic message
        }
        throw new ClusterException(KubeErrors.fromStatus(status, response.code(), false, what));
      }
      return new ProxyResponse(response.code(), contentType, body);
    } catch (IOException e) {
      if (e instanceof java.io.InterruptedIOException) {
        // a slow Service (a heavy query) is not an unreachable cluster: the cluster's status stays
        throw new ClusterException(
            ClusterError.of(
                ClusterError.Reason.TIMEOUT,
                what
                    + ": no answer within "
                    + (timeout.toMillis() % 1000 == 0
                        ? timeout.toSeconds() + "s"
                        : timeout.toMillis() + "ms")));
      }
      throw gateway.failure(e, what, false);
    }
  }

  private static byte[] read(okhttp3.ResponseBody body, String what) throws IOException {
    if (body == null) {
      return new byte[0];
    }
    try (InputStream in = body.byteStream()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buffer = new byte[16 * 1024];
      int total = 0;
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        total += n;
        if (total > ProxyResponse.MAX_BODY) {
          throw new ClusterException(
              ClusterError.of(
                  ClusterError.Reason.SERVER_ERROR,
                  what
                      + ": the answer is larger than "
                      + ProxyResponse.MAX_BODY / (1024 * 1024)
                      + " MiB"));
        }
        out.write(buffer, 0, n);
      }
      return out.toByteArray();
    }
  }

  /** Whether an error body is the API server's own {@code Status} rather than the Service's. */
  private static boolean isStatus(String contentType, byte[] body) {
    if (!contentType.startsWith("application/json")) {
      return false;
    }
    String text = new String(body, 0, Math.min(body.length, 4096), StandardCharsets.UTF_8);
    return text.contains("\"kind\":\"Status\"") || text.contains("\"kind\": \"Status\"");
  }

  /** Escapes each segment of a relative path, keeping the slashes. */
  private String escapePath(String relative) {
    StringBuilder out = new StringBuilder();
    for (String segment : relative.split("/", -1)) {
      if (!out.isEmpty()) {
        out.append('/');
      }
      out.append(client.escapeString(segment));
    }
    return out.toString();
  }
}
