package io.drctl.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Where a sandbox stands: each service's container, Docker health and live probe, the replica's
 * streaming and lag, and the dataset's manifest. Immutable.
 *
 * @param name the sandbox
 * @param engine the Docker engine it runs on
 * @param services one entry per role, in role order
 * @param replication the replica as the primary sees it, {@code null} when the primary cannot say
 * @param manifest the dataset's manifest, empty when there is none or the primary is down
 * @param dataset why the manifest could not be read, or {@code null}
 * @param archiver the primary's WAL archiver, {@code null} when the primary cannot say
 * @param backups the sandbox's backup store directory on the host, {@code null} for none
 */
public record SandboxStatus(
    String name,
    String engine,
    List<Service> services,
    Replication replication,
    List<Dataset.ManifestEntry> manifest,
    String dataset,
    Archiver archiver,
    java.nio.file.Path backups) {

  public SandboxStatus {
    services = List.copyOf(services);
    manifest = List.copyOf(manifest);
  }

  /** A status without the archiver. */
  public SandboxStatus(
      String name,
      String engine,
      List<Service> services,
      Replication replication,
      List<Dataset.ManifestEntry> manifest,
      String dataset) {
    this(name, engine, services, replication, manifest, dataset, null, null);
  }

  /**
   * The primary's WAL archiver: {@code pg_stat_archiver} and the command it runs.
   *
   * @param mode archive_mode
   * @param command archive_command
   * @param archivedCount segments archived since the statistics were reset
   * @param lastArchivedWal the last segment archived, or {@code null}
   * @param lastArchivedTime when, or {@code null}
   * @param failedCount failed attempts
   * @param lastFailedWal the segment of the last failure, or {@code null}
   * @param lastFailedTime when, or {@code null}
   */
  public record Archiver(
      String mode,
      String command,
      long archivedCount,
      String lastArchivedWal,
      java.time.Instant lastArchivedTime,
      long failedCount,
      String lastFailedWal,
      java.time.Instant lastFailedTime) {
    /**
     * Whether WAL goes through {@code drctl wal push} into the backup store (else: a copy into the
     * volume).
     */
    public boolean throughDrctl() {
      return command != null && command.contains(" wal push ");
    }

    /** Whether the last attempt failed: the archive falls behind until the cause is fixed. */
    public boolean failing() {
      return lastFailedTime != null
          && (lastArchivedTime == null || lastFailedTime.isAfter(lastArchivedTime));
    }

    /** How WAL is archived, in words. */
    public String via() {
      return throughDrctl()
          ? "drctl wal push into " + WalArchiving.CONTAINER_BACKUPS
          : "copy into the volume at "
              + SandboxLayout.WAL_ARCHIVE
              + " (no drctl jar; --drctl-jar or DRCTL_JAR)";
    }
  }

  /**
   * One container.
   *
   * @param state Docker's state (running, exited, ...), or {@code missing}
   * @param health Docker's HEALTHCHECK status (healthy, starting, unhealthy), or {@code -}
   * @param probe what the live probe saw
   */
  public record Service(
      Role role,
      String container,
      int port,
      String state,
      String health,
      boolean probeOk,
      String probe) {
    public boolean healthy() {
      return "running".equals(state) && "healthy".equals(health) && probeOk;
    }
  }

  /**
   * The replica's connection as {@code pg_stat_replication} on the primary shows it.
   *
   * @param state walsender state (streaming, catchup, ...) or {@code not connected}
   * @param lagBytes WAL the replica has not replayed yet, {@code -1} when unknown
   * @param replayLag the primary's measure of replay delay, e.g. {@code 00:00:00.0012}, or {@code
   *     null}
   */
  public record Replication(String state, long lagBytes, String replayLag) {
    public boolean streaming() {
      return "streaming".equals(state);
    }
  }

  /** Every service healthy, the replica streaming and the archiver not failing. */
  public boolean healthy() {
    return services.stream().allMatch(Service::healthy)
        && replication != null
        && replication.streaming()
        && (archiver == null || !archiver.failing());
  }

  public int datasetScale() {
    return manifest.isEmpty() ? 0 : manifest.get(0).scale();
  }

  public long datasetRows() {
    return manifest.stream().mapToLong(Dataset.ManifestEntry::rows).sum();
  }

  /** The status as JSON, for {@code drctl sandbox status --json}. */
  public ObjectNode toJson(ObjectMapper mapper) {
    ObjectNode root = mapper.createObjectNode();
    root.put("name", name);
    root.put("engine", engine);
    root.put("healthy", healthy());
    ArrayNode list = root.putArray("services");
    for (Service service : services) {
      ObjectNode node = list.addObject();
      node.put("role", service.role().suffix());
      node.put("container", service.container());
      node.put("port", service.port());
      node.put("state", service.state());
      node.put("health", service.health());
      node.put("probeOk", service.probeOk());
      node.put("probe", service.probe());
      node.put("healthy", service.healthy());
    }
    ObjectNode replicationNode = root.putObject("replication");
    if (replication == null) {
      replicationNode.put("state", "unknown");
    } else {
      replicationNode.put("state", replication.state());
      replicationNode.put("lagBytes", replication.lagBytes());
      replicationNode.put("replayLag", replication.replayLag());
    }
    ObjectNode archiverNode = root.putObject("archiver");
    if (backups != null) {
      archiverNode.put("backups", backups.toString());
    }
    if (archiver == null) {
      archiverNode.put("state", "unknown");
    } else {
      archiverNode.put("via", archiver.throughDrctl() ? "drctl" : "copy");
      archiverNode.put("archiveMode", archiver.mode());
      archiverNode.put("archiveCommand", archiver.command());
      archiverNode.put("archivedCount", archiver.archivedCount());
      archiverNode.put("lastArchivedWal", archiver.lastArchivedWal());
      archiverNode.put(
          "lastArchivedTime",
          archiver.lastArchivedTime() == null ? null : archiver.lastArchivedTime().toString());
      archiverNode.put("failedCount", archiver.failedCount());
      archiverNode.put("failing", archiver.failing());
      archiverNode.put("lastFailedWal", archiver.lastFailedWal());
      archiverNode.put(
          "lastFailedTime",
          archiver.lastFailedTime() == null ? null : archiver.lastFailedTime().toString());
    }
    ObjectNode datasetNode = root.putObject("dataset");
    if (dataset != null) {
      datasetNode.put("error", dataset);
    }
    datasetNode.put("scale", datasetScale());
    datasetNode.put("rows", datasetRows());
    ArrayNode tables = datasetNode.putArray("tables");
    for (Dataset.ManifestEntry entry : manifest) {
      ObjectNode node = tables.addObject();
      node.put("table", entry.table());
      node.put("rows", entry.rows());
      node.put("checksum", entry.checksum());
      node.put("createdAt", entry.createdAt().toString());
    }
    return root;
  }
}
