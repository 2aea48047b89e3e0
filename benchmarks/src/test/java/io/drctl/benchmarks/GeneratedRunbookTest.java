package io.drctl.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.drctl.compiler.CompileResult;
import io.drctl.compiler.RunbookCompiler;
import org.junit.jupiter.api.Test;

class GeneratedRunbookTest {
  @Test
  void theGeneratedBenchmarkRunbookCompilesWithoutFindings() {
    CompileResult result =
        RunbookCompiler.standard()
            .compile(new RunbookCompiler.Source("g.json", GeneratedRunbook.of(200)));
    assertThat(result.diagnostics()).isEmpty();
    assertThat(result.runbook().plan("generated").orElseThrow().steps()).hasSize(160);
  }
}
