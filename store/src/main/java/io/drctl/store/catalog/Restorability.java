package io.drctl.store.catalog;

/** How far a backup is known to be restorable. Selectors skip {@link #CORRUPT}. */
public enum Restorability {
  /** Written completely, not re-read since. */
  NONE,
  /** Re-read: the stored checksum matches and the stream decompresses end to end. */
  CHECKSUM_OK,
  /** A restore test (PostgreSQL, Redis) restored it and checked the result. */
  VERIFIED,
  /** The stored bytes fail their checksum or do not decompress. Never selected. */
  CORRUPT;

  /** Whether a selector may pick a backup in this state. */
  public boolean selectable() {
    return this != CORRUPT;
  }
}
