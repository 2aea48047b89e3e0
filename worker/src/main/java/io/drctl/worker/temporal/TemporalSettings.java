package io.drctl.worker.temporal;

import io.drctl.worker.codec.CodecKeys;
import java.nio.file.Path;

/**
 * Where and how to reach Temporal, validated once by {@link TemporalOptions#validate} and fixed
 * after that. The API key is the secret here: {@link #toString()} never shows it.
 *
 * @param address host:port of the frontend
 * @param tls null for plaintext
 * @param apiKeySource where the API key came from ({@code $VARIABLE}, {@code --api-key} or {@code
 *     profile NAME}), or null
 * @param apiKey the API key itself, or null
 * @param codec the keys that encrypt payloads, or null for plain payloads
 */
public record TemporalSettings(
    String address,
    String namespace,
    String taskQueue,
    Tls tls,
    String apiKeySource,
    String apiKey,
    CodecKeys codec) {

  /** Settings with plain payloads. */
  public TemporalSettings(
      String address,
      String namespace,
      String taskQueue,
      Tls tls,
      String apiKeySource,
      String apiKey) {
    this(address, namespace, taskQueue, tls, apiKeySource, apiKey, null);
  }

  /**
   * TLS to the frontend. Without a CA file the JVM's trust store is used; a certificate and key
   * together make it mutual TLS.
   *
   * @param serverName the name to verify the server's certificate against, or null for the host
   */
  public record Tls(Path certificate, Path key, Path certificateAuthority, String serverName) {
    public boolean mutual() {
      return certificate != null;
    }
  }

  /** Plaintext settings, for servers drctl started itself. */
  public static TemporalSettings plaintext(String address, String namespace, String taskQueue) {
    return new TemporalSettings(address, namespace, taskQueue, null, null, null);
  }

  /** The same settings for another address; what {@code drctl dev} uses once its server is up. */
  public TemporalSettings withAddress(String newAddress) {
    return new TemporalSettings(newAddress, namespace, taskQueue, tls, apiKeySource, apiKey, codec);
  }

  /** The same settings with payloads encrypted under {@code keys} (null: plain). */
  public TemporalSettings withCodec(CodecKeys keys) {
    return new TemporalSettings(address, namespace, taskQueue, tls, apiKeySource, apiKey, keys);
  }

  @Override
  public String toString() {
    return "TemporalSettings[address="
        + address
        + ", namespace="
        + namespace
        + ", taskQueue="
        + taskQueue
        + ", tls="
        + (tls == null ? "off" : tls.mutual() ? "mutual" : "on")
        + (apiKey == null ? "" : ", apiKey=<from " + apiKeySource + ">")
        + (codec == null ? "" : ", codec=<write key " + codec.writeKeyId() + ">")
        + "]";
  }
}
