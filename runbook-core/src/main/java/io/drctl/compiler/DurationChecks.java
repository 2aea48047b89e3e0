package io.drctl.compiler;

import io.drctl.plan.Durations;
import io.drctl.runbook.DefaultsSpec;
import io.drctl.runbook.RetrySpec;
import java.time.Duration;

/** The semantic checks of durations the schema can only pattern-match: range, zero, order. */
final class DurationChecks {
  private DurationChecks() {}

  /** A usable, non-zero duration, or null after reporting why not. */
  static Duration positive(String text, String at, Diagnostics out) {
    if (text == null) {
      return null;
    }
    if (!Durations.isValid(text)) {
      out.error(
          "bad-duration",
          at,
          "'" + text + "' is not a usable duration",
          "e.g. 30s, 15m, 1h30m; at most 3650d");
      return null;
    }
    Duration d = Durations.parse(text);
    if (d.isZero()) {
      out.error("bad-duration", at, "a duration of zero is not allowed here", "e.g. 30s");
      return null;
    }
    return d;
  }

  /** A usable duration where zero makes sense (an RPO of 0s: no data loss accepted). */
  static Duration any(String text, String at, Diagnostics out) {
    if (text != null && !Durations.isValid(text)) {
      out.error(
          "bad-duration",
          at,
          "'" + text + "' is not a usable duration",
          "e.g. 0s, 15m, 1h; at most 3650d");
      return null;
    }
    return text == null ? null : Durations.parse(text);
  }

  /** Checks a retry policy's intervals and their order. */
  static void retry(RetrySpec retry, String at, Diagnostics out) {
    if (retry == null) {
      return;
    }
    Duration initial = positive(retry.initialInterval(), at + "/initialInterval", out);
    Duration max = positive(retry.maxInterval(), at + "/maxInterval", out);
    if (initial != null && max != null && max.compareTo(initial) < 0) {
      out.error(
          "bad-retry",
          at + "/maxInterval",
          "maxInterval "
              + retry.maxInterval()
              + " is shorter than initialInterval "
              + retry.initialInterval(),
          "maxInterval bounds the growing wait; make it at least initialInterval");
    }
  }

  /** Checks the runbook's defaults; false when any is unusable. */
  static boolean defaults(DefaultsSpec defaults, Diagnostics out) {
    String at = "/defaults";
    positive(defaults.timeout(), at + "/timeout", out);
    positive(defaults.heartbeat(), at + "/heartbeat", out);
    positive(defaults.approvalTimeout(), at + "/approvalTimeout", out);
    retry(defaults.retry(), at + "/retry", out);
    return !out.hasErrorsUnder(at);
  }
}
