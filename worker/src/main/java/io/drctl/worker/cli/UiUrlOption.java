package io.drctl.worker.cli;

import io.drctl.activities.notify.NotifyOptions;
import java.net.URI;
import java.net.URISyntaxException;
import picocli.CommandLine.Option;

/**
 * {@code --ui-url}: where the Temporal Web UI is, so drctl can link to an incident's page there.
 */
final class UiUrlOption {
  @Option(
      names = "--ui-url",
      paramLabel = "URL",
      defaultValue = "${env:DRCTL_UI_URL}",
      description =
          "Base URL of the Temporal Web UI, e.g. https://temporal.internal:8233 (default: $DRCTL_UI_URL;"
              + " drctl dev: its own UI). Notifications and drctl start link to each incident's page there.")
  String url;

  /** The notify backend's settings: the Temporal UI its messages link to, if any. */
  NotifyOptions notifyOptions() {
    if (url == null || url.isBlank()) {
      return NotifyOptions.defaults();
    }
    try {
      return NotifyOptions.linkingTo(new URI(url.strip()));
    } catch (URISyntaxException | IllegalArgumentException e) {
      throw new Failures.UserError("--ui-url: " + e.getMessage());
    }
  }
}
