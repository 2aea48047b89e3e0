package io.drctl.benchmarks;

import io.drctl.activities.process.OwnedTempDirectory;
import io.drctl.store.local.LocalDirectories;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What every activity pays for its scratch directory before it starts: the sweep of the directories
 * of its kind that workers on the host left (OwnedTempDirectory). It runs among {@code live}
 * directories of steps still running in this worker, none of them stale, as a busy worker has.
 * Ours: directories whose names say whose they are. The baseline, in the same run: the same number
 * of directories as drctl made them before, whose owner is in a file.
 *
 * <p>Run: {@code benchmarks/run ScratchSweepBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ScratchSweepBenchmark {
  private static final String NAMED = "drctl-bench-named-";
  private static final String FILED = "drctl-bench-filed-";

  @Param({"1", "50", "200"})
  int live;

  private Path parent;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    parent = Files.createTempDirectory("drctl-bench-sweep");
    ProcessHandle self = ProcessHandle.current();
    String owner = self.pid() + " " + self.info().startInstant().orElseThrow().toEpochMilli();
    for (int i = 0; i < live; i++) {
      Path created = OwnedTempDirectory.create(NAMED);
      Files.move(created, parent.resolve(created.getFileName()));
      Path filed = Files.createDirectory(parent.resolve(FILED + i));
      Files.writeString(filed.resolve(OwnedTempDirectory.OWNER_FILE), owner + "\n");
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    LocalDirectories.deleteRecursively(parent);
  }

  @Benchmark
  public List<Path> baselineOwnerFiles() throws Exception {
    return swept(FILED);
  }

  @Benchmark
  public List<Path> ownerInTheName() throws Exception {
    return swept(NAMED);
  }

  private List<Path> swept(String prefix) throws Exception {
    List<Path> swept = OwnedTempDirectory.sweep(parent, prefix);
    if (!swept.isEmpty()) {
      throw new IllegalStateException("a live directory was swept: " + swept);
    }
    return swept;
  }
}
