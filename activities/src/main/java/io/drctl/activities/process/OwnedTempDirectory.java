package io.drctl.activities.process;

import io.drctl.store.local.LocalDirectories;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Private working directories under the worker's temporary directory (a directory-format dump being
 * written, one being unpacked for a schema check, a base backup spooled or extracted for
 * verification, an RDB or AOF checked, a shell step's scratch directory) that say which process
 * owns them. A worker killed outright (SIGKILL, the OOM killer) deletes nothing, and its pg_dump
 * goes on writing a whole dump into its directory as an orphan. The next directory made with the
 * same prefix on this host first removes every one whose owner is gone, with the processes still
 * using it: a dump of a large database left behind at every crash would fill the disk.
 */
public final class OwnedTempDirectory {
  private static final Logger log = LoggerFactory.getLogger(OwnedTempDirectory.class);
  public static final String OWNER_FILE = ".drctl-owner";

  /** This process. */
  private static final Owner SELF = Owner.of(ProcessHandle.current());

  /** After the prefix, the name of a directory made here: {@code <pid>-<start>-<random>}. */
  private static final Pattern NAMED = Pattern.compile("(\\d+)-(\\d+)-\\d+");

  /** A directory without an owner file is an older version's, or one being made right now. */
  private static final Duration UNOWNED_GRACE = Duration.ofHours(1);

  private OwnedTempDirectory() {}

  /**
   * A new empty directory {@code <prefix><pid>-<start>-<random>} under the temporary directory,
   * usable by this user only and owned by this process, after removing the ones of {@code prefix}
   * whose owner died. Its name says whose it is, so that a sweep reads no file to tell.
   */
  public static Path create(String prefix) throws IOException {
    Path parent = temporaryDirectory();
    sweep(parent, prefix);
    Path directory =
        Files.createTempDirectory(
            parent,
            prefix + SELF.pid() + "-" + SELF.started() + "-",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Files.writeString(directory.resolve(OWNER_FILE), SELF.pid() + " " + SELF.started() + "\n");
    return directory;
  }

  /**
   * Deletes {@code directory} with everything in it. A failure is logged, not thrown: no step's
   * result depends on its scratch space, and what is left is swept once this worker is gone.
   */
  public static void delete(Path directory) {
    try {
      LocalDirectories.deleteRecursively(directory);
    } catch (IOException e) {
      log.warn("could not delete the scratch directory {}: {}", directory, e.toString());
    }
  }

  /**
   * Removes the directories {@code <prefix>*} in {@code parent} whose owner process is gone, after
   * killing (SIGKILL) every process whose arguments name a path in them, and waiting for it to end.
   *
   * @return the directories removed
   */
  public static List<Path> sweep(Path parent, String prefix) throws IOException {
    Map<Owner, Boolean> alive = new HashMap<>();
    List<Path> stale = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(parent, prefix + "*")) {
      for (Path path : entries) {
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)
            && isAbandoned(path, prefix, alive)) {
          stale.add(path);
        }
      }
    }
    List<Path> removed = new ArrayList<>();
    for (Path directory : stale) {
      stopUsers(directory);
      try {
        LocalDirectories.deleteRecursively(directory);
        removed.add(directory);
      } catch (IOException e) {
        // The step that sweeps does not depend on it: say so, and try again at the next sweep.
        log.warn(
            "could not remove the abandoned scratch directory {}: {}", directory, e.toString());
      }
    }
    return removed;
  }

  private static boolean isAbandoned(Path directory, String prefix, Map<Owner, Boolean> alive) {
    Matcher named = NAMED.matcher(directory.getFileName().toString().substring(prefix.length()));
    if (named.matches()) {
      Owner owner = new Owner(Long.parseLong(named.group(1)), Long.parseLong(named.group(2)));
      // One this user cannot write is another user's: not ours to judge.
      return !alive.computeIfAbsent(owner, Owner::alive) && Files.isWritable(directory);
    }
    // Made by an older drctl: the owner is in the file only.
    try {
      Path owner = directory.resolve(OWNER_FILE);
      if (!Files.exists(owner, LinkOption.NOFOLLOW_LINKS)) {
        Instant modified =
            Files.getLastModifiedTime(directory, LinkOption.NOFOLLOW_LINKS).toInstant();
        return modified.isBefore(Instant.now().minus(UNOWNED_GRACE));
      }
      String[] fields = Files.readString(owner, StandardCharsets.UTF_8).strip().split(" ");
      return !new Owner(Long.parseLong(fields[0]), Long.parseLong(fields[1])).alive();
    } catch (IOException | RuntimeException unreadable) {
      return false; // not ours to judge: another user's, or being made
    }
  }

  /** A process, as it owns directories: its pid and start time in epoch milliseconds. */
  private record Owner(long pid, long started) {
    static Owner of(ProcessHandle process) {
      return new Owner(
          process.pid(), process.info().startInstant().map(Instant::toEpochMilli).orElse(0L));
    }

    /** The same pid with another start time is another process that reused the number. */
    boolean alive() {
      if (equals(SELF)) {
        return true;
      }
      Optional<ProcessHandle> process = ProcessHandle.of(pid);
      return process.isPresent()
          && process
              .get()
              .info()
              .startInstant()
              .map(at -> at.toEpochMilli() == started)
              .orElse(true);
    }
  }

  /**
   * SIGKILLs the processes (with their descendants) whose arguments name {@code directory} or a
   * path in it. The directory is deleted even if one survives: it keeps only its open files.
   */
  private static void stopUsers(Path directory) {
    String path = directory.toString();
    Orphans.kill(
        process ->
            process
                .info()
                .arguments()
                .map(
                    arguments ->
                        Stream.of(arguments)
                            .anyMatch(
                                argument ->
                                    argument.equals(path) || argument.startsWith(path + "/")))
                .orElse(false));
  }

  private static Path temporaryDirectory() {
    return Path.of(System.getProperty("java.io.tmpdir"));
  }
}
