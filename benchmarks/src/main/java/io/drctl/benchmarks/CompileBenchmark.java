package io.drctl.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.drctl.compiler.CompileResult;
import io.drctl.compiler.RunbookCompiler;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Compile time of a generated runbook. The baseline, measured in the same run, is Jackson's {@code
 * readTree} of the same text: the least any JSON tool does with the file.
 *
 * <p>Run: {@code benchmarks/run CompileBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CompileBenchmark {
  @Param({"2000"})
  int steps;

  private String text;
  private RunbookCompiler compiler;
  private final ObjectMapper json = new ObjectMapper();

  @Setup(Level.Trial)
  public void setUp() {
    text = GeneratedRunbook.of(steps);
    compiler = RunbookCompiler.standard();
    CompileResult check = compiler.compile(new RunbookCompiler.Source("generated.json", text));
    if (!check.ok()) {
      throw new IllegalStateException("the generated runbook is invalid: " + check.errors());
    }
  }

  @Benchmark
  public JsonNode baselineJacksonReadTree() throws Exception {
    return json.readTree(text);
  }

  @Benchmark
  public CompileResult compile() {
    return compiler.compile(new RunbookCompiler.Source("generated.json", text));
  }
}
