package io.drctl.worker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.drctl.activities.postgres.PostgresTestClusters;
import io.drctl.activities.postgres.TestCluster;
import io.drctl.activities.redis.RedisTestServer;
import io.drctl.testing.FreePorts;
import io.drctl.testing.JavaProcess;
import io.drctl.testing.S3ProxyProcess;
import io.drctl.worker.dev.DevServer;
import io.drctl.worker.dev.DevServerOptions;
import io.temporal.client.WorkflowClient;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Secret hygiene, proved: every secret reference of one incident resolves to a value holding the
 * same canary (the PostgreSQL password, the Redis requirepass, the S3 access and secret keys, a
 * webhook token), and each is really used against a real server: pg_dump to S3, pg_restore from S3,
 * redis.backup to S3, redis-cli with REDISCLI_AUTH, an http.request to a receiver that echoes the
 * token back, a notify.send. The worker is a process of its own, so its output is captured whole,
 * and while the incident runs a thread reads /proc/PID/cmdline of each of its descendants.
 * Afterwards the canary must appear in none of: those argvs, the history (raw JSON and decoded),
 * the worker's output, the CLI's output, {@code drctl report} (md, json, html) and the worker's
 * Prometheus scrape. The test also proves that pg_dump, pg_restore and redis-cli were sampled.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CanarySecretTest {
  @RegisterExtension static final PostgresTestClusters POSTGRES = new PostgresTestClusters();
  private static final String CANARY = "canary" + UUID.randomUUID().toString().replace("-", "");
  private static final Map<String, String> SECRETS =
      Map.of(
          "CANARY_PGPASSWORD", "pg-" + CANARY,
          "CANARY_REDIS_PASSWORD", "redis-" + CANARY,
          "CANARY_S3_ACCESS_KEY", "ak-" + CANARY,
          "CANARY_S3_SECRET_KEY", "sk-" + CANARY,
          "CANARY_WEBHOOK_TOKEN", "Bearer hook-" + CANARY);
  private static final Set<String> SAMPLED_TOOLS = Set.of("pg_dump", "pg_restore", "redis-cli");

  private final String taskQueue = "drctl-canary-" + UUID.randomUUID().toString().substring(0, 8);
  private final String id = "canary-" + UUID.randomUUID().toString().substring(0, 8);
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final List<String> authorizations = new CopyOnWriteArrayList<>();
  private final List<CliRun> cliRuns = new ArrayList<>();
  private final Map<String, String> argvSeen = new ConcurrentHashMap<>();
  private final Set<String> argvWithCanary = ConcurrentHashMap.newKeySet();
  private Path dir;
  private DevServer server;
  private Process worker;
  private Path workerOut;
  private Path workerErr;
  private int metricsPort;
  private S3ProxyProcess s3;
  private CliRun watched;

  @BeforeAll
  void runOneIncidentThroughEveryBackend() throws Exception {
    dir = Files.createTempDirectory("drctl-canary-");
    TestCluster postgres = POSTGRES.freshPrimary("canary");
    postgres.execute(
        "create table accounts (id int primary key, owner text)",
        "insert into accounts select n, 'owner ' || n from generate_series(1, 200000) n",
        "alter role postgres password '" + SECRETS.get("CANARY_PGPASSWORD") + "'");
    RedisTestServer redis =
        RedisTestServer.start(Files.createDirectories(dir.resolve("redis")), false);
    closeables.add(redis);
    redis.redis(commands -> commands.set("session:1", "alice"));
    redis.redis(
        commands -> commands.configSet("requirepass", SECRETS.get("CANARY_REDIS_PASSWORD")));
    s3 =
        S3ProxyProcess.start(
            dir.resolve("s3"),
            0,
            new S3ProxyProcess.Credentials(
                SECRETS.get("CANARY_S3_ACCESS_KEY"), SECRETS.get("CANARY_S3_SECRET_KEY")));
    closeables.add(s3);
    s3.createBucket("backups");
    HttpServer webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    webhook.createContext(
        "/",
        exchange -> {
          String authorization =
              String.valueOf(exchange.getRequestHeaders().getFirst("Authorization"));
          authorizations.add(authorization);
          exchange.getRequestBody().readAllBytes();
          byte[] echo =
              ("{\"ok\": true, \"youSent\": \"" + authorization + "\"}")
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, echo.length);
          exchange.getResponseBody().write(echo);
          exchange.close();
        });
    webhook.start();
    closeables.add(() -> webhook.stop(0));

    Path runbook =
        Files.writeString(
            dir.resolve("canary.json"),
            runbook(postgres.port(), redis, webhook.getAddress().getPort()));
    Function<DevServerOptions, DevServer> starter =
        System.getenv("DRCTL_TEMPORAL_CLI") != null
            ? ContractServers::temporalCli
            : ContractServers::javaTestServer;
    server = ContractServers.onFreePorts(starter, Files.createDirectories(dir.resolve("temporal")));
    closeables.add(server);
    startWorker(runbook);

    Thread sampler = new Thread(this::sampleDescendants, "cmdline-sampler");
    sampler.setDaemon(true);
    sampler.start();
    try {
      CliRun started =
          client(
              "start", "canary_drill", "-r", runbook.toString(), "--id", id, "--reason", "canary");
      assertThat(started.exitCode()).as(started.out() + started.err() + workerOutput()).isZero();
      watched =
          CompletableFuture.supplyAsync(() -> client("watch", id, "--interval", "0.5"))
              .get(3, TimeUnit.MINUTES);
      client("status", id);
    } finally {
      sampler.interrupt();
      sampler.join(5000);
    }
  }

  @AfterAll
  void stopEverything() throws Exception {
    if (worker != null) {
      worker.descendants().forEach(ProcessHandle::destroyForcibly);
      worker.destroyForcibly();
      worker.waitFor(10, TimeUnit.SECONDS);
    }
    for (int index = closeables.size() - 1; index >= 0; index--) {
      closeables.get(index).close();
    }
    ContractServers.deleteTree(dir);
  }

  @Test
  void theIncidentUsedEverySecretAgainstItsServer() throws Exception {
    assertThat(watched.exitCode()).as(watched.out() + watched.err() + workerOutput()).isZero();
    assertThat(authorizations)
        .as("the webhook saw the token of http.request and notify.send")
        .hasSizeGreaterThanOrEqualTo(2)
        .allMatch(SECRETS.get("CANARY_WEBHOOK_TOKEN")::equals);
    try (Stream<Path> objects = Files.walk(s3.baseDir().resolve("backups"))) {
      assertThat(objects.filter(Files::isRegularFile).count())
          .as("backups in the S3 bucket")
          .isGreaterThanOrEqualTo(2);
    }
  }

  @Test
  void pgDumpPgRestoreAndRedisCliWereSampledAndNoArgvHeldTheCanary() {
    assertThat(argvSeen.keySet())
        .as("tools seen running under the worker: " + argvSeen.values())
        .containsAll(SAMPLED_TOOLS);
    assertThat(argvWithCanary).isEmpty();
  }

  @Test
  void theHistoryRawAndDecodedHoldsNoCanary() {
    WorkflowServiceStubs stubs =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget(server.address()).build());
    try {
      WorkflowExecutionHistory history = WorkflowClient.newInstance(stubs).fetchHistory(id);
      assertThat(history.getEvents()).hasSizeGreaterThan(10);
      assertThat(history.toJson(true)).doesNotContain(CANARY);
      // Text format prints each payload's bytes as text: the decoded view of every input and
      // result.
      String decoded = history.getHistory().toString();
      assertThat(decoded).contains("youSent").contains("****").doesNotContain(CANARY);
    } finally {
      stubs.shutdownNow();
    }
    assertThat(client("history", id, "--json").out())
        .contains("EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED")
        .doesNotContain(CANARY);
    assertThat(client("history", id).out()).doesNotContain(CANARY);
  }

  @Test
  void reportsInEveryFormatHoldNoCanary() {
    for (String format : List.of("md", "json", "html")) {
      CliRun report = client("report", id, "--format", format);
      assertThat(report.exitCode()).as(report.err()).isZero();
      assertThat(report.out()).as(format).contains("redis-cli").doesNotContain(CANARY);
    }
  }

  @Test
  void theWorkersOutputAndMetricsAndTheCliOutputHoldNoCanary() throws Exception {
    String output = workerOutput();
    assertThat(output).contains("drctl worker polling task queue").doesNotContain(CANARY);
    HttpResponse<String> scrape =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(scrape.statusCode()).isEqualTo(200);
    assertThat(scrape.body()).contains("temporal_").doesNotContain(CANARY);
    synchronized (cliRuns) {
      assertThat(cliRuns)
          .hasSizeGreaterThanOrEqualTo(3)
          .allSatisfy(run -> assertThat(run.out() + run.err()).doesNotContain(CANARY));
    }
  }

  private void startWorker(Path runbook) throws Exception {
    metricsPort = FreePorts.any();
    workerOut = dir.resolve("worker.out");
    workerErr = dir.resolve("worker.err");
    ProcessBuilder builder =
        new ProcessBuilder(
                JavaProcess.command(
                    List.of("-Xmx256m"),
                    System.getProperty("java.class.path"),
                    "io.drctl.worker.cli.Drctl",
                    "worker",
                    "--address",
                    server.address(),
                    "--task-queue",
                    taskQueue,
                    "--runbook",
                    runbook.toString(),
                    "--metrics-port",
                    String.valueOf(metricsPort)))
            .redirectOutput(workerOut.toFile())
            .redirectError(workerErr.toFile());
    builder.environment().putAll(SECRETS);
    worker = builder.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!workerOutput().contains("Ctrl-C or SIGTERM stops it")) {
      assertThat(worker.isAlive()).as(workerOutput()).isTrue();
      assertThat(System.nanoTime())
          .as("the worker did not start:\n" + workerOutput())
          .isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  /**
   * Until interrupted: the argv of every process under the worker, read from /proc every few ms.
   */
  private void sampleDescendants() {
    while (!Thread.currentThread().isInterrupted()) {
      worker
          .descendants()
          .forEach(
              process -> {
                String argv = cmdline(process.pid());
                if (argv.isEmpty()) {
                  return;
                }
                // A process caught between fork and exec can show an argv[0] such as "/", which has
                // no file name: it is sampled again a few ms later. (Unguarded, the NPE ended this
                // thread and the test saw no tool at all.)
                Path first = Path.of(argv.split(" ", 2)[0]).getFileName();
                if (first == null) {
                  return;
                }
                argvSeen.putIfAbsent(first.toString(), argv);
                if (argv.contains(CANARY)) {
                  argvWithCanary.add(argv);
                }
              });
      try {
        Thread.sleep(3);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private static String cmdline(long pid) {
    try {
      byte[] bytes = Files.readAllBytes(Path.of("/proc", String.valueOf(pid), "cmdline"));
      return new String(bytes, StandardCharsets.UTF_8).replace('\0', ' ').strip();
    } catch (IOException e) {
      return ""; // the process ended between listing and reading
    }
  }

  private String workerOutput() {
    try {
      return (Files.exists(workerOut) ? Files.readString(workerOut) : "")
          + (Files.exists(workerErr) ? Files.readString(workerErr) : "");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private CliRun client(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--address", server.address(), "--task-queue", taskQueue));
    CliRun run = CliRun.of(all.toArray(String[]::new));
    synchronized (cliRuns) {
      cliRuns.add(run);
    }
    return run;
  }

  private String runbook(int postgresPort, RedisTestServer redis, int webhookPort) {
    return """
        {"version": "1.0.0", "name": "Canary drill",
         "policy": {"rules": {"destructive-without-guard": "off"}},
         "targets": {
           "pg": {"kind": "postgres", "host": "127.0.0.1", "port": %1$d, "database": "postgres", "user": "postgres",
                  "password": "env:CANARY_PGPASSWORD", "sslMode": "disable"},
           "cache": {"kind": "redis", "host": "127.0.0.1", "port": %2$d, "password": "env:CANARY_REDIS_PASSWORD",
                     "dataDirectory": "%3$s"},
           "offsite": {"kind": "backupStore", "store": "s3", "bucket": "backups", "endpoint": "%4$s",
                       "pathStyle": true, "region": "us-east-1",
                       "accessKeyId": "env:CANARY_S3_ACCESS_KEY", "secretAccessKey": "env:CANARY_S3_SECRET_KEY"},
           "hook": {"kind": "http", "url": "http://127.0.0.1:%5$d", "headers": {"Authorization": "env:CANARY_WEBHOOK_TOKEN"}}
         },
         "incidents": [{
           "type": "canary_drill", "title": "Canary drill", "severity": "low", "objectives": {"rto": "10m", "rpo": "1h"},
           "steps": [
             {"id": "dump", "action": "postgres.dump", "with": {"target": "pg", "store": "offsite", "schedule": "daily"}},
             {"id": "restore", "action": "postgres.restore",
              "with": {"target": "pg", "store": "offsite", "from": "${{ steps.dump.output.backupId }}",
                       "database": "restored", "dropExisting": true}},
             {"id": "cache_backup", "action": "redis.backup",
              "with": {"target": "cache", "store": "offsite", "type": "rdb"}},
             {"id": "ping", "action": "shell.exec",
              "with": {"argv": ["redis-cli", "-h", "127.0.0.1", "-p", "%2$d", "-r", "10", "-i", "0.1", "PING"],
                       "env": {"REDISCLI_AUTH": "env:CANARY_REDIS_PASSWORD"}}},
             {"id": "echo", "action": "http.request",
              "with": {"target": "hook", "method": "POST", "path": "/echo", "body": "{}"}},
             {"id": "tell", "action": "notify.send", "blocking": true,
              "with": {"channel": "hook", "format": "json", "message": "canary drill done"}}
           ]}]}
        """
        .formatted(postgresPort, redis.port(), redis.data(), s3.endpoint(), webhookPort);
  }
}
