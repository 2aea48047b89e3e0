package io.drctl.runbook;

/** Runbook-wide defaults as written. */
public record DefaultsSpec(
    String timeout,
    String heartbeat,
    String approvalTimeout,
    RetrySpec retry,
    OnExhausted onExhausted,
    EscalationSpec escalation) {
  public static final DefaultsSpec NONE = new DefaultsSpec(null, null, null, null, null, null);
}
