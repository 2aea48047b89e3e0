package io.drctl.worker.temporal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drctl.testing.JavaProcess;
import io.drctl.worker.TemporalSetupException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TemporalOptionsTest {
  private static final UnaryOperator<String> NO_ENV = name -> null;

  @TempDir Path dir;

  private static TemporalOptions parse(String... args) {
    TemporalOptions options = new TemporalOptions();
    new CommandLine(options).parseArgs(args);
    return options;
  }

  private static TemporalSettings validate(UnaryOperator<String> env, String... args) {
    return parse(args).validate(env);
  }

  private static void assertInvalid(String message, String... args) {
    assertThatThrownBy(() -> validate(NO_ENV, args))
        .isInstanceOf(TemporalSetupException.class)
        .hasMessageContaining(message)
        .satisfies(
            e ->
                assertThat(((TemporalSetupException) e).exitCode())
                    .isEqualTo(TemporalSetupException.INVALID));
  }

  @Test
  void explicitOptionsMakePlaintextSettings() {
    TemporalSettings settings =
        validate(
            NO_ENV,
            "--address",
            "temporal.internal:7233",
            "--namespace",
            "dr",
            "--task-queue",
            "dr-eu");
    assertThat(settings.address()).isEqualTo("temporal.internal:7233");
    assertThat(settings.namespace()).isEqualTo("dr");
    assertThat(settings.taskQueue()).isEqualTo("dr-eu");
    assertThat(settings.tls()).isNull();
    assertThat(settings.apiKey()).isNull();
  }

  @Test
  void badAddressesNameTheOptionAndTheValue() {
    assertInvalid(
        "--address 'temporal': the port is missing, e.g. temporal:7233", "--address", "temporal");
    assertInvalid(
        "--address 'http://temporal:7233': give HOST:PORT without a scheme",
        "--address",
        "http://temporal:7233");
    assertInvalid(
        "--address 'temporal:99999': the port '99999' is not a number from 1 to 65535",
        "--address",
        "temporal:99999");
    assertInvalid("--address 'temporal:port': the port 'port'", "--address", "temporal:port");
    assertInvalid("write an IPv6 address in brackets", "--address", "::1:7233");
    assertInvalid(
        "--address 'bad host:7233': 'bad host' is not a host name", "--address", "bad host:7233");
    assertThat(validate(NO_ENV, "--address", "[::1]:7233").address()).isEqualTo("[::1]:7233");
  }

  @Test
  void emptyNamespaceAndTaskQueueAreRefused() {
    assertInvalid("--namespace is empty", "--address", "localhost:7233", "--namespace", "");
    assertInvalid(
        "--task-queue 'dr queue': must not contain spaces",
        "--address",
        "localhost:7233",
        "--task-queue",
        "dr queue");
  }

  @Test
  void aTlsKeyWithoutItsCertificateIsRefused() throws Exception {
    Path key = Files.writeString(dir.resolve("client.key"), "key");
    assertInvalid(
        "--tls-key-path " + key + " needs --tls-cert-path",
        "--address",
        "localhost:7233",
        "--tls-key",
        key.toString());
    Path cert = Files.writeString(dir.resolve("client.pem"), "cert");
    assertInvalid(
        "--tls-cert-path " + cert + " needs --tls-key-path",
        "--address",
        "localhost:7233",
        "--tls-cert",
        cert.toString());
  }

  @Test
  void missingTlsFilesAreNamed() throws Exception {
    Path key = Files.writeString(dir.resolve("client.key"), "key");
    Path missing = dir.resolve("client.pem");
    assertInvalid(
        "--tls-cert-path " + missing + ": no such file",
        "--address",
        "localhost:7233",
        "--tls-cert",
        missing.toString(),
        "--tls-key",
        key.toString());
    assertInvalid(
        "--tls-ca-path " + dir + ": not a file",
        "--address",
        "localhost:7233",
        "--tls-ca",
        dir.toString());
  }

  @Test
  void tlsIsOnWithAnyTlsSettingAndNoTlsConflictsWithThem() throws Exception {
    Path ca = Files.writeString(dir.resolve("ca.pem"), "ca");
    TemporalSettings settings =
        validate(NO_ENV, "--address", "localhost:7233", "--tls-ca", ca.toString());
    assertThat(settings.tls()).isNotNull();
    assertThat(settings.tls().mutual()).isFalse();
    assertThat(validate(NO_ENV, "--address", "localhost:7233", "--tls").tls()).isNotNull();
    assertInvalid(
        "--no-tls conflicts with --tls-ca-path",
        "--address",
        "localhost:7233",
        "--no-tls",
        "--tls-ca",
        ca.toString());
  }

  @Test
  void theApiKeyComesFromTheNamedVariableTurnsTlsOnAndIsNeverPrinted() {
    Map<String, String> env = Map.of("DR_TEMPORAL_KEY", "s3cr3t-key");
    TemporalSettings settings =
        validate(env::get, "--address", "ns.tmprl.cloud:7233", "--api-key-env", "DR_TEMPORAL_KEY");
    assertThat(settings.apiKey()).isEqualTo("s3cr3t-key");
    assertThat(settings.tls()).isNotNull();
    assertThat(settings.toString()).doesNotContain("s3cr3t-key").contains("$DR_TEMPORAL_KEY");
  }

  @Test
  void temporalApiKeyIsTheDefaultSourceAndAnUnsetVariableIsAnError() {
    Map<String, String> env = Map.of(TemporalOptions.DEFAULT_API_KEY_ENV, "k");
    assertThat(validate(env::get, "--address", "localhost:7233").apiKeySource())
        .isEqualTo("$TEMPORAL_API_KEY");
    assertThat(validate(env::get, "--address", "localhost:7233", "--no-tls").tls()).isNull();
    assertInvalid(
        "--api-key-env DR_KEY: the environment variable DR_KEY is not set or empty",
        "--address",
        "localhost:7233",
        "--api-key-env",
        "DR_KEY");
    assertInvalid(
        "--api-key-env 'not a name'", "--address", "localhost:7233", "--api-key-env", "not a name");
  }

  @Test
  void theTemporalCliFlagNamesAndTheOldOnesAreTheSameOptions() throws Exception {
    Path ca = Files.writeString(dir.resolve("ca.pem"), "x");
    assertThat(
            validate(NO_ENV, "--address", "localhost:7233", "--tls-ca-path", ca.toString())
                .tls()
                .certificateAuthority())
        .isEqualTo(ca);
    assertThat(
            validate(NO_ENV, "--address", "localhost:7233", "--tls-ca", ca.toString())
                .tls()
                .certificateAuthority())
        .isEqualTo(ca);
    String help = new CommandLine(new TemporalOptions()).getUsageMessage();
    assertThat(help)
        .contains("--tls-cert, --tls-cert-path=FILE")
        .contains("--tls-key, --tls-key-path=FILE")
        .contains("--tls-ca, --tls-ca-path=FILE")
        .contains("TEMPORAL_TLS_CLIENT_CERT_PATH")
        .contains("TEMPORAL_TLS_SERVER_CA_CERT_PATH")
        .contains("TEMPORAL_TLS_SERVER_NAME");
  }

  @Test
  void theTemporalClisTlsVariablesGiveTheDefaults() throws Exception {
    Path key = Files.writeString(dir.resolve("client.key"), "k");
    ProcessBuilder builder =
        new ProcessBuilder(
                JavaProcess.command(
                    System.getProperty("java.class.path"),
                    "io.drctl.worker.cli.Drctl",
                    "list",
                    "--address",
                    "127.0.0.1:1"))
            .redirectErrorStream(true);
    builder.environment().put("TEMPORAL_TLS_CLIENT_KEY_PATH", key.toString());
    Process process = builder.start();
    String output =
        new String(
            process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

    assertThat(process.exitValue()).as(output).isEqualTo(2);
    assertThat(output).contains("--tls-key-path " + key + " needs --tls-cert-path");
  }

  @Test
  void certificatesThatAreNotPemFailBeforeAnyConnection() throws Exception {
    Path cert = Files.writeString(dir.resolve("client.pem"), "not a certificate");
    Path key = Files.writeString(dir.resolve("client.key"), "not a key");
    TemporalSettings settings =
        validate(
            NO_ENV,
            "--address",
            "localhost:7233",
            "--tls-cert",
            cert.toString(),
            "--tls-key",
            key.toString());
    assertThatThrownBy(() -> TemporalConnection.open(settings))
        .isInstanceOf(TemporalSetupException.class)
        .hasMessageContaining("--tls-cert-path " + cert + " / --tls-key-path " + key);
  }

  @Test
  void anUnreachableServerIsOneLineWithExitThree() throws Exception {
    int port;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    TemporalSettings settings = TemporalSettings.plaintext("127.0.0.1:" + port, "default", "drctl");
    assertThatThrownBy(() -> TemporalConnection.open(settings, null, Duration.ofMillis(500)))
        .isInstanceOf(TemporalSetupException.class)
        .hasMessageStartingWith("cannot reach Temporal at 127.0.0.1:" + port + ": UNAVAILABLE")
        .satisfies(e -> assertThat(((TemporalSetupException) e).exitCode()).isEqualTo(3));
  }

  @Test
  void aProfileOfTheConfigFileGivesWhatNoOptionGivesAndOptionsWin() throws Exception {
    Path cert = Files.writeString(dir.resolve("client.pem"), "c");
    Path key = Files.writeString(dir.resolve("client.key"), "k");
    Path file =
        Files.writeString(
            dir.resolve("temporal.toml"),
            """
        [profile.default]
        address = "default.example:7233"
        namespace = "ns-default"

        [profile.prod]
        address = "prod.tmprl.cloud:7233"
        namespace = "prod.acct"
        api_key = "profile-s3cr3t"

        [profile.prod.tls]
        server_name = "prod.tmprl.cloud"
        client_cert_path = "%s"
        client_key_path = "%s"
        """
                .formatted(cert, key));

    TemporalSettings prod = validate(NO_ENV, "--config-file", file.toString(), "--profile", "prod");
    assertThat(prod.address()).isEqualTo("prod.tmprl.cloud:7233");
    assertThat(prod.namespace()).isEqualTo("prod.acct");
    assertThat(prod.apiKey()).isEqualTo("profile-s3cr3t");
    assertThat(prod.tls().mutual()).isTrue();
    assertThat(prod.tls().certificate()).isEqualTo(cert);
    assertThat(prod.tls().serverName()).isEqualTo("prod.tmprl.cloud");
    assertThat(prod.toString())
        .doesNotContain("profile-s3cr3t")
        .contains("apiKey=<from profile prod>");

    TemporalSettings byDefault = validate(NO_ENV, "--config-file", file.toString());
    assertThat(byDefault.address()).isEqualTo("default.example:7233");
    assertThat(byDefault.tls()).isNull();
    TemporalSettings overridden =
        validate(
            Map.of(TemporalOptions.DEFAULT_API_KEY_ENV, "env-key")::get,
            "--config-file",
            file.toString(),
            "--profile",
            "prod",
            "--address",
            "other:7233",
            "-n",
            "mine");
    assertThat(overridden.address()).isEqualTo("other:7233");
    assertThat(overridden.namespace()).isEqualTo("mine");
    assertThat(overridden.apiKey()).isEqualTo("env-key");
    assertThat(
            validate(NO_ENV, "--config-file", file.toString(), "--disable-config-file").address())
        .isEqualTo(TemporalOptions.DEFAULT_ADDRESS);
  }

  @Test
  void aMissingConfigFileOrProfileIsNamed() throws Exception {
    Path file =
        Files.writeString(dir.resolve("temporal.toml"), "[profile.default]\naddress = \"a:1\"\n");
    assertInvalid(
        "--config-file " + dir.resolve("nope.toml") + ": no such file",
        "--config-file",
        dir.resolve("nope.toml").toString());
    assertInvalid(
        "--config-file " + file + ", profile 'staging'",
        "--config-file",
        file.toString(),
        "--profile",
        "staging");
    Path broken = Files.writeString(dir.resolve("broken.toml"), "[profile.default\naddress = ");
    assertInvalid(
        "--config-file " + broken + ", profile 'default'", "--config-file", broken.toString());
  }
}
