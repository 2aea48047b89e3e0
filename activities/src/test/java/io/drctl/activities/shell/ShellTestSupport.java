package io.drctl.activities.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.function.ThrowingSupplier;

/** Shared fixtures for the shell activity tests. */
final class ShellTestSupport {
  static final String TOKEN = "s3cr3t-token";

  /**
   * A program whose shell writes its own pid and then its background child's pid to {@code pids} in
   * the working directory, then waits for the child: argv, not a shell string of ours.
   */
  static final List<String> PARENT_WITH_CHILD =
      List.of("sh", "-c", "echo $$ > pids; sleep 300 & echo $! >> pids; wait");

  private ShellTestSupport() {}

  /** PATH, HOME and LANG of the test JVM plus a variable the child must not see. */
  static ShellOptions options() {
    Map<String, String> worker = new java.util.HashMap<>();
    for (String name : List.of("PATH", "HOME", "LANG")) {
      String value = System.getenv(name);
      if (value != null) {
        worker.put(name, value);
      }
    }
    worker.put("DRCTL_WORKER_ONLY", "must-not-leak");
    return new ShellOptions(worker, Duration.ofMillis(200), Duration.ofSeconds(1));
  }

  /** The application failure inside the activity failure a stub call throws. */
  static ApplicationFailure applicationFailure(ThrowingSupplier<?> call) {
    Throwable thrown = catchThrowable(call::get);
    assertThat(thrown).isInstanceOf(ActivityFailure.class);
    assertThat(thrown.getCause()).isInstanceOf(ApplicationFailure.class);
    return (ApplicationFailure) thrown.getCause();
  }

  /** The two pids {@link #PARENT_WITH_CHILD} wrote, once both are there. */
  static List<Long> awaitPids(Path directory) throws IOException, InterruptedException {
    Path file = directory.resolve("pids");
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.exists(file)) {
        List<String> lines = Files.readAllLines(file);
        if (lines.size() == 2) {
          return lines.stream().map(String::trim).map(Long::parseLong).toList();
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the program did not write its pids within 10 s");
  }

  /** Whether every pid is gone (or a zombie) within a few seconds. */
  static boolean allGone(List<Long> pids) throws InterruptedException {
    return allGone(pids, Duration.ofSeconds(5));
  }

  /** Whether every pid is gone (or a zombie) within {@code limit}. */
  static boolean allGone(List<Long> pids, Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline) {
      if (pids.stream().noneMatch(ShellTestSupport::running)) {
        return true;
      }
      Thread.sleep(50);
    }
    return false;
  }

  static boolean running(long pid) {
    return ProcessHandle.of(pid).map(ProcessTree::isRunning).orElse(false);
  }
}
