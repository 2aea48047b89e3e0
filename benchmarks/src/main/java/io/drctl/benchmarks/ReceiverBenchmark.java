package io.drctl.benchmarks;

import com.sun.net.httpserver.HttpServer;
import io.drctl.compiler.CompileResult;
import io.drctl.compiler.CompiledRunbook;
import io.drctl.compiler.RunbookCompiler;
import io.drctl.store.local.LocalDirectories;
import io.drctl.worker.alerts.AlertDispatcher;
import io.drctl.worker.alerts.AlertReceiver;
import io.drctl.worker.alerts.ReceiverSettings;
import io.drctl.worker.alerts.RequestAuthentication;
import io.temporal.api.enums.v1.EventType;
import io.temporal.client.WorkflowClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The alert receiver's throughput: Alertmanager posts accepted and handed to Temporal per second
 * (each a describe and a signal-with-start), against the same posts to a bare endpoint of the same
 * JDK server and pool that answers 200 at once, in the same run and from the same client.
 *
 * <p>{@code --senders} threads each post their share of {@code --alerts} one after another over
 * keep-alive HTTP/1.1, as Alertmanager's webhook senders do. The alerts spread over {@code
 * --targets} problems (one incident each); after every receiver round the incidents' histories must
 * hold exactly {@code --alerts} alert signals, then they are terminated. Rounds alternate which
 * side goes first. Run: {@code benchmarks/run receiver [--alerts N] [--senders N] [--targets N]
 * [--rounds N] [--server auto|cli|java]}.
 */
public final class ReceiverBenchmark {
  private static final int THREADS = 16;
  private static final Duration SETTLE = Duration.ofSeconds(30);

  record Options(String server, int alerts, int senders, int targets, int rounds) {
    static Options parse(String[] args) {
      Map<String, String> given = new HashMap<>();
      for (int i = 0; i + 1 < args.length; i += 2) {
        if (!args[i].startsWith("--")) {
          throw new IllegalArgumentException("expected --name value pairs, got '" + args[i] + "'");
        }
        given.put(args[i].substring(2), args[i + 1]);
      }
      return new Options(
          given.getOrDefault("server", "auto"),
          Integer.parseInt(given.getOrDefault("alerts", "1000")),
          Integer.parseInt(given.getOrDefault("senders", "16")),
          Integer.parseInt(given.getOrDefault("targets", "4")),
          Integer.parseInt(given.getOrDefault("rounds", "3")));
    }
  }

  public static void main(String[] args) throws Exception {
    Options options = Options.parse(args);
    Path scratch = Files.createTempDirectory("drctl-receiver-bench");
    try (BenchmarkServer server = BenchmarkServer.start(options.server(), scratch, 0);
        BenchmarkWorker worker = BenchmarkWorker.start(server)) {
      CompiledRunbook runbook = runbook(options.targets());
      AlertReceiver receiver =
          AlertReceiver.start(
              new ReceiverSettings(
                  "127.0.0.1",
                  0,
                  ReceiverSettings.DEFAULT_MAX_BODY_BYTES,
                  THREADS,
                  RequestAuthentication.none()),
              new AlertDispatcher(
                  worker.client(Contender.INTERPRETED),
                  worker.taskQueue(Contender.INTERPRETED),
                  runbook,
                  Clock.systemUTC()),
              Clock.systemUTC());
      HttpServer bare = bareEndpoint();
      // Whatever happens, nothing may keep this JVM alive after main: `benchmarks/run all` waits
      // for it (the bare endpoint's pool threads are daemons; stop ends its dispatcher).
      try {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        System.out.printf(
            Locale.ROOT,
            "# Receiver throughput: %d alerts over %d targets, %d senders, %s%n",
            options.alerts(),
            options.targets(),
            options.senders(),
            server.description());
        System.out.println("| round | bare endpoint (posts/s) | receiver (alerts/s) | ratio |");
        System.out.println("|---|---:|---:|---:|");
        List<Double> ratios = new ArrayList<>();
        List<Double> receiverRates = new ArrayList<>();
        List<Double> bareRates = new ArrayList<>();
        run(
            http,
            URI.create("http://127.0.0.1:" + bare.getAddress().getPort() + "/"),
            options,
            "warmup"); // JIT, connections
        for (int round = 0; round <= options.rounds(); round++) {
          String alertName = "BenchDown" + round;
          URI receiverUri =
              URI.create("http://127.0.0.1:" + receiver.port() + "/alerts/alertmanager");
          URI bareUri = URI.create("http://127.0.0.1:" + bare.getAddress().getPort() + "/");
          double bareRate;
          double receiverRate;
          if (round % 2 == 0) {
            bareRate = run(http, bareUri, options, alertName);
            receiverRate = run(http, receiverUri, options, alertName);
          } else {
            receiverRate = run(http, receiverUri, options, alertName);
            bareRate = run(http, bareUri, options, alertName);
          }
          checkAndEnd(worker, options);
          if (round == 0) {
            System.out.printf(
                Locale.ROOT,
                "| warm-up | %.0f | %.0f | %.3f |%n",
                bareRate,
                receiverRate,
                receiverRate / bareRate);
            continue;
          }
          bareRates.add(bareRate);
          receiverRates.add(receiverRate);
          ratios.add(receiverRate / bareRate);
          System.out.printf(
              Locale.ROOT,
              "| %d | %.0f | %.0f | %.3f |%n",
              round,
              bareRate,
              receiverRate,
              receiverRate / bareRate);
        }
        System.out.printf(
            Locale.ROOT,
            "| median | %.0f | %.0f | %.3f |%n",
            median(bareRates),
            median(receiverRates),
            median(ratios));
        BenchmarkResults.ratio("receiver", "alerts/s ÷ bare endpoint posts/s", ratios, Double.NaN);
      } finally {
        receiver.close();
        bare.stop(0);
      }
    } finally {
      LocalDirectories.deleteRecursively(scratch);
    }
  }

