package io.drctl.store;

/**
 * The store rejected the credentials or the operation. The message names the store and the error
 * code, never a secret. Not retryable.
 */
public class StoreAccessDeniedException extends StoreException {

  public StoreAccessDeniedException(String message) {
    super(Kind.ACCESS_DENIED, message);
  }

  public StoreAccessDeniedException(String message, Throwable cause) {
    super(Kind.ACCESS_DENIED, message, cause);
  }
}
