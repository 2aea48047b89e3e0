package io.drctl.activities.targets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.drctl.activities.ActionFailures;
import io.drctl.activities.secrets.SecretResolver;
import io.drctl.store.S3Credentials;
import io.drctl.store.StoreConfig;
import io.drctl.store.StoreException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@code backupStore} target of the plan ({@code backupStoreTarget} in the runbook schema) turned
 * into a validated {@link StoreConfig}, with its {@code accessKeyId} and {@code secretAccessKey}
 * references resolved on this worker. Every backend that reads or writes backups (backup, postgres,
 * redis, docker safety copies) resolves its store here.
 */
public final class BackupStoreTarget {
  public static final String KIND = "backupStore";
  private static final ObjectMapper JSON = new ObjectMapper();

  private BackupStoreTarget() {}

  /**
   * The store that parameter {@code param} names.
   *
   * @throws io.temporal.failure.ApplicationFailure non-retryable: {@value
   *     StepTargets#UNKNOWN_TARGET} when the input does not carry the target, {@link
   *     ActionFailures#INVALID_INPUT} when it is not a well-formed backupStore target (the message
   *     names the target and the field, never a secret), {@link ActionFailures#SECRET_UNAVAILABLE}
   *     when a credential reference cannot be resolved
   */
  public static StoreConfig resolve(
      StepTargets targets, String param, String name, SecretResolver secrets) {
    JsonNode target = targets.require(param, name);
    String kind = target.path("kind").asText("");
    if (!KIND.equals(kind)) {
      throw ActionFailures.invalidInput(
          param
              + " names target '"
              + name
              + "', a "
              + (kind.isEmpty() ? "target without kind" : kind + " target")
              + "; a backupStore target is needed");
    }
    Map<String, Object> properties = new LinkedHashMap<>();
    target
        .fields()
        .forEachRemaining(
            field ->
                properties.put(field.getKey(), JSON.convertValue(field.getValue(), Object.class)));
    properties.remove("kind");
    properties.remove("description");
    S3Credentials credentials = credentials(name, target, secrets);
    properties.remove("accessKeyId");
    properties.remove("secretAccessKey");
    try {
      return StoreConfig.fromTarget(properties, credentials);
    } catch (StoreException e) {
      throw ActionFailures.invalidInput("target '" + name + "': " + e.getMessage());
    }
  }

  private static S3Credentials credentials(String name, JsonNode target, SecretResolver secrets) {
    JsonNode id = target.get("accessKeyId");
    JsonNode secret = target.get("secretAccessKey");
    if (id == null && secret == null) {
      return null;
    }
    if (id == null || secret == null || !id.isTextual() || !secret.isTextual()) {
      throw ActionFailures.invalidInput(
          "target '"
              + name
              + "' needs both accessKeyId and secretAccessKey as secret references"
              + " (env:NAME or file:/path), or neither for the default credentials");
    }
    try {
      return new S3Credentials(
          secrets.resolve(id.asText()).reveal(), secrets.resolve(secret.asText()).reveal());
    } catch (IllegalArgumentException e) {
      throw ActionFailures.invalidInput("target '" + name + "' credentials: " + e.getMessage());
    } catch (StoreException e) {
      throw ActionFailures.invalidInput("target '" + name + "': " + e.getMessage());
    }
  }
}
