package io.drctl.sandbox;

import io.drctl.store.local.LocalDirectories;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * A sandbox's backup store directory on the host. A marker file ({@value WalArchiving#MARKER})
 * holding the sandbox's name makes it the sandbox's: {@code up} adopts only an empty directory or
 * one with its own marker, and {@code down} deletes only a directory with its own marker, so a
 * mistyped {@code --backups} can never delete someone's data. The containers make the WAL
 * directories their postgres user's at each start.
 */
final class SandboxBackups {
  private SandboxBackups() {}

  static void prepare(Path directory, String sandbox) {
    try {
      Files.createDirectories(directory);
      Path marker = directory.resolve(WalArchiving.MARKER);
      if (Files.exists(marker)) {
        requireOwner(directory, sandbox, "use it");
        return;
      }
      try (Stream<Path> entries = Files.list(directory)) {
        if (entries.findAny().isPresent()) {
          throw new SandboxException(
              "--backups "
                  + directory
                  + " is not empty and not a sandbox's store (no "
                  + WalArchiving.MARKER
                  + "); give an empty or new directory");
        }
      }
      Files.writeString(marker, sandbox + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new SandboxException(
          "cannot prepare the backup store " + directory + ": " + e.getMessage(), e);
    }
  }

  static void remove(Path directory, String sandbox) {
    requireOwner(directory, sandbox, "remove it");
    try {
      LocalDirectories.deleteRecursively(directory);
    } catch (IOException e) {
      throw new SandboxException(
          "cannot remove the backup store "
              + directory
              + ": "
              + e.getMessage()
              + " (its WAL files belong to the containers' postgres user; remove it as root)",
          e);
    }
  }

  private static void requireOwner(Path directory, String sandbox, String doing) {
    Path marker = directory.resolve(WalArchiving.MARKER);
    String owner;
    try {
      owner = Files.readString(marker, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new SandboxException(
          "backup store "
              + directory
              + " has no readable "
              + WalArchiving.MARKER
              + " naming sandbox "
              + sandbox
              + "; will not "
              + doing,
          e);
    }
    if (!owner.equals(sandbox)) {
      throw new SandboxException(
          "backup store "
              + directory
              + " belongs to sandbox "
              + owner
              + ", not "
              + sandbox
              + "; will not "
              + doing
              + " (choose another --backups)");
    }
  }
}
