package io.drctl.worker;

import static com.tngtech.archunit.core.domain.JavaCall.Predicates.target;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.name;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.nameMatching;
import static com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The rules of the module graph, checked over the main classes of every module (the worker's test
 * classpath holds them all):
 *
 * <pre>
 *   runbook-core  &lt;-  workflows   &lt;-  worker
 *   runbook-core  &lt;-  activities  &lt;-  worker      (runbook-core &lt;- store &lt;- activities; activities &lt;- sandbox &lt;- worker)
 * </pre>
 *
 * <p>No package depends on a package that depends back on it; the core knows nothing of Temporal;
 * nothing imports the worker; and workflow code replays the same way every time.
 */
class ArchitectureTest {
  /** Where the runbook core lives: pure, no I/O, no Temporal. */
  private static final String[] CORE = {
    "io.drctl.source..",
    "io.drctl.runbook..",
    "io.drctl.catalog..",
    "io.drctl.expression..",
    "io.drctl.compiler..",
    "io.drctl.steps..",
    "io.drctl.plan..",
    "io.drctl.interpreter..",
    "io.drctl.alerts.."
  };

  /**
   * Every module's main classes: from target/classes when Maven runs the test phase, from the
   * modules' jars when it runs verify (so jars are imported), never their tests or test-jars.
   */
  private static final JavaClasses ALL =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .withImportOption(location -> !location.contains("-tests.jar"))
          .importPackages("io.drctl");

  /** Code that runs inside a workflow, or that the interpreter uses to evaluate plans. */
  private static final JavaClasses DECISION_CODE =
      ALL.that(
          resideInAnyPackage(
              "io.drctl.workflow..",
              "io.drctl.interpreter..",
              "io.drctl.steps..",
              "io.drctl.expression..",
              "io.drctl.plan.."));

  @Test
  void noPackageDependsOnAPackageThatDependsBackOnIt() {
    slices().matching("io.drctl.(**)").should().beFreeOfCycles().check(ALL);
  }

  @Test
  void modulesDependOnlyDownwards() {
    layeredArchitecture()
        .consideringOnlyDependenciesInLayers()
        .layer("core")
        .definedBy(CORE)
        .layer("workflows")
        .definedBy("io.drctl.workflow..")
        .layer("store")
        .definedBy("io.drctl.store..")
        .layer("activities")
        .definedBy("io.drctl.activities..")
        .layer("sandbox")
        .definedBy("io.drctl.sandbox..")
        .layer("worker")
        .definedBy("io.drctl.worker..")
        .whereLayer("worker")
        .mayNotBeAccessedByAnyLayer()
        .whereLayer("sandbox")
        .mayOnlyBeAccessedByLayers("worker")
        .whereLayer("workflows")
        .mayOnlyBeAccessedByLayers("worker")
        .whereLayer("activities")
        .mayOnlyBeAccessedByLayers("sandbox", "worker")
        .whereLayer("store")
        .mayOnlyBeAccessedByLayers("activities", "sandbox", "worker")
        .whereLayer("core")
        .mayOnlyBeAccessedByLayers("store", "workflows", "activities", "sandbox", "worker")
        .check(ALL);
  }

  @Test
  void theCoreKnowsNothingOfTemporal() {
    noClasses()
        .that()
        .resideInAnyPackage(CORE)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.temporal..")
        .because(
            "runbook-core is the pure model, compiler and interpreter; the Temporal glue is the workflows module")
        .check(ALL);
  }

  @Test
  void decisionCodeReadsNoClockRandomnessOrEnvironment() {
    noClasses()
        .should()
        .callMethodWhere(
            target(owner(name(System.class.getName())))
                .and(
                    target(
                        nameMatching(
                            "currentTimeMillis|nanoTime|getenv|getProperty|getProperties"))))
        .orShould()
        .callMethodWhere(target(owner(nameMatching("java\\.time\\..*"))).and(target(name("now"))))
        .orShould()
        .dependOnClassesThat()
        .areAssignableTo(java.time.Clock.class)
        .orShould()
        .callMethod(java.util.UUID.class, "randomUUID")
        .orShould()
        .callMethod(Math.class, "random")
        .orShould()
        .callMethod(Thread.class, "sleep", long.class)
        .orShould()
        .callConstructor(java.util.Random.class)
        .orShould()
        .callConstructor(Thread.class, Runnable.class)
        .because(
            "workflow code must be deterministic; use Workflow.currentTimeMillis(), Workflow.randomUUID(), Workflow.sleep()")
        .check(DECISION_CODE);
  }

  @Test
  void decisionCodeDoesNoIoAndUsesTheWorkflowLogger() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("java.io..", "java.nio.file..", "java.net..")
        .orShould()
        .callMethod(org.slf4j.LoggerFactory.class, "getLogger", Class.class)
        .because(
            "side effects belong in activities; workflow logging goes through Workflow.getLogger()")
        .check(ALL.that(resideInAnyPackage("io.drctl.workflow..", "io.drctl.interpreter..")));
  }

  @Test
  void activitiesTakeScratchSpaceOnlyFromOwnedTempDirectory() {
    noClasses()
        .that()
        .doNotHaveFullyQualifiedName("io.drctl.activities.process.OwnedTempDirectory")
        .should()
        .callMethodWhere(
            target(owner(name(java.nio.file.Files.class.getName())))
                .and(target(nameMatching("createTempDirectory|createTempFile"))))
        .orShould()
        .callMethodWhere(
            target(owner(name(java.io.File.class.getName()))).and(target(name("createTempFile"))))
        .because(
            "a worker killed during a step leaves its scratch space: OwnedTempDirectory's are swept"
                + " by the next one made on that host (docs/architecture.md)")
        .check(ALL.that(resideInAnyPackage("io.drctl.activities..")));
  }
}
