package io.drctl.activities.docker;

import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.activities.targets.StepTargets;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A command for a one-off sibling of a target's container ({@link DockerActivitiesImpl#runOneOff}):
 * the target container's own image and volumes, host networking. Not a catalog action: other
 * backends use it for tools that must work on a container's files while its server is stopped.
 * Immutable.
 *
 * @param target container, postgres or redis target whose container is the sibling's model
 * @param key what the sibling is for, stable across retries of one activity (e.g. workflow id and
 *     activity id): the sibling carries it as label {@value OneOffContainer#LABEL}, and a leftover
 *     with the same key (a worker that crashed mid-run) is removed before a new one starts
 * @param argv program and arguments, run without a shell (the program is the entrypoint)
 * @param env environment variables; values {@code env:NAME} or {@code file:/path} are secret
 *     references, resolved by the activity, never on the command line, masked in the output
 * @param user user (name or uid:gid) to run as, or {@code null} for the image's
 * @param expectedExitCode the exit code that means success
 * @param maxOutputBytes bytes of stdout and of stderr kept (the tail)
 * @param timeout longest run; the sibling is killed and removed after it
 * @param targets the step's targets by name, as the plan holds them
 */
public record OneOffRun(
    String target,
    String key,
    List<String> argv,
    Map<String, String> env,
    String user,
    int expectedExitCode,
    int maxOutputBytes,
    Duration timeout,
    Map<String, JsonNode> targets) {

  public OneOffRun {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(timeout, "timeout");
    argv = argv == null ? List.of() : List.copyOf(argv);
    env = env == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(env));
    targets = DockerInputs.targets(targets);
  }

  /** Shows env names but not values. */
  @Override
  public String toString() {
    return "OneOffRun[target="
        + target
        + ", key="
        + key
        + ", argv="
        + argv
        + ", env="
        + env.keySet()
        + ", user="
        + user
        + ", expectedExitCode="
        + expectedExitCode
        + ", maxOutputBytes="
        + maxOutputBytes
        + ", timeout="
        + timeout
        + ", "
        + StepTargets.MEMBER
        + "="
        + targets.keySet()
        + "]";
  }
}
