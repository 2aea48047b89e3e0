package io.drctl.worker.drill;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.drctl.sandbox.SandboxLayout;
import io.drctl.sandbox.SandboxTargets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The targets file of a drill: the sandbox's targets, its local store and an S3 server as the
 * runbook's two backup stores.
 */
final class DrillTargets {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private DrillTargets() {}

  /**
   * Writes {@code file}.
   *
   * @param s3Endpoint the S3 server standing in for the runbook's {@code backups-s3}
   */
  static Path write(Path file, SandboxLayout layout, Path runbook, Path backups, String s3Endpoint)
      throws IOException {
    ObjectNode root = SandboxTargets.of(layout);
    ObjectNode targets = (ObjectNode) root.path("targets");
    ObjectNode local = targets.putObject("backups-local");
    local.put("kind", "backupStore");
    local.put("description", "The sandbox's local backup store and WAL archive.");
    local.put("store", "local");
    local.put("path", backups.toAbsolutePath().toString());
    ObjectNode remote =
        ((ObjectNode) JSON.readTree(runbook.toFile()).path("targets").path("backups-s3"))
            .deepCopy();
    remote.put("endpoint", s3Endpoint);
    targets.set("backups-s3", remote);
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, JSON.writeValueAsString(root));
    return file;
  }
}
