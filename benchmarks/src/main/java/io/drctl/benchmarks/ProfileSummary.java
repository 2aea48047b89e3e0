package io.drctl.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the CPU samples of a JFR recording of {@link InterpreterBenchmark} fall. A sample whose
 * stack holds a contender's workflow class is that contender's workflow code; the rest go by
 * thread. For the interpreted incident's workflow code it lists the drctl methods on the stack
 * (inclusive: each counted once per sample) and the methods at the top of the stack (self). JIT
 * compiler and GC threads are not sampled; their totals come from the recording's statistics.
 *
 * <p>Run: {@code benchmarks/run profile-summary FILE.jfr [TOP]}.
 */
public final class ProfileSummary {
  private static final String INTERPRETED = "io.drctl.workflow.IncidentWorkflowImpl";
  private static final String HAND_WRITTEN = HandWrittenWorkflowImpl.class.getName();

  private ProfileSummary() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      System.err.println("usage: profile-summary FILE.jfr [TOP]");
      System.exit(2);
    }
    int top = args.length > 1 ? Integer.parseInt(args[1]) : 25;
    Map<String, Integer> groups = new HashMap<>();
    Map<String, Integer> inclusive = new HashMap<>();
    Map<String, Integer> self = new HashMap<>();
    Map<String, Integer> handInclusive = new HashMap<>();
    int total = 0;
    Duration firstCompile = null;
    Duration lastCompile = null;
    Duration gcPauses = Duration.ZERO;
    for (RecordedEvent event : RecordingFile.readAllEvents(Path.of(args[0]))) {
      switch (event.getEventType().getName()) {
        case "jdk.CompilerStatistics" -> {
          lastCompile = event.getDuration("totalTimeSpent");
          firstCompile = firstCompile == null ? lastCompile : firstCompile;
        }
        case "jdk.GarbageCollection" -> gcPauses = gcPauses.plus(event.getDuration("sumOfPauses"));
        case "jdk.ExecutionSample" -> {
          List<RecordedFrame> frames =
              event.getStackTrace() == null ? List.of() : event.getStackTrace().getFrames();
          if (frames.isEmpty()) {
            continue;
          }
          total++;
          String group;
          if (holds(frames, INTERPRETED)) {
            group = "interpreted incident: workflow code (" + INTERPRETED + " on the stack)";
            onStack(frames, inclusive);
            self.merge(name(frames.get(0).getMethod()), 1, Integer::sum);
          } else if (holds(frames, HAND_WRITTEN)) {
            group = "hand-written workflow: workflow code (" + HAND_WRITTEN + " on the stack)";
            onStack(frames, handInclusive);
          } else {
            var thread = event.getThread("sampledThread");
            group =
                "thread "
                    + (thread == null || thread.getJavaName() == null
                        ? "?"
                        : thread
                            .getJavaName()
                            .replaceAll("[0-9]+", "N")
                            .replaceAll("\"[^\"]*\"", "\"…\""));
          }
          groups.merge(group, 1, Integer::sum);
        }
        default -> {}
      }
    }
    System.out.printf(Locale.ROOT, "%d CPU samples of Java code%n", total);
    if (lastCompile != null) {
      System.out.printf(
          Locale.ROOT,
          "JIT compilation during the recording: %.1f s; GC pauses: %.2f s (neither is sampled)%n",
          (lastCompile.toMillis() - firstCompile.toMillis()) / 1000.0,
          gcPauses.toMillis() / 1000.0);
    }
    int interpreted =
        groups.entrySet().stream()
            .filter(e -> e.getKey().startsWith("interpreted"))
            .mapToInt(Map.Entry::getValue)
            .sum();
    int hand =
        groups.entrySet().stream()
            .filter(e -> e.getKey().startsWith("hand-written"))
            .mapToInt(Map.Entry::getValue)
            .sum();
    System.out.printf(Locale.ROOT, "%n## Where the samples fall%n");
    print(groups, total, 20);
    System.out.printf(
        Locale.ROOT,
        "%n## Interpreted incident's workflow code: on the stack (inclusive), of %d samples%n",
        interpreted);
    print(inclusive, interpreted, top);
    System.out.printf(
        Locale.ROOT,
        "%n## Interpreted incident's workflow code: top of stack (self), of %d samples%n",
        interpreted);
    print(self, interpreted, top);
    System.out.printf(
        Locale.ROOT,
        "%n## Hand-written workflow code: on the stack (inclusive), of %d samples%n",
        hand);
    print(handInclusive, hand, 10);
  }

  private static boolean holds(List<RecordedFrame> frames, String type) {
    return frames.stream()
        .anyMatch(f -> f.getMethod() != null && f.getMethod().getType().getName().equals(type));
  }

  /**
   * drctl methods, and whether CEL, protobuf, Jackson or Temporal's SDK code is anywhere on the
   * stack.
   */
  private static void onStack(List<RecordedFrame> frames, Map<String, Integer> counts) {
    Set<String> seen = new LinkedHashSet<>();
    for (RecordedFrame frame : frames) {
      String name = name(frame.getMethod());
      if (name.startsWith("io.drctl.")) {
        seen.add(name);
      } else if (name.startsWith("dev.cel.")) {
        seen.add("(any dev.cel frame: CEL)");
      } else if (name.startsWith("com.google.protobuf.")) {
        seen.add("(any com.google.protobuf frame)");
      } else if (name.startsWith("com.fasterxml.jackson.")) {
        seen.add("(any com.fasterxml.jackson frame: Jackson)");
      } else if (name.startsWith("io.temporal.")) {
        seen.add("(any io.temporal frame: SDK)");
      }
    }
    seen.forEach(n -> counts.merge(n, 1, Integer::sum));
  }

  private static String name(RecordedMethod method) {
    return method == null ? "?" : method.getType().getName() + "." + method.getName();
  }

  private static void print(Map<String, Integer> counts, int of, int limit) {
    counts.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
        .limit(limit)
        .forEach(
            e ->
                System.out.printf(
                    Locale.ROOT,
                    "%6d %5.1f%%  %s%n",
                    e.getValue(),
                    100.0 * e.getValue() / Math.max(1, of),
                    e.getKey()));
  }
}
