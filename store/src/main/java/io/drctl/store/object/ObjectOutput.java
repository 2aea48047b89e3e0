package io.drctl.store.object;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A streamed write of one object. Bytes written here are invisible to readers until {@link
 * #commit()} returns; {@link #close()} without a prior commit aborts, discarding every byte (the
 * temporary file is deleted, the multipart upload is aborted). Not thread-safe: one producer thread
 * writes, then the same thread commits or closes.
 *
 * <p>Typical use:
 *
 * <pre>{@code
 * try (ObjectOutput out = store.create("backups/x/data.zst")) {
 *   producer.writeTo(out);
 *   out.commit();
 * } // an exception before commit() aborts
 * }</pre>
 */
public abstract class ObjectOutput extends OutputStream {

  /**
   * Makes the object visible under its key, atomically replacing an existing one. Called at most
   * once; afterwards writes fail.
   *
   * @return the committed object
   * @throws io.drctl.store.StoreException classified; the object is then not visible
   */
  public abstract ObjectInfo commit() throws IOException;

  /** Discards everything written. Idempotent; a no-op after {@link #commit()}. */
  public abstract void abort();

  /** Bytes accepted so far. */
  public abstract long bytesWritten();

  /** Aborts unless {@link #commit()} succeeded. */
  @Override
  public void close() {
    abort();
  }
}
