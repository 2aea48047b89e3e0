package io.drctl.store.s3;

import io.drctl.store.BackupNotFoundException;
import io.drctl.store.StoreAccessDeniedException;
import io.drctl.store.StoreException;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Classifies SDK failures once. Messages carry the store, the operation, the key, the HTTP status
 * and the S3 error code; never credentials, signatures or the server's free text for 403s.
 */
final class S3Failures {
  private static final Set<String> DENIED =
      Set.of(
          "InvalidAccessKeyId",
          "SignatureDoesNotMatch",
          "AccessDenied",
          "AuthorizationHeaderMalformed",
          "InvalidToken",
          "ExpiredToken",
          "KMS.AccessDeniedException");

  private S3Failures() {}

  static StoreException classify(String store, String operation, String key, Throwable e) {
    String where = operation + (key == null ? "" : " of " + key) + " in " + store;
    if (e instanceof StoreException se) {
      return se;
    }
    if (e instanceof S3Exception s3) {
      int status = s3.statusCode();
      String code = s3.awsErrorDetails() == null ? null : s3.awsErrorDetails().errorCode();
      if (status == 403 || code != null && DENIED.contains(code)) {
        return new StoreAccessDeniedException(
            "S3 rejected the credentials or permissions for "
                + where
                + ": HTTP "
                + status
                + " "
                + (code == null ? "" : code)
                + " (check the access key id and secret references of the store)");
      }
      if ("NoSuchBucket".equals(code)) {
        return new StoreException(
            StoreException.Kind.INVALID_CONFIG,
            "the bucket of " + store + " does not exist (" + where + ")");
      }
      if (status == 404 || "NoSuchKey".equals(code)) {
        return new BackupNotFoundException("no object " + key + " in " + store);
      }
      if (status == 501) {
        return new StoreException(
            StoreException.Kind.INVALID_CONFIG,
            "the S3 server does not implement "
                + where
                + " with these settings: HTTP 501 "
                + code
                + ": "
                + s3.awsErrorDetails().errorMessage(),
            e);
      }
      if (status >= 500
          || status == 429
          || "SlowDown".equals(code)
          || "RequestTimeout".equals(code)) {
        return new StoreException(
            StoreException.Kind.UNAVAILABLE,
            "S3 is unavailable for " + where + ": HTTP " + status + " " + code,
            e);
      }
      if ("EntityTooLarge".equals(code) || "QuotaExceeded".equals(code)) {
        return new StoreException(
            StoreException.Kind.STORE_FULL,
            "S3 refused " + where + ": HTTP " + status + " " + code,
            e);
      }
      return new StoreException(
          StoreException.Kind.IO, "S3 refused " + where + ": HTTP " + status + " " + code, e);
    }
    if (e instanceof SdkClientException) {
      return new StoreException(
          StoreException.Kind.UNAVAILABLE, "S3 did not answer " + where + ": " + rootCause(e), e);
    }
    return new StoreException(
        StoreException.Kind.IO,
        where + " failed: " + e.getClass().getSimpleName() + ": " + e.getMessage(),
        e);
  }

  private static String rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
  }
}
