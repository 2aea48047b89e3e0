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
 */
public record SandboxStatus(String name, String engine, List<Service> services, Replication replication,
    List<Dataset.ManifestEntry> manifest, String dataset) {

  public SandboxStatus {
    services = List.copyOf(services);
    manifest = List.copyOf(manifest);
  }

  /**
   * One container.
   *
   * @param state Docker's state (running, exited, ...), or {@code missing}
   * @param health Docker's HEALTHCHECK status (healthy, starting, unhealthy), or {@code -}
   * @param probe what the live probe saw
   */
  public record Service(Role role, String container, int port, String state, String health, boolean probeOk,
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
   * @param replayLag the primary's measure of replay delay, e.g. {@code 00:00:00.0012}, or {@code null}
   */
  public record Replication(String state, long lagBytes, String replayLag) {
    public boolean streaming() {
      return "streaming".equals(state);
    }
  }

  /** Every service healthy and the replica streaming. */
  public boolean healthy() {
    return services.stream().allMatch(Service::healthy) && replication != null && replication.streaming();
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
