package io.drctl.activities.postgres;

/**
 * What a former primary wrote after the new primary's timeline switched away from it: the writes a
 * failover lost, measured from the former primary's own WAL before {@code postgres.rejoin} discards
 * them. Immutable.
 *
 * @param measured whether the numbers were read from the WAL; when false they are all zero and
 *     {@code note} says why
 * @param note why nothing was measured, or what limits the numbers; empty when exact
 * @param switchLsn where the former primary's timeline ends on the new primary, or empty
 * @param lostTransactions COMMIT records at or after the switch point
 * @param lostBytes WAL record bytes (with full-page images; no page headers, no padding after a
 *     segment switch) the former primary wrote after the switch point
 * @param firstLostCommitAt commit time of the first lost transaction (ISO-8601, UTC), or empty
 * @param lastLostCommitAt commit time of the last lost transaction (ISO-8601, UTC), or empty
 * @param dataLossSeconds last lost commit minus the last commit the new primary has (0 when nothing
 *     was lost)
 */
record DataLoss(
    boolean measured,
    String note,
    String switchLsn,
    long lostTransactions,
    long lostBytes,
    String firstLostCommitAt,
    String lastLostCommitAt,
    double dataLossSeconds) {

  /** Nothing measured, for {@code reason}. */
  static DataLoss notMeasured(String reason) {
    return new DataLoss(false, reason, "", 0, 0, "", "", 0);
  }
}
