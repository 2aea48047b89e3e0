package io.drctl.activities.postgres;

import io.drctl.activities.ActionFailures;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Measures what a failover lost ({@link DataLoss}) from the former primary's own WAL, while it is
 * stopped and before it is rewound: the new primary's timeline history gives the switch point (the
 * LSN where the former primary's timeline ends on the new primary); {@code pg_waldump --stats} over
 * the former primary's {@code pg_wal} from there to the end of its WAL counts the COMMIT records
 * and record bytes it wrote after it (the lost transactions), and a listing of its transaction
 * records from the start of the switch point's segment gives their commit times and the last commit
 * before the switch point (the new primary's last one). Runs its tools where {@link
 * ServerTools#onServer} runs them (a one-off sibling of a container, or the host).
 *
 * <p>It never fails the rejoin for a measurement it cannot make (recycled or missing WAL, a history
 * the source does not let it read): it says why in {@link DataLoss#note()}.
 */
final class LostWrites {
  private static final Pattern TIMELINE =
      Pattern.compile("Latest checkpoint's TimeLineID:\\s+(\\d+)");
  private static final Pattern SEGMENT_SIZE = Pattern.compile("Bytes per WAL segment:\\s+(\\d+)");
  private static final Pattern HISTORY_LINE =
      Pattern.compile("^\\s*(\\d+)\\s+([0-9A-Fa-f]+/[0-9A-Fa-f]+)");
  private static final Pattern COMMIT =
      Pattern.compile(
          "lsn: ([0-9A-F]+/[0-9A-F]+), prev \\S+ desc: COMMIT"
              + "(?:_PREPARED \\d+:)? (\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d(?:\\.\\d+)?) (?:UTC|GMT)");
  private static final Pattern RECORD = Pattern.compile("lsn: ([0-9A-F]+/[0-9A-F]+),");
  private static final Pattern STATS_RANGE =
      Pattern.compile(
          "WAL statistics between ([0-9A-F]+/[0-9A-F]+) and" + " ([0-9A-F]+/[0-9A-F]+)");
  private static final Pattern STATS_COMMITS =
      Pattern.compile("(?m)^Transaction/COMMIT(?:_PREPARED)?\\s+(\\d+)");
  private static final Pattern STATS_TOTAL =
      Pattern.compile(
          "(?m)^Total\\s+\\d+\\s+\\d+\\s+\\[[^]]*]\\s+\\d+" + "\\s+\\[[^]]*]\\s+(\\d+)");

  /**
   * pg_waldump without an end position reads until it finds no valid record, which is an error:
   * exit 1.
   */
  private static final int END_OF_WAL_EXIT_CODE = 1;

  private static final DateTimeFormatter WALDUMP_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSSSSS]");

  private final PostgresConnector connector;
  private final ServerTools tools;

  LostWrites(PostgresConnector connector, ServerTools tools) {
    this.connector = connector;
    this.tools = tools;
  }

  /**
   * What {@code target} (stopped) wrote after {@code source}'s timeline left it.
   *
   * @param serverData the target's data directory as its tools see it
   */
  DataLoss measure(PostgresTarget target, PostgresTarget source, String serverData) {
    try {
      String control =
          tools
              .onServer(
                  target,
                  null,
                  PostgresFailures.TOOL_FAILED,
                  "pg_controldata",
                  List.of("-D", serverData))
              .stdout();
      long timeline = number(TIMELINE, control);
      long segmentSize = number(SEGMENT_SIZE, control);
      if (timeline <= 0 || segmentSize <= 0) {
        return DataLoss.notMeasured(
            "pg_controldata of " + target.describe() + " shows no timeline or segment size");
      }
      Switch switchPoint = switchPoint(source, timeline);
      if (switchPoint.lsn() < 0) {
        return DataLoss.notMeasured(switchPoint.reason());
      }
      String wal = serverData + "/pg_wal";
      ServerTools.Output stats =
          tools.onServer(
              target,
              null,
              PostgresFailures.TOOL_FAILED,
              "pg_waldump",
              List.of(
                  "--stats=record",
                  "-p",
                  wal,
                  "-t",
                  Long.toString(timeline),
                  "-s",
                  lsn(switchPoint.lsn())),
              END_OF_WAL_EXIT_CODE);
      long segmentStart = switchPoint.lsn() - switchPoint.lsn() % segmentSize;
      ServerTools.Output commits =
          tools.onServer(
              target,
              null,
              PostgresFailures.TOOL_FAILED,
              "pg_waldump",
              List.of(
                  "-p",
                  wal,
                  "-t",
                  Long.toString(timeline),
                  "-s",
                  lsn(segmentStart),
                  "-r",
                  "Transaction"),
              END_OF_WAL_EXIT_CODE);
      return count(stats, commits, switchPoint);
    } catch (ApplicationFailure failure) {
      // A measurement never fails the rejoin; an interrupted worker does.
      if (ActionFailures.INTERRUPTED.equals(failure.getType())) {
        throw failure;
      }
      return DataLoss.notMeasured(
          "could not measure the writes "
              + target.describe()
              + " made after the switch ("
              + failure.getType()
              + "): "
              + firstLine(failure.getOriginalMessage()));
    }
  }

  /**
   * Where the target's timeline ends in the source's history, and the source's last replayed
   * commit.
   */
  private Switch switchPoint(PostgresTarget source, long targetTimeline) {
    return connector.with(
        source,
        "reading the timeline history",
        connection -> {
          long sourceTimeline =
              Long.parseLong(
                  ServerChecks.single(
                      connection, "select timeline_id from pg_control_checkpoint()"));
          if (sourceTimeline == targetTimeline) {
            return Switch.none(
                "the target and "
                    + source.describe()
                    + " are on the same timeline "
                    + targetTimeline
                    + ": no switch point (already rewound, or never diverged)");
          }
          String history =
              ServerChecks.single(
                  connection,
                  String.format("select pg_read_file('pg_wal/%08X.history')", sourceTimeline));
          String replayed =
              ServerChecks.single(
                  connection,
                  "select to_char(pg_last_xact_replay_timestamp()"
                      + " at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')");
          long lsn = historySwitch(history, targetTimeline);
          if (lsn < 0) {
            return Switch.none(
                "timeline "
                    + targetTimeline
                    + " of the target is not in the history of timeline "
                    + sourceTimeline
                    + " of "
                    + source.describe());
          }
          return new Switch(lsn, replayed == null ? null : Instant.parse(replayed), "");
        });
  }

  /** The switch point of {@code timeline} in a timeline history file, or -1. */
  static long historySwitch(String history, long timeline) {
    for (String line : history.lines().toList()) {
      Matcher matcher = HISTORY_LINE.matcher(line);
      if (matcher.find() && Long.parseLong(matcher.group(1)) == timeline) {
        return parseLsn(matcher.group(2));
      }
    }
    return -1;
  }

  /**
   * The data loss from {@code pg_waldump --stats=record} from the switch point (lost COMMIT records
   * and record bytes: no page headers, no padding after a segment switch) and a {@code -r
   * Transaction} listing from the start of the switch point's segment (commit times, the last one
   * before the switch point being the new primary's last commit).
   */
  static DataLoss count(ServerTools.Output stats, ServerTools.Output commits, Switch switchPoint) {
    Matcher range = STATS_RANGE.matcher(stats.stdout());
    Matcher total = STATS_TOTAL.matcher(stats.stdout());
    if (!range.find() || !total.find()) {
      if (stats
          .stderr()
          .contains("could not find a valid record after " + lsn(switchPoint.lsn()))) {
        // Its WAL ends exactly where the new timeline begins: a server killed after the replica
        // had received everything it wrote lost nothing.
        return new DataLoss(true, "", lsn(switchPoint.lsn()), 0, 0, "", "", 0);
      }
      return DataLoss.notMeasured(
          "pg_waldump found no WAL from the switch point "
              + lsn(switchPoint.lsn())
              + " on: "
              + firstLine(stats.stderr()));
    }
    long lost = 0;
    for (Matcher commit = STATS_COMMITS.matcher(stats.stdout()); commit.find(); ) {
      lost += Long.parseLong(commit.group(1));
    }
    long lostBytes = Long.parseLong(total.group(1));

    Instant lastKept = null;
    Instant firstLost = null;
    Instant lastLost = null;
    long firstListed = -1;
    for (String line : commits.stdout().lines().toList()) {
      Matcher record = RECORD.matcher(line);
      Matcher commit = COMMIT.matcher(line);
      if (!record.find() || !commit.find()) {
        continue;
      }
      long at = parseLsn(record.group(1));
      firstListed = firstListed < 0 ? at : firstListed;
      Instant time = LocalDateTime.parse(commit.group(2), WALDUMP_TIME).toInstant(ZoneOffset.UTC);
      if (at < switchPoint.lsn()) {
        lastKept = time;
      } else {
        firstLost = firstLost == null ? time : firstLost;
        lastLost = time;
      }
    }
    List<String> notes = new ArrayList<>();
    if (lost > 0 && lastLost == null) {
      notes.add(
          "the commit times could not be read from the listing: " + firstLine(commits.stderr()));
    }
    if (commits.truncated() && firstListed >= switchPoint.lsn()) {
      notes.add(
          "the listing of commits was cut: firstLostCommitAt is the earliest of its last part");
    }
    double seconds = 0;
    if (lastLost != null) {
      Instant kept = lastKept != null ? lastKept : switchPoint.lastReplayedCommit();
      if (kept == null) {
        kept = firstLost;
        notes.add(
            "the new primary's last commit is unknown: dataLossSeconds counts from the first lost commit");
      }
      seconds = Math.max(0, Duration.between(kept, lastLost).toNanos() / 1e9);
    }
    return new DataLoss(
        true,
        String.join("; ", notes),
        lsn(switchPoint.lsn()),
        lost,
        lostBytes,
        iso(firstLost),
        iso(lastLost),
        seconds);
  }

  static long parseLsn(String text) {
    int slash = text.indexOf('/');
    return (Long.parseLong(text.substring(0, slash), 16) << 32)
        | Long.parseLong(text.substring(slash + 1), 16);
  }

  static String lsn(long value) {
    return String.format("%X/%X", value >>> 32, value & 0xFFFF_FFFFL);
  }

  private static long number(Pattern pattern, String text) {
    Matcher matcher = pattern.matcher(text);
    return matcher.find() ? Long.parseLong(matcher.group(1)) : -1;
  }

  private static String iso(Instant time) {
    return time == null ? "" : time.truncatedTo(ChronoUnit.MICROS).toString();
  }

  private static String firstLine(String text) {
    if (text == null || text.isBlank()) {
      return "(no message)";
    }
    List<String> lines = text.strip().lines().toList();
    String error =
        lines.stream().filter(line -> line.contains("error:")).findFirst().orElse(lines.get(0));
    return error.equals(lines.get(0)) ? error : lines.get(0) + " " + error;
  }

  /**
   * The switch point of the target's timeline on the source, or {@code lsn} -1 and why not.
   *
   * @param lastReplayedCommit the source's last replayed commit time, or {@code null} (after a
   *     restart)
   */
  record Switch(long lsn, Instant lastReplayedCommit, String reason) {
    static Switch none(String reason) {
      return new Switch(-1, null, reason);
    }
  }
}
