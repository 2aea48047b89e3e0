package io.drctl.activities.http;

import static io.drctl.activities.http.HttpTestSupport.OPTIONS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.temporal.testing.TestActivityEnvironment;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A target's insecureSkipVerify, against a real HTTPS server with a self-signed certificate for
 * another host name.
 */
class InsecureSkipVerifyTest {
  private static final char[] PASSWORD = "changeit".toCharArray();

  @TempDir Path directory;

  private HttpsServer server;
  private TestActivityEnvironment environment;
  private HttpActivities http;

  @BeforeEach
  void start() throws Exception {
    Path keystore = directory.resolve("server.p12");
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "server",
                "-keyalg",
                "EC",
                "-dname",
                "CN=not-this-host.example",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                keystore.toString(),
                "-storepass",
                new String(PASSWORD),
                "-keypass",
                new String(PASSWORD))
            .redirectErrorStream(true)
            .start();
    assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(keytool.exitValue())
        .as(new String(keytool.getInputStream().readAllBytes()))
        .isZero();

    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      store.load(in, PASSWORD);
    }
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, PASSWORD);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(keys.getKeyManagers(), null, null);
    server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(tls));
    server.createContext(
        "/",
        exchange -> {
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    server.start();

    environment = TestActivityEnvironment.newInstance();
    environment.registerActivitiesImplementations(
        new HttpActivitiesImpl(HttpTestSupport.secrets(), HttpTestSupport.options()));
    http = environment.newActivityStub(HttpActivities.class, OPTIONS);
  }

  @AfterEach
  void stop() {
    environment.close();
    server.stop(0);
  }

  private Map<String, JsonNode> target(boolean insecureSkipVerify) {
    ObjectNode target =
        JsonNodeFactory.instance
            .objectNode()
            .put("kind", "http")
            .put("url", "https://127.0.0.1:" + server.getAddress().getPort())
            .put("insecureSkipVerify", insecureSkipVerify);
    return Map.of("sandbox", target);
  }

  @Test
  void untrustedCertificateIsAFailedCheckByDefault() {
    HttpCheckResult result =
        http.check(HttpCheckInput.of("sandbox", "/", target(false)).withFailOnProblem(false));

    assertThat(result.ok()).isFalse();
    assertThat(result.status()).isZero();
    assertThat(result.problem()).startsWith("TLS failed");
  }

  @Test
  void insecureSkipVerifyAcceptsTheSelfSignedCertificateForAnotherHost() {
    HttpCheckResult result = http.check(HttpCheckInput.of("sandbox", "/", target(true)));

    assertThat(result.ok()).isTrue();
    assertThat(result.status()).isEqualTo(200);
  }
}
