package io.drctl.activities.docker;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The output of a {@code docker.snapshotVolume} step, field for field the {@code output} schema of
 * {@code docker.snapshotVolume} in the action catalog. The copy's manifest next to it holds the
 * same fields plus the label.
 *
 * @param snapshotId id of the copy: {@code <incident>/<label>-<volume>}
 * @param volume the volume copied
 * @param location absolute path of the gzip-compressed tar on the worker
 * @param sizeBytes size of the compressed tar
 * @param createdAt when the copy was completed (RFC 3339, UTC)
 * @param unreadableFiles files that could not be read (bestEffort only)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DockerSnapshotVolumeResult(
    @JsonProperty("snapshotId") String snapshotId,
    @JsonProperty("volume") String volume,
    @JsonProperty("location") String location,
    @JsonProperty("sizeBytes") long sizeBytes,
    @JsonProperty("createdAt") String createdAt,
    @JsonProperty("unreadableFiles") int unreadableFiles) {}
