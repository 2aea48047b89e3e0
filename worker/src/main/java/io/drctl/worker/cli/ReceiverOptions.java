package io.drctl.worker.cli;

import io.drctl.activities.secrets.Secret;
import io.drctl.activities.secrets.SecretResolver;
import io.drctl.worker.alerts.ReceiverSettings;
import io.drctl.worker.alerts.RequestAuthentication;
import io.temporal.failure.ApplicationFailure;
import picocli.CommandLine.Option;

/**
 * The alert receiver's options, shared by {@code drctl receiver}, {@code drctl worker} and {@code
 * drctl dev}.
 */
final class ReceiverOptions {
  /** The port {@code drctl receiver} listens on when none is given. */
  static final int DEFAULT_PORT = 9095;

  @Option(
      names = "--receiver-port",
      paramLabel = "PORT",
      description =
          "Serve the alert receiver on PORT (drctl receiver: default "
              + DEFAULT_PORT
              + "; worker and dev: off unless given).")
  Integer port;

  @Option(
      names = "--receiver-host",
      paramLabel = "HOST",
      defaultValue = "0.0.0.0",
      description = "Interface the receiver binds (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(
      names = "--receiver-token",
      paramLabel = "REF",
      description =
          "Bearer token senders must send, as a secret reference: env:NAME or file:/path.")
  String token;

  @Option(
      names = "--receiver-hmac-secret",
      paramLabel = "REF",
      description =
          "Key of the HMAC-SHA256 body signature (X-Drctl-Signature or X-Grafana-Alerting-Signature), as env:NAME or file:/path.")
  String hmacSecret;

  @Option(
      names = "--receiver-unauthenticated",
      description =
          "Accept posts without token or signature (only where nothing untrusted reaches the port).")
  boolean unauthenticated;

  @Option(
      names = "--receiver-max-body",
      paramLabel = "BYTES",
      defaultValue = "" + ReceiverSettings.DEFAULT_MAX_BODY_BYTES,
      description = "Bodies larger than this are refused with 413 (default: ${DEFAULT-VALUE}).")
  int maxBodyBytes;

  @Option(
      names = "--receiver-threads",
      paramLabel = "N",
      defaultValue = "" + ReceiverSettings.DEFAULT_THREADS,
      description = "Posts handled at once (default: ${DEFAULT-VALUE}).")
  int threads;

  boolean enabled() {
    return port != null;
  }

  /**
   * Checks the options and resolves the secrets, once; fails naming the option and reference, never
   * the value.
   */
  ReceiverSettings settings(int defaultPort) {
    if (unauthenticated && (token != null || hmacSecret != null)) {
      throw new Failures.UserError(
          "--receiver-unauthenticated contradicts --receiver-token/--receiver-hmac-secret; give one or the other");
    }
    if (!unauthenticated && token == null && hmacSecret == null) {
      throw new Failures.UserError(
          "the alert receiver needs --receiver-token REF or --receiver-hmac-secret REF (env:NAME or"
              + " file:/path), or --receiver-unauthenticated where nothing untrusted reaches it");
    }
    SecretResolver resolver = new SecretResolver();
    RequestAuthentication authentication =
        unauthenticated
            ? RequestAuthentication.none()
            : new RequestAuthentication(
                resolve(resolver, "--receiver-token", token),
                resolve(resolver, "--receiver-hmac-secret", hmacSecret));
    try {
      return new ReceiverSettings(
          host, port == null ? defaultPort : port, maxBodyBytes, threads, authentication);
    } catch (IllegalArgumentException e) {
      throw new Failures.UserError(e.getMessage());
    }
  }

  private static Secret resolve(SecretResolver resolver, String option, String reference) {
    if (reference == null) {
      return null;
    }
    if (!SecretResolver.isReference(reference)) {
      throw new Failures.UserError(
          option + ": give a secret reference, env:NAME or file:/path, never the secret itself");
    }
    Secret secret;
    try {
      secret = resolver.resolve(reference);
    } catch (IllegalArgumentException e) {
      throw new Failures.UserError(option + " " + reference + ": " + e.getMessage());
    } catch (ApplicationFailure e) {
      throw new Failures.UserError(option + ": " + e.getOriginalMessage());
    }
    if (secret.reveal().isEmpty()) {
      throw new Failures.UserError(option + " " + reference + ": the secret is empty");
    }
    return secret;
  }
}
