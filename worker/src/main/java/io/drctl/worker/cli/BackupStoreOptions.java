package io.drctl.worker.cli;

import io.drctl.activities.secrets.SecretResolver;
import io.drctl.activities.targets.BackupStoreTarget;
import io.drctl.activities.targets.StepTargets;
import io.drctl.compiler.CompiledRunbook;
import io.drctl.runbook.TargetSpec;
import io.drctl.store.StoreConfig;
import io.drctl.store.StoreException;
import io.temporal.failure.ApplicationFailure;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Which backup store a {@code drctl backups} command works on: a local directory ({@code --store
 * DIR}) or a {@code backupStore} target of the runbook ({@code --target NAME} with {@code -r} and
 * {@code -t}), whose S3 credential references are resolved from this shell's environment or files.
 */
final class BackupStoreOptions {
  @Option(
      names = "--store",
      paramLabel = "DIR",
      description = "A local backup store directory (the seed's /backups).")
  Path directory;

  @Option(
      names = "--target",
      paramLabel = "NAME",
      description = "A backupStore target of the runbook (-r), e.g. backups-local or backups-s3.")
  String target;

  @Mixin RunbookSource runbook;

  /** The store's name for messages: the directory or the target's name. */
  String name() {
    return directory != null ? directory.toString() : target;
  }

  /** The validated store configuration, or a one-line user error. */
  StoreConfig config(PrintWriter err) {
    if (directory != null && target != null) {
      throw new Failures.UserError("give either --store DIR or --target NAME, not both");
    }
    if (directory != null) {
      if (!Files.isDirectory(directory)) {
        throw new Failures.UserError("--store " + directory + ": no such directory");
      }
      return StoreConfig.local(directory);
    }
    if (target == null) {
      throw new Failures.UserError(
          "which store? give --store DIR (a local store) or --target NAME (a backupStore target of -r RUNBOOK)");
    }
    CompiledRunbook compiled = runbook.compile(err);
    TargetSpec spec =
        compiled.plans().values().stream()
            .map(plan -> plan.targets().get(target))
            .filter(Objects::nonNull)
            .findFirst()
            .orElseThrow(
                () ->
                    new Failures.UserError(
                        runbook.file
                            + " has no target '"
                            + target
                            + "'; its backupStore targets: "
                            + backupStores(compiled)));
    if (!BackupStoreTarget.KIND.equals(spec.kind())) {
      throw new Failures.UserError(
          "target '"
              + target
              + "' is a "
              + spec.kind()
              + " target, not a backupStore; backupStore targets: "
              + backupStores(compiled));
    }
    try {
      return BackupStoreTarget.resolve(
          StepTargets.of(Map.of(target, spec.properties())),
          "--target",
          target,
          new SecretResolver());
    } catch (ApplicationFailure e) {
      throw new Failures.UserError(e.getOriginalMessage());
    } catch (StoreException e) {
      throw new Failures.UserError("target '" + target + "': " + e.getMessage());
    }
  }

  private static String backupStores(CompiledRunbook compiled) {
    TreeSet<String> names = new TreeSet<>();
    compiled
        .plans()
        .values()
        .forEach(
            plan ->
                plan.targets()
                    .forEach(
                        (name, spec) -> {
                          if (BackupStoreTarget.KIND.equals(spec.kind())) {
                            names.add(name);
                          }
                        }));
    return names.isEmpty() ? "none" : String.join(", ", names);
  }
}
