package io.drctl.worker.temporal;

import io.drctl.worker.TemporalSetupException;
import io.drctl.worker.codec.CodecOptions;
import io.drctl.workflow.IncidentWorkflows;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options of every command that talks to Temporal, with the Temporal CLI's names. Each setting
 * comes, first found wins, from the flag, its environment variable ({@code TEMPORAL_ADDRESS},
 * {@code TEMPORAL_NAMESPACE}, {@code TEMPORAL_API_KEY}, {@code TEMPORAL_TLS_*}), the profile of
 * Temporal's environment-configuration file ({@code --config-file}/{@code TEMPORAL_CONFIG_FILE},
 * default {@code ~/.config/temporal/temporal.toml}; {@code --profile}/{@code TEMPORAL_PROFILE},
 * default {@code default}), or the default. So a shell or a file set up for the Temporal CLI works
 * for drctl too. {@link #validate} checks them all once and names the option and the value that is
 * wrong.
 */
public final class TemporalOptions {
  /** Where the API key comes from when {@code --api-key-env} is not given. */
  public static final String DEFAULT_API_KEY_ENV = "TEMPORAL_API_KEY";

  private static final Pattern HOST =
      Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?|\\[[0-9A-Fa-f:.]+\\]");
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  /** Where the frontend is when neither option, variable nor profile says. */
  public static final String DEFAULT_ADDRESS = "localhost:7233";

  public static final String DEFAULT_NAMESPACE = "default";

  @Option(
      names = "--address",
      paramLabel = "HOST:PORT",
      defaultValue = "${env:TEMPORAL_ADDRESS}",
      description =
          "Temporal frontend (env TEMPORAL_ADDRESS, else the profile's; default "
              + DEFAULT_ADDRESS
              + ").")
  String address;

  @Option(
      names = {"-n", "--namespace"},
      paramLabel = "NAME",
      defaultValue = "${env:TEMPORAL_NAMESPACE}",
      description =
          "Temporal namespace (env TEMPORAL_NAMESPACE, else the profile's; default "
              + DEFAULT_NAMESPACE
              + ").")
  String namespace;

  @Option(
      names = "--profile",
      paramLabel = "NAME",
      defaultValue = "${env:TEMPORAL_PROFILE}",
      description =
          "Profile of the environment-configuration file to use (env TEMPORAL_PROFILE; default: default).")
  String profile;

  @Option(
      names = "--config-file",
      paramLabel = "FILE",
      defaultValue = "${env:TEMPORAL_CONFIG_FILE}",
      description =
          "Temporal's environment-configuration file, TOML (env TEMPORAL_CONFIG_FILE;"
              + " default ~/.config/temporal/temporal.toml when it exists).")
  Path configFile;

  @Option(
      names = "--disable-config-file",
      description = "Ignore the environment-configuration file.")
  boolean disableConfigFile;

  @Option(
      names = "--task-queue",
      paramLabel = "NAME",
      defaultValue = "${env:DRCTL_TASK_QUEUE:-" + IncidentWorkflows.DEFAULT_TASK_QUEUE + "}",
      description =
          "Task queue of the drctl workers (env DRCTL_TASK_QUEUE; default ${DEFAULT-VALUE}).")
  String taskQueue;

  // The Temporal CLI's flag names and environment variables; the older --tls-cert, --tls-key and
  // --tls-ca stay as aliases for one release.
  @Option(
      names = "--tls",
      negatable = true,
      defaultValue = "${env:TEMPORAL_TLS}",
      description =
          "Use TLS (env TEMPORAL_TLS). On by default when a TLS file, --tls-server-name or an API key is given;"
              + " --no-tls turns it off.")
  Boolean tls;

  @Option(
      names = {"--tls-cert-path", "--tls-cert"},
      paramLabel = "FILE",
      defaultValue = "${env:TEMPORAL_TLS_CLIENT_CERT_PATH}",
      description =
          "Client certificate (PEM) for mutual TLS; needs --tls-key-path (env TEMPORAL_TLS_CLIENT_CERT_PATH).")
  Path tlsCert;

  @Option(
      names = {"--tls-key-path", "--tls-key"},
      paramLabel = "FILE",
      defaultValue = "${env:TEMPORAL_TLS_CLIENT_KEY_PATH}",
      description =
          "Private key (PKCS#8 PEM) of --tls-cert-path (env TEMPORAL_TLS_CLIENT_KEY_PATH).")
  Path tlsKey;

  @Option(
      names = {"--tls-ca-path", "--tls-ca"},
      paramLabel = "FILE",
      defaultValue = "${env:TEMPORAL_TLS_SERVER_CA_CERT_PATH}",
      description =
          "CA certificates (PEM) to trust instead of the JVM's (env TEMPORAL_TLS_SERVER_CA_CERT_PATH).")
  Path tlsCa;

  @Option(
      names = "--tls-server-name",
      paramLabel = "NAME",
      defaultValue = "${env:TEMPORAL_TLS_SERVER_NAME}",
      description = "Server name to verify the certificate against (env TEMPORAL_TLS_SERVER_NAME).")
  String tlsServerName;

  @Option(
      names = "--api-key",
      paramLabel = "KEY",
      description =
          "API key (Temporal Cloud); prefer the variable "
              + DEFAULT_API_KEY_ENV
              + ", which other users cannot see in the process list. Never printed.")
  String apiKeyValue;

  @Option(
      names = "--api-key-env",
      paramLabel = "NAME",
      description =
          "Read an API key from this environment variable; default "
              + DEFAULT_API_KEY_ENV
              + " when it is set, else the profile's api_key. The key is never printed.")
  String apiKeyEnv;

  @Mixin CodecOptions codec = new CodecOptions();

  /** Validates against the process environment. */
  public TemporalSettings validate() {
    return validate(System::getenv);
  }

  /**
   * Checks every option and returns the settings they make.
   *
   * @param env looks up environment variables (for the API key and the codec keys)
   * @throws TemporalSetupException naming the first option that is wrong and its value
   */
  public TemporalSettings validate(UnaryOperator<String> env) {
    ConfigProfile file =
        disableConfigFile ? ConfigProfile.NONE : ConfigProfile.load(configFile, profile);
    String address = first(this.address, file.address(), DEFAULT_ADDRESS);
    String namespace = first(this.namespace, file.namespace(), DEFAULT_NAMESPACE);
    Path tlsCert = first(this.tlsCert, file.certificate(), null);
    Path tlsKey = first(this.tlsKey, file.key(), null);
    Path tlsCa = first(this.tlsCa, file.certificateAuthority(), null);
    String tlsServerName = first(this.tlsServerName, file.serverName(), null);
    Boolean tls = this.tls != null ? this.tls : file.tlsDisabled() ? Boolean.FALSE : null;
    checkAddress(address);
    String checkedNamespace = name("--namespace", namespace);
    String checkedQueue = name("--task-queue", taskQueue);
    if (tlsKey != null && tlsCert == null) {
      throw TemporalSetupException.invalid(
          "--tls-key-path "
              + tlsKey
              + " needs --tls-cert-path: mutual TLS takes a certificate and its key");
    }
    if (tlsCert != null && tlsKey == null) {
      throw TemporalSetupException.invalid(
          "--tls-cert-path "
              + tlsCert
              + " needs --tls-key-path: mutual TLS takes a certificate and its key");
    }
    checkFile("--tls-cert-path", tlsCert);
    checkFile("--tls-key-path", tlsKey);
    checkFile("--tls-ca-path", tlsCa);
    if (tlsServerName != null && !HOST.matcher(tlsServerName).matches()) {
      throw TemporalSetupException.invalid(
          "--tls-server-name '" + tlsServerName + "': not a host name");
    }
    String keyEnv = apiKeyEnv;
    String apiKey;
    if (apiKeyValue != null) {
      if (apiKeyValue.isBlank()) {
        throw TemporalSetupException.invalid("--api-key is empty");
      }
      apiKey = apiKeyValue;
      keyEnv = null;
    } else if (keyEnv != null) {
      if (!ENV_NAME.matcher(keyEnv).matches()) {
        throw TemporalSetupException.invalid(
            "--api-key-env '" + keyEnv + "': not an environment variable name");
      }
      apiKey = env.apply(keyEnv);
      if (apiKey == null || apiKey.isBlank()) {
        throw TemporalSetupException.invalid(
            "--api-key-env "
                + keyEnv
                + ": the environment variable "
                + keyEnv
                + " is not set or empty");
      }
    } else {
      apiKey = env.apply(DEFAULT_API_KEY_ENV);
      if (apiKey == null || apiKey.isBlank()) {
        apiKey = file.apiKey();
      } else {
        keyEnv = DEFAULT_API_KEY_ENV;
      }
    }
    String keySource =
        apiKey == null
            ? null
            : apiKeyValue != null
                ? "--api-key"
                : keyEnv != null ? "$" + keyEnv : "profile " + file.name();
    boolean tlsAsked = tlsCert != null || tlsCa != null || tlsServerName != null;
    if (Boolean.FALSE.equals(tls) && tlsAsked) {
      throw TemporalSetupException.invalid(
          "--no-tls conflicts with "
              + (tlsCert != null
                  ? "--tls-cert-path"
                  : tlsCa != null ? "--tls-ca-path" : "--tls-server-name"));
    }
    boolean useTls = tls != null ? tls : tlsAsked || apiKey != null;
    TemporalSettings.Tls tlsSettings =
        useTls ? new TemporalSettings.Tls(tlsCert, tlsKey, tlsCa, tlsServerName) : null;
    return new TemporalSettings(
        address.trim(),
        checkedNamespace,
        checkedQueue,
        tlsSettings,
        keySource,
        apiKey,
        codec.validate(env));
  }

  private static <T> T first(T option, T fromProfile, T fallback) {
    return option != null ? option : fromProfile != null ? fromProfile : fallback;
  }

  private static void checkAddress(String value) {
    String shown = "--address '" + value + "'";
    if (value == null || value.isBlank()) {
      throw TemporalSetupException.invalid(
          "--address is empty; give HOST:PORT, e.g. localhost:7233");
    }
    String address = value.trim();
    if (address.contains("://")) {
      throw TemporalSetupException.invalid(
          shown + ": give HOST:PORT without a scheme, e.g. localhost:7233");
    }
    int colon = address.lastIndexOf(':');
    if (colon < 0 || address.endsWith("]")) {
      throw TemporalSetupException.invalid(
          shown + ": the port is missing, e.g. " + address + ":7233");
    }
    String host = address.substring(0, colon);
    String port = address.substring(colon + 1);
    if (!HOST.matcher(host).matches()) {
      throw TemporalSetupException.invalid(
          shown
              + ": '"
              + host
              + "' is not a host name or IP address"
              + (host.contains(":")
                  ? " (write an IPv6 address in brackets, e.g. [::1]:7233)"
                  : ""));
    }
    int number;
    try {
      number = Integer.parseInt(port);
    } catch (NumberFormatException e) {
      number = -1;
    }
    if (number < 1 || number > 65535) {
      throw TemporalSetupException.invalid(
          shown + ": the port '" + port + "' is not a number from 1 to 65535");
    }
  }

  private static String name(String option, String value) {
    if (value == null || value.isBlank()) {
      throw TemporalSetupException.invalid(option + " is empty");
    }
    if (!value.equals(value.strip()) || value.chars().anyMatch(Character::isWhitespace)) {
      throw TemporalSetupException.invalid(option + " '" + value + "': must not contain spaces");
    }
    return value;
  }

  private static void checkFile(String option, Path file) {
    if (file == null) {
      return;
    }
    if (!Files.exists(file)) {
      throw TemporalSetupException.invalid(option + " " + file + ": no such file");
    }
    if (!Files.isRegularFile(file)) {
      throw TemporalSetupException.invalid(option + " " + file + ": not a file");
    }
    if (!Files.isReadable(file)) {
      throw TemporalSetupException.invalid(option + " " + file + ": cannot be read");
    }
  }
}
