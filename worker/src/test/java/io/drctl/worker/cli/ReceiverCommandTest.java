package io.drctl.worker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * drctl receiver refuses to start on options or a runbook it cannot serve, before it connects
 * anywhere.
 */
class ReceiverCommandTest {
  private static final String RUNBOOK = "src/test/resources/alert-drill.json";

  @Test
  void withoutTokenSignatureKeyOrAnExplicitOptOutItRefusesToStart() {
    CliRun run = CliRun.of("receiver", "-r", RUNBOOK, "--address", "127.0.0.1:1");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("needs --receiver-token REF or --receiver-hmac-secret REF");
  }

  @Test
  void aSecretGivenInsteadOfAReferenceIsRefusedWithoutEchoingIt() {
    CliRun run =
        CliRun.of(
            "receiver",
            "-r",
            RUNBOOK,
            "--address",
            "127.0.0.1:1",
            "--receiver-token",
            "hunter2hunter2");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .contains("--receiver-token: give a secret reference")
        .doesNotContain("hunter2");
  }

  @Test
  void anUnsetVariableIsNamedAndARunbookWithoutAlertsIsRefused() {
    CliRun unset =
        CliRun.of(
            "receiver",
            "-r",
            RUNBOOK,
            "--address",
            "127.0.0.1:1",
            "--receiver-token",
            "env:DRCTL_TEST_NO_SUCH_VARIABLE");
    assertThat(unset.exitCode()).isEqualTo(2);
    assertThat(unset.err()).contains("secret env:DRCTL_TEST_NO_SUCH_VARIABLE is not available");

    CliRun noRoutes =
        CliRun.of(
            "receiver",
            "-r",
            "src/test/resources/approval-drill.json",
            "--address",
            "127.0.0.1:1",
            "--receiver-unauthenticated");
    assertThat(noRoutes.exitCode()).isEqualTo(2);
    assertThat(noRoutes.err()).contains("has no alerts section");
  }

  @Test
  void theDrRunbookValidatesCleanWithItsAlertRoutes() {
    CliRun run = CliRun.of("validate", "../runbooks/dr-runbook.json");
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
  }
}
