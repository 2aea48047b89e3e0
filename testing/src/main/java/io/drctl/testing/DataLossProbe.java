package io.drctl.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Measures how many acknowledged writes a failover loses: commits one row per transaction with
 * increasing ids into {@code rpo_probe(id bigint, at timestamptz)} until the connection fails,
 * remembering the last id the server acknowledged and when. After a failover, ids above the new
 * primary's {@code max(id)} up to {@link #lastAcknowledged()} were acknowledged and lost. Run it on
 * a thread of its own; it ends when the primary goes away.
 *
 * <p>The time span of the lost writes is taken from the server's clock ({@code clock_timestamp()}
 * of each insert, returned with it), as the server's own commit times are: on a loaded machine the
 * client can take tens of milliseconds to see an acknowledgement, and a span between client-side
 * arrival times would then not be comparable with one between commit times.
 */
public final class DataLossProbe implements Runnable {
  private final Callable<Connection> primary;
  private final AtomicLong lastAcknowledged = new AtomicLong();
  private final Map<Long, Double> insertedAtServer = new ConcurrentHashMap<>();
  private final AtomicReference<Exception> failure = new AtomicReference<>();
  private volatile long started = System.nanoTime();
  private volatile long lastAcknowledgedAt = started;
  private volatile double startedAtServer;

  /**
   * @param primary opens a connection to the current primary, once per run
   */
  public DataLossProbe(Callable<Connection> primary) {
    this.primary = primary;
  }

  @Override
  public void run() {
    try (Connection connection = primary.call();
        PreparedStatement insert =
            connection.prepareStatement(
                "INSERT INTO rpo_probe VALUES (?, clock_timestamp())"
                    + " RETURNING extract(epoch from clock_timestamp())::float8")) {
      started = System.nanoTime();
      startedAtServer = serverNow(connection);
      for (long id = 1; ; id++) {
        insert.setLong(1, id);
        double at;
        // autocommit: the row comes back once the commit is acknowledged
        try (ResultSet row = insert.executeQuery()) {
          row.next();
          at = row.getDouble(1);
        }
        lastAcknowledgedAt = System.nanoTime();
        insertedAtServer.put(id, at);
        lastAcknowledged.set(id);
      }
    } catch (Exception e) {
      failure.set(e);
    }
  }

  /** The highest id whose commit the server acknowledged; 0 before the first. */
  public long lastAcknowledged() {
    return lastAcknowledged.get();
  }

  /**
   * The writes lost when the new primary kept rows up to {@code kept}: by the server's clock, the
   * time between the insert of row {@code kept} (the start of the writes for 0) and that of the
   * last acknowledged row, in seconds; 0 when nothing acknowledged was lost.
   */
  public double secondsLost(long kept) {
    long last = lastAcknowledged.get();
    if (kept >= last) {
      return 0;
    }
    return insertedAtServer.get(last) - insertedAtServer.getOrDefault(kept, startedAtServer);
  }

  private static double serverNow(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet now =
            statement.executeQuery("select extract(epoch from clock_timestamp())::float8")) {
      now.next();
      return now.getDouble(1);
    }
  }

  /** What ended the writes (the connection failing over), or null while they go on. */
  public Exception failure() {
    return failure.get();
  }

  /** Acknowledged commits per second from the first write to the last acknowledged one. */
  public double rate() {
    long last = lastAcknowledged.get();
    return last == 0 ? 0 : last / ((lastAcknowledgedAt - started) / 1e9);
  }
}
