package io.drctl.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * pgBackRest (Debian's {@code pgbackrest}, 2.45 here) as the physical-backup baseline: one stanza
 * {@value #STANZA} for the benchmark's source cluster, its repository and logs in a directory of
 * their own, its own defaults otherwise (gzip level 6, one process). Runs as {@code postgres}.
 */
final class PgBackRest {
  static final String STANZA = "bench";
  private final Path config;
  private final BenchCluster source;

  private PgBackRest(Path config, BenchCluster source) {
    this.config = config;
    this.source = source;
  }

  /** Writes the configuration under {@code directory} (owned by postgres). */
  static PgBackRest configure(Path directory, BenchCluster source) {
    BenchCluster.ownedDirectory(directory);
    for (String sub : List.of("repo", "log", "lock", "spool")) {
      BenchCluster.ownedDirectory(directory.resolve(sub));
    }
    Path config = directory.resolve("pgbackrest.conf");
    String text = String.join("\n", "[global]",
        "repo1-path=" + directory.resolve("repo"),
        "repo1-retention-full=100",
        "log-path=" + directory.resolve("log"),
        "lock-path=" + directory.resolve("lock"),
        "spool-path=" + directory.resolve("spool"),
        "log-level-console=warn",
        "log-level-file=info",
        "start-fast=y",
        // The default 60 s is too short on a loaded 2-core machine after a large restore.
        "archive-timeout=600",
        "",
        "[" + STANZA + "]",
        "pg1-path=" + source.data(),
        "pg1-port=" + source.port(),
        "pg1-socket-path=" + source.socketDirectory(),
        "");
    try {
      Files.writeString(config, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    BenchCluster.run(List.of("chown", "postgres:postgres", config.toString()));
    return new PgBackRest(config, source);
  }

  /** The archive_command that pushes a segment into this stanza's repository. */
  String archivePushCommand() {
    return "pgbackrest --config=" + config + " --stanza=" + STANZA + " archive-push %p";
  }

  void stanzaCreate() {
    command("stanza-create");
    command("check");
  }

  /** {@code backup --type=full}. */
  void fullBackup() {
    command("backup", "--type=full");
  }

  /**
   * {@code restore --type=time --target=TIME --target-action=promote --archive-mode=off} of the
   * newest backup into {@code target}'s (empty) data directory.
   */
  void restoreToTime(BenchCluster target, String time) {
    command("restore", "--pg1-path=" + target.data(), "--type=time", "--target=" + time,
        "--target-action=promote", "--archive-mode=off");
  }

  private void command(String... arguments) {
    List<String> argv = new ArrayList<>(List.of("pgbackrest", "--config=" + config, "--stanza=" + STANZA));
    argv.addAll(List.of(arguments));
    source.asPostgres(argv.toArray(String[]::new));
  }
}
