package io.drctl.worker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What {@code drctl codec-server} refuses before it serves anything. */
class CodecServerCommandTest {
  @Test
  void anOriginWithAPathOrWithoutASchemeIsRefused() {
    CliRun run = CliRun.of("codec-server", "--cors-origin", "localhost:8233");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .contains(
            "--cors-origin 'localhost:8233': give an origin, scheme://host[:port] without a path");
    assertThat(CliRun.of("codec-server", "--cors-origin", "https://ui.example/namespaces").err())
        .contains("--cors-origin 'https://ui.example/namespaces': give an origin");
  }

  @Test
  void aTokenVariableThatIsNotSetIsRefusedByName() {
    CliRun run = CliRun.of("codec-server", "--token-env", "DRCTL_CODEC_TEST_TOKEN_THAT_IS_NOT_SET");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .contains(
            "--token-env DRCTL_CODEC_TEST_TOKEN_THAT_IS_NOT_SET: the environment variable"
                + " DRCTL_CODEC_TEST_TOKEN_THAT_IS_NOT_SET is not set or empty");
  }

  @Test
  void aBadPortIsRefused() {
    assertThat(CliRun.of("codec-server", "--port", "70000").err())
        .contains("--port 70000: not a port");
  }
}
