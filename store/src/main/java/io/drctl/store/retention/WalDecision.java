package io.drctl.store.retention;

import java.util.Objects;

/**
 * What the plan does with one archived WAL file and why. Immutable.
 *
 * @param wal the file
 * @param keep true to keep it
 * @param reason {@code WAL needed by kept backup X}, {@code within WAL window 7d}, {@code older
 *     than WAL window 7d and needed by no kept backup}, ...
 */
public record WalDecision(ArchivedWal wal, boolean keep, String reason) {

  public WalDecision {
    Objects.requireNonNull(wal, "wal");
    Objects.requireNonNull(reason, "reason");
  }
}
