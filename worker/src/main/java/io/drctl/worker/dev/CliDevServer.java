package io.drctl.worker.dev;

import io.drctl.worker.TemporalSetupException;
import io.drctl.worker.temporal.SearchAttributeRegistration;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The Temporal CLI's {@code server start-dev} as a child process: the real server, with its state
 * in one SQLite file that survives restarts, and the Web UI.
 */
public final class CliDevServer implements DevServer {
  private static final long STOP_WAIT_SECONDS = 10;

  /**
   * The history service's transfer queue, which hands every new activity and workflow task to
   * matching, read up to 1,000 times a second instead of the default 20: on the dev server's single
   * shard the default made each task wait for the next of 20 reads a second. Stored state does not
   * depend on it. With {@link #ONE_PARTITION} as well, a step of an incident (an activity task and
   * a workflow task) took 10 ms on the interpreter benchmark, against 101 ms with the server's
   * defaults and 51 ms with this alone (BENCHMARKS.md, 2026-12-07).
   */
  static final List<String> TRANSFER_READS =
      List.of("--dynamic-config-value", "history.transferProcessorMaxPollRPS=1000");

  /**
   * One partition for every task queue, read and written. The server's default of four exists to
   * spread a busy task queue over matching hosts; on one host it only adds forwarding between
   * partitions, which left most steps waiting tens of milliseconds more ({@link #TRANSFER_READS}).
   */
  static final List<String> ONE_PARTITION =
      List.of(
          "--dynamic-config-value", "matching.numTaskqueueReadPartitions=1",
          "--dynamic-config-value", "matching.numTaskqueueWritePartitions=1");

  /**
   * Beside the SQLite file: written when drctl creates the file, so that the server always runs it
   * with {@link #ONE_PARTITION}. A file made without it (by an older drctl) keeps the stock four
   * partitions: tasks it holds in partitions 1 to 3 would never be read with one read partition.
   */
  static final String ONE_PARTITION_MARKER = "temporal.one-partition";

  private final Process process;
  private final DevServerOptions options;
  private final Path database;
  private final Path log;

  private CliDevServer(Process process, DevServerOptions options, Path database, Path log) {
    this.process = process;
    this.options = options;
    this.database = database;
    this.log = log;
  }

  /**
   * The command line, apart from the binary; drctl's search attributes are registered at launch.
   */
  static List<String> arguments(DevServerOptions options, Path database, boolean onePartition) {
    List<String> arguments =
        new ArrayList<>(
            List.of(
                "server", "start-dev",
                "--ip", options.host(),
                "--port", String.valueOf(options.port()),
                "--ui-port", String.valueOf(options.uiPort()),
                "--db-filename", database.toString(),
                "--namespace", options.namespace()));
    for (String name : SearchAttributeRegistration.names()) {
      arguments.add("--search-attribute");
      arguments.add(name + "=Keyword");
    }
    if (options.uiCodecEndpoint() != null) {
      arguments.addAll(List.of("--ui-codec-endpoint", options.uiCodecEndpoint()));
    }
    arguments.addAll(List.of("--log-level", "warn"));
    arguments.addAll(TRANSFER_READS);
    if (onePartition) {
      arguments.addAll(ONE_PARTITION);
    }
    arguments.addAll(options.serverArguments());
    return arguments;
  }

  /**
   * Starts the Temporal CLI's dev server with drctl's search attributes registered; {@link
   * #awaitPort} waits for it to listen. Tests use it too, so there is one way to run it.
   */
  public static CliDevServer launch(Path cli, DevServerOptions options) {
    Path state = options.stateDir().toAbsolutePath();
    try {
      Files.createDirectories(state);
    } catch (IOException e) {
      throw TemporalSetupException.invalid(
          "--state-dir " + state + ": cannot create it: " + e.getMessage());
    }
    Path database = state.resolve("temporal.db");
    Path log = state.resolve("temporal.log");
    List<String> command = new ArrayList<>();
    command.add(cli.toString());
    command.addAll(arguments(options, database, onePartition(database)));
    Process process;
    try {
      process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .start();
    } catch (IOException e) {
      throw TemporalSetupException.unavailable("cannot run " + cli + ": " + e.getMessage());
    }
    return new CliDevServer(process, options, database, log);
  }

