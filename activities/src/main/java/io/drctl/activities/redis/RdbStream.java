package io.drctl.activities.redis;

import io.drctl.activities.ActionFailures;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The RDB of a BGSAVE streamed into the store while the child process writes it, instead of after:
 * the store's compression and hashing overlap the save.
 *
 * <p>The child writes {@code temp-<pid>.rdb} in the data directory from start to end, never going
 * back, then renames it to {@code dbfilename}. The file followed is the one {@code temp-*.rdb}
 * modified since the fork (none followed when there are two); its bytes are stored as they appear.
 * Once INFO persistence says the save succeeded, the rest is read to the end, and the file must be
 * {@code dbfilename} itself now (the same file key, the same size): then exactly its bytes were
 * stored. Without a file to follow (not found before the save ended, a file system without file
 * keys, a save Redis scheduled for later) {@code dbfilename} is copied once the save ended, as
 * before.
 */
final class RdbStream {
  private static final int CHUNK = 1 << 20;

  /** How long to wait for the child to write more, once caught up with it. */
  private static final Duration CAUGHT_UP_PAUSE = Duration.ofMillis(5);

  /**
   * File times come from a coarse clock: a file created just after the fork may look a little
   * older.
   */
  private static final Duration TIMESTAMP_SLACK = Duration.ofSeconds(1);

  private RdbStream() {}

  /** What was stored: bytes, and whether they were read while BGSAVE wrote them. */
  record Stored(long bytes, boolean followed) {}

  /**
   * Waits for the BGSAVE of {@code fork} to end (polling INFO every poll interval), storing its
   * file into {@code out} meanwhile when it can be followed.
   *
   * @param forkedAt a moment before the fork: the child's file is modified after it
   * @throws io.temporal.failure.ApplicationFailure {@code failureType} when the save failed or
   *     timed out, or the followed file was not the one the save produced (retryable)
   */
  static Stored store(
      RedisCommands<String, String> redis,
      PersistenceWaits waits,
      PersistenceWaits.Fork fork,
      Instant forkedAt,
      Path directory,
      String dbfilename,
      OutputStream out,
      String failureType,
      RedisHeartbeat heartbeat,
      Duration pollInterval)
      throws IOException {
    Path rdb = directory.resolve(dbfilename);
    ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
    FileChannel followed = null;
    Object followedKey = null;
    boolean lookForFile = fork.started();
    long copied = 0;
    long nextPoll = 0;
    String phase = "storing " + dbfilename + " while BGSAVE writes it";
    try {
      while (true) {
        if (followed == null && lookForFile) {
          Path child = childFile(directory, forkedAt);
          if (child != null) {
            try {
              followed = FileChannel.open(child, StandardOpenOption.READ);
              followedKey = Files.readAttributes(child, BasicFileAttributes.class).fileKey();
            } catch (NoSuchFileException renamedMeanwhile) {
              followedKey = null;
            }
            if (followedKey == null) {
              // Renamed before it could be identified, or no file keys here: copy once it is done.
              close(followed);
              followed = null;
              lookForFile = false;
            }
          }
        }
        int read = followed == null ? 0 : followed.read(buffer.clear());
        if (read > 0) {
          out.write(buffer.array(), 0, read);
          copied += read;
        }
        long now = System.nanoTime();
        if (now >= nextPoll) {
          nextPoll = now + pollInterval.toNanos();
          heartbeat.beat(followed == null ? "waiting for BGSAVE" : phase, copied);
          if (waits.saved(redis, fork, failureType) != null) {
            break;
          }
        }
        if (read <= 0) {
          sleep(followed == null ? pollInterval : CAUGHT_UP_PAUSE);
        }
      }
      if (followed == null) {
        heartbeat.beat("storing " + dbfilename, 0);
        return new Stored(Files.copy(rdb, out), false);
      }
      while (true) {
        int read = followed.read(buffer.clear());
        if (read < 0) {
          break;
        }
        out.write(buffer.array(), 0, read);
        copied += read;
      }
      BasicFileAttributes saved = Files.readAttributes(rdb, BasicFileAttributes.class);
      if (!followedKey.equals(saved.fileKey()) || saved.size() != copied) {
        throw ActionFailures.retryable(
            failureType,
            "the file stored while BGSAVE wrote it ("
                + copied
                + " bytes) is not the "
                + rdb
                + " the save produced ("
                + saved.size()
                + " bytes): another save"
                + " replaced it meanwhile; retry");
      }
      return new Stored(copied, true);
    } finally {
      close(followed);
    }
  }

  /**
   * The child's {@code temp-*.rdb} in {@code directory}: the one modified since {@code forkedAt},
   * or {@code null} when there is none yet, or several.
   */
  private static Path childFile(Path directory, Instant forkedAt) throws IOException {
    List<Path> candidates = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "temp-*.rdb")) {
      for (Path file : files) {
        try {
          if (!Files.getLastModifiedTime(file)
              .toInstant()
              .isBefore(forkedAt.minus(TIMESTAMP_SLACK))) {
            candidates.add(file);
          }
        } catch (NoSuchFileException renamed) {
          // gone meanwhile: not a candidate
        }
      }
    }
    return candidates.size() == 1 ? candidates.get(0) : null;
  }

  private static void close(FileChannel channel) throws IOException {
    if (channel != null) {
      channel.close();
    }
  }

  private static void sleep(Duration pause) {
    io.drctl.activities.Heartbeats.sleep(pause);
  }
}
