package io.drctl.activities.redis;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * How a Redis server is started again after a restore stopped it, as read from it before ({@code
 * INFO server}, {@code CONFIG GET}). Holds no secret: the password stays in its configuration.
 *
 * @param executable the redis-server program (a server on the worker's host)
 * @param configFile the configuration file it was started with, empty when none
 * @param directory {@code dir}, as the server sees it
 * @param rdbFile {@code dbfilename}
 * @param aofDirectory {@code appenddirname}
 * @param aofFile {@code appendfilename}, the manifest's name without {@code .manifest}
 * @param appendonly whether AOF was on
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ServerLaunch(
    @JsonProperty("executable") String executable,
    @JsonProperty("configFile") String configFile,
    @JsonProperty("directory") String directory,
    @JsonProperty("rdbFile") String rdbFile,
    @JsonProperty("aofDirectory") String aofDirectory,
    @JsonProperty("aofFile") String aofFile,
    @JsonProperty("appendonly") boolean appendonly) {}
