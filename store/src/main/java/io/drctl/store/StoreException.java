package io.drctl.store;

/**
 * Every failure the store reports, classified once by {@link Kind}. The activity boundary maps
 * {@link Kind#type()} to an {@code ApplicationFailure} type and {@link #retryable()} to its
 * non-retryable flag. Messages never contain secrets (credentials, signed URLs).
 */
public class StoreException extends RuntimeException {

  /** The classification of a store failure; {@link #type()} is stable and used by runbooks. */
  public enum Kind {
    /** Bad or missing credentials, or the policy forbids the operation. Not retryable. */
    ACCESS_DENIED("StoreAccessDenied", false),
    /** The object or backup does not exist. Not retryable. */
    NOT_FOUND("BackupNotFound", false),
    /** No space left on the device or quota exceeded. Not retryable without operator action. */
    STORE_FULL("StoreFull", false),
    /** Stored bytes do not match their recorded checksum or do not decompress. Not retryable. */
    CORRUPT("BackupCorrupt", false),
    /** A WAL segment already exists under the same name with different bytes. Not retryable. */
    WAL_CONFLICT("WalConflict", false),
    /** The store configuration is invalid (bucket, path, endpoint...). Not retryable. */
    INVALID_CONFIG("StoreConfigInvalid", false),
    /** Connection refused, timeouts, 5xx, throttling: the store may answer on the next try. */
    UNAVAILABLE("StoreUnavailable", true),
    /** Any other I/O failure of the store (local disk error, interrupted stream). Retryable. */
    IO("StoreIoError", true);

    private final String type;
    private final boolean retryable;

    Kind(String type, boolean retryable) {
      this.type = type;
      this.retryable = retryable;
    }

    /** Stable failure type name, e.g. {@code StoreAccessDenied}. */
    public String type() {
      return type;
    }

    /** Whether repeating the same operation may succeed. */
    public boolean retryable() {
      return retryable;
    }
  }

  private final Kind kind;

  public StoreException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public StoreException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }

  /** Stable failure type name of the kind. */
  public String type() {
    return kind.type();
  }

  public boolean retryable() {
    return kind.retryable();
  }
}
