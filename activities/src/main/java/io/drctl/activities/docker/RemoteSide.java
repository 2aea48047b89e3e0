package io.drctl.activities.docker;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * Marks the I/O errors of the stream that leads to or from the engine, so that a copy can tell them
 * apart from errors on the worker's own files: the first are {@link
 * DockerFailures#ENGINE_UNAVAILABLE}, the second {@link
 * io.drctl.activities.ActionFailures#IO_FAILURE}.
 */
final class RemoteSide {

  /** An I/O error on the engine's side of a copy; the cause is the original error. */
  static final class Failed extends IOException {
    Failed(IOException cause) {
      super(cause.getMessage(), cause);
    }
  }

  private RemoteSide() {}

  static InputStream of(InputStream in) {
    return new FilterInputStream(in) {
      @Override
      public int read() throws IOException {
        try {
          return super.read();
        } catch (IOException e) {
          throw new Failed(e);
        }
      }

      @Override
      public int read(byte[] buffer, int offset, int length) throws IOException {
        try {
          return super.read(buffer, offset, length);
        } catch (IOException e) {
          throw new Failed(e);
        }
      }
    };
  }

  static OutputStream of(OutputStream out) {
    return new FilterOutputStream(out) {
      @Override
      public void write(byte[] buffer, int offset, int length) throws IOException {
        try {
          out.write(buffer, offset, length);
        } catch (IOException e) {
          throw new Failed(e);
        }
      }

      @Override
      public void write(int b) throws IOException {
        try {
          out.write(b);
        } catch (IOException e) {
          throw new Failed(e);
        }
      }
    };
  }

  /** The failure to report for an I/O error of a copy to or from {@code engine}. */
  static RuntimeException failure(DockerEngine engine, String doing, IOException error) {
    if (error instanceof Failed remote) {
      return EngineFailures.unavailable(engine.host(), doing, remote.getCause());
    }
    return new UncheckedIOException(error);
  }
}
