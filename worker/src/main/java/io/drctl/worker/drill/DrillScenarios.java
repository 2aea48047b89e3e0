package io.drctl.worker.drill;

import io.drctl.compiler.DidYouMean;
import io.drctl.sandbox.Role;
import io.drctl.worker.drill.DrillScenario.WriterKind;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every scenario of the seed's SLA table, registered once under its key, in the table's order. A
 * second registration of a key is an error. A scenario the platform cannot run is registered with
 * its skip reason, so that {@code --all} lists it and says why.
 */
public final class DrillScenarios {
  private final Map<String, DrillScenario> scenarios = new LinkedHashMap<>();

  /** The seed's table. */
  public static DrillScenarios standard() {
    DrillScenarios all = new DrillScenarios();
    all.register(
        new DrillScenario(
            "backend",
            "1 single service (backend container)",
            "single_service_failure",
            "backend",
            Map.of("alertname", "BackendDown", "service", "backend", "severity", "critical"),
            Map.of(),
            Injections.kill(Role.BACKEND),
            WriterKind.postgres,
            null));
    all.register(
        new DrillScenario(
            "database_failure",
            "2A database failure (volume lost)",
            "database_failure",
            "pg-primary",
            Map.of("alertname", "PostgresDown", "service", "postgres", "severity", "critical"),
            Map.of(),
            Injections.wipeThePrimary(),
            WriterKind.postgres,
            null));
    all.register(
        new DrillScenario(
            "database_corruption_running",
            "2B database corruption (running)",
            "database_corruption_running",
            "pg-primary",
            Map.of(
                "alertname",
                "PostgresDataCorrupted",
                "service",
                "postgres",
                "severity",
                "critical"),
            Map.of("until", "${{ labels.until }}"),
            Injections.deleteRows(),
            WriterKind.postgres,
            null));
    all.register(
        new DrillScenario(
            "database_disk_corruption",
            "2C database corruption (disk)",
            "database_disk_corruption",
            "pg-primary",
            Map.of(
                "alertname",
                "PostgresDiskCorruption",
                "service",
                "postgres",
                "severity",
                "critical"),
            Map.of("from", "latest"),
            Injections.corruptADataFile(),
            WriterKind.postgres,
            null));
    all.register(
        new DrillScenario(
            "cache_degraded",
            "3A cache degraded (memory full)",
            "cache_degraded",
            "redis",
            Map.of("alertname", "RedisMemoryHigh", "service", "redis", "severity", "warning"),
            Map.of(),
            Injections.fillTheCache(),
            // The runbook flushes the cache by design (sessions go): what must survive is the
            // application's data.
            WriterKind.postgres,
            null));
    all.register(
        new DrillScenario(
            "cache_failure",
            "3B cache failure (AOF corrupt)",
            "cache_failure",
            "redis",
            Map.of("alertname", "RedisDown", "service", "redis", "severity", "critical"),
            Map.of(),
            Injections.corruptTheAof(),
            WriterKind.redis,
            null));
    all.register(
        new DrillScenario(
            "datacenter_failure",
            "4A datacenter failure (fail-over)",
            "datacenter_failure",
            "pg-secondary",
            Map.of("alertname", "DatacenterDown", "site", "primary", "severity", "critical"),
            Map.of(),
            Injections.loseThePrimarySite(),
            WriterKind.postgres,
            null));
    all.register(
        new DrillScenario(
            "datacenter_failback",
            "4B datacenter fail-back",
            "datacenter_failback",
            "pg-primary",
            Map.of("alertname", "DatacenterFailback", "site", "secondary", "severity", "warning"),
            Map.of(),
            Injections.bringThePrimarySiteBack(),
            WriterKind.postgres,
            null,
            "datacenter_failure"));
    all.register(
        new DrillScenario(
            "data_corruption",
            "5 data corruption (rows deleted)",
            "data_corruption",
            "pg-primary",
            Map.of(
                "alertname",
                "DataCorruptionDetected",
                "service",
                "postgres",
                "severity",
                "critical"),
            Map.of("until", "${{ labels.until }}", "tables", "${{ labels.tables }}"),
            Injections.deleteRows(),
            WriterKind.postgres,
            null));
    all.register(
        new DrillScenario(
            "multi_service",
            "multi-service (database, cache, backend)",
            "multi_service_failure",
            "backend",
            Map.of("alertname", "StackDown", "service", "stack", "severity", "critical"),
            Map.of(),
            Injections.killTheStack(),
            WriterKind.postgres,
            null));
    all.register(
        new DrillScenario(
            "cache_failover",
            "cache failover (Redis master lost)",
            "cache_failover",
            "redis",
            Map.of(
                "alertname", "RedisMasterDown", "service", "redis-master", "severity", "critical"),
            Map.of(),
            Injections.killTheCacheMaster(),
            WriterKind.redis,
            null));
    // Last: the promoted replica stays the primary (the old primary rejoins as its standby), and
    // the drill has no switchover back to run a later scenario from the usual roles.
    all.register(
        new DrillScenario(
            "replica_promotion",
            "replica failover (PostgreSQL)",
            "replica_promotion",
            "pg-replica",
            Map.of(
                "alertname",
                "PostgresPrimaryUnreachable",
                "service",
                "postgres",
                "severity",
                "critical"),
            Map.of(),
            Injections.kill(Role.PRIMARY),
            WriterKind.postgres,
            null));
    return all;
  }

  /**
   * Adds {@code scenario}.
   *
   * @throws IllegalStateException when its key is taken
   */
  public void register(DrillScenario scenario) {
    DrillScenario previous = scenarios.putIfAbsent(scenario.key(), scenario);
    if (previous != null) {
      throw new IllegalStateException("drill scenario " + scenario.key() + " is registered twice");
    }
  }

  /** Every scenario, in the seed table's order. */
  public Collection<DrillScenario> all() {
    return Collections.unmodifiableCollection(scenarios.values());
  }

  /**
   * The scenarios named, in the order given, each preceded by the scenario it {@linkplain
   * DrillScenario#follows follows} where that is not named right before it (the fail-back needs its
   * fail-over).
   *
   * @throws DrillException for an unknown name, with the closest key and the list of keys
   */
  public List<DrillScenario> select(List<String> keys) {
    List<DrillScenario> selected = new java.util.ArrayList<>();
    for (String key : keys) {
      DrillScenario scenario = get(key);
      if (selected.contains(scenario)) {
        continue;
      }
      if (scenario.follows() != null
          && (selected.isEmpty()
              || !selected.get(selected.size() - 1).key().equals(scenario.follows()))) {
        DrillScenario first = get(scenario.follows());
        selected.remove(first);
        selected.add(first);
      }
      selected.add(scenario);
    }
    return List.copyOf(selected);
  }

  private DrillScenario get(String key) {
    DrillScenario found = scenarios.get(key);
    if (found == null) {
      throw new DrillException(
          "unknown scenario '"
              + key
              + "': "
              + DidYouMean.hint(key, scenarios.keySet())
              + " (drctl drill --list names them all)");
    }
    return found;
  }
}
