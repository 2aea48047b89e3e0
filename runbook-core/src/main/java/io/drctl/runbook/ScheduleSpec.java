package io.drctl.runbook;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One entry of the runbook's {@code schedules} section as written: an incident to start on a
 * calendar (a cron expression) or every interval. Absent fields are null.
 */
public record ScheduleSpec(
    String id,
    String incident,
    String cron,
    String interval,
    String timeZone,
    String overlap,
    String catchupWindow,
    Boolean paused,
    ObjectNode inputs,
    String note) {}
