package io.drctl.compiler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The corpus of invalid runbooks under {@code src/test/resources/invalid}: each file holds exactly
 * one mistake, and {@code expectations.json} names the first error the compiler must report for it.
 *
 * <p>A file may come with an environment's targets file ({@code NAME.targets.json}), named by its
 * expectation's {@code targets}; the error is then expected in that file. An expectation marked
 * {@code knownBug} describes what the compiler should do but does not yet; it is skipped.
 */
class InvalidRunbookCorpusTest {
  private static final RunbookCompiler COMPILER = RunbookCompiler.standard();
  private static final String EXPECTATIONS = "expectations.json";
  private static final String TARGETS_SUFFIX = ".targets.json";
  private static final int MINIMUM_CORPUS_SIZE = 45;

  /**
   * The first error expected for one corpus file. Optional fields are null when not checked.
   *
   * @param targets targets file passed along with the runbook
   * @param file the file the error is expected in; the runbook itself when null
   * @param messageLacks text the message must not contain (e.g. a secret)
   * @param errorCount how many errors in all, when the mistake should cause no other
   * @param knownBug what the compiler gets wrong today; the file is skipped until it is fixed
   */
  record Expectation(
      @JsonProperty(required = true) String code,
      @JsonProperty(required = true) String pointer,
      @JsonProperty(required = true) int line,
      Integer column,
      String messageContains,
      String messageLacks,
      String hintContains,
      Integer errorCount,
      String targets,
      String file,
      String knownBug) {}

  /** The part of a diagnostic that an expectation pins down exactly. */
  record Location(String file, String code, String pointer, int line) {
    static Location of(Diagnostic diagnostic) {
      return new Location(
          diagnostic.file(), diagnostic.code(), diagnostic.pointer(), diagnostic.line());
    }
  }

  @TestFactory
  Stream<DynamicTest> eachInvalidRunbookIsRejectedWithItsExpectedFirstError() {
    return expectations().entrySet().stream()
        .map(
            entry ->
                DynamicTest.dynamicTest(
                    entry.getKey(), () -> check(entry.getKey(), entry.getValue())));
  }

  @Test
  void everyCorpusFileHasAnExpectationAndEveryExpectationAFile() {
    Map<String, Expectation> expectations = expectations();
    Set<String> runbooks = new TreeSet<>();
    Set<String> targetsFiles = new TreeSet<>();
    for (String name : corpusFiles()) {
      (name.endsWith(TARGETS_SUFFIX) ? targetsFiles : runbooks).add(name);
    }
    Set<String> referencedTargets =
        expectations.values().stream()
            .map(Expectation::targets)
            .filter(t -> t != null)
            .collect(Collectors.toCollection(TreeSet::new));

    assertThat(expectations.keySet())
        .as("runbooks with an expectation")
        .containsExactlyInAnyOrderElementsOf(runbooks);
    assertThat(referencedTargets)
        .as("targets files named by an expectation")
        .containsExactlyInAnyOrderElementsOf(targetsFiles);
  }

  @Test
  void corpusHasAtLeastFortyFiveMistakesThatTheCompilerCatchesToday() {
    long caught = expectations().values().stream().filter(e -> e.knownBug() == null).count();

    assertThat(caught).isGreaterThanOrEqualTo(MINIMUM_CORPUS_SIZE);
  }

  @Test
  void minimalRunbookTheCorpusIsBasedOnCompilesWithoutAnyDiagnostic() {
    CompileResult result =
        COMPILER.compile(
            new RunbookCompiler.Source(
                "minimal.json", read(resource("valid").resolve("minimal.json"))));

    assertThat(result.diagnostics()).isEmpty();
    assertThat(result.ok()).isTrue();
  }

  private static void check(String name, Expectation expected) {
    Assumptions.assumeTrue(expected.knownBug() == null, () -> "known bug: " + expected.knownBug());
    Path folder = corpus();
    RunbookCompiler.Source targets =
        expected.targets() == null
            ? null
            : new RunbookCompiler.Source(
                expected.targets(), read(folder.resolve(expected.targets())));
    CompileResult result =
        compileWithoutException(
            name, new RunbookCompiler.Source(name, read(folder.resolve(name))), targets);
    String report =
        result.diagnostics().stream().map(Diagnostic::format).collect(Collectors.joining("\n"));
    Location location =
        new Location(
            expected.file() == null ? name : expected.file(),
            expected.code(),
            expected.pointer(),
            expected.line());
    List<Diagnostic> errors = result.errors();

    assertThat(result.ok()).as("%s compiled, with diagnostics:\n%s", name, report).isFalse();
    assertThat(errors).as("errors").isNotEmpty();
    assertThat(errors.stream().map(Location::of))
        .as("errors reported:\n%s", report)
        .contains(location);
    Diagnostic first = errors.get(0);
    assertThat(Location.of(first)).as("first error, of:\n%s", report).isEqualTo(location);
    if (expected.column() != null) {
      assertThat(first.column()).as("column of %s", first.format()).isEqualTo(expected.column());
    }
    if (expected.messageContains() != null) {
      assertThat(first.message()).contains(expected.messageContains());
    }
    if (expected.messageLacks() != null) {
      assertThat(first.message()).doesNotContain(expected.messageLacks());
    }
    if (expected.hintContains() != null) {
      assertThat(first.hint())
          .as("hint of %s", first.format())
          .isNotNull()
          .contains(expected.hintContains());
    }
    if (expected.errorCount() != null) {
      assertThat(errors).as("errors reported:\n%s", report).hasSize(expected.errorCount());
    }
    for (Diagnostic diagnostic : result.diagnostics()) {
      assertThat(diagnostic.message() + "\n" + diagnostic.hint())
          .as("no stack trace or exception in %s", diagnostic.format())
          .doesNotContain("Exception")
          .doesNotContain("\tat ");
    }
  }

  private static CompileResult compileWithoutException(
      String name, RunbookCompiler.Source runbook, RunbookCompiler.Source targets) {
    try {
      return COMPILER.compile(runbook, targets);
    } catch (RuntimeException | StackOverflowError e) {
      return fail(name + ": compile threw instead of reporting a diagnostic", e);
    }
  }

  private static Map<String, Expectation> expectations() {
    ObjectMapper json =
        JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    try {
      return json.readValue(
          corpus().resolve(EXPECTATIONS).toFile(),
          json.getTypeFactory()
              .constructMapType(LinkedHashMap.class, String.class, Expectation.class));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> corpusFiles() {
    try (Stream<Path> files = Files.list(corpus())) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".json") && !n.equals(EXPECTATIONS))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path corpus() {
    return resource("invalid");
  }

  private static Path resource(String folder) {
    try {
      return Path.of(InvalidRunbookCorpusTest.class.getResource("/" + folder).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
