package io.drctl.worker.ui;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.drctl.testing.TemporalCliLocation;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The programs the Web UI test drives: the Temporal CLI (its dev server serves the Web UI),
 * Chromium, node and npm's playwright-core. {@code bin/setup temporal browser} installs all four
 * and exports where they are; without that env file the cache defaults are used.
 */
public record UiTestTools(Path temporalCli, Path chromium, Path node, Path playwrightCore) {
  private static final String SETUP =
      "run `bin/setup temporal browser` (or bin/test, which runs it)";

  /** Finds the tools, or aborts the test (skipped, not failed) naming what is missing. */
  public static UiTestTools findOrSkip() {
    Path cache = TemporalCliLocation.cache();
    Path cli = TemporalCliLocation.expected();
    assumeTrue(
        Files.isExecutable(cli),
        "no Temporal CLI at " + cli + " to run the dev server and its Web UI; " + SETUP);
    Path chromium = env("DRCTL_CHROMIUM").map(Path::of).orElse(Path.of("/usr/bin/chromium"));
    assumeTrue(Files.isExecutable(chromium), "no Chromium at " + chromium + "; " + SETUP);
    Optional<Path> node = onPath("node");
    assumeTrue(node.isPresent(), "no `node` on PATH to run the Playwright script; " + SETUP);
    Path modules =
        env("DRCTL_NODE_MODULES").map(Path::of).orElse(cache.resolve("node/node_modules"));
    Path playwright = modules.resolve("playwright-core");
    assumeTrue(
        Files.isRegularFile(playwright.resolve("package.json")),
        "npm package playwright-core not found in " + modules + "; " + SETUP);
    return new UiTestTools(cli, chromium, node.get(), playwright);
  }

  private static Optional<String> env(String name) {
    return Optional.ofNullable(System.getenv(name)).filter(v -> !v.isBlank());
  }

  private static Optional<Path> onPath(String program) {
    String path = System.getenv().getOrDefault("PATH", "");
    return Stream.of(path.split(File.pathSeparator))
        .filter(dir -> !dir.isEmpty())
        .map(dir -> Path.of(dir, program))
        .filter(Files::isExecutable)
        .findFirst();
  }
}
