package io.drctl.store;

/**
 * The device or quota of the store is full. The temporary object has been removed. Not retryable.
 */
public class StoreFullException extends StoreException {

  public StoreFullException(String message) {
    super(Kind.STORE_FULL, message);
  }

  public StoreFullException(String message, Throwable cause) {
    super(Kind.STORE_FULL, message, cause);
  }
}
