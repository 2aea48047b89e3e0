package io.drctl.worker.alerts;

import io.drctl.alerts.Alert;

/**
 * Where the receiver hands each alert it read: {@link AlertDispatcher} in production. Called
 * concurrently from the receiver's threads.
 */
@FunctionalInterface
public interface AlertSink {
  /**
   * Delivers one alert, or says why it started nothing.
   *
   * @throws TemporalUnavailableException when it cannot be handed over now; the sender should retry
   */
  Delivery deliver(Alert alert) throws TemporalUnavailableException;
}
