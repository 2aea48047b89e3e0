package io.drctl.worker.cli;

import io.drctl.worker.TemporalSetupException;
import io.drctl.worker.codec.CodecKeys;
import io.drctl.worker.codec.CodecOptions;
import io.drctl.worker.codec.CodecServer;
import io.drctl.worker.codec.EncryptionCodec;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code drctl codec-server}: decrypts and encrypts payloads for the Temporal Web UI and CLI. */
@Command(
    name = "codec-server",
    mixinStandardHelpOptions = true,
    description = {
      "Decrypts and encrypts payloads for the Temporal Web UI and CLI:",
      "POST /encode and /decode, Temporal's codec server protocol.",
      "Web UI: Settings > Codec Server; CLI: temporal --codec-endpoint URL.",
      "Exit status: 2 bad options or keys."
    })
class CodecServerCommand implements Callable<Integer> {
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  @Spec CommandSpec spec;

  @Mixin CodecOptions codec;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      defaultValue = "8081",
      description = "Port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--bind",
      paramLabel = "ADDR",
      defaultValue = "127.0.0.1",
      description =
          "Address to listen on (default: ${DEFAULT-VALUE}; anything else belongs behind a TLS proxy).")
  String bind;

  @Option(
      names = "--cors-origin",
      paramLabel = "URL",
      split = ",",
      defaultValue = "http://localhost:8233,http://127.0.0.1:8233",
      description =
          "Origin of a Web UI allowed to call it; repeat for more (default: ${DEFAULT-VALUE}, the dev server's UI).")
  List<String> corsOrigins;

  @Option(
      names = "--token-env",
      paramLabel = "NAME",
      description =
          "Require Authorization: Bearer TOKEN, TOKEN read from this environment variable (never printed).")
  String tokenEnv;

  @Override
  public Integer call() throws InterruptedException {
    if (port < 0 || port > 65535) {
      throw new Failures.UserError(
          "--port " + port + ": not a port (1 to 65535, or 0 for any free one)");
    }
    corsOrigins.forEach(CodecServerCommand::checkOrigin);
    String token = token();
    CodecKeys keys;
    try {
      keys = codec.validate();
    } catch (TemporalSetupException e) {
      throw new Failures.UserError(e.getMessage(), e.exitCode());
    }
    if (keys == null) {
      throw new Failures.UserError(
          "no payload keys: give --codec-keys FILE, or set "
              + CodecOptions.KEYS_ENV
              + " (and "
              + CodecOptions.WRITE_KEY_ENV
              + ")");
    }
    PrintWriter out = spec.commandLine().getOut();
    try (WorkerSession session = new WorkerSession(spec.commandLine().getErr())) {
      CodecServer server;
      try {
        server =
            CodecServer.start(
                new EncryptionCodec(keys), new CodecServer.Options(bind, port, corsOrigins, token));
      } catch (TemporalSetupException e) {
        throw new Failures.UserError(e.getMessage(), e.exitCode());
      }
      session.onStop("codec server", server::close);
      out.println(
          "drctl codec-server at http://"
              + bind
              + ":"
              + server.port()
              + " (POST /encode, /decode); keys "
              + String.join(", ", keys.ids())
              + " from "
              + keys.source()
              + ", new payloads under "
              + keys.writeKeyId());
      out.println(
          "CORS origins: "
              + String.join(", ", corsOrigins)
              + "; bearer token: "
              + (token == null ? "not required" : "required ($" + tokenEnv + ")"));
      out.println(
          "Web UI: Settings > Codec Server > http://"
              + bind
              + ":"
              + server.port()
              + ". Temporal CLI: --codec-endpoint http://"
              + bind
              + ":"
              + server.port()
              + ". Ctrl-C stops it.");
      out.flush();
      session.awaitSignal();
    }
    return 0;
  }

  private String token() {
    if (tokenEnv == null) {
      return null;
    }
    if (!ENV_NAME.matcher(tokenEnv).matches()) {
      throw new Failures.UserError(
          "--token-env '" + tokenEnv + "': not an environment variable name");
    }
    String token = System.getenv(tokenEnv);
    if (token == null || token.isBlank()) {
      throw new Failures.UserError(
          "--token-env "
              + tokenEnv
              + ": the environment variable "
              + tokenEnv
              + " is not set or empty");
    }
    return token.strip();
  }

  private static void checkOrigin(String origin) {
    URI uri;
    try {
      uri = new URI(origin);
    } catch (URISyntaxException e) {
      throw new Failures.UserError(
          "--cors-origin '" + origin + "': not a URL (" + e.getReason() + ")");
    }
    boolean web = "http".equals(uri.getScheme()) || "https".equals(uri.getScheme());
    if (!web
        || uri.getHost() == null
        || (uri.getRawPath() != null && !uri.getRawPath().isEmpty())
        || uri.getRawQuery() != null) {
      throw new Failures.UserError(
          "--cors-origin '"
              + origin
              + "': give an origin, scheme://host[:port] without a path,"
              + " e.g. http://localhost:8233");
    }
  }
}
