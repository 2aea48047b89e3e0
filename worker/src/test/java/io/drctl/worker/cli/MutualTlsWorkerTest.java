package io.drctl.worker.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drctl.worker.TemporalSetupException;
import io.drctl.worker.dev.DevServer;
import io.drctl.worker.temporal.TemporalConnection;
import io.drctl.worker.temporal.TemporalSettings;
import io.drctl.worker.tls.MutualTlsProxy;
import io.drctl.worker.tls.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker and the CLI against Temporal over mutual TLS, with certificates the test makes: the dev
 * server has no TLS options, so {@link MutualTlsProxy} (the JDK's TLS, client certificate required)
 * fronts it. {@code drctl worker} in its own process and {@code drctl start} and {@code drctl
 * status} connect with the Temporal CLI's {@code --tls-*-path} flags, and one incident completes; a
 * client without a certificate is refused.
 */
class MutualTlsWorkerTest {
  private static final String RUNBOOK =
      """
      {"version": "1.0.0", "name": "tls",
       "incidents": [{"type": "tls_drill", "title": "TLS drill", "severity": "low", "objectives": {"rto": "5m"},
         "steps": [{"id": "hello", "action": "shell.exec", "with": {"argv": ["echo", "over mutual TLS"]}}]}]}
      """;

  @TempDir Path dir;
  private DevServer server;
  private MutualTlsProxy proxy;
  private WorkerProcess worker;

  @AfterEach
  void stop() throws Exception {
    if (worker != null) {
      worker.close();
    }
    if (proxy != null) {
      proxy.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void aWorkerAndTheCliRunAnIncidentOverMutualTls() throws Exception {
    TestCertificates certificates =
        TestCertificates.create(Files.createDirectories(dir.resolve("tls")));
    Function<io.drctl.worker.dev.DevServerOptions, DevServer> starter =
        System.getenv("DRCTL_TEMPORAL_CLI") != null
            ? ContractServers::temporalCli
            : ContractServers::javaTestServer;
    server = ContractServers.onFreePorts(starter, Files.createDirectories(dir.resolve("temporal")));
    String backend = server.address();
    int colon = backend.lastIndexOf(':');
    proxy =
        MutualTlsProxy.start(
            certificates,
            backend.substring(0, colon),
            Integer.parseInt(backend.substring(colon + 1)));
    Path runbook = Files.writeString(dir.resolve("tls.json"), RUNBOOK);
    String queue = "drctl-tls-" + UUID.randomUUID().toString().substring(0, 8);
    List<String> tls =
        List.of(
            "--address",
            proxy.address(),
            "--task-queue",
            queue,
            "--tls-cert-path",
            certificates.clientCertificatePem().toString(),
            "--tls-key-path",
            certificates.clientKeyPem().toString(),
            "--tls-ca-path",
            certificates.caPem().toString());

    List<String> workerArgs = new ArrayList<>(List.of("--runbook", runbook.toString()));
    workerArgs.addAll(tls);
    worker =
        WorkerProcess.start(
            dir.resolve("worker.log"), java.util.Map.of(), workerArgs.toArray(String[]::new));
    assertThat(worker.log())
        .contains("drctl worker polling task queue '" + queue + "' at " + proxy.address());

    String id = "tls-" + UUID.randomUUID().toString().substring(0, 8);
    List<String> start =
        new ArrayList<>(
            List.of(
                "start", "tls_drill", "-r", runbook.toString(), "--id", id, "--by", "tls-test"));
    start.addAll(tls);
    CliRun started = CliRun.of(start.toArray(String[]::new));
    assertThat(started.exitCode()).as(started.err()).isZero();
    List<String> status = new ArrayList<>(List.of("status", id));
    status.addAll(tls);
    ContractServers.await(
        () -> CliRun.of(status.toArray(String[]::new)),
        out -> out.contains("succeeded"),
        Duration.ofSeconds(60));

    TemporalSettings withoutCertificate =
        new TemporalSettings(
            proxy.address(),
            "default",
            queue,
            new TemporalSettings.Tls(null, null, certificates.caPem(), null),
            null,
            null);
    assertThatThrownBy(
            () -> TemporalConnection.open(withoutCertificate, null, Duration.ofSeconds(3)).close())
        .isInstanceOf(TemporalSetupException.class)
        .hasMessageContaining("cannot reach Temporal at " + proxy.address());
    assertThat(proxy.handshakeFailures()).isNotEmpty();
  }
}
