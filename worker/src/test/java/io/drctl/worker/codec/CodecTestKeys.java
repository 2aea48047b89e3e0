package io.drctl.worker.codec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** Fresh random keys for tests, and the key files that name them. */
public final class CodecTestKeys {
  private static final SecureRandom RANDOM = new SecureRandom();

  private CodecTestKeys() {}

  /** A new random AES-256 key, base64. */
  public static String newKey() {
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }

  /** Keys by id, in order. */
  public static Map<String, String> keys(String... ids) {
    Map<String, String> keys = new LinkedHashMap<>();
    for (String id : ids) {
      keys.put(id, newKey());
    }
    return keys;
  }

  /** A JSON key file in {@code dir} holding {@code keys}, encrypting with {@code writeKey}. */
  public static Path file(Path dir, Map<String, String> keys, String writeKey) {
    StringBuilder json = new StringBuilder("{\"writeKey\": \"" + writeKey + "\", \"keys\": {");
    keys.forEach(
        (id, key) ->
            json.append(json.charAt(json.length() - 1) == '{' ? "" : ", ")
                .append('"')
                .append(id)
                .append("\": \"")
                .append(key)
                .append('"'));
    json.append("}}");
    try {
      return Files.writeString(Files.createTempFile(dir, "codec-keys-", ".json"), json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The keys of {@link #file}, read back. */
  public static CodecKeys of(Path dir, Map<String, String> keys, String writeKey) {
    return CodecKeys.fromFile("--codec-keys", file(dir, keys, writeKey));
  }
}
