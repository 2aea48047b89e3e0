package io.drctl.worker.drill;

/**
 * Makes a scenario's failure happen for real on the sandbox: kills a container, wipes a volume,
 * corrupts a file. Called once per drill of the scenario, after the writer started and before the
 * alert is raised.
 */
@FunctionalInterface
public interface FailureInjection {
  /**
   * Breaks the platform.
   *
   * @return the labels the scenario's alert carries beyond its own (e.g. the time rows were
   *     deleted, for a route that passes it to the incident), often none
   * @throws Exception when the failure could not be made; the scenario fails with its message
   */
  java.util.Map<String, String> inject(DrillPlatform platform) throws Exception;
}
