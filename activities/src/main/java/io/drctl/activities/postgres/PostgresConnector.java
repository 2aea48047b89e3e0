package io.drctl.activities.postgres;

import io.drctl.activities.secrets.SecretResolver;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;

/**
 * JDBC connections to postgres targets. The password is resolved from the target's reference per
 * call and given to the driver as a connection property only; it appears in no URL, message or log.
 * Thread-safe.
 */
final class PostgresConnector {
  /** Work done on one connection; its {@link SQLException}s are classified by the connector. */
  @FunctionalInterface
  interface SqlWork<T> {
    T apply(Connection connection) throws SQLException;
  }

  private final SecretResolver secrets;
  private final PostgresOptions options;

  PostgresConnector(SecretResolver secrets, PostgresOptions options) {
    this.secrets = secrets;
    this.options = options;
  }

  PostgresOptions options() {
    return options;
  }

  SecretResolver secrets() {
    return secrets;
  }

  /**
   * Opens a connection, runs {@code work} and closes it.
   *
   * @throws io.temporal.failure.ApplicationFailure classified by {@link PostgresFailures#of}
   */
  <T> T with(PostgresTarget target, String doing, SqlWork<T> work) {
    return with(target, doing, options.connectTimeout(), work);
  }

  <T> T with(PostgresTarget target, String doing, Duration connectTimeout, SqlWork<T> work) {
    try (Connection connection = open(target, connectTimeout)) {
      return work.apply(connection);
    } catch (SQLException e) {
      throw PostgresFailures.of(target, doing, e);
    }
  }

  /**
   * The environment of a client tool run against {@code target}: its resolved password in {@code
   * PGPASSWORD} (only ever here, never on a command line), sslmode and a connect timeout.
   */
  java.util.Map<String, String> toolEnvironment(PostgresTarget target) {
    java.util.Map<String, String> environment = new java.util.LinkedHashMap<>();
    String password = password(target);
    if (password != null) {
      environment.put("PGPASSWORD", password);
    }
    environment.put("PGSSLMODE", target.sslMode());
    environment.put("PGCONNECT_TIMEOUT", "10");
    return environment;
  }

  /** The target's resolved password, or {@code null}; for masking it in tool output. */
  String password(PostgresTarget target) {
    return target.password() == null ? null : secrets.resolve(target.password()).reveal();
  }

  /** A new connection; the caller closes it. */
  Connection open(PostgresTarget target, Duration connectTimeout) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", target.user());
    if (target.password() != null) {
      properties.setProperty("password", secrets.resolve(target.password()).reveal());
    }
    properties.setProperty("sslmode", target.sslMode());
    properties.setProperty(
        "connectTimeout", String.valueOf(Math.max(1, connectTimeout.toSeconds())));
    properties.setProperty("ApplicationName", "drctl");
    String host =
        target.host().contains(":") && !target.host().startsWith("[")
            ? "[" + target.host() + "]"
            : target.host();
    return DriverManager.getConnection(
        "jdbc:postgresql://" + host + ":" + target.port() + "/" + urlEncode(target.database()),
        properties);
  }

  private static String urlEncode(String database) {
    return java.net.URLEncoder.encode(database, java.nio.charset.StandardCharsets.UTF_8)
        .replace("+", "%20");
  }
}
