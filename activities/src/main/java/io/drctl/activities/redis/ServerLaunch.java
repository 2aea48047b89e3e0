package io.drctl.activities.redis;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * How a Redis server on the worker's host is started again after a restore stopped it: the
 * program and configuration file it runs with ({@code INFO server}) and the names of its files
 * ({@code CONFIG GET}). Holds no secret: the password stays in the configuration file.
 *
 * @param executable the redis-server program
 * @param configFile the configuration file it was started with
 * @param rdbFile {@code dbfilename}
 * @param aofDirectory {@code appenddirname}
 * @param aofFile {@code appendfilename}, the manifest's name without {@code .manifest}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ServerLaunch(
    @JsonProperty("executable") String executable,
    @JsonProperty("configFile") String configFile,
    @JsonProperty("rdbFile") String rdbFile,
    @JsonProperty("aofDirectory") String aofDirectory,
    @JsonProperty("aofFile") String aofFile) {

  /** The manifest of the AOF directory, relative to the data directory. */
  String manifest() {
    return aofDirectory + "/" + aofFile + ".manifest";
  }
}
