package io.drctl.store.retention;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The WAL half of {@link RetentionPlanner}: which archived WAL files the kept backups need. */
final class WalRetention {

  private WalRetention() {}

  /**
   * A range of WAL positions a kept backup needs; {@code last} null means "and everything after".
   */
  private record Needed(String first, String last, boolean lastInclusive, String reason) {
    boolean covers(String position) {
      if (position.compareTo(first) < 0) {
        return false;
      }
      if (last == null) {
        return true;
      }
      int against = position.compareTo(last);
      return lastInclusive ? against <= 0 : against < 0;
    }
  }

  static List<WalDecision> decide(
      List<ArchivedWal> wal,
      List<RetainedBackup> keptPhysical,
      Instant now,
      RetentionPolicy policy) {
    Instant windowStart = now.minus(policy.wal());
    String window = RetentionPolicy.text(policy.wal());
    // Each cluster's files are measured against the kept base backups of that cluster only (and
    // those whose cluster is unknown); flat-layout files against every kept base backup.
    Map<String, List<Needed>> neededByCluster = new HashMap<>();
    List<ArchivedWal> byName = new ArrayList<>(wal);
    byName.sort(Comparator.comparing(ArchivedWal::name).thenComparing(ArchivedWal::location));
    List<WalDecision> decisions = new ArrayList<>();
    for (ArchivedWal file : byName) {
      List<Needed> needed =
          neededByCluster.computeIfAbsent(
              String.valueOf(file.cluster()),
              key ->
                  needed(
                      keptPhysical.stream()
                          .filter(backup -> backup.needsWalOf(file.cluster()))
                          .toList(),
                      windowStart));
      decisions.add(decide(file, needed, windowStart, window));
    }
    return decisions;
  }

  private static WalDecision decide(
      ArchivedWal file, List<Needed> needed, Instant windowStart, String window) {
    if (file.history()) {
      return new WalDecision(file, true, "timeline history");
    }
    String position = file.position();
    if (position == null) {
      return new WalDecision(file, true, "not a WAL file name, left alone");
    }
    for (Needed range : needed) {
      if (range.covers(position)) {
        return new WalDecision(file, true, range.reason());
      }
    }
    if (!file.archivedAt().isBefore(windowStart)) {
      return new WalDecision(file, true, "within WAL window " + window);
    }
    return new WalDecision(
        file, false, "older than WAL window " + window + " and needed by no kept backup");
  }

  /**
   * The ranges: the PITR chain from the oldest base backup that starts it (the newest kept one
   * before the window, else the oldest kept one within it) onward, and for each older kept base
   * backup its own start through its stop (or to the next kept base backup's start).
   */
  private static List<Needed> needed(List<RetainedBackup> keptPhysical, Instant windowStart) {
    List<RetainedBackup> oldestFirst = new ArrayList<>(keptPhysical);
    oldestFirst.sort(GrandfatherFatherSon.NEWEST_FIRST.reversed());
    if (oldestFirst.isEmpty()) {
      return List.of();
    }
    int chainStart = 0;
    for (int i = 0; i < oldestFirst.size(); i++) {
      if (oldestFirst.get(i).timestamp().isBefore(windowStart)) {
        chainStart = i;
      }
    }
    List<Needed> ranges = new ArrayList<>();
    RetainedBackup chain = oldestFirst.get(chainStart);
    ranges.add(
        new Needed(
            position(chain.startWal()),
            null,
            true,
            "WAL needed by kept backup " + chain.backupId() + " (PITR chain)"));
    for (int i = 0; i < chainStart; i++) {
      RetainedBackup backup = oldestFirst.get(i);
      String reason = "WAL needed by kept backup " + backup.backupId();
      String stop = position(backup.stopWal());
      if (stop != null) {
        ranges.add(new Needed(position(backup.startWal()), stop, true, reason));
      } else {
        String next = position(oldestFirst.get(i + 1).startWal());
        ranges.add(new Needed(position(backup.startWal()), next, false, reason));
      }
    }
    return ranges;
  }

  private static String position(String walName) {
    String position = WalPositions.of(walName);
    // A malformed start position must not let WAL go: treat it as the very beginning.
    return position == null ? (walName == null ? null : "0000000000000000") : position;
  }
}
