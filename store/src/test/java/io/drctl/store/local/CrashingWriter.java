package io.drctl.store.local;

import io.drctl.store.catalog.BackupCatalog;
import io.drctl.store.catalog.BackupRequest;
import io.drctl.store.catalog.BackupType;
import java.nio.file.Path;

/** A child JVM that streams a backup forever; the test kills it with SIGKILL mid-write. */
public final class CrashingWriter {

  private CrashingWriter() {}

  public static void main(String[] args) throws Exception {
    BackupCatalog catalog = new BackupCatalog(new LocalObjectStore(Path.of(args[0])));
    catalog.write(
        BackupRequest.of("postgresql", BackupType.DAILY, "dump").withBackupId("backup_crash"),
        out -> {
          byte[] block = new byte[1024 * 1024];
          long written = 0;
          while (true) {
            new java.util.Random(written).nextBytes(block);
            out.write(block);
            written += block.length;
            if (written == 8L * block.length) {
              System.out.println("WRITING");
              System.out.flush();
            }
            if (written > 8L * block.length) {
              java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L);
            }
          }
        });
  }
}
