package io.drctl.store;

/** No backup (or object) matches; the message lists what exists. Not retryable. */
public class BackupNotFoundException extends StoreException {

  public BackupNotFoundException(String message) {
    super(Kind.NOT_FOUND, message);
  }

  public BackupNotFoundException(String message, Throwable cause) {
    super(Kind.NOT_FOUND, message, cause);
  }
}
