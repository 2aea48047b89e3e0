package io.drctl.activities.process;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Processes a worker killed outright left running on this host (a JVM killed with SIGKILL does not
 * take its children along): found by their command line, killed with their descendants.
 */
public final class Orphans {
  public static final Duration WAIT = Duration.ofSeconds(10);

  private Orphans() {}

  /**
   * SIGKILLs every process that {@code matches}, with its descendants, and waits up to {@link
   * #WAIT} for them to end.
   *
   * @param killed how many processes were sent SIGKILL
   * @param survivors the pids of those still alive after the wait
   */
  public record Killed(int killed, List<Long> survivors) {}

  public static Killed kill(Predicate<ProcessHandle> matches) {
    List<ProcessHandle> orphans =
        ProcessHandle.allProcesses()
            .filter(matches)
            .flatMap(process -> Stream.concat(Stream.of(process), process.descendants()))
            .distinct()
            .toList();
    orphans.forEach(ProcessHandle::destroyForcibly);
    try {
      CompletableFuture.allOf(
              orphans.stream().map(ProcessHandle::onExit).toArray(CompletableFuture[]::new))
          .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      // reported as survivors
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw io.drctl.activities.Heartbeats.interrupted();
    }
    return new Killed(
        orphans.size(),
        orphans.stream().filter(ProcessHandle::isAlive).map(ProcessHandle::pid).toList());
  }
}
