package io.drctl.store;

/** Stored bytes fail their checksum or do not decompress. Not retryable. */
public class BackupCorruptException extends StoreException {

  public BackupCorruptException(String message) {
    super(Kind.CORRUPT, message);
  }

  public BackupCorruptException(String message, Throwable cause) {
    super(Kind.CORRUPT, message, cause);
  }
}
