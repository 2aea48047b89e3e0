package io.drctl.store.catalog;

/**
 * The one backup a selector resolved to, and the catalog that holds it (the replica for the
 * {@code s3} selector). Read it with {@code catalog().open(metadata())}.
 */
public record SelectedBackup(BackupCatalog catalog, BackupMetadata metadata) {}
