package io.drctl.plan;

import java.util.List;

/**
 * The compiled {@code notifications} of a runbook as they apply to one incident: the channels whose
 * severities include the incident's, each with the lifecycle events it gets. Pinned with the plan,
 * so a running incident keeps notifying whom it notified when it started.
 *
 * @param statusEvery how often the status event goes out while the incident runs, canonical
 * @param rtoWarningPercent the share of the RTO after which rtoWarning goes out (1 to 99)
 */
public record Notifications(String statusEvery, int rtoWarningPercent, List<Channel> channels) {
  public static final String STARTED = "started";
  public static final String APPROVAL_REQUESTED = "approvalRequested";
  public static final String ACKNOWLEDGED = "acknowledged";
  public static final String STEP_FAILED = "stepFailed";
  public static final String ESCALATION = "escalation";
  public static final String RTO_WARNING = "rtoWarning";
  public static final String STATUS = "status";
  public static final String RESOLVED = "resolved";

  /** Every lifecycle event, in the order an incident can meet them. */
  public static final List<String> EVENTS =
      List.of(
          STARTED,
          APPROVAL_REQUESTED,
          ACKNOWLEDGED,
          STEP_FAILED,
          ESCALATION,
          RTO_WARNING,
          STATUS,
          RESOLVED);

  public static final String DEFAULT_STATUS_EVERY = "15m";
  public static final int DEFAULT_RTO_WARNING_PERCENT = 80;

  public Notifications {
    channels = List.copyOf(channels);
  }

  /** One channel: a notify target, its payload format and the events it gets. */
  public record Channel(String target, String format, List<String> events) {
    public Channel {
      events = List.copyOf(events);
    }
  }

  /** Whether some channel gets {@code event}. */
  public boolean wants(String event) {
    return channels.stream().anyMatch(c -> c.events().contains(event));
  }
}
