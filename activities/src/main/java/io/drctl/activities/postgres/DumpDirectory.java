package io.drctl.activities.postgres;

import io.drctl.activities.process.OwnedTempDirectory;
import io.drctl.store.BackupCorruptException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.ObjLongConsumer;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * A pg_dump directory-format archive ({@code -Fd}) on the worker and in the store: made in a
 * private temporary directory ({@link OwnedTempDirectory}), stored as one tar of its files (flat:
 * {@code toc.dat} and one {@code <dumpId>.dat.gz} per table, each already compressed by pg_dump),
 * unpacked again into a private directory for pg_restore. The redis backend stores a Redis 7 {@code
 * appendonlydir} (manifest and its files, also flat) the same way. Progress goes to a {@code
 * (phase, bytes)} callback.
 */
public final class DumpDirectory {
  /**
   * The stored file's extension ({@code BackupRequest.format}): how a restore tells the formats
   * apart.
   */
  static final String FORMAT = "dir.tar";

  private DumpDirectory() {}

  /** Bytes in the regular files under {@code directory} so far (0 while it does not exist). */
  public static long size(Path directory) {
    try (Stream<Path> files = Files.walk(directory)) {
      return files
          .mapToLong(
              file -> {
                try {
                  return Files.isRegularFile(file) ? Files.size(file) : 0;
                } catch (IOException vanished) {
                  return 0;
                }
              })
          .sum();
    } catch (IOException | java.io.UncheckedIOException notYet) {
      return 0;
    }
  }

  /**
   * Writes the regular files of {@code directory} (flat, by name) as a tar into {@code sink} (not
   * closed).
   */
  public static void tar(
      Path directory, OutputStream sink, ObjLongConsumer<String> progress, String phase)
      throws IOException {
    List<Path> files;
    try (Stream<Path> listing = Files.list(directory)) {
      files = listing.filter(Files::isRegularFile).sorted().toList();
    }
    TarArchiveOutputStream tar =
        new TarArchiveOutputStream(
            new OutputStream() {
              @Override
              public void write(int b) throws IOException {
                sink.write(b);
              }

              @Override
              public void write(byte[] b, int off, int len) throws IOException {
                sink.write(b, off, len);
              }
            });
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    long bytes = 0;
    long nextBeat = 0;
    byte[] buffer = new byte[1 << 16];
    for (Path file : files) {
      TarArchiveEntry entry = new TarArchiveEntry(file.getFileName().toString());
      entry.setSize(Files.size(file));
      entry.setMode(0600);
      tar.putArchiveEntry(entry);
      try (InputStream in = Files.newInputStream(file)) {
        int read;
        while ((read = in.read(buffer)) >= 0) {
          tar.write(buffer, 0, read);
          bytes += read;
          if (System.nanoTime() > nextBeat) {
            progress.accept(phase, bytes);
            nextBeat = System.nanoTime() + 1_000_000_000L;
          }
        }
      }
      tar.closeArchiveEntry();
    }
    tar.finish();
    progress.accept(phase, bytes);
  }

  /**
   * Unpacks the stored tar {@code stored} into {@code directory} and reads {@code stored} to its
   * end, where the store checks its SHA-256: a corrupt backup ends in {@link
   * BackupCorruptException}, also when the damage made the tar itself unreadable, before anything
   * but {@code directory} is touched.
   */
  public static void extract(
      InputStream stored, Path directory, ObjLongConsumer<String> progress, String phase)
      throws IOException {
    InputStream unclosed =
        new FilterInputStream(stored) {
          @Override
          public void close() {
            // the caller closes the store's stream, after reading it to its end
          }
        };
    try {
      BaseBackupTar.extract(unclosed, directory, null, progress, phase);
    } catch (IOException | RuntimeException e) {
      if (!(e instanceof BackupCorruptException)) {
        drainReportingCorruption(stored, e);
      }
      throw e;
    }
    stored.transferTo(OutputStream.nullOutputStream());
  }

  /**
   * After {@code failure}, reads the rest: if the store finds the bytes corrupt, that is the cause.
   */
  private static void drainReportingCorruption(InputStream stored, Exception failure) {
    try {
      stored.transferTo(OutputStream.nullOutputStream());
    } catch (BackupCorruptException corrupt) {
      corrupt.addSuppressed(failure);
      throw corrupt;
    } catch (IOException | RuntimeException other) {
      // The store's stream may throw again the very failure it threw first.
      if (other != failure) {
        failure.addSuppressed(other);
      }
    }
  }

  /**
   * Reads {@code in} to its end into a new {@code file}, reporting the bytes at most once a second.
   */
  public static void copy(InputStream in, Path file, ObjLongConsumer<String> progress, String phase)
      throws IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      byte[] buffer = new byte[1 << 16];
      long total = 0;
      int read;
      long nextBeat = 0;
      while ((read = in.read(buffer)) >= 0) {
        out.write(buffer, 0, read);
        total += read;
        if (System.nanoTime() > nextBeat) {
          progress.accept(phase, total);
          nextBeat = System.nanoTime() + 1_000_000_000L;
        }
      }
    }
  }
}
