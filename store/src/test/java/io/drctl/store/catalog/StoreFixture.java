package io.drctl.store.catalog;

import io.drctl.store.StoreConfig;
import io.drctl.store.local.LocalObjectStore;
import io.drctl.store.object.ObjectStore;
import io.drctl.store.open.ObjectStores;
import io.drctl.testing.S3ProxyProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/** Fresh stores of both kinds for one test: a local directory or an S3Proxy bucket. */
final class StoreFixture {
  private static final AtomicInteger counter = new AtomicInteger();

  private StoreFixture() {}

  static ObjectStore open(String kind, Path temp, S3ProxyProcess s3) throws IOException {
    int n = counter.incrementAndGet();
    if (kind.equals("local")) {
      return new LocalObjectStore(temp.resolve("local-" + n));
    }
    StoreConfig config =
        StoreConfig.pathStyleS3(
                s3.createBucket("bucket-" + n),
                s3.endpoint(),
                s3.credentials().accessKeyId(),
                s3.credentials().secretAccessKey())
            .withTransfer(StoreConfig.MIN_PART_SIZE, 3, 3);
    return ObjectStores.open(config);
  }
}
