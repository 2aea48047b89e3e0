package io.drctl.store.object;

import io.drctl.store.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * Object-level access to one backup store: a local directory ({@code LocalObjectStore}) or an S3
 * bucket and prefix ({@code S3ObjectStore}). Keys are relative, use {@code /}, and never start with
 * {@code /} or contain {@code ..}.
 *
 * <p>Visibility: an object is listed, headed or read only once its write committed in full. A
 * crash, a kill or an error mid-write leaves nothing under the key (a stray temporary file on local
 * disk is never listed, an unfinished S3 multipart upload is never listed).
 *
 * <p>Errors are {@link StoreException}s with a {@link StoreException.Kind}; messages name the store
 * by {@link #describe()} and never contain secrets. Implementations are thread-safe.
 */
public interface ObjectStore extends AutoCloseable {

  /**
   * Starts a streamed write of {@code key}. Memory stays bounded whatever the size (S3: a fixed
   * number of part buffers; a producer faster than the upload blocks in {@code write}).
   */
  ObjectOutput create(String key);

  /** Writes the whole stream to {@code key} and commits. */
  default ObjectInfo put(String key, InputStream content) throws IOException {
    try (ObjectOutput out = create(key)) {
      content.transferTo(out);
      return out.commit();
    }
  }

  /** Writes {@code bytes} to {@code key} and commits (small objects such as metadata). */
  default ObjectInfo put(String key, byte[] bytes) throws IOException {
    try (ObjectOutput out = create(key)) {
      out.write(bytes);
      return out.commit();
    }
  }

  /**
   * Opens the whole object for reading. S3 reads large objects with parallel ranged GETs and hands
   * them back in order with bounded buffering.
   *
   * @throws io.drctl.store.BackupNotFoundException if there is no such object
   */
  InputStream get(String key);

  /**
   * Opens {@code length} bytes starting at {@code offset} (fewer if the object ends first).
   *
   * @throws io.drctl.store.BackupNotFoundException if there is no such object
   */
  InputStream get(String key, long offset, long length);

  /** Reads a small object fully (metadata). */
  default byte[] read(String key) throws IOException {
    try (InputStream in = get(key)) {
      return in.readAllBytes();
    }
  }

  /** The object under {@code key}, or empty if there is none. */
  Optional<ObjectInfo> head(String key);

  /** Every committed object whose key starts with {@code prefix}, sorted by key. */
  List<ObjectInfo> list(String prefix);

  /** Deletes {@code key}; returns false if there was nothing. */
  boolean delete(String key);

  /**
   * Streams {@code key} into {@code target} under {@code targetKey}; visible at the target only
   * when complete. Implementations may override with a server-side copy when both are the same
   * backend.
   */
  default ObjectInfo copyTo(String key, ObjectStore target, String targetKey) throws IOException {
    try (InputStream in = get(key)) {
      return target.put(targetKey, in);
    }
  }

  /** Server-side encryption of stored objects: {@code none}, {@code AES256} or {@code aws:kms}. */
  default String encryption() {
    return "none";
  }

  /** A one-line description for messages and logs, e.g. {@code s3://bucket/prefix}; no secrets. */
  String describe();

  /** Releases clients and thread pools. */
  @Override
  void close();
}
