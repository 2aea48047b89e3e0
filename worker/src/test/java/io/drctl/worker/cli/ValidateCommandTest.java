package io.drctl.worker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidateCommandTest {
  private static final String VALID =
      """
      {
        "version": "1.0.0",
        "incidents": [{
          "type": "demo", "title": "Demo", "severity": "low", "objectives": {"rto": "5m"},
          "steps": [{"id": "nap", "action": "sleep", "with": {"duration": "1s"}}]
        }]
      }
      """;

  @TempDir Path dir;

  private Path write(String name, String text) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, text);
    return file;
  }

  @Test
  void aValidRunbookExitsZeroAndSaysHowManyIncidents() throws Exception {
    CliRun run = CliRun.of("validate", write("ok.json", VALID).toString());
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("ok.json: valid, 1 incident").doesNotContain("1 incidents");
  }

  @Test
  void anInvalidRunbookExitsTwoWithFileLineColumnPointerAndHint() throws Exception {
    Path file = write("bad.json", VALID.replace("\"with\"", "\"wiht\""));
    CliRun run = CliRun.of("validate", file.toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.out())
        .contains(file + ":5:48: error[unknown-property] unknown property 'wiht'")
        .contains("at /incidents/0/steps/0/wiht")
        .contains("hint: did you mean 'with'?")
        .contains("bad.json: invalid, 1 error\n");
  }

  @Test
  void warningsFailOnlyUnderStrictAndLint() throws Exception {
    Path file =
        write(
            "warn.json",
            VALID.replace(
                "\"objectives\"",
                "\"inputs\": {\"why\": {\"type\": \"string\", \"description\": \"reason\"}}, \"objectives\""));
    assertThat(CliRun.of("validate", file.toString()).exitCode()).isZero();
    assertThat(CliRun.of("validate", "--strict", file.toString()).exitCode()).isEqualTo(1);
    CliRun lint = CliRun.of("lint", file.toString());
    assertThat(lint.exitCode()).isEqualTo(1);
    assertThat(lint.out()).contains("warning[unused-input] input 'why' is never read");
  }

  @Test
  void jsonFormatReportsEveryFileForTools() throws Exception {
    Path good = write("ok.json", VALID);
    Path bad = write("bad.json", "{\"version\": 1}");
    CliRun run = CliRun.of("validate", "--format", "json", good.toString(), bad.toString());
    assertThat(run.exitCode()).isEqualTo(2);
    JsonNode report = new ObjectMapper().readTree(run.out());
    assertThat(report.at("/files/0/valid").asBoolean()).isTrue();
    assertThat(report.at("/files/0/incidents/0").asText()).isEqualTo("demo");
    assertThat(report.at("/files/1/valid").asBoolean()).isFalse();
    assertThat(report.at("/files/1/diagnostics/0/severity").asText()).isEqualTo("error");
    assertThat(report.at("/files/1/diagnostics").findValuesAsText("pointer"))
        .contains("/version", "");
  }

  @Test
  void garbageInputNeverShowsAStackTrace() throws Exception {
    byte[] noise = new byte[4096];
    new java.util.Random(7).nextBytes(noise);
    Path file = dir.resolve("noise.json");
    Files.write(file, noise);
    CliRun run = CliRun.of("validate", file.toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.out() + run.err()).doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void aMissingFileIsAClearError() {
    CliRun run = CliRun.of("validate", dir.resolve("nope.json").toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("nope.json: no such file");
  }

  @Test
  void anUnknownCommandSuggestsTheClosestOne() {
    CliRun run = CliRun.of("valdate", "x.json");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("validate");
  }
}
