package io.drctl.activities.docker;

import com.github.dockerjava.api.exception.DockerException;
import io.drctl.activities.ActionFailures;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Classifies what went wrong in one call to a Docker engine, once: an HTTP status from the engine
 * (through docker-java or a raw request), or no answer at all. Local errors of the worker (its own
 * files) are not classified here but by {@link ActionFailures#classify}.
 */
final class EngineFailures {
  private static final Pattern ENGINE_MESSAGE =
      Pattern.compile("\"message\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
  private static final Pattern STATUS_PREFIX = Pattern.compile("^Status \\d+: ");

  private EngineFailures() {}

  /**
   * The failure for an exception thrown by a docker-java call or the engine's transport.
   *
   * @param host the engine, for messages
   * @param doing what the call was for, e.g. {@code "inspecting container 'db'"}
   * @param notFoundType the type of a 404 whose message does not say what is missing
   */
  static RuntimeException of(
      RuntimeException error, String host, String doing, String notFoundType) {
    if (error instanceof ApplicationFailure) {
      return error;
    }
    if (error instanceof DockerException docker && docker.getHttpStatus() > 0) {
      return ofStatus(docker.getHttpStatus(), docker.getMessage(), doing, notFoundType);
    }
    IOException io = ioCause(error);
    if (io != null) {
      return unavailable(host, doing, io);
    }
    return error;
  }

  /** The failure for an engine response with an error status; {@code body} is its text. */
  static ApplicationFailure ofStatus(int status, String body, String doing, String notFoundType) {
    String message = engineMessage(body);
    String lower = message.toLowerCase(Locale.ROOT);
    String text = doing + ": " + message;
    return switch (status) {
      case 404 -> ActionFailures.nonRetryable(notFoundType(lower, notFoundType), text);
      case 409 -> conflict(lower, text);
      case 400, 401, 403 -> ActionFailures.nonRetryable(DockerFailures.ENGINE_REJECTED, text);
      default ->
          status >= 500
              ? ActionFailures.retryable(
                  DockerFailures.ENGINE_ERROR, text + " (status " + status + ")")
              : ActionFailures.nonRetryable(
                  DockerFailures.ENGINE_REJECTED, text + " (status " + status + ")");
    };
  }

  /** {@link DockerFailures#ENGINE_UNAVAILABLE}, retryable. */
  static ApplicationFailure unavailable(String host, String doing, Throwable cause) {
    return ActionFailures.retryable(
        DockerFailures.ENGINE_UNAVAILABLE,
        "the docker engine "
            + host
            + " did not answer while "
            + doing
            + ": "
            + cause.getClass().getSimpleName()
            + (cause.getMessage() == null ? "" : " " + cause.getMessage()));
  }

  /** The first I/O error in the cause chain: the transport wraps them in RuntimeExceptions. */
  static IOException ioCause(Throwable error) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof IOException io) {
        return io;
      }
      if (cause.getCause() == cause) {
        return null;
      }
    }
    return null;
  }

  /** The engine's own message from a docker-java exception text or a response body. */
  static String engineMessage(String body) {
    if (body == null || body.isBlank()) {
      return "(no message)";
    }
    Matcher matcher = ENGINE_MESSAGE.matcher(body);
    if (matcher.find()) {
      return matcher.group(1).replace("\\\"", "\"").replace("\\\\", "\\").strip();
    }
    return STATUS_PREFIX.matcher(body.strip()).replaceFirst("");
  }

  private static String notFoundType(String message, String fallback) {
    if (message.contains("no such container")) {
      return DockerFailures.NO_SUCH_CONTAINER;
    }
    if (message.contains("no such image")) {
      return DockerFailures.NO_SUCH_IMAGE;
    }
    if (message.contains("no such volume")) {
      return DockerFailures.NO_SUCH_VOLUME;
    }
    if (message.contains("could not find the file")
        || message.contains("no such file or directory")) {
      return DockerFailures.NO_SUCH_PATH;
    }
    return fallback;
  }

  private static ApplicationFailure conflict(String message, String text) {
    if (message.contains("volume is in use")) {
      return ActionFailures.nonRetryable(DockerFailures.VOLUME_IN_USE, text);
    }
    if (message.contains("is not running")
        || message.contains("is paused")
        || message.contains("is restarting")) {
      return ActionFailures.retryable(DockerFailures.CONTAINER_NOT_RUNNING, text);
    }
    return ActionFailures.retryable(DockerFailures.ENGINE_CONFLICT, text);
  }
}
