package io.drctl.store.open;

import io.drctl.store.StoreConfig;
import io.drctl.store.local.LocalObjectStore;
import io.drctl.store.object.ObjectStore;
import io.drctl.store.s3.S3ObjectStore;

/** Creates the {@link ObjectStore} a {@link StoreConfig} describes. */
public final class ObjectStores {

  private ObjectStores() {}

  /**
   * Opens the store. A local directory is created if missing; an S3 client is built but the bucket
   * is not contacted until the first operation. Close the result when done.
   */
  public static ObjectStore open(StoreConfig config) {
    return switch (config.kind()) {
      case LOCAL -> new LocalObjectStore(config.path());
      case S3 -> new S3ObjectStore(config);
    };
  }
}
