package io.drctl.activities.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Reading pg_waldump's output (PostgreSQL 15, TZ=UTC) and timeline histories. No server needed. */
class LostWritesTest {
  private static final String STATS =
      """
      WAL statistics between 0/1516800 and 0/1516868:
      Type                                           N      (%)          Record size      (%)             FPI size      (%)        Combined size      (%)
      ----                                           -      ---          -----------      ---             --------      ---        -------------      ---
      Heap/INSERT                                    2 ( 40.00)                  118 ( 30.00)                    0 (  0.00)                  118 ( 30.00)
      Transaction/COMMIT                             2 ( 40.00)                   68 ( 20.00)                    0 (  0.00)                   68 ( 20.00)
      Transaction/COMMIT_PREPARED                    1 ( 20.00)                   40 ( 10.00)                    0 (  0.00)                   40 ( 10.00)
                                              --------                      --------                      --------                      --------
      Total                                          5                           226 [60.00%]                 150 [40.00%]                 376 [100%]
      """;
  private static final String LISTING =
      """
      rmgr: Transaction len (rec/tot):     34/    34, tx:        725, lsn: 0/015166F0, prev 0/015166B0, desc: COMMIT 2026-11-27 17:36:49.512616 UTC
      rmgr: Transaction len (rec/tot):     34/    34, tx:        726, lsn: 0/015167D8, prev 0/01516798, desc: COMMIT 2026-11-27 17:36:49.712616 UTC
      rmgr: Transaction len (rec/tot):     40/    40, tx:        727, lsn: 0/01516840, prev 0/01516800, desc: COMMIT_PREPARED 727: 2026-11-27 17:36:50.729945 UTC
      rmgr: Transaction len (rec/tot):     34/    34, tx:        728, lsn: 0/01516848, prev 0/01516840, desc: ABORT 2026-11-27 17:36:51 UTC
      """;
  private static final String END =
      "pg_waldump: error: error in WAL record at 0/1516840: invalid record length"
          + " at 0/1516868: wanted 24, got 0\n";

  @Test
  void lostCommitsAndBytesComeFromTheStatisticsAndTheirTimesFromTheListing() {
    LostWrites.Switch point = new LostWrites.Switch(LostWrites.parseLsn("0/15167D8"), null, "");

    DataLoss loss =
        LostWrites.count(
            new ServerTools.Output(STATS, END, false),
            new ServerTools.Output(LISTING, END, false),
            point);

    assertThat(loss.measured()).isTrue();
    assertThat(loss.note()).isEmpty();
    assertThat(loss.switchLsn()).isEqualTo("0/15167D8");
    assertThat(loss.lostTransactions()).isEqualTo(3);
    assertThat(loss.lostBytes()).isEqualTo(376);
    assertThat(loss.firstLostCommitAt()).isEqualTo("2026-11-27T17:36:49.712616Z");
    assertThat(loss.lastLostCommitAt()).isEqualTo("2026-11-27T17:36:50.729945Z");
    // From the last commit before the switch point (17:36:49.512616), not the first lost one.
    assertThat(loss.dataLossSeconds()).isEqualTo(1.217329);
  }

  @Test
  void withoutACommitBeforeTheSwitchPointTheNewPrimarysLastReplayedCommitIsTheReference() {
    LostWrites.Switch point =
        new LostWrites.Switch(
            LostWrites.parseLsn("0/1516600"), Instant.parse("2026-11-27T17:36:48.512616Z"), "");

    DataLoss loss =
        LostWrites.count(
            new ServerTools.Output(STATS, END, false),
            new ServerTools.Output(LISTING, END, false),
            point);

    assertThat(loss.firstLostCommitAt()).isEqualTo("2026-11-27T17:36:49.512616Z");
    assertThat(loss.dataLossSeconds()).isEqualTo(2.217329);
  }

  @Test
  void aKilledPrimaryWhoseWalEndsAtTheSwitchPointLostNothing() {
    LostWrites.Switch point = new LostWrites.Switch(LostWrites.parseLsn("0/3F55018"), null, "");
    String nothingAfter = "pg_waldump: error: could not find a valid record after 0/3F55018\n";

    DataLoss loss =
        LostWrites.count(
            new ServerTools.Output("", nothingAfter, false),
            new ServerTools.Output(LISTING, END, false),
            point);

    assertThat(loss.measured()).as(loss.note()).isTrue();
    assertThat(loss.lostTransactions()).isZero();
    assertThat(loss.lostBytes()).isZero();
    assertThat(loss.dataLossSeconds()).isZero();
    assertThat(loss.switchLsn()).isEqualTo("0/3F55018");
  }

  @Test
  void missingWalIsReportedAsNotMeasuredWithPgWaldumpsReason() {
    String missing =
        "pg_waldump: error: could not find file \"000000010000000000000003\": No such file or directory\n";
    LostWrites.Switch point = new LostWrites.Switch(LostWrites.parseLsn("0/3000148"), null, "");

    DataLoss loss =
        LostWrites.count(
            new ServerTools.Output("", missing, false),
            new ServerTools.Output("", missing, false),
            point);

    assertThat(loss.measured()).isFalse();
    assertThat(loss.note())
        .contains("0/3000148")
        .contains("could not find file \"000000010000000000000003\"");
    assertThat(loss.lostTransactions()).isZero();
  }

  @Test
  void nothingCommittedAfterTheSwitchIsZeroLossEvenWithTheShutdownCheckpointsBytes() {
    String stats =
        """
        WAL statistics between 0/2000028 and 0/20000A0:
        Type                                           N      (%)          Record size      (%)             FPI size      (%)        Combined size      (%)
        XLOG/CHECKPOINT_SHUTDOWN                       1 (100.00)                  114 (100.00)                    0 (  0.00)                  114 (100.00)
                                                --------                      --------                      --------                      --------
        Total                                          1                           114 [100.00%]                   0 [0.00%]                   114 [100%]
        """;

    DataLoss loss =
        LostWrites.count(
            new ServerTools.Output(stats, END, false),
            new ServerTools.Output("", END, false),
            new LostWrites.Switch(LostWrites.parseLsn("0/2000028"), null, ""));

    assertThat(loss.measured()).isTrue();
    assertThat(loss.lostTransactions()).isZero();
    assertThat(loss.lostBytes()).isEqualTo(114);
    assertThat(loss.dataLossSeconds()).isZero();
    assertThat(loss.lastLostCommitAt()).isEmpty();
  }

  @Test
  void theSwitchPointOfATimelineIsReadFromTheHistoryFile() {
    String history =
        "1\t0/3000148\tno recovery target specified\n\n2\t0/5000060\tno recovery target specified\n";

    assertThat(LostWrites.historySwitch(history, 1)).isEqualTo(LostWrites.parseLsn("0/3000148"));
    assertThat(LostWrites.historySwitch(history, 2)).isEqualTo(LostWrites.parseLsn("0/5000060"));
    assertThat(LostWrites.historySwitch(history, 3)).isEqualTo(-1);
    assertThat(LostWrites.lsn(LostWrites.parseLsn("1A/2B3C"))).isEqualTo("1A/2B3C");
  }
}
