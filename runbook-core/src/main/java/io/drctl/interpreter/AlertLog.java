package io.drctl.interpreter;

import io.drctl.alerts.Alert;
import io.drctl.plan.Timestamps;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The alerts an incident received: what started it, how many came, the last one, the distinct
 * fingerprints. Part of {@link IncidentState}; changed only through the {@link Interpreter}.
 */
public final class AlertLog {
  /** Distinct fingerprints kept for progress and report; more are counted, not listed. */
  static final int MAX_FINGERPRINTS = 100;

  private Alert trigger;
  private int received;
  private int firing;
  private int resolved;
  private Alert last;
  private long lastMillis;
  private final Set<String> fingerprints = new LinkedHashSet<>();
  private int fingerprintsNotKept;

  void trigger(Alert alert) {
    trigger = alert;
  }

  void record(Alert alert, long now) {
    received++;
    if (alert.firing()) {
      firing++;
    } else {
      resolved++;
    }
    last = alert;
    lastMillis = now;
    String fingerprint = alert.fingerprint();
    if (fingerprint != null && !fingerprints.contains(fingerprint)) {
      if (fingerprints.size() < MAX_FINGERPRINTS) {
        fingerprints.add(fingerprint);
      } else {
        fingerprintsNotKept++;
      }
    }
  }

  /** The alert that started the incident, or null when a person or another incident did. */
  public Alert trigger() {
    return trigger;
  }

  /** The summary for progress and report; null when no alert ever arrived. */
  public Progress.Alerts summary() {
    if (received == 0) {
      return null;
    }
    return new Progress.Alerts(
        received,
        firing,
        resolved,
        Timestamps.ofMillis(lastMillis),
        last,
        new ArrayList<>(fingerprints),
        fingerprintsNotKept == 0 ? null : fingerprintsNotKept);
  }
}
