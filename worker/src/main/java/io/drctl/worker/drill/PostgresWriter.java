package io.drctl.worker.drill;

import io.drctl.sandbox.SiteClient;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Set;

/**
 * The application's own writes: assignment submissions posted through the front proxy to the
 * backend, as user 1, one every {@value AcknowledgedWriter#INTERVAL_MILLIS} ms; a write counts as
 * acknowledged when the backend answers 201, which it does once the row is committed. So the writes
 * go where the application goes (the primary, a promoted replica, the secondary site), and stop
 * when a runbook stops the application, as real users' writes would. Each record's answer carries
 * this drill's own prefix, so that no earlier drill's rows are counted.
 */
final class PostgresWriter extends AcknowledgedWriter {
  static final String TABLE = "app_submissions";
  private static final String SUBMIT = "/api/assignments/1/submit/";

  private final DrillPlatform platform;
  private final SiteClient site;
  private final String prefix = "drctl-drill-" + Long.toHexString(System.nanoTime()) + "-";
  private volatile String token;

  PostgresWriter(DrillPlatform platform) {
    super("postgres");
    this.platform = platform;
    this.site = new SiteClient(platform.layout());
  }

  @Override
  void write(long n) throws IOException, InterruptedException {
    if (token == null) {
      token = site.login(1);
    }
    HttpResponse<String> answer = site.post(SUBMIT, token, "{\"answer\": \"" + prefix + n + "\"}");
    if (answer.statusCode() == 401) {
      token = null; // the session went with Redis's data: log in again
    }
    if (answer.statusCode() != 201) {
      throw new IOException("submission " + n + ": HTTP " + answer.statusCode());
    }
  }

  @Override
  Set<Long> present(long upTo) throws SQLException {
    Set<Long> held = new HashSet<>();
    try (Connection reader = platform.database(platform.databasePort());
        PreparedStatement select =
            reader.prepareStatement(
                "select substr(answer, ?) from " + TABLE + " where starts_with(answer, ?)")) {
      select.setInt(1, prefix.length() + 1);
      select.setString(2, prefix);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          long n = Long.parseLong(rows.getString(1));
          if (n <= upTo) {
            held.add(n);
          }
        }
      }
    } catch (SQLException e) {
      if ("42P01".equals(e.getSQLState())) {
        return held; // the table itself is gone: every write is lost
      }
      throw e;
    }
    return held;
  }

  @Override
  void reset() {
    // Every write is its own request: nothing to drop.
  }
}
