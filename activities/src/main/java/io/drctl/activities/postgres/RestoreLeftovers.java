package io.drctl.activities.postgres;

import io.drctl.activities.ActionFailures;
import io.drctl.activities.process.Orphans;
import io.drctl.store.local.LocalDirectories;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * What a {@code postgres.restore} attempt leaves on its worker when the worker dies mid-restore
 * (SIGKILL, OOM killer, power): the downloaded dump and a pg_restore still writing into the scratch
 * database, orphaned, since a JVM killed outright does not take its children along; and on the
 * server, the scratch database. The next attempt of a restore into the same database cleans all
 * three up before it starts: only one restore of a database runs at a time (each drops the scratch
 * databases of any other), so any such leftover belongs to an attempt that is over. Each attempt
 * restores into a scratch database of its own name ({@link #scratchName}): an orphan on another
 * host, which no attempt here can kill, connects again by its name and finds nothing.
 */
final class RestoreLeftovers {
  private static final String SCRATCH_SUFFIX = "_drctl_restoring";
  private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

  private RestoreLeftovers() {}

  /**
   * What every scratch database of a restore into {@code database} is named after: {@code
   * <db>_drctl_restoring}.
   */
  static String scratchPrefix(String database) {
    return database + SCRATCH_SUFFIX;
  }

  /** A new attempt's own scratch database: {@code <db>_drctl_restoring_<6 random hex digits>}. */
  static String scratchName(String database) {
    byte[] bytes = new byte[3];
    RANDOM.nextBytes(bytes);
    return scratchPrefix(database) + "_" + HexFormat.of().formatHex(bytes);
  }

  /**
   * The scratch databases earlier attempts of a restore into {@code database} left on the server
   * ({@link #scratchName}, or {@link #scratchPrefix} as older versions named it).
   */
  static List<String> scratchDatabases(java.sql.Connection connection, String database)
      throws java.sql.SQLException {
    List<String> found = new java.util.ArrayList<>();
    try (var statement = connection.createStatement();
        var rows = statement.executeQuery("select datname from pg_database")) {
      while (rows.next()) {
        String name = rows.getString(1);
        if (isScratchOf(name, database)) {
          found.add(name);
        }
      }
    }
    return found;
  }

  private static boolean isScratchOf(String name, String database) {
    String prefix = scratchPrefix(database);
    return name.equals(prefix)
        || (name.startsWith(prefix + "_")
            && name.substring(prefix.length() + 1).matches("[0-9a-f]{6}"));
  }

  /**
   * Where a restore downloads its dump on this host: one fixed file per server and {@code scratch}
   * prefix ({@link #scratchPrefix}), so that a retry finds what a killed attempt downloaded.
   */
  static Path download(PostgresTarget scratch) {
    String key = scratch.host() + ":" + scratch.port() + "/" + scratch.database();
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return Path.of(
          System.getProperty("java.io.tmpdir"),
          "drctl-restore-" + HexFormat.of().formatHex(digest, 0, 8) + ".dump");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /**
   * Deletes what a killed attempt downloaded to {@link #download} and creates that file anew, empty
   * and readable by this user only ({@code CREATE_NEW}: never through a planted link).
   */
  static Path freshDownload(PostgresTarget scratch) throws IOException {
    Path file = download(scratch);
    deleteDownloads(scratch);
    return Files.createFile(
        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
  }

  /**
   * Where a restore into {@code scratch} unpacks a directory-format dump on this host: {@link
   * #download} with {@code .d} for {@code .dump}.
   */
  static Path downloadDirectory(PostgresTarget scratch) {
    String file = download(scratch).toString();
    return Path.of(file.substring(0, file.length() - ".dump".length()) + ".d");
  }

  /**
   * Deletes what a killed attempt downloaded or unpacked ({@link #download}, {@link
   * #downloadDirectory}) and creates that directory anew, empty and usable by this user only.
   */
  static Path freshDownloadDirectory(PostgresTarget scratch) throws IOException {
    Path directory = downloadDirectory(scratch);
    deleteDownloads(scratch);
    return Files.createDirectory(
        directory,
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
  }

  /**
   * Deletes both kinds of download of a restore into {@code scratch}, whichever an attempt left.
   */
  static void deleteDownloads(PostgresTarget scratch) throws IOException {
    Files.deleteIfExists(download(scratch));
    LocalDirectories.deleteRecursively(downloadDirectory(scratch));
  }

  /**
   * Kills (SIGKILL) every pg_restore on this host that writes into a scratch database of a restore
   * into {@code database} on {@code server} (its {@code -h} and {@code -p}, and a {@code -d} of
   * {@link #scratchName}'s form), with its parallel workers, and waits for them to end. Terminating
   * their sessions on the server is not enough: a parallel pg_restore's leader holds no connection
   * while its workers run, and connects again by name afterwards.
   *
   * @return how many processes were killed
   */
  static int stopOrphans(PostgresTarget server, String database) {
    List<String> connection =
        LogicalBackup.connectionArguments(server.withDatabase(scratchPrefix(database)));
    Orphans.Killed killed = Orphans.kill(process -> isPgRestoreInto(process, connection, database));
    if (!killed.survivors().isEmpty()) {
      throw ActionFailures.retryable(
          "RestoreFailed",
          "pg_restore processes an earlier attempt left writing into "
              + scratchPrefix(database)
              + "* did not end after SIGKILL: "
              + killed.survivors());
    }
    return killed.killed();
  }

  private static boolean isPgRestoreInto(
      ProcessHandle process, List<String> connection, String database) {
    ProcessHandle.Info info = process.info();
    if (info.command()
        .map(command -> !command.equals("pg_restore") && !command.endsWith("/pg_restore"))
        .orElse(true)) {
      return false;
    }
    List<String> arguments = List.of(info.arguments().orElse(new String[0]));
    for (int i = 0; i + 1 < connection.size(); i += 2) {
      String flag = connection.get(i);
      if ("-U".equals(flag)) {
        continue; // the server and database decide, whoever logged in
      }
      int at = arguments.indexOf(flag);
      if (at < 0 || at + 1 >= arguments.size()) {
        return false;
      }
      String value = arguments.get(at + 1);
      if ("-d".equals(flag)
          ? !isScratchOf(Identifiers.databaseOf(value), database)
          : !value.equals(connection.get(i + 1))) {
        return false;
      }
    }
    return true;
  }
}