  /** Every post of one side; returns posts per second. Fails on any answer but 200. */
  private static double run(HttpClient http, URI uri, Options options, String alertName)
      throws Exception {
    ExecutorService senders = Executors.newFixedThreadPool(options.senders());
    AtomicInteger next = new AtomicInteger();
    long started = System.nanoTime();
    List<Future<?>> done = new ArrayList<>();
    for (int s = 0; s < options.senders(); s++) {
      done.add(
          senders.submit(
              () -> {
                for (int i = next.getAndIncrement();
                    i < options.alerts();
                    i = next.getAndIncrement()) {
                  String body = payload(alertName, "t" + (i % options.targets()), i);
                  HttpResponse<String> response =
                      http.send(
                          HttpRequest.newBuilder(uri)
                              .timeout(Duration.ofSeconds(60))
                              .POST(HttpRequest.BodyPublishers.ofString(body))
                              .build(),
                          HttpResponse.BodyHandlers.ofString());
                  if (response.statusCode() != 200) {
                    throw new IllegalStateException(
                        uri + " answered " + response.statusCode() + ": " + response.body());
                  }
                }
                return null;
              }));
    }
    for (Future<?> future : done) {
      future.get();
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    senders.shutdown();
    return options.alerts() / seconds;
  }

  /**
   * Every alert of the round is a signal in its incident's history; then the incidents end. A
   * signal that arrives while a workflow task runs is durable at once, but the server buffers it
   * and writes it into the history only when that task completes, so the histories are read until
   * they hold every alert, for up to {@link #SETTLE}. (Reading after a terminate is no shortcut:
   * the Java test server drops buffered signals when it terminates a run.)
   */
  private static void checkAndEnd(BenchmarkWorker worker, Options options)
      throws InterruptedException {
    WorkflowClient client = worker.client(Contender.INTERPRETED);
    long deadline = System.nanoTime() + SETTLE.toNanos();
    long signals = signals(client, options);
    while (signals != options.alerts() && System.nanoTime() < deadline) {
      Thread.sleep(50);
      signals = signals(client, options);
    }
    for (int t = 0; t < options.targets(); t++) {
      client.newUntypedWorkflowStub("bench_alert/t" + t).terminate("benchmark round over");
    }
    if (signals != options.alerts()) {
      throw new IllegalStateException(
          "after "
              + SETTLE.toSeconds()
              + " s the incidents hold "
              + signals
              + " alert signals, not "
              + options.alerts());
    }
  }

  private static long signals(WorkflowClient client, Options options) {
    long signals = 0;
    for (int t = 0; t < options.targets(); t++) {
      signals +=
          client.fetchHistory("bench_alert/t" + t).getEvents().stream()
              .filter(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED)
              .count();
    }
    return signals;
  }

  private static String payload(String alertName, String target, int i) {
    return "{\"version\":\"4\",\"groupKey\":\"{}:{alertname=\\\""
        + alertName
        + "\\\"}\",\"status\":\"firing\",\"receiver\":\"drctl\","
        + "\"alerts\":[{\"status\":\"firing\",\"labels\":{\"alertname\":\""
        + alertName
        + "\",\"target\":\""
        + target
        + "\",\"instance\":\"node-"
        + i
        + "\"},\"annotations\":{\"summary\":\"down\"},\"startsAt\":\"2026-12-06T10:00:00Z\","
        + "\"fingerprint\":\"fp"
        + i
        + "\"}]}";
  }

  /** The baseline: the same JDK server and pool, reading the body and answering 200 at once. */
  private static HttpServer bareEndpoint() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
    server.createContext(
        "/",
        exchange -> {
          try (exchange;
              InputStream in = exchange.getRequestBody()) {
            in.readAllBytes();
            byte[] answer = "{\"alerts\":[]}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
          }
        });
    server.setExecutor(
        new ThreadPoolExecutor(
            THREADS,
            THREADS,
            60,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(THREADS * 4),
            runnable -> {
              Thread thread = new Thread(runnable, "bare-endpoint");
              thread.setDaemon(true);
              return thread;
            },
            new ThreadPoolExecutor.CallerRunsPolicy()));
    server.start();
    return server;
  }

  private static CompiledRunbook runbook(int targets) {
    StringBuilder names = new StringBuilder();
    for (int t = 0; t < targets; t++) {
      names
          .append(t == 0 ? "" : ",")
          .append("\"t")
          .append(t)
          .append("\": {\"kind\": \"http\", \"url\": \"http://127.0.0.1:9/\"}");
    }
    String text =
        """
        {"version": "1.0.0", "name": "receiver benchmark", "policy": {"rules": {"unused-target": "off"}},
         "targets": {%s},
         "incidents": [{"type": "bench_alert", "title": "Benchmark alert", "severity": "low", "objectives": {"rto": "1h"},
           "steps": [{"id": "wait", "action": "approval", "timeout": "1h", "with": {"prompt": "benchmark"}}]}],
         "alerts": {"routes": [{"match": ["alertname=~\\"BenchDown[0-9]+\\""], "labels": ["target"],
           "incident": "bench_alert", "target": "${{ labels.target }}", "cooldown": "0s"}]}}
        """
            .formatted(names);
    CompileResult result =
        RunbookCompiler.standard()
            .compile(new RunbookCompiler.Source("receiver-benchmark.json", text));
    if (!result.ok()) {
      throw new IllegalStateException("the benchmark runbook is invalid: " + result.errors());
    }
    return result.runbook();
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    return sorted.isEmpty() ? Double.NaN : sorted.get(sorted.size() / 2);
  }
}
