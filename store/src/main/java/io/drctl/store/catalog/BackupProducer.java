package io.drctl.store.catalog;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes the raw backup stream (a {@code pg_dump} stdout, a tar of a volume). Called once per write
 * attempt, on the caller's thread. It must not close {@code out}. Throwing aborts the write:
 * nothing becomes visible, and the exception reaches the caller unchanged.
 */
@FunctionalInterface
public interface BackupProducer {
  void writeTo(OutputStream out) throws IOException;
}
