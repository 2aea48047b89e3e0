package io.drctl.worker.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.failure.v1.Failure;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DataConverterException;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.failure.TimeoutFailure;
import io.temporal.payload.codec.PayloadCodecException;
import java.time.Instant;
import java.util.Optional;

/**
 * Reads payloads and failures out of history events with the client's {@link DataConverter}, so
 * that encrypted histories read as plain ones (a payload under a key the client lacks fails with
 * the codec's own message).
 */
final class HistoryPayloads {
  private final DataConverter converter;

  HistoryPayloads(DataConverter converter) {
    this.converter = converter;
  }

  /** The first payload as JSON, or null when there is none. */
  JsonNode json(Payloads payloads) {
    if (payloads == null || payloads.getPayloadsCount() == 0) {
      return null;
    }
    return converter.fromPayloads(0, Optional.of(payloads), JsonNode.class, JsonNode.class);
  }

  <T> T value(Payloads payloads, Class<T> type) {
    if (payloads == null || payloads.getPayloadsCount() == 0) {
      return null;
    }
    return converter.fromPayloads(0, Optional.of(payloads), type, type);
  }

  /**
   * {@link #value}, or null when the payload is not a {@code type} (a signal typed by hand in the
   * Web UI may be anything). A payload that cannot be decrypted still fails.
   */
  <T> T valueOrNull(Payloads payloads, Class<T> type) {
    try {
      return value(payloads, type);
    } catch (DataConverterException e) {
      for (Throwable cause = e; cause != null; cause = cause.getCause()) {
        if (cause instanceof PayloadCodecException) {
          throw e;
        }
      }
      return null;
    }
  }

  String text(Payload payload) {
    return converter.fromPayload(payload, String.class, String.class);
  }

  /** The summary the workflow gave an activity or timer (the step's title), or null. */
  String summary(HistoryEvent event) {
    return event.hasUserMetadata() && event.getUserMetadata().hasSummary()
        ? text(event.getUserMetadata().getSummary())
        : null;
  }

  /** The failure as Temporal hands it to code, decoded. */
  TemporalFailure exception(Failure failure) {
    RuntimeException decoded = converter.failureToException(failure);
    return decoded instanceof TemporalFailure temporal ? temporal : null;
  }

  /** "Type: message" of the innermost cause, as a step's error reads. */
  String describe(Failure failure) {
    Throwable cause = converter.failureToException(failure);
    while (cause.getCause() != null && !(cause instanceof ApplicationFailure)) {
      cause = cause.getCause();
    }
    if (cause instanceof ApplicationFailure application) {
      return application.getType() + ": " + application.getOriginalMessage();
    }
    if (cause instanceof TimeoutFailure timeout) {
      return "Timeout: "
          + timeout
              .getTimeoutType()
              .name()
              .replace("TIMEOUT_TYPE_", "")
              .toLowerCase(java.util.Locale.ROOT);
    }
    return cause instanceof TemporalFailure temporal
        ? temporal.getOriginalMessage()
        : String.valueOf(cause.getMessage());
  }

  static String time(HistoryEvent event) {
    return io.drctl.plan.Timestamps.ofMillis(millis(event));
  }

  static long millis(HistoryEvent event) {
    return Instant.ofEpochSecond(event.getEventTime().getSeconds(), event.getEventTime().getNanos())
        .toEpochMilli();
  }
}
