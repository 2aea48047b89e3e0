package io.drctl.store.object;

import java.time.Instant;

/**
 * A complete, visible object.
 *
 * @param key the key relative to the store root (forward slashes, no leading slash)
 * @param size bytes stored
 * @param lastModified when the object became visible
 */
public record ObjectInfo(String key, long size, Instant lastModified) {}