  /**
   * Whether {@code database} runs with {@link #ONE_PARTITION}: yes for a new file (the marker is
   * written now, before the server creates the file), and for one drctl made so; no for a file made
   * without the marker.
   */
  static boolean onePartition(Path database) {
    Path marker = database.resolveSibling(ONE_PARTITION_MARKER);
    if (Files.exists(database)) {
      return Files.exists(marker);
    }
    try {
      Files.writeString(
          marker,
          "drctl starts the Temporal dev server with one partition a task queue while this"
              + " file is here.\nIt is written only beside a new temporal.db: added beside a"
              + " file made with four partitions,\nit would leave tasks in partitions 1 to 3"
              + " unread.\n",
          StandardCharsets.UTF_8);
      return true;
    } catch (IOException e) {
      throw TemporalSetupException.invalid(
          "cannot write " + marker + " beside the dev server's state: " + e.getMessage());
    }
  }

  /**
   * Waits until the frontend answers and, unless {@code --headless}, the Web UI serves its page;
   * stops the process if they do not within the start timeout. The CLI binds the UI's port in a
   * thread of its own, which may come after the frontend answers, and exits when that bind fails:
   * an outgoing connection, or one of the CLI's own servers on a random port (metrics, pprof,
   * internal services), may have taken the port since the CLI checked it free. A port that only
   * answers may be that other server's, hence the page.
   */
  public void awaitPort() {
    long deadline = System.nanoTime() + options.startTimeout().toNanos();
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    try {
      while (!listening(http)) {
        if (!process.isAlive()) {
          throw TemporalSetupException.unavailable(
              exitReport("before it listened on " + listeners()));
        }
        if (System.nanoTime() > deadline) {
          close();
          throw TemporalSetupException.unavailable(
              "the Temporal dev server did not listen on "
                  + listeners()
                  + " within "
                  + options.startTimeout().toSeconds()
                  + " s; its last lines ("
                  + log
                  + "):\n"
                  + logTail(10));
        }
        Thread.sleep(200);
      }
    } catch (InterruptedException e) {
      close();
      Thread.currentThread().interrupt();
      throw TemporalSetupException.unavailable(
          "interrupted while the Temporal dev server was starting");
    }
  }

  private boolean listening(HttpClient http) throws InterruptedException {
    if (!Ports.answers(options.host(), options.port())) {
      return false;
    }
    if (headless()) {
      return true;
    }
    try {
      HttpResponse<Void> page =
          http.send(
              HttpRequest.newBuilder(URI.create(webUi().orElseThrow() + "/"))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      return page.statusCode() < 400;
    } catch (IOException notYet) {
      return false;
    }
  }

  private String listeners() {
    return address() + (headless() ? "" : " and its Web UI on port " + options.uiPort());
  }

  private boolean headless() {
    return options.serverArguments().contains("--headless");
  }

  /**
   * When the process has ended: a sentence saying so, with its exit status and the last lines of
   * its log (e.g. the port it could not bind); empty while it runs.
   */
  @Override
  public Optional<String> exited() {
    return process.isAlive() ? Optional.empty() : Optional.of(exitReport("after it started"));
  }

  private String exitReport(String when) {
    return "the Temporal dev server exited with status "
        + process.exitValue()
        + " "
        + when
        + "; its last lines ("
        + log
        + "):\n"
        + logTail(10);
  }

  /** The CLI's process id, e.g. to read its CPU time. */
  public long pid() {
    return process.pid();
  }

  /** The last {@code lines} lines of the server's log. */
  public String logTail(int lines) {
    try {
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(cannot read the log: " + e.getMessage() + ")";
    }
  }

  @Override
  public String address() {
    return options.host() + ":" + options.port();
  }

  @Override
  public String description() {
    return "Temporal CLI dev server (pid "
        + process.pid()
        + "); state in "
        + database
        + ", log in "
        + log;
  }

  @Override
  public Optional<String> webUi() {
    return Optional.of("http://" + options.host() + ":" + options.uiPort());
  }

  @Override
  public boolean persistent() {
    return true;
  }

  /** SIGTERM, a wait, then SIGKILL: the server and anything it started are gone after this. */
  @Override
  public synchronized void close() {
    List<ProcessHandle> children = process.descendants().toList();
    process.destroy();
    try {
      if (!process.waitFor(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
  }
}
