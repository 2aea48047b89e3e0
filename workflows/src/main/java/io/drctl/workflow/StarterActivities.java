package io.drctl.workflow;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * Who started an incident that was started without saying so (from the Temporal Web UI, or any
 * client but drctl's): the identity the Temporal server recorded on its start event, which the Web
 * UI sets to its signed-in user. Called once as a local activity, so the answer is recorded in
 * history; workflow code cannot read its own start event.
 */
@ActivityInterface(namePrefix = "drctl.")
public interface StarterActivities {
  /** The identity on the running workflow's start event, or "" when the server recorded none. */
  @ActivityMethod(name = "drctl.starter")
  String starter();
}
