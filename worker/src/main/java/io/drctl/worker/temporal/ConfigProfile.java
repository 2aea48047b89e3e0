package io.drctl.worker.temporal;

import io.drctl.worker.TemporalSetupException;
import io.temporal.envconfig.ClientConfigProfile;
import io.temporal.envconfig.ClientConfigTLS;
import io.temporal.envconfig.LoadClientConfigProfileOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One profile of Temporal's environment-configuration file ({@code temporal.toml}), read with the
 * SDK's {@code temporal-envconfig} as the Temporal CLI reads it. Only the file is read here: the
 * {@code TEMPORAL_*} variables reach {@link TemporalOptions} through its options, which take
 * precedence over the profile. Certificates must be given as paths; inline data is refused.
 *
 * @param name the profile's name, for messages
 * @param tlsDisabled the profile says {@code [profile.NAME.tls] disabled = true}
 */
record ConfigProfile(
    String name,
    String address,
    String namespace,
    String apiKey,
    boolean tlsDisabled,
    Path certificate,
    Path key,
    Path certificateAuthority,
    String serverName) {
  /** No file, or the file ignored. */
  static final ConfigProfile NONE =
      new ConfigProfile("default", null, null, null, false, null, null, null, null);

  private static final String DEFAULT_PROFILE = "default";

  /**
   * Reads {@code profile} (null: {@code default}) from {@code file} (null: the default location,
   * where a missing file means no profile).
   *
   * @throws TemporalSetupException when the file given cannot be read, is not valid TOML, or lacks
   *     the profile asked for by name
   */
  static ConfigProfile load(Path file, String profile) {
    String name = profile == null || profile.isBlank() ? DEFAULT_PROFILE : profile;
    String shown = file == null ? "the environment-configuration file" : "--config-file " + file;
    if (file != null && !Files.isRegularFile(file)) {
      throw TemporalSetupException.invalid(shown + ": no such file");
    }
    LoadClientConfigProfileOptions.Builder options =
        LoadClientConfigProfileOptions.newBuilder().setDisableEnv(true);
    if (file != null) {
      options.setConfigFilePath(file.toString());
    }
    if (profile != null && !profile.isBlank()) {
      options.setConfigFileProfile(profile);
    }
    ClientConfigProfile loaded;
    try {
      loaded = ClientConfigProfile.load(options.build());
    } catch (IOException | RuntimeException e) {
      throw TemporalSetupException.invalid(shown + ", profile '" + name + "': " + e.getMessage());
    }
    ClientConfigTLS tls = loaded.getTls();
    if (tls != null
        && (tls.getClientCertData() != null
            || tls.getClientKeyData() != null
            || tls.getServerCACertData() != null)) {
      throw TemporalSetupException.invalid(
          shown
              + ", profile '"
              + name
              + "': inline certificate data is not supported; give client_cert_path, client_key_path and server_ca_cert_path");
    }
    return new ConfigProfile(
        name,
        blankToNull(loaded.getAddress()),
        blankToNull(loaded.getNamespace()),
        blankToNull(loaded.getApiKey()),
        tls != null && Boolean.TRUE.equals(tls.isDisabled()),
        tls == null ? null : path(tls.getClientCertPath()),
        tls == null ? null : path(tls.getClientKeyPath()),
        tls == null ? null : path(tls.getServerCACertPath()),
        tls == null ? null : blankToNull(tls.getServerName()));
  }

  private static Path path(String value) {
    return value == null || value.isBlank() ? null : Path.of(value);
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }

  /** The API key is a secret: never shown. */
  @Override
  public String toString() {
    return "ConfigProfile["
        + name
        + ", address="
        + address
        + ", namespace="
        + namespace
        + (apiKey == null ? "" : ", apiKey=<set>")
        + "]";
  }
}
