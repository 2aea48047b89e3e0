package io.drctl.alerts;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;
import java.util.TreeMap;

/**
 * One alert as a receiver got it, whatever sent it: the payload of the {@code alert} signal and
 * what an incident's report names as its trigger. Immutable; labels and annotations are sorted by
 * name so that equal alerts serialise to equal bytes.
 *
 * @param source alertmanager, grafana or generic
 * @param status firing or resolved
 * @param fingerprint the sender's identity of the alert (its label set), or null when it sent none
 * @param startsAt when the alert started firing, as the sender wrote it (RFC 3339), or null
 * @param receivedAt when the receiver accepted it (RFC 3339, UTC)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Alert(
    String source,
    String status,
    Map<String, String> labels,
    Map<String, String> annotations,
    String fingerprint,
    String startsAt,
    String receivedAt) {
  public static final String FIRING = "firing";
  public static final String RESOLVED = "resolved";

  public Alert {
    labels =
        labels == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(labels));
    annotations =
        annotations == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new TreeMap<>(annotations));
  }

  @JsonIgnore
  public boolean firing() {
    return FIRING.equals(status);
  }

  /** The {@code alertname} label, or null. */
  @JsonIgnore
  public String name() {
    return labels.get("alertname");
  }

  /**
   * When the alert started firing, in epoch milliseconds, or {@code otherwise} when the sender gave
   * no usable time: none, one that does not parse, or Alertmanager's 0001-01-01 for "unknown".
   */
  public long startsAtMillis(long otherwise) {
    if (startsAt == null) {
      return otherwise;
    }
    try {
      long millis = java.time.OffsetDateTime.parse(startsAt).toInstant().toEpochMilli();
      return millis > 0 ? millis : otherwise;
    } catch (java.time.format.DateTimeParseException e) {
      return otherwise;
    }
  }

  /** One line for logs and notes: name, status, labels, fingerprint. */
  public String describe() {
    return (name() == null ? "alert" : name())
        + " ("
        + status
        + ") "
        + labels
        + (fingerprint == null ? "" : " fingerprint " + fingerprint)
        + (startsAt == null ? "" : " startsAt " + startsAt);
  }
}
