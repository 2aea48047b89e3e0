package io.drctl.store.local;

import io.drctl.store.StoreAccessDeniedException;
import io.drctl.store.StoreException;
import io.drctl.store.StoreFullException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;

/** Classifies local file-system errors once. */
final class LocalFailures {

  private LocalFailures() {}

  static StoreException classify(String action, Path path, IOException e) {
    String message = String.valueOf(e.getMessage());
    if (isFull(e)) {
      return new StoreFullException(
          "no space left on the device of " + path + " while " + action + " it", e);
    }
    if (e instanceof AccessDeniedException) {
      return new StoreAccessDeniedException("permission denied " + action + " " + path, e);
    }
    if (message.contains("Read-only file system")) {
      return new StoreException(
          StoreException.Kind.ACCESS_DENIED, "read-only file system " + action + " " + path, e);
    }
    return new StoreException(
        StoreException.Kind.IO,
        action + " " + path + " failed: " + e.getClass().getSimpleName() + ": " + message,
        e);
  }

  static boolean isFull(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = t.getMessage();
      if (m != null
          && (m.contains("No space left on device") || m.contains("Disk quota exceeded"))) {
        return true;
      }
    }
    return false;
  }
}
