package io.drctl.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.drctl.compiler.CompiledRunbook;
import io.drctl.compiler.RunbookCompiler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** A plan's hash names what runs, not how the runbook file is laid out. */
class PlanHashTest {
  private static final Path SEED = Path.of("..", "runbooks", "dr-runbook.json");

  @Test
  void reformattingTheRunbookKeepsEveryPlanHashIncludingPlansThatPinChildren() throws IOException {
    String text = Files.readString(SEED);
    ObjectMapper json = new ObjectMapper();
    String reformatted =
        json.writerWithDefaultPrettyPrinter().writeValueAsString(json.readTree(text));
    CompiledRunbook original = compile(text);
    CompiledRunbook copy = compile(reformatted);

    assertThat(copy.sourceHash()).isNotEqualTo(original.sourceHash());
    assertThat(original.plan("dr_drill_monthly").orElseThrow().childPlans()).isNotEmpty();
    assertThat(hashes(copy)).isEqualTo(hashes(original));
  }

  private static CompiledRunbook compile(String text) {
    return RunbookCompiler.standard()
        .compile(new RunbookCompiler.Source("dr-runbook.json", text))
        .runbook();
  }

  private static Map<String, String> hashes(CompiledRunbook runbook) {
    Map<String, String> hashes = new TreeMap<>();
    runbook.plans().forEach((type, plan) -> hashes.put(type, plan.hash()));
    return hashes;
  }
}
