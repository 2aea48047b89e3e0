package io.drctl.worker.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.drctl.sandbox.Dataset;
import io.drctl.sandbox.Role;
import io.drctl.sandbox.Sandbox;
import io.drctl.sandbox.SandboxException;
import io.drctl.sandbox.SandboxStatus;
import io.drctl.store.text.TextTable;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code drctl sandbox status}. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
      "Shows each container's state, port, Docker health and a live probe, the replica's lag and",
      "the dataset. Exit status: 0 healthy, 1 something is not."
    })
final class SandboxStatusCommand extends SandboxAction {
  @Option(
      names = "--verify",
      description = "Also recompute every table's row count and checksum against the manifest.")
  boolean verify;

  @Override
  int run(Sandbox sandbox, PrintWriter out) throws SQLException {
    SandboxStatus status = sandbox.status();
    Dataset.Verification verification = null;
    String verifyProblem = null;
    if (verify) {
      try (Connection connection = sandbox.primary()) {
        verification = Dataset.verify(connection);
      } catch (SQLException | SandboxException e) {
        verifyProblem =
            e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
      }
    }
    boolean healthy = status.healthy() && (!verify || (verification != null && verification.ok()));
    if (output.json()) {
      ObjectNode root = status.toJson(JSON);
      root.put("healthy", healthy);
      if (verify) {
        ObjectNode node = root.putObject("verification");
        node.put("ok", verification != null && verification.ok());
        if (verifyProblem != null) {
          node.put("error", verifyProblem);
        }
        ArrayNode tables = node.putArray("tables");
        if (verification != null) {
          for (Dataset.TableCheck check : verification.tables()) {
            ObjectNode table = tables.addObject();
            table.put("table", check.table());
            table.put("matches", check.matches());
            table.put("expectedRows", check.expectedRows());
            table.put("liveRows", check.liveRows());
            table.put("expectedChecksum", check.expectedChecksum());
            table.put("liveChecksum", check.liveChecksum());
          }
        }
      }
      out.println(write(root));
    } else {
      printStatus(status, out);
      if (verify) {
        if (verification == null) {
          out.println("verify    failed: " + verifyProblem);
        } else {
          out.println(
              "verify    "
                  + (verification.ok()
                      ? "every table matches its manifest row count and checksum"
                      : "MISMATCH in "
                          + String.join(
                              ", ",
                              verification.mismatches().stream()
                                  .map(
                                      check ->
                                          check.table()
                                              + " (rows "
                                              + check.liveRows()
                                              + " of "
                                              + check.expectedRows()
                                              + ")")
                                  .toList())));
        }
      }
      out.println(
          healthy
              ? "sandbox " + status.name() + " is healthy"
              : "sandbox " + status.name() + " is NOT healthy");
    }
    out.flush();
    return healthy ? 0 : SandboxCommand.UNHEALTHY;
  }

  private static void printStatus(SandboxStatus status, PrintWriter out) {
    out.println("sandbox   " + status.name() + " on " + status.engine());
    TextTable table = new TextTable("ROLE", "CONTAINER", "PORT", "STATE", "HEALTH", "PROBE");
    for (SandboxStatus.Service service : status.services()) {
      table.row(
          service.role().suffix(),
          service.container(),
          String.valueOf(service.port()),
          service.state(),
          service.health(),
          (service.probeOk() ? "ok: " : "FAIL: ") + service.probe());
    }
    table.print(out);
    SandboxStatus.Replication replication = status.replication();
    out.println(
        "replica   "
            + (replication == null
                ? "unknown (primary unreachable)"
                : replication.state()
                    + (replication.lagBytes() < 0
                        ? ""
                        : ", " + replication.lagBytes() + " bytes behind")
                    + (replication.replayLag() == null
                        ? ""
                        : ", replay lag " + replication.replayLag())));
    SandboxStatus.Archiver archiver = status.archiver();
    if (archiver == null) {
      out.println("archiver  unknown (primary unreachable)");
    } else {
      out.println(
          "archiver  "
              + archiver.via()
              + (status.backups() == null ? "" : "; store " + status.backups()));
      out.println(
          "          "
              + archiver.archivedCount()
              + " archived, last "
              + (archiver.lastArchivedWal() == null
                  ? "none"
                  : archiver.lastArchivedWal() + " at " + archiver.lastArchivedTime())
              + "; "
              + archiver.failedCount()
              + " failed"
              + (archiver.lastFailedWal() == null
                  ? ""
                  : ", last " + archiver.lastFailedWal() + " at " + archiver.lastFailedTime())
              + (archiver.failing()
                  ? "; FAILING: see docker logs "
                      + status.services().stream()
                          .filter(service -> service.role() == Role.PRIMARY)
                          .findFirst()
                          .map(SandboxStatus.Service::container)
                          .orElse("the primary")
                  : ""));
    }
    if (status.manifest().isEmpty()) {
      out.println("dataset   " + status.dataset());
    } else {
      out.printf(
          Locale.ROOT,
          "dataset   scale %d, %,d rows in %d tables, seeded %s%n",
          status.datasetScale(),
          status.datasetRows(),
          status.manifest().size(),
          status.manifest().get(0).createdAt());
    }
  }
}
