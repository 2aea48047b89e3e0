package io.drctl.activities.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which lines of a container's log belong to the server's last start. No server needed. */
class ServerFilesTest {
  @Test
  void aFatalFromBeforeTheLastStartIsNotThisStartsLog() {
    // What a PITR into a just-recreated container read (CI, 2026-11-27): the engine's one-second
    // granularity let the previous life's FATAL in, and the recovery was judged failed.
    String log =
        """
        2026-11-27 19:39:26.511 UTC [39] FATAL:  database "thebot_db" does not exist
        2026-11-27 19:39:28.193 UTC [1] LOG:  database system is shut down
        drctl sandbox: starting the primary
        2026-11-27 19:39:28.900 UTC [1] LOG:  starting PostgreSQL 15.14 (Debian 15.14-0+deb12u1) on x86_64-pc-linux-gnu
        2026-11-27 19:39:29.100 UTC [7] LOG:  archive recovery complete
        """;

    String ours = ServerFiles.sinceLastStart(log);

    assertThat(ours)
        .startsWith("2026-11-27 19:39:28.900 UTC [1] LOG:  starting PostgreSQL 15.14")
        .contains("archive recovery complete")
        .doesNotContain("FATAL");
  }

  @Test
  void aLogWithoutAStartIsKeptWhole() {
    String log =
        "2026-11-27 19:39:26.511 UTC [39] FATAL:  could not locate a valid checkpoint record\n";

    assertThat(ServerFiles.sinceLastStart(log)).isEqualTo(log);
  }
}
