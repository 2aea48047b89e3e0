package io.drctl.worker.temporal;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Optional;

/** Reads gRPC failures, which the SDK often wraps, into a status code and one line of text. */
public final class RpcErrors {
  private RpcErrors() {}

  /** The gRPC status of the first {@link StatusRuntimeException} among the causes, if any. */
  public static Optional<Status.Code> code(Throwable failure) {
    return status(failure).map(Status::getCode);
  }

  public static boolean is(Throwable failure, Status.Code code) {
    return code(failure).filter(code::equals).isPresent();
  }

  /**
   * "UNAVAILABLE: io exception (Connection refused: localhost/127.0.0.1:7233)", or the innermost
   * message.
   */
  public static String describe(Throwable failure) {
    Optional<Status> status = status(failure);
    if (status.isPresent()) {
      Status s = status.get();
      String text =
          s.getCode().name() + (s.getDescription() == null ? "" : ": " + s.getDescription());
      Throwable cause = s.getCause();
      while (cause != null && cause.getCause() != null) {
        cause = cause.getCause();
      }
      return cause == null || cause.getMessage() == null
          ? text
          : text + " (" + cause.getMessage() + ")";
    }
    Throwable innermost = failure;
    while (innermost.getCause() != null && innermost.getCause() != innermost) {
      innermost = innermost.getCause();
    }
    return innermost.getMessage() != null
        ? innermost.getMessage()
        : innermost.getClass().getSimpleName();
  }

  private static Optional<Status> status(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof StatusRuntimeException sre) {
        return Optional.of(sre.getStatus());
      }
    }
    return Optional.empty();
  }
}
