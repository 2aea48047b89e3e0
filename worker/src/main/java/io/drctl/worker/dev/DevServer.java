package io.drctl.worker.dev;

import io.drctl.worker.TemporalSetupException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * A Temporal server that {@code drctl dev} runs for one developer: the real dev server of the
 * Temporal CLI (SQLite, visibility queries, Web UI) when the CLI is installed, otherwise the
 * in-memory Java test server.
 *
 * <p>Call rules: {@link #close()} stops it and everything it started, and may be called more than
 * once (from a shutdown hook and from the code that started it).
 */
public interface DevServer extends AutoCloseable {
  /** What to run; {@code auto} prefers the CLI. */
  enum Kind {
    auto,
    cli,
    test
  }

  /**
   * What {@link #choose} picked and why, in words for the banner.
   *
   * @param cli the Temporal CLI binary, or null for the Java test server
   */
  record Choice(Kind kind, Path cli, String reason) {}

  /** host:port of the frontend, e.g. 127.0.0.1:7233. */
  String address();

  /** One line: which server, and where its state lives. */
  String description();

  /** The Web UI's address, when this server has one. */
  Optional<String> webUi();

  /** Whether incidents survive a restart. */
  boolean persistent();

  /**
   * When the server has ended on its own: a sentence saying so and why, as far as it is known;
   * empty while it runs. A server inside this JVM ends only with it.
   */
  default Optional<String> exited() {
    return Optional.empty();
  }

  @Override
  void close();

  /**
   * Picks the server: the CLI found through {@code DRCTL_TEMPORAL_CLI}, then {@code PATH}, then the
   * harness's cache ({@code $DRCTL_CACHE/bin/temporal}, default {@code ~/.cache/drctl}). {@code
   * DRCTL_TEMPORAL=test-server} makes {@code auto} take the Java test server.
   *
   * @throws TemporalSetupException when {@code cli} is asked for and none is found, saying where it
   *     looked
   */
  static Choice choose(Kind requested, UnaryOperator<String> env, Path home) {
    if (requested == Kind.test) {
      return new Choice(Kind.test, null, "--server=test");
    }
    if (requested == Kind.auto && "test-server".equals(env.apply("DRCTL_TEMPORAL"))) {
      return new Choice(Kind.test, null, "DRCTL_TEMPORAL=test-server");
    }
    TemporalCli.Lookup lookup = TemporalCli.find(env, home);
    if (lookup.found().isPresent()) {
      Path cli = lookup.found().get();
      return new Choice(Kind.cli, cli, "Temporal CLI at " + cli);
    }
    if (requested == Kind.cli) {
      throw TemporalSetupException.invalid(
          "--server=cli: no Temporal CLI found (looked in "
              + String.join(", ", lookup.searched())
              + "); install it with bin/setup temporal, or use --server=test");
    }
    return new Choice(
        Kind.test,
        null,
        "no Temporal CLI found (looked in " + String.join(", ", lookup.searched()) + ")");
  }

  /**
   * Starts the chosen server and waits until its port answers.
   *
   * @param launched told about the server as soon as it exists, before the wait, so that whoever
   *     stops things on Ctrl-C can stop a server that is still starting
   * @throws TemporalSetupException when a port is taken or the server does not come up
   */
  static DevServer start(Choice choice, DevServerOptions options, Consumer<DevServer> launched) {
    Ports.ensureFree(options.host(), options.port(), "--port");
    if (choice.kind() == Kind.cli) {
      Ports.ensureFree(options.host(), options.uiPort(), "--ui-port");
      CliDevServer server = CliDevServer.launch(choice.cli(), options);
      launched.accept(server);
      server.awaitPort();
      return server;
    }
    JavaTestServer server = JavaTestServer.start(options);
    launched.accept(server);
    return server;
  }

  /** Whether {@code file} is a regular file this process may run. */
  static boolean executable(Path file) {
    return Files.isRegularFile(file) && Files.isExecutable(file);
  }
}
