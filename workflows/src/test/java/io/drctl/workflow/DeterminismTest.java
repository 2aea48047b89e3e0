package io.drctl.workflow;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * Workflow code must replay the same way every time: no clock, randomness, environment, threads,
 * files or plain loggers in the workflow, the interpreter, or what they use to evaluate plans.
 */
class DeterminismTest {
  private static final JavaClasses DECISION_CODE = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.drctl.workflow", "io.drctl.interpreter", "io.drctl.expression", "io.drctl.plan");

  @Test
  void decisionCodeReadsNoClockRandomnessOrEnvironment() {
    noClasses().should().callMethod(System.class, "currentTimeMillis")
        .orShould().callMethod(System.class, "nanoTime")
        .orShould().callMethod(System.class, "getenv", String.class)
        .orShould().callMethod(System.class, "getenv")
        .orShould().callMethod(java.time.Instant.class, "now")
        .orShould().callMethod(java.time.LocalDateTime.class, "now")
        .orShould().callMethod(java.time.OffsetDateTime.class, "now")
        .orShould().callMethod(java.util.UUID.class, "randomUUID")
        .orShould().callMethod(Math.class, "random")
        .orShould().callMethod(Thread.class, "sleep", long.class)
        .orShould().callConstructor(java.util.Random.class)
        .orShould().callConstructor(Thread.class, Runnable.class)
        .because("workflow code must be deterministic; use Workflow.currentTimeMillis(), Workflow.randomUUID(), Workflow.sleep()")
        .check(DECISION_CODE);
  }

  @Test
  void decisionCodeDoesNoIoAndUsesTheWorkflowLogger() {
    noClasses().should().dependOnClassesThat().resideInAnyPackage("java.io..", "java.nio.file..", "java.net..")
        .orShould().callMethod(org.slf4j.LoggerFactory.class, "getLogger", Class.class)
        .because("side effects belong in activities; workflow logging goes through Workflow.getLogger()")
        .check(new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.drctl.workflow", "io.drctl.interpreter"));
  }
}
