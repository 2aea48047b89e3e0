package io.drctl.activities.shell;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/** Ends a process and all its descendants: SIGTERM, a grace period, then SIGKILL. */
final class ProcessTree {
  private static final Duration POLL = Duration.ofMillis(50);
  private static final Duration AFTER_KILL = Duration.ofSeconds(1);
  private static final Duration LEVEL_PAUSE = Duration.ofMillis(250);

  private ProcessTree() {}

  /**
   * Kills the tree under {@code root}, the root included. Signals go one level at a time, deepest
   * first, with a short pause, so that a parent still alive can reap its children (not every init
   * reaps orphans). Returns once all are gone or after the grace period plus a second.
   */
  static void kill(ProcessHandle root, Duration grace) {
    List<List<ProcessHandle>> levels = new ArrayList<>();
    collect(root, 0, levels);
    Set<ProcessHandle> members = new LinkedHashSet<>();
    for (int depth = levels.size() - 1; depth >= 0; depth--) {
      List<ProcessHandle> level = levels.get(depth);
      level.forEach(ProcessHandle::destroy);
      members.addAll(level);
      if (depth > 0) {
        // Until reaped, not just dead: the parent must be alive to reap.
        await(level, ProcessHandle::isAlive, LEVEL_PAUSE);
      }
    }
    await(members, ProcessTree::isRunning, grace);
    // Anything forked between the snapshot and the signal is found under the survivors.
    for (ProcessHandle member : List.copyOf(members)) {
      if (isRunning(member)) {
        List<List<ProcessHandle>> late = new ArrayList<>();
        collect(member, 0, late);
        late.forEach(members::addAll);
      }
    }
    members.stream().filter(ProcessTree::isRunning).forEach(ProcessHandle::destroyForcibly);
    await(members, ProcessTree::isRunning, AFTER_KILL);
  }

  /**
   * Whether the process still runs. A zombie (dead, not yet reaped) does not: its parent may have
   * died first, and not every init reaps orphans, but it holds no resources beyond its pid.
   */
  static boolean isRunning(ProcessHandle process) {
    if (!process.isAlive()) {
      return false;
    }
    Path stat = Path.of("/proc", Long.toString(process.pid()), "stat");
    if (!Files.isDirectory(Path.of("/proc"))) {
      return true;
    }
    try {
      String text = Files.readString(stat);
      int afterName = text.lastIndexOf(')');
      return afterName < 0 || afterName + 2 >= text.length() || text.charAt(afterName + 2) != 'Z';
    } catch (IOException e) {
      // /proc/PID/stat vanished between isAlive and the read: the process is gone.
      return false;
    }
  }

  private static void collect(ProcessHandle process, int depth, List<List<ProcessHandle>> levels) {
    if (levels.size() == depth) {
      levels.add(new ArrayList<>());
    }
    levels.get(depth).add(process);
    process.children().forEach(child -> collect(child, depth + 1, levels));
  }

  private static void await(
      Collection<ProcessHandle> members, Predicate<ProcessHandle> present, Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (members.stream().anyMatch(present) && System.nanoTime() < deadline) {
      try {
        Thread.sleep(POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
