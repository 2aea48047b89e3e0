package io.drctl.store.catalog;

/**
 * The one backup a selector resolved to, and the catalog that holds it. Read it with {@code
 * catalog().open(metadata())}.
 */
public record SelectedBackup(BackupCatalog catalog, BackupMetadata metadata) {}
