package io.drctl.store;

/**
 * Already-resolved static S3 credentials (secret references are resolved in activities, never
 * here). {@link #toString()} masks both values.
 */
public record S3Credentials(String accessKeyId, String secretAccessKey) {

  public S3Credentials {
    if (accessKeyId == null || accessKeyId.isBlank()) {
      throw new StoreException(StoreException.Kind.INVALID_CONFIG, "S3 accessKeyId is empty");
    }
    if (secretAccessKey == null || secretAccessKey.isBlank()) {
      throw new StoreException(StoreException.Kind.INVALID_CONFIG, "S3 secretAccessKey is empty");
    }
  }

  @Override
  public String toString() {
    return "S3Credentials[accessKeyId=****, secretAccessKey=****]";
  }
}
