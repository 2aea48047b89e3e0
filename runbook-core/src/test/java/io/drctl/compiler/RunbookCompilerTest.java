package io.drctl.compiler;

import static org.assertj.core.api.Assertions.assertThat;

import io.drctl.plan.Plan;
import io.drctl.plan.PlanJson;
import io.drctl.plan.PlanStep;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunbookCompilerTest {
  private static final RunbookCompiler COMPILER = RunbookCompiler.standard();

  private static final String TARGETS =
      """
        "targets": {
          "db": {"kind": "postgres", "host": "127.0.0.1", "port": 5432, "password": "env:PGPASSWORD", "container": "pg"},
          "store": {"kind": "backupStore", "store": "local", "path": "/backups"}
        },
      """;

  static String runbook(String defaults, String inputs, String steps) {
    return "{\n  \"version\": \"1.2.3\",\n"
        + TARGETS
        + defaults
        + "  \"incidents\": [{\n    \"type\": \"demo\", \"title\": \"Demo\", \"severity\": \"high\",\n"
        + "    \"objectives\": {\"rto\": \"30m\", \"rpo\": \"15m\"},\n"
        + "    \"inputs\": {"
        + inputs
        + "},\n"
        + "    \"steps\": [\n"
        + steps
        + "\n    ]\n  }]\n}\n";
  }

  static CompileResult compile(String text) {
    return COMPILER.compile(new RunbookCompiler.Source("demo.json", text));
  }

  static Plan plan(String text) {
    CompileResult result = compile(text);
    assertThat(result.errors()).as("errors").isEmpty();
    return result.runbook().plan("demo").orElseThrow();
  }

  /** Diagnostics other than unused-target, which these small runbooks trigger on purpose. */
  private static List<Diagnostic> findings(CompileResult result) {
    return result.diagnostics().stream().filter(d -> !d.code().equals("unused-target")).toList();
  }

  static PlanStep step(Plan plan, String id) {
    return plan.steps().stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow();
  }

  @Test
  void stepsWithoutNeedsFollowThePreviousStepAndFallbacksStayOutOfTheChain() {
    Plan plan =
        plan(
            runbook(
                "",
                "",
                """
        {"id": "a", "action": "sleep", "with": {"duration": "1s"}},
        {"id": "b", "action": "sleep", "with": {"duration": "1s"}, "onFailure": ["rescue"]},
        {"id": "rescue", "action": "sleep", "with": {"duration": "1s"}},
        {"id": "c", "action": "sleep", "with": {"duration": "1s"}},
        {"id": "d", "action": "sleep", "needs": [], "with": {"duration": "1s"}}"""));
    assertThat(plan.steps()).extracting(PlanStep::id).containsExactly("a", "b", "rescue", "c", "d");
    assertThat(step(plan, "b").needs()).containsExactly("a");
    assertThat(step(plan, "rescue").fallback()).isTrue();
    assertThat(step(plan, "rescue").needs()).isEmpty();
    assertThat(step(plan, "c").needs()).containsExactly("b");
    assertThat(step(plan, "d").needs()).isEmpty();
  }

  @Test
  void defaultsResolveStepFirstThenActionThenRunbookThenBuiltIn() {
    Plan plan =
        plan(
            runbook(
                """
          "defaults": {"timeout": "5m", "heartbeat": "20s", "approvalTimeout": "2h",
                       "retry": {"maxAttempts": 4, "nonRetryable": ["BackupCorrupt"]}, "onExhausted": "fail"},
        """,
                "",
                """
        {"id": "ready", "action": "postgres.isReady", "with": {"target": "db"}},
        {"id": "own", "action": "shell.exec", "timeout": "90m", "retry": {"maxAttempts": 1}, "with": {"argv": ["true"]}},
        {"id": "ask", "action": "approval", "with": {"prompt": "go?"}}"""));
    PlanStep ready = step(plan, "ready");
    assertThat(ready.timeout())
        .isEqualTo("1m"); // the action's own default beats the runbook's generic one
    assertThat(ready.retry().maxAttempts()).isEqualTo(4);
    assertThat(ready.retry().nonRetryable()).containsExactly("BackupCorrupt");
    assertThat(ready.onExhausted().json()).isEqualTo("fail");
    PlanStep own = step(plan, "own");
    assertThat(own.timeout()).isEqualTo("1h30m");
    assertThat(own.retry().maxAttempts()).isEqualTo(1);
    assertThat(own.retry().nonRetryable()).containsExactly("BackupCorrupt");
    PlanStep ask = step(plan, "ask");
    assertThat(ask.timeout()).isEqualTo("2h");
    assertThat(ask.retry()).isNull();
    assertThat(ask.heartbeat()).isNull();
  }

  @Test
  void expressionsThatReadOnlyTargetsAreFoldedAtCompileTime() {
    Plan plan =
        plan(
            runbook(
                "",
                "\"who\": {\"type\": \"string\", \"description\": \"who\", \"default\": \"me\"}",
                """
        {"id": "say", "action": "shell.exec", "with": {
          "argv": ["echo", "${{ targets.db.host }}:${{ targets.db.port + 1 }}", "${{ inputs.who }}"]}}"""));
    assertThat(step(plan, "say").with().get("argv").toString())
        .isEqualTo("[\"echo\",\"127.0.0.1:5433\",\"${{ inputs.who }}\"]");
  }

  @Test
  void anExpressionInSqlTextIsTheTemplateInSqlErrorWhileParametersMayHoldOne() {
    CompileResult result =
        compile(
            runbook(
                "",
                "\"who\": {\"type\": \"string\", \"description\": \"who\", \"default\": \"me\"}",
                """
        {"id": "bound", "action": "postgres.query", "with": {"target": "db", "sql": "select $1",
          "parameters": ["${{ inputs.who }}"]}},
        {"id": "spliced", "action": "postgres.query", "with": {"target": "db", "sql": "select '${{ inputs.who }}'"}},
        {"id": "escaped", "action": "postgres.query", "with": {"target": "db", "sql": "select '$${{ literal }}'"}},
        {"id": "sample", "action": "postgres.verify", "with": {"target": "db",
          "sampleQueries": [{"sql": "select 1"}, {"sql": "select count(*) from ${{ inputs.who }}"}]}}"""));
    assertThat(result.ok()).isFalse();
    assertThat(findings(result))
        .extracting(Diagnostic::code, Diagnostic::pointer)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("template-in-sql", "/incidents/0/steps/1/with/sql"),
            org.assertj.core.groups.Tuple.tuple(
                "template-in-sql", "/incidents/0/steps/3/with/sampleQueries/1/sql"));
  }

  @Test
  void aConditionThatIsAlwaysFalseIsAWarningAndAlwaysTrueIsDropped() {
    CompileResult result =
        compile(
            runbook(
                "",
                "",
                """
        {"id": "never", "action": "sleep", "if": "targets.db.port == 1", "with": {"duration": "1s"}},
        {"id": "always", "action": "sleep", "if": "targets.db.port == 5432", "with": {"duration": "1s"}}"""));
    assertThat(result.ok()).isTrue();
    assertThat(findings(result))
        .extracting(Diagnostic::code, Diagnostic::pointer)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("never-runs", "/incidents/0/steps/0/if"));
    Plan plan = result.runbook().plan("demo").orElseThrow();
    assertThat(step(plan, "never").condition()).isEqualTo("targets.db.port == 1");
    assertThat(step(plan, "always").condition()).isNull();
  }

  @Test
  void stepsAfterAParallelStepMayReadEveryBranch() {
    Plan plan =
        plan(
            runbook(
                "",
                "",
                """
        {"id": "both", "action": "parallel", "branches": [
          {"name": "left", "steps": [{"id": "l1", "action": "postgres.isReady", "with": {"target": "db"}}]},
          {"name": "right", "steps": [
            {"id": "r1", "action": "sleep", "with": {"duration": "1s"}},
            {"id": "r2", "action": "sleep", "with": {"duration": "1s"}}]}]},
        {"id": "after", "action": "fail", "if": "!steps.l1.output.ready", "with": {"message": "still down: ${{ steps.r2.outcome }}"}}"""));
    PlanStep both = step(plan, "both");
    assertThat(both.branches())
        .extracting(PlanStep.PlanBranch::name)
        .containsExactly("left", "right");
    assertThat(both.branches().get(1).steps().get(1).needs()).containsExactly("r1");
    assertThat(step(plan, "after").needs()).containsExactly("both");
  }

  @Test
  void aBranchStepCannotReadASiblingBranch() {
    CompileResult result =
        compile(
            runbook(
                "",
                "",
                """
        {"id": "both", "action": "parallel", "branches": [
          {"name": "left", "steps": [{"id": "l1", "action": "postgres.isReady", "with": {"target": "db"}}]},
          {"name": "right", "steps": [{"id": "r1", "action": "fail", "if": "steps.l1.output.ready", "with": {"message": "x"}}]}]}"""));
    assertThat(result.errors())
        .extracting(Diagnostic::code, Diagnostic::pointer)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "not-yet-run", "/incidents/0/steps/0/branches/1/steps/0/if"));
  }

  @Test
  void waitUntilConditionsReadThePolledActionsResult() {
    Plan plan =
        plan(
            runbook(
                "",
                "",
                """
        {"id": "up", "action": "waitUntil", "timeout": "5m", "with": {
          "action": "postgres.isReady", "with": {"target": "db"}, "until": "result.ready", "interval": "2s"}}"""));
    assertThat(step(plan, "up").with().get("until").asText()).isEqualTo("result.ready");
    CompileResult wrong =
        compile(
            runbook(
                "",
                "",
                """
        {"id": "up", "action": "waitUntil", "with": {
          "action": "postgres.isReady", "with": {"target": "db"}, "until": "result.redy"}}"""));
    assertThat(wrong.errors())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.code()).isEqualTo("unknown-reference");
              assertThat(d.hint()).isEqualTo("did you mean 'ready'?");
            });
  }

  @Test
  void everyBrokenIncidentIsReportedInOneRun() {
    String text =
        """
        {
          "version": "1.0.0",
          "incidents": [
            {"type": "one", "title": "One", "severity": "low", "objectives": {"rto": "5m"},
             "steps": [{"id": "a", "action": "slep"}]},
            {"type": "two", "title": "Two", "severity": "low", "objectives": {"rto": "5m"},
             "steps": [{"id": "b", "action": "sleep", "timout": "1m", "with": {"duration": "1s"}}]},
            {"type": "three", "title": "Three", "severity": "low", "objectives": {"rto": "5m"},
             "steps": [{"id": "c", "action": "sleep", "needs": ["z"], "with": {"duration": "1s"}}]}
          ]
        }
        """;
    CompileResult result = compile(text);
    assertThat(result.errors())
        .extracting(Diagnostic::code, Diagnostic::line)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("unknown-action", 5),
            org.assertj.core.groups.Tuple.tuple("unknown-property", 7),
            org.assertj.core.groups.Tuple.tuple("unknown-step", 9));
  }

  @Test
  void thePlanHashIsStableAndChangesWithTheContent() {
    String text =
        runbook("", "", "{\"id\": \"a\", \"action\": \"sleep\", \"with\": {\"duration\": \"1s\"}}");
    Plan first = plan(text);
    Plan again = plan(text.replace("\"version\": \"1.2.3\",", "\"version\":   \"1.2.3\" ,"));
    Plan changed = plan(text.replace("\"1s\"", "\"2s\""));
    assertThat(first.hash()).hasSize(64).isEqualTo(PlanJson.hash(first)).isEqualTo(again.hash());
    assertThat(first.sourceHash())
        .isNotEqualTo(again.sourceHash()); // the file changed, what runs did not
    assertThat(changed.hash()).isNotEqualTo(first.hash());
  }

  @Test
  void plansRoundTripThroughJson() throws Exception {
    Plan plan =
        plan(
            runbook(
                "",
                "\"until\": {\"type\": \"timestamp\", \"description\": \"t\", \"required\": true}",
                """
        {"id": "pick", "action": "backup.select", "with": {"store": "store", "service": "postgresql", "selector": "latest"}},
        {"id": "ask", "action": "approval", "with": {"prompt": "restore ${{ steps.pick.output.backupId }} then PITR to ${{ inputs.until }}?"}},
        {"id": "restore", "action": "postgres.restore", "with": {"target": "db", "store": "store", "from": "${{ steps.pick.output.backupId }}"}}"""));
    String json = PlanJson.mapper().writeValueAsString(plan);
    Plan read = PlanJson.mapper().readValue(json, Plan.class);
    assertThat(read).isEqualTo(plan);
    assertThat(PlanJson.hash(read)).isEqualTo(plan.hash());
  }

  @Test
  void aTargetsFileReplacesTargetsByNameAndKind() {
    String text =
        runbook(
            "",
            "",
            "{\"id\": \"ready\", \"action\": \"postgres.isReady\", \"with\": {\"target\": \"db\"}}");
    String staging =
        """
        {"environment": "staging", "targets": {
          "db": {"kind": "postgres", "host": "staging.internal", "port": 6432}}}
        """;
    CompileResult result =
        COMPILER.compile(
            new RunbookCompiler.Source("demo.json", text),
            new RunbookCompiler.Source("staging.json", staging));
    assertThat(result.errors()).isEmpty();
    Plan plan = result.runbook().plan("demo").orElseThrow();
    assertThat(plan.targets().get("db").properties().get("host").asText())
        .isEqualTo("staging.internal");
    CompileResult wrongKind =
        COMPILER.compile(
            new RunbookCompiler.Source("demo.json", text),
            new RunbookCompiler.Source(
                "staging.json", staging.replace("\"postgres\"", "\"redis\"")));
    assertThat(wrongKind.errors())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.file()).isEqualTo("staging.json");
              assertThat(d.code()).isEqualTo("wrong-target-kind");
              assertThat(d.pointer()).isEqualTo("/targets/db/kind");
            });
  }

  @Test
  void lintSeveritiesFollowTheRunbooksPolicy() {
    String destructive =
        """
        {"id": "restore", "action": "postgres.restore", "with": {"target": "db", "store": "store", "from": "latest"}}""";
    assertThat(compile(runbook("", "", destructive)).errors())
        .extracting(Diagnostic::code)
        .containsExactly("destructive-without-guard");
    CompileResult relaxed =
        compile(
            runbook(
                "  \"policy\": {\"rules\": {\"destructive-without-guard\": \"warning\"}},\n",
                "",
                destructive));
    assertThat(relaxed.ok()).isTrue();
    assertThat(findings(relaxed))
        .extracting(Diagnostic::severity)
        .containsExactly(Diagnostic.Severity.WARNING);
    CompileResult guarded =
        compile(
            runbook(
                "",
                "",
                """
        {"id": "safety", "action": "postgres.snapshot", "with": {"target": "db", "store": "store"}},"""
                    + destructive));
    assertThat(findings(guarded)).isEmpty();
  }

  @Test
  void aTargetWithADashCannotBeReadInAnExpressionAndTheHintSaysWhy() {
    String text =
        runbook(
                "",
                "",
                "{\"id\": \"say\", \"action\": \"shell.exec\", \"with\": {\"argv\": [\"echo\", \"${{ targets.pg-main.host }}\"]}}")
            .replace(
                "\"db\": {\"kind\"",
                "\"pg-main\": {\"kind\": \"postgres\", \"host\": \"h\", \"port\": 1}, \"db\": {\"kind\"");
    assertThat(compile(text).errors())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.code()).isEqualTo("unknown-reference");
              assertThat(d.message())
                  .isEqualTo(
                      "'pg-main' cannot be read in an expression: '-' is subtraction in CEL");
              assertThat(d.hint())
                  .isEqualTo("rename the target to use '_' instead of '-', e.g. 'pg_main'");
            });
  }

  @Test
  void aStepReadingItsOwnOutputIsToldSoRatherThanToNeedItself() {
    CompileResult result =
        compile(
            runbook(
                "",
                "",
                """
        {"id": "ready", "action": "postgres.isReady", "if": "steps.ready.output.ready", "with": {"target": "db"}}"""));
    assertThat(result.errors())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.code()).isEqualTo("not-yet-run");
              assertThat(d.message())
                  .isEqualTo("step 'ready' reads its own output.ready, which does not exist yet");
            });
  }

  @Test
  void foldingKeepsAnEscapedOpenerLiteral() {
    Plan plan =
        plan(
            runbook(
                "",
                "",
                """
        {"id": "say", "action": "shell.exec", "with": {"argv": ["echo", "$${{ not this }} ${{ targets.db.port }}"]}}"""));
    assertThat(step(plan, "say").with().get("argv").get(1).asText())
        .isEqualTo("$${{ not this }} 5432");
  }

  @Test
  void unusedInputsAreLintWarnings() {
    CompileResult result =
        compile(
            runbook(
                "",
                "\"why\": {\"type\": \"string\", \"description\": \"reason\"}",
                "{\"id\": \"a\", \"action\": \"sleep\", \"with\": {\"duration\": \"1s\"}}"));
    assertThat(result.ok()).isTrue();
    assertThat(findings(result))
        .extracting(Diagnostic::code, Diagnostic::pointer)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("unused-input", "/incidents/0/inputs/why"));
    assertThat(result.diagnostics())
        .extracting(Diagnostic::code, Diagnostic::pointer)
        .contains(org.assertj.core.groups.Tuple.tuple("unused-target", "/targets/store"));
  }

  @Test
  void theShippedCatalogRejectsDuplicateRegistrations() {
    var builder = io.drctl.catalog.ActionCatalog.builder();
    io.drctl.catalog.StandardActionPacks.all().forEach(builder::register);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                builder.register(
                    new io.drctl.catalog.ResourceActionPack(
                        "again", "io/drctl/catalog/shell.json")))
        .hasMessageContaining("registered twice");
    assertThat(List.copyOf(io.drctl.catalog.ActionCatalog.standard().names()))
        .contains("approval", "postgres.pitr", "shell.exec");
  }
}
