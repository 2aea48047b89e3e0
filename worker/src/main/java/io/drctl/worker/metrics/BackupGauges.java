package io.drctl.worker.metrics;

import io.drctl.activities.secrets.SecretResolver;
import io.drctl.activities.targets.BackupStoreTarget;
import io.drctl.activities.targets.StepTargets;
import io.drctl.compiler.CompiledRunbook;
import io.drctl.runbook.TargetSpec;
import io.drctl.store.StoreConfig;
import io.drctl.store.StoreException;
import io.drctl.store.catalog.BackupCatalog;
import io.drctl.store.catalog.BackupMetadata;
import io.drctl.store.catalog.Restorability;
import io.drctl.store.object.ObjectStore;
import io.drctl.store.open.ObjectStores;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backup catalog of every {@code backupStore} target of the runbook, read on an interval and
 * shown as gauges per {@code target} and {@code service}, so that stale or failing backups can page
 * someone:
 *
 * <ul>
 *   <li>{@code drctl_backup_age_seconds}: age of the newest backup that is not corrupt;
 *   <li>{@code drctl_backup_size_bytes}: its stored size;
 *   <li>{@code drctl_backup_last_verified_timestamp}: Unix time of the last successful verification
 *       or restore test;
 *   <li>{@code drctl_restore_test_age_seconds}: age of the last passed restore test (restorability
 *       VERIFIED);
 *   <li>{@code drctl_backup_catalog_read_failures_total{target}}: reads that failed (the store is
 *       down, credentials are missing); the gauges keep their last values meanwhile.
 * </ul>
 *
 * Ages are computed at scrape time from the times last read, so they grow between reads. A series
 * appears once its first value is known. Reading never writes to a store.
 */
public final class BackupGauges implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BackupGauges.class);

  private final MeterRegistry registry;
  private final Map<String, TargetSpec> targets;
  private final SecretResolver secrets;
  private final Clock clock;
  private final Map<String, AtomicReference<Double>> values = new ConcurrentHashMap<>();
  private ScheduledExecutorService timer;

  BackupGauges(
      MeterRegistry registry,
      Map<String, TargetSpec> targets,
      SecretResolver secrets,
      Clock clock) {
    this.registry = registry;
    this.targets = new TreeMap<>(targets);
    this.secrets = secrets;
    this.clock = clock;
  }

  /**
   * Gauges for the backupStore targets of {@code runbook}, credentials resolved from this process.
   */
  public static BackupGauges forRunbook(MeterRegistry registry, CompiledRunbook runbook) {
    Map<String, TargetSpec> stores = new TreeMap<>();
    runbook
        .plans()
        .values()
        .forEach(
            plan ->
                plan.targets()
                    .forEach(
                        (name, spec) -> {
                          if (BackupStoreTarget.KIND.equals(spec.kind())) {
                            stores.putIfAbsent(name, spec);
                          }
                        }));
    return new BackupGauges(registry, stores, new SecretResolver(), Clock.systemUTC());
  }

  /** The targets read, by name. */
  public List<String> targets() {
    return List.copyOf(targets.keySet());
  }

  /**
   * Reads every catalog now, then again every {@code interval} on a daemon thread, until {@link
   * #close}.
   */
  public synchronized void start(Duration interval) {
    if (timer != null) {
      throw new IllegalStateException("the backup gauges are already reading");
    }
    timer =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "drctl-backup-gauges");
              thread.setDaemon(true);
              return thread;
            });
    timer.scheduleWithFixedDelay(this::refresh, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Reads every target's catalog once; a target that cannot be read is logged and counted. */
  public void refresh() {
    targets.forEach(
        (name, spec) -> {
          try {
            read(name, spec);
          } catch (StoreException | ApplicationFailure | IllegalArgumentException e) {
            String message =
                e instanceof ApplicationFailure failure
                    ? failure.getOriginalMessage()
                    : e.getMessage();
            log.warn("backup metrics: cannot read the catalog of target '{}': {}", name, message);
            Counter.builder("drctl.backup.catalog.read.failures")
                .description("Reads of a backup store's catalog for the backup gauges that failed")
                .tags("target", name)
                .register(registry)
                .increment();
          }
        });
  }

  private void read(String name, TargetSpec spec) {
    StoreConfig config =
        BackupStoreTarget.resolve(
            StepTargets.of(Map.of(name, spec.properties())), "target", name, secrets);
    if (config.kind() == StoreConfig.Kind.LOCAL && !Files.isDirectory(config.path())) {
      throw new StoreException(
          StoreException.Kind.NOT_FOUND, "no such directory: " + config.path());
    }
    List<BackupMetadata> backups;
    try (ObjectStore store = ObjectStores.open(config)) {
      backups = new BackupCatalog(store).list(null);
    }
    Map<String, List<BackupMetadata>> byService =
        backups.stream()
            .collect(
                Collectors.groupingBy(BackupMetadata::service, TreeMap::new, Collectors.toList()));
    byService.forEach(
        (service, list) -> {
          Optional<BackupMetadata> newest =
              list.stream()
                  .filter(b -> b.restorability() != Restorability.CORRUPT)
                  .max(Comparator.comparing(BackupMetadata::timestamp));
          newest.ifPresent(
              b -> {
                set(
                    "drctl.backup.age",
                    "seconds",
                    "Age of the newest backup that is not corrupt",
                    name,
                    service,
                    epochSeconds(b.timestamp()),
                    true);
                set(
                    "drctl.backup.size",
                    "bytes",
                    "Stored size of the newest backup that is not corrupt",
                    name,
                    service,
                    b.sizeBytes(),
                    false);
              });
          list.stream()
              .filter(BackupMetadata::verified)
              .map(BackupMetadata::verifiedAt)
              .filter(Objects::nonNull)
              .max(Comparator.naturalOrder())
              .ifPresent(
                  at ->
                      set(
                          "drctl.backup.last.verified.timestamp",
                          null,
                          "Unix time of the last successful verification or restore test",
                          name,
                          service,
                          epochSeconds(at),
                          false));
          list.stream()
              .filter(b -> b.restorability() == Restorability.VERIFIED)
              .map(BackupMetadata::verifiedAt)
              .filter(Objects::nonNull)
              .max(Comparator.naturalOrder())
              .ifPresent(
                  at ->
                      set(
                          "drctl.restore.test.age",
                          "seconds",
                          "Age of the last passed restore test",
                          name,
                          service,
                          epochSeconds(at),
                          true));
        });
  }

  /**
   * Sets a gauge's value, registering it on first use. An age gauge holds the time and shows the
   * seconds since then at scrape time.
   */
  private void set(
      String metric,
      String unit,
      String description,
      String target,
      String service,
      double value,
      boolean age) {
    values
        .computeIfAbsent(
            metric + "|" + target + "|" + service,
            key -> {
              AtomicReference<Double> holder = new AtomicReference<>(value);
              Gauge.builder(metric, holder, h -> age ? nowSeconds() - h.get() : h.get())
                  .description(description)
                  .baseUnit(unit)
                  .tags("target", target, "service", service)
                  .register(registry);
              return holder;
            })
        .set(value);
  }

  private double nowSeconds() {
    return clock.millis() / 1000.0;
  }

  private static double epochSeconds(Instant at) {
    return at.toEpochMilli() / 1000.0;
  }

  @Override
  public synchronized void close() {
    if (timer != null) {
      timer.shutdownNow();
    }
  }
}
