package io.drctl.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * pgBackRest (Debian's {@code pgbackrest}, 2.45 here) as the physical-backup baseline: one stanza
 * {@value #STANZA} for the benchmark's source cluster, its repository and logs in a directory of
 * their own. Backups and restores run in each {@link Setting}: its defaults (gzip level 6, one
 * process) and its fastest settings on a 2-core machine (two processes, lz4 or zstd); WAL is
 * archived with lz4 (the fastest to push and to get back) for all of them. Runs as {@code
 * postgres}.
 */
final class PgBackRest {
  static final String STANZA = "bench";

  /**
   * How a backup is taken and restored: the processes of both commands, and the backup's
   * compression (a restore reads whatever the backup holds).
   */
  enum Setting {
    DEFAULTS("defaults: gzip 6, 1 process", 1, null),
    LZ4("process-max=2, compress-type=lz4", 2, "lz4"),
    ZSTD("process-max=2, compress-type=zst", 2, "zst");

    final String label;
    final List<String> restoreOptions;
    final List<String> backupOptions;

    Setting(String label, int processes, String compression) {
      this.label = label;
      this.restoreOptions = processes == 1 ? List.of() : List.of("--process-max=" + processes);
      List<String> backup = new ArrayList<>(restoreOptions);
      if (compression != null) {
        backup.add("--compress-type=" + compression);
      }
      this.backupOptions = List.copyOf(backup);
    }
  }

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
    String text =
        String.join(
            "\n",
            "[global]",
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
            "[global:archive-push]",
            "compress-type=lz4",
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

  /** {@code backup --type=full} in {@code setting}; returns the new backup's label. */
  String fullBackup(Setting setting) {
    Set<String> before = labels();
    List<String> arguments = new ArrayList<>(List.of("backup", "--type=full"));
    arguments.addAll(setting.backupOptions);
    command(arguments);
    Set<String> after = new TreeSet<>(labels());
    after.removeAll(before);
    if (after.size() != 1) {
      throw new IllegalStateException(
          "pgbackrest backup made " + after.size() + " new backups: " + after);
    }
    return after.iterator().next();
  }

  /**
   * {@code restore --set=LABEL --type=time --target=TIME --target-action=promote
   * --archive-mode=off} in {@code setting} into {@code target}'s (empty) data directory.
   */
  void restoreToTime(BenchCluster target, String label, String time, Setting setting) {
    List<String> arguments =
        new ArrayList<>(
            List.of(
                "restore",
                "--set=" + label,
                "--pg1-path=" + target.data(),
                "--type=time",
                "--target=" + time,
                "--target-action=promote",
                "--archive-mode=off"));
    arguments.addAll(setting.restoreOptions);
    command(arguments);
  }

  /** The labels of the full backups in the repository (e.g. {@code 20261207-010203F}). */
  private Set<String> labels() {
    Path backups = config.getParent().resolve("repo").resolve("backup").resolve(STANZA);
    if (!Files.isDirectory(backups)) {
      return Set.of();
    }
    try (Stream<Path> entries = Files.list(backups)) {
      return entries
          .map(entry -> entry.getFileName().toString())
          .filter(name -> name.matches("\\d{8}-\\d{6}F"))
          .collect(Collectors.toSet());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void command(String... arguments) {
    command(List.of(arguments));
  }

  private void command(List<String> arguments) {
    List<String> argv =
        new ArrayList<>(List.of("pgbackrest", "--config=" + config, "--stanza=" + STANZA));
    argv.addAll(arguments);
    source.asPostgres(argv.toArray(String[]::new));
  }
}
