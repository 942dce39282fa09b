package dev.weir.sandbox.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real request bodies of kubectl 1.32's {@code create} generators (recorded from {@code
 * /usr/bin/kubectl} against a recording HTTP server), decoded to JSON and compared with kubectl's
 * own JSON of the same command ({@code --dry-run=client -o json}).
 */
class ProtobufBodiesTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "namespace",
        "configmap",
        "secret-generic",
        "secret-docker-registry",
        "secret-tls",
        "deployment",
        "deployment-multi",
        "service-clusterip",
        "service-nodeport",
        "service-loadbalancer",
        "service-externalname",
        "serviceaccount",
        "job",
        "ingress"
      })
  void aKubectlBodyDecodesToTheJsonKubectlPrintsForIt(String name) throws IOException {
    ObjectNode decoded = ProtobufBodies.decode(resource(name + ".pb"));
    JsonNode expected = withoutNulls(Json.MAPPER.readTree(resource(name + ".json")));
    assertThat(decoded).isEqualTo(expected);
  }

  @Test
  void aFieldTheTableDoesNotKnowIsRefusedWith415NamingIt() throws IOException {
    byte[] body = resource("namespace.pb");
    // insert field 99 (varint 7) at the end of the Namespace message: raw's length grows by 3
    byte[] extra = {(byte) 0x98, 0x06, 0x07};
    int rawLengthAt = indexOfRawLength(body);
    int rawEnd = rawLengthAt + 1 + body[rawLengthAt];
    byte[] changed = new byte[body.length + extra.length];
    System.arraycopy(body, 0, changed, 0, rawEnd);
    System.arraycopy(extra, 0, changed, rawEnd, extra.length);
    System.arraycopy(body, rawEnd, changed, rawEnd + extra.length, body.length - rawEnd);
    changed[rawLengthAt] = (byte) (body[rawLengthAt] + extra.length);
    assertThatThrownBy(() -> ProtobufBodies.decode(changed))
        .isInstanceOfSatisfying(
            StatusException.class,
            e -> {
              assertThat(e.code()).isEqualTo(415);
              assertThat(e.getMessage())
                  .contains("field 99 of the protobuf message Namespace")
                  .contains("send it as JSON");
            });
  }

  @Test
  void truncatedAndUnknownBodiesAreRefusedClearly() throws IOException {
    byte[] body = resource("deployment.pb");
    assertThatThrownBy(() -> ProtobufBodies.decode(Arrays.copyOf(body, body.length - 20)))
        .isInstanceOfSatisfying(
            StatusException.class,
            e -> {
              assertThat(e.code()).isEqualTo(400);
              assertThat(e.getMessage()).startsWith("the protobuf body is not valid: ");
            });
    assertThatThrownBy(() -> ProtobufBodies.decode("{\"kind\":\"x\"}".getBytes()))
        .isInstanceOfSatisfying(
            StatusException.class, e -> assertThat(e.getMessage()).contains("magic bytes"));
    // a CronJob (batch/v1, not served by the sandbox): the envelope names a kind without a table
    byte[] cronJob = {
      'k', '8', 's', 0, 0x0a, 0x13, 0x0a, 0x08, 'b', 'a', 't', 'c', 'h', '/', 'v', '1', 0x12, 0x07,
      'C', 'r', 'o', 'n', 'J', 'o', 'b', 0x12, 0x00
    };
    assertThatThrownBy(() -> ProtobufBodies.decode(cronJob))
        .isInstanceOfSatisfying(
            StatusException.class,
            e -> {
              assertThat(e.code()).isEqualTo(415);
              assertThat(e.getMessage()).contains("CronJob batch/v1");
            });
  }

  /** The position of the one-byte length of the envelope's raw field (tag 0x12 after typeMeta). */
  private static int indexOfRawLength(byte[] body) {
    int typeMetaLength = body[5];
    int rawTag = 4 + 2 + typeMetaLength;
    assertThat(body[rawTag]).isEqualTo((byte) 0x12);
    assertThat(body[rawTag + 1] & 0x80).as("a one-byte length").isZero();
    return rawTag + 1;
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = ProtobufBodiesTest.class.getResourceAsStream("protobuf/" + name)) {
      assertThat(in).as(name).isNotNull();
      return in.readAllBytes();
    }
  }

  /** kubectl prints Go's {@code null} for zero times; the sandbox drops nulls anyway. */
  private static JsonNode withoutNulls(JsonNode node) {
    if (node instanceof ObjectNode object) {
      object.properties().removeIf(e -> e.getValue().isNull());
      object.forEach(ProtobufBodiesTest::withoutNulls);
    } else if (node.isArray()) {
      node.forEach(ProtobufBodiesTest::withoutNulls);
    }
    return node;
  }
}
