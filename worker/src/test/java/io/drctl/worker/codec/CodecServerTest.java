package io.drctl.worker.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The codec server as the Temporal Web UI and CLI call it, over real HTTP on loopback. */
class CodecServerTest {
  private static final String UI = "http://localhost:8233";
  private static final String TOKEN = "codec-test-token";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private final HttpClient http = HttpClient.newHttpClient();
  private final Map<String, String> keys = CodecTestKeys.keys("old", "new");
  private CodecServer server;

  @BeforeEach
  void start() {
    server =
        CodecServer.start(
            new EncryptionCodec(CodecTestKeys.of(dir, keys, "new")),
            new CodecServer.Options("127.0.0.1", 0, List.of(UI), TOKEN));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  /** What the UI sends: a JSON input, as protobuf JSON of Payloads (every bytes field base64). */
  private static String uiPayloads(String... jsonValues) {
    StringBuilder body = new StringBuilder("{\"payloads\":[");
    for (int i = 0; i < jsonValues.length; i++) {
      body.append(i == 0 ? "" : ",")
          .append("{\"metadata\":{\"encoding\":\"")
          .append(base64("json/plain"))
          .append("\"},\"data\":\"")
          .append(base64(jsonValues[i]))
          .append("\"}");
    }
    return body.append("]}").toString();
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
        .header("Origin", UI)
        .header("X-Namespace", "default")
        .header("Content-Type", "application/json");
  }

  private HttpResponse<String> post(String path, String body, String authorization)
      throws Exception {
    HttpRequest.Builder request = request(path).POST(HttpRequest.BodyPublishers.ofString(body));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, String body) throws Exception {
    return post(path, body, "Bearer " + TOKEN);
  }

  @Test
  void encodeThenDecodeGivesBackWhatTheUiSent() throws Exception {
    String sent =
        uiPayloads("{\"ticket\":\"OPS-7\",\"from\":\"2025-12-27T14:30:00Z\"}", "\"primary lost\"");
    HttpResponse<String> encoded = post("/encode", sent);
    assertThat(encoded.statusCode()).as(encoded.body()).isEqualTo(200);
    assertThat(encoded.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(encoded.headers().firstValue("Access-Control-Allow-Origin")).hasValue(UI);
    JsonNode encrypted = JSON.readTree(encoded.body());
    assertThat(encrypted.path("payloads"))
        .hasSize(2)
        .allSatisfy(
            payload -> {
              assertThat(payload.at("/metadata/encoding").asText())
                  .isEqualTo(base64("binary/encrypted"));
              assertThat(payload.at("/metadata/encryption-key-id").asText())
                  .isEqualTo(base64("new"));
            });
    assertThat(encoded.body())
        .doesNotContain(base64("OPS-7").substring(0, 6))
        .doesNotContain("OPS-7");

    HttpResponse<String> decoded = post("/decode", encoded.body());
    assertThat(decoded.statusCode()).as(decoded.body()).isEqualTo(200);
    assertThat(JSON.readTree(decoded.body())).isEqualTo(JSON.readTree(sent));
  }

  @Test
  void decodePassesPlainPayloadsThroughAndAnswersAnEmptyListAsOne() throws Exception {
    String plain = uiPayloads("{\"recorded\":\"before encryption\"}");
    assertThat(JSON.readTree(post("/decode", plain).body())).isEqualTo(JSON.readTree(plain));
    assertThat(post("/decode", "{\"payloads\":[]}").body()).isEqualTo("{\"payloads\":[]}");
  }

  @Test
  void theUisPreflightIsAnsweredForItsOriginOnly() throws Exception {
    HttpResponse<String> preflight =
        http.send(
            request("/decode")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type,x-namespace")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(preflight.statusCode()).isEqualTo(204);
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).hasValue(UI);
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods").orElseThrow())
        .contains("POST");
    assertThat(
            preflight
                .headers()
                .firstValue("Access-Control-Allow-Headers")
                .orElseThrow()
                .toLowerCase())
        .contains("x-namespace")
        .contains("authorization")
        .contains("content-type");

    HttpResponse<String> stranger =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/decode"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://evil.example")
                .header("Access-Control-Request-Method", "POST")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(stranger.statusCode()).isEqualTo(403);
    assertThat(stranger.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    assertThat(stranger.body()).contains("--cors-origin https://evil.example");
  }

  @Test
  void withoutTheRightBearerTokenItIs401() throws Exception {
    HttpResponse<String> none = post("/decode", uiPayloads("1"), null);
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.headers().firstValue("WWW-Authenticate").orElseThrow()).startsWith("Bearer");
    assertThat(none.headers().firstValue("Access-Control-Allow-Origin"))
        .as("so the UI can read the 401")
        .hasValue(UI);
    assertThat(post("/decode", uiPayloads("1"), "Bearer wrong-token").statusCode()).isEqualTo(401);
    assertThat(post("/encode", uiPayloads("1"), TOKEN).statusCode()).isEqualTo(401);
  }

  @Test
  void aMalformedBodyIs400WithTheReason() throws Exception {
    HttpResponse<String> notJson = post("/decode", "payloads please");
    assertThat(notJson.statusCode()).isEqualTo(400);
    assertThat(notJson.body())
        .startsWith("the body is not {\"payloads\": [{\"metadata\": {...}, \"data\": BASE64}]}: ");
    assertThat(post("/decode", "{\"payloads\": \"all of them\"}").statusCode()).isEqualTo(400);
    assertThat(post("/decode", "{\"payloads\": [{\"data\": \"%%%\"}]}").statusCode())
        .isEqualTo(400);
    assertThat(post("/decode", "{\"payload\": []}").body()).contains("payload");
  }

  @Test
  void aPayloadUnderAnUnknownKeyIs400NamingTheKey() throws Exception {
    EncryptionCodec elsewhere =
        new EncryptionCodec(CodecTestKeys.of(dir, CodecTestKeys.keys("lost"), "lost"));
    String foreign =
        com.google.protobuf.util.JsonFormat.printer()
            .print(
                io.temporal.api.common.v1.Payloads.newBuilder()
                    .addAllPayloads(
                        elsewhere.encode(
                            List.of(
                                io.temporal.common.converter.GlobalDataConverter.get()
                                    .toPayload("x")
                                    .orElseThrow()))));
    HttpResponse<String> refused = post("/decode", foreign);
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.body()).contains("encrypted with key 'lost', which is not configured");
  }

  @Test
  void oversizedBodiesWrongMethodsAndUnknownPathsAreRefused() throws Exception {
    assertThat(post("/decode", "x".repeat(CodecServer.MAX_BODY_BYTES + 1)).statusCode())
        .isEqualTo(413);
    HttpResponse<String> get =
        http.send(request("/decode").GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(get.statusCode()).isEqualTo(405);
    assertThat(get.headers().firstValue("Allow")).hasValue("POST, OPTIONS");
    assertThat(post("/metrics", uiPayloads("1")).statusCode()).isEqualTo(404);
  }
}
