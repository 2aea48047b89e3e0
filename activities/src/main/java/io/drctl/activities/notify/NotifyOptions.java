package io.drctl.activities.notify;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Worker-side settings of the notify backend, validated once at construction.
 *
 * @param deliveryTimeout longest wait for a channel's full answer (the catalog has no per-step
 *     timeout for notifications; the step's start-to-close timeout still bounds the attempt)
 * @param clock where {@code sentAt} comes from
 * @param uiUrl base URL of the Temporal Web UI (e.g. {@code http://127.0.0.1:8233}), or null: with
 *     it, every message links to its incident at {@code <uiUrl>/namespaces/<ns>/workflows/<id>}
 */
public record NotifyOptions(Duration deliveryTimeout, Clock clock, URI uiUrl) {

  public NotifyOptions {
    if (deliveryTimeout == null || deliveryTimeout.isNegative() || deliveryTimeout.isZero()) {
      throw new IllegalArgumentException(
          "NotifyOptions.deliveryTimeout must be positive, was " + deliveryTimeout);
    }
    Objects.requireNonNull(clock, "NotifyOptions.clock");
    if (uiUrl != null
        && (!uiUrl.isAbsolute()
            || !List.of("http", "https").contains(uiUrl.getScheme())
            || uiUrl.getUserInfo() != null
            || uiUrl.getQuery() != null)) {
      throw new IllegalArgumentException(
          "the Temporal UI URL must be http(s)://HOST[:PORT][/PATH] without credentials or query,"
              + " was "
              + uiUrl.getScheme()
              + "://"
              + uiUrl.getHost());
    }
  }

  public NotifyOptions(Duration deliveryTimeout, Clock clock) {
    this(deliveryTimeout, clock, null);
  }

  /** The defaults, linking messages to the Temporal UI at {@code uiUrl} (null for no link). */
  public static NotifyOptions linkingTo(URI uiUrl) {
    return new NotifyOptions(Duration.ofSeconds(30), Clock.systemUTC(), uiUrl);
  }

  /**
   * The Temporal UI page of workflow {@code workflowId} in {@code namespace}, or null without a UI
   * URL.
   */
  public String incidentLink(String namespace, String workflowId) {
    if (uiUrl == null) {
      return null;
    }
    String base = uiUrl.toString().replaceAll("/+$", "");
    return base
        + "/namespaces/"
        + URLEncoder.encode(namespace, StandardCharsets.UTF_8)
        + "/workflows/"
        + URLEncoder.encode(workflowId, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** 30 s per delivery, the system clock in UTC. */
  public static NotifyOptions defaults() {
    return new NotifyOptions(Duration.ofSeconds(30), Clock.systemUTC());
  }
}
