package io.drctl.store;

/** A WAL file with the same name and different content is already archived. Not retryable. */
public class WalConflictException extends StoreException {

  public WalConflictException(String message) {
    super(Kind.WAL_CONFLICT, message);
  }

  public WalConflictException(String message, Throwable cause) {
    super(Kind.WAL_CONFLICT, message, cause);
  }
}
