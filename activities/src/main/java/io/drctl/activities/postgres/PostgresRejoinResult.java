package io.drctl.activities.postgres;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What a {@code postgres.rejoin} step returns: field for field the {@code output} of {@code
 * postgres.rejoin} in the action catalog. The data-loss fields are measured from the former
 * primary's own WAL before it is rewound or recloned (see {@link LostWrites}); they are how an
 * incident reports its actual RPO.
 *
 * @param method rewind or reclone: what was done; none when the target already streamed from
 *     source.
 * @param divergedAt WAL location where the histories diverged.
 * @param rewindFailure Why pg_rewind could not be used when method rewind fell back to reclone
 *     (pg_rewind's message, password-free); empty otherwise.
 * @param timeline Timeline the standby follows.
 * @param streaming Whether it streams from source at the end.
 * @param lagBytes Lag behind source at the end.
 * @param durationSeconds How long rejoining took.
 * @param dataLossMeasured Whether the data-loss fields were read from the former primary's WAL;
 *     when false they are zero or empty and dataLossNote says why.
 * @param dataLossNote Why data loss was not measured, or what limits the figures; empty when exact.
 * @param switchLsn Where the former primary's timeline ends on source (from source's timeline
 *     history); empty when not measured.
 * @param lostTransactions Transactions the former primary committed at or after the switch point:
 *     discarded by the rejoin.
 * @param lostBytes WAL the former primary wrote after the switch point: record and full-page-image
 *     bytes from pg_waldump --stats, without page headers or the padding of a segment switch.
 * @param firstLostCommitAt Commit time of the first lost transaction (ISO-8601 UTC), or empty.
 * @param lastLostCommitAt Commit time of the last lost transaction (ISO-8601 UTC), or empty.
 * @param dataLossSeconds Last lost commit minus the last commit source has from the former primary;
 *     0 when nothing was lost.
 */
public record PostgresRejoinResult(
    @JsonProperty("method") String method,
    @JsonProperty("divergedAt") String divergedAt,
    @JsonProperty("rewindFailure") String rewindFailure,
    @JsonProperty("timeline") int timeline,
    @JsonProperty("streaming") boolean streaming,
    @JsonProperty("lagBytes") long lagBytes,
    @JsonProperty("durationSeconds") double durationSeconds,
    @JsonProperty("dataLossMeasured") boolean dataLossMeasured,
    @JsonProperty("dataLossNote") String dataLossNote,
    @JsonProperty("switchLsn") String switchLsn,
    @JsonProperty("lostTransactions") long lostTransactions,
    @JsonProperty("lostBytes") long lostBytes,
    @JsonProperty("firstLostCommitAt") String firstLostCommitAt,
    @JsonProperty("lastLostCommitAt") String lastLostCommitAt,
    @JsonProperty("dataLossSeconds") double dataLossSeconds) {

  /** The result of a rejoin whose data loss was measured as {@code loss}. */
  static PostgresRejoinResult of(
      String method,
      String divergedAt,
      String rewindFailure,
      int timeline,
      boolean streaming,
      long lagBytes,
      double durationSeconds,
      DataLoss loss) {
    return new PostgresRejoinResult(
        method,
        divergedAt,
        rewindFailure,
        timeline,
        streaming,
        lagBytes,
        durationSeconds,
        loss.measured(),
        loss.note(),
        loss.switchLsn(),
        loss.lostTransactions(),
        loss.lostBytes(),
        loss.firstLostCommitAt(),
        loss.lastLostCommitAt(),
        loss.dataLossSeconds());
  }
}
