package io.drctl.activities.postgres;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drctl.store.StoreException;
import java.io.InputStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Unpacking a stored directory when the store's stream fails. */
class DumpDirectoryTest {
  @TempDir Path directory;

  @Test
  void aStoreStreamThatFailsAgainWithTheSameExceptionReachesTheCallerAsThatException() {
    // The store's read-ahead keeps the first failure of its download and throws it on every read
    // after (HashingReadAhead), so draining the rest meets the very exception the unpacking did.
    StoreException reset =
        new StoreException(StoreException.Kind.UNAVAILABLE, "reading b-1 failed: connection reset");
    InputStream failing =
        new InputStream() {
          @Override
          public int read() {
            throw reset;
          }

          @Override
          public int read(byte[] buffer, int offset, int length) {
            throw reset;
          }
        };

    // Before, the drain added the exception to itself as suppressed, and the step failed with
    // "IllegalArgumentException: Self-suppression not permitted" instead of the store's reason.
    assertThatThrownBy(
            () -> DumpDirectory.extract(failing, directory, (phase, bytes) -> {}, "unpacking"))
        .isSameAs(reset);
  }
}
