package io.drctl.worker.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a Node script of {@code src/test/ui} that drives headless Chromium through Playwright.
 *
 * <p>The script gets one JSON argument and must print its findings as one line {@code RESULT
 * <json>}. It writes a screenshot and the page's text for every stage into the screenshot
 * directory, and on failure a {@code failure.png}; the assertion message names them.
 */
public final class PlaywrightScript {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String RESULT = "RESULT ";

  private PlaywrightScript() {}

  public static JsonNode run(
      UiTestTools tools, Path script, JsonNode config, Path screenshots, Duration timeout)
      throws IOException, InterruptedException {
    Path log = screenshots.resolve("playwright.log");
    ProcessBuilder builder =
        new ProcessBuilder(
                tools.node().toString(),
                script.toAbsolutePath().toString(),
                JSON.writeValueAsString(config))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().put("DRCTL_PLAYWRIGHT_CORE", tools.playwrightCore().toString());
    builder.environment().put("DRCTL_CHROMIUM", tools.chromium().toString());
    Process process = builder.start();
    boolean finished = process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS);
    if (!finished) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    List<String> lines = Files.readAllLines(log);
    lines.forEach(line -> System.out.println("[playwright] " + line));
    String where =
        "; screenshots and page text in "
            + screenshots.toAbsolutePath()
            + ", log "
            + log.toAbsolutePath();
    if (!finished) {
      throw new AssertionError(
          "the browser script did not finish within " + timeout.toSeconds() + "s" + where);
    }
    if (process.exitValue() != 0) {
      throw new AssertionError(
          "the browser script failed (exit "
              + process.exitValue()
              + "): "
              + String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()))
              + "\n"
              + where);
    }
    return lines.stream()
        .filter(line -> line.startsWith(RESULT))
        .reduce((first, second) -> second)
        .map(line -> read(line.substring(RESULT.length())))
        .orElseThrow(() -> new AssertionError("the browser script printed no RESULT line" + where));
  }

  private static JsonNode read(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new AssertionError("the browser script's RESULT is not JSON: " + text, e);
    }
  }
}
