package io.drctl.worker.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.drctl.worker.TemporalSetupException;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The AES-256 keys payloads are encrypted with, by key id, and the id of the one that encrypts (the
 * write key). Every other key only decrypts, so keys rotate: add the new key, make it the write
 * key, and keep the old one for as long as histories written with it are read.
 *
 * <p>Built once from configuration, checked in full, and fixed after that. A key's bytes never
 * appear in a message or in {@link #toString()}; errors name the field (option, environment
 * variable or file entry) and the key id, never the value.
 */
public final class CodecKeys {
  /** The algorithm name of {@link #key}'s keys. */
  static final String ALGORITHM = "AES";

  private static final int KEY_BYTES = 32;
  private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final String MAKE_ONE = "make one with: openssl rand -base64 32";

  private final Map<String, SecretKey> keys;
  private final String writeKeyId;
  private final String source;

  private CodecKeys(Map<String, SecretKey> keys, String writeKeyId, String source) {
    this.keys = Collections.unmodifiableMap(keys);
    this.writeKeyId = writeKeyId;
    this.source = source;
  }

  /**
   * Keys from a file: JSON {@code {"writeKey": "ID", "keys": {"ID": "BASE64", ...}}}, or properties
   * {@code writeKey=ID} and {@code key.ID=BASE64} lines.
   *
   * @param option the option or variable that named the file, for messages
   * @throws TemporalSetupException naming the file, the entry and what is wrong with it
   */
  public static CodecKeys fromFile(String option, Path file) {
    String field = option + " " + file;
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw TemporalSetupException.invalid(
          field + ": cannot be read (" + e.getClass().getSimpleName() + ")");
    }
    Map<String, String> encoded = new LinkedHashMap<>();
    String writeKey;
    if (text.strip().startsWith("{")) {
      JsonNode root;
      try {
        root = new ObjectMapper().readTree(text);
      } catch (IOException e) {
        throw TemporalSetupException.invalid(field + ": not JSON (line " + lineOf(e) + ")");
      }
      if (!root.path("keys").isObject()) {
        throw TemporalSetupException.invalid(field + ": needs \"keys\": {\"ID\": \"BASE64\", ...}");
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = root.path("keys").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> entry = it.next();
        if (!entry.getValue().isTextual()) {
          throw TemporalSetupException.invalid(
              field + ": keys." + entry.getKey() + " must be a base64 string");
        }
        encoded.put(entry.getKey(), entry.getValue().asText());
      }
      writeKey = root.path("writeKey").isTextual() ? root.path("writeKey").asText() : null;
    } else {
      Properties properties = new Properties();
      try {
        properties.load(new StringReader(text));
      } catch (IOException | IllegalArgumentException e) {
        throw TemporalSetupException.invalid(field + ": not a properties file");
      }
      for (String name : properties.stringPropertyNames().stream().sorted().toList()) {
        if (name.startsWith("key.")) {
          encoded.put(name.substring("key.".length()), properties.getProperty(name));
        } else if (!name.equals("writeKey")) {
          throw TemporalSetupException.invalid(
              field + ": unknown entry '" + name + "' (expected writeKey=ID and key.ID=BASE64)");
        }
      }
      writeKey = properties.getProperty("writeKey");
    }
    return of(encoded, writeKey, field, field + ": writeKey");
  }

  /**
   * Keys from the environment: {@code keys} is {@code ID=BASE64[,ID=BASE64...]} (the value of
   * {@code keysVariable}), {@code writeKey} an id (the value of {@code writeKeyVariable}), which
   * may be left out when there is one key.
   */
  public static CodecKeys fromEnvironment(
      String keysVariable, String keys, String writeKeyVariable, String writeKey) {
    Map<String, String> encoded = new LinkedHashMap<>();
    for (String item : keys.split(",")) {
      String entry = item.strip();
      int equals = entry.indexOf('=');
      if (equals <= 0) {
        throw TemporalSetupException.invalid(
            keysVariable
                + ": each entry is ID=BASE64, separated by commas; entry "
                + (encoded.size() + 1)
                + " has no ID=");
      }
      String id = entry.substring(0, equals).strip();
      String value = entry.substring(equals + 1);
      if (value.isBlank() || value.chars().allMatch(c -> c == '=')) {
        // A bare base64 key splits at its padding; say which entry, never the text.
        throw TemporalSetupException.invalid(
            keysVariable
                + ": entry "
                + (encoded.size() + 1)
                + " has no key after its ID=; each entry is ID=BASE64, separated by commas");
      }
      if (encoded.put(id, value) != null) {
        throw TemporalSetupException.invalid(keysVariable + ": key '" + id + "' is given twice");
      }
    }
    return of(
        encoded,
        writeKey == null || writeKey.isBlank() ? null : writeKey.strip(),
        keysVariable,
        writeKeyVariable);
  }

  private static CodecKeys of(
      Map<String, String> encoded, String writeKey, String field, String writeField) {
    if (encoded.isEmpty()) {
      throw TemporalSetupException.invalid(field + ": holds no keys; " + MAKE_ONE);
    }
    Map<String, SecretKey> keys = new LinkedHashMap<>();
    int number = 0;
    for (Map.Entry<String, String> entry : encoded.entrySet()) {
      String id = entry.getKey();
      number++;
      if (!KEY_ID.matcher(id).matches()) {
        // Not echoed: a malformed id may be key material typed in the wrong place.
        throw TemporalSetupException.invalid(
            field
                + ": the id of key "
                + number
                + " must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit");
      }
      byte[] bytes;
      try {
        bytes = Base64.getDecoder().decode(entry.getValue().strip());
      } catch (IllegalArgumentException e) {
        throw TemporalSetupException.invalid(
            field + ": key '" + id + "' is not base64; " + MAKE_ONE);
      }
      if (bytes.length != KEY_BYTES) {
        throw TemporalSetupException.invalid(
            field
                + ": key '"
                + id
                + "' is "
                + bytes.length
                + " bytes; AES-256 needs "
                + KEY_BYTES
                + " ("
                + MAKE_ONE
                + ")");
      }
      keys.put(id, new SecretKeySpec(bytes, ALGORITHM));
    }
    String write = writeKey;
    if (write == null) {
      if (keys.size() > 1) {
        throw TemporalSetupException.invalid(
            writeField
                + " is not set: with "
                + keys.size()
                + " keys ("
                + String.join(", ", keys.keySet())
                + "), name the one that encrypts");
      }
      write = keys.keySet().iterator().next();
    }
    if (!keys.containsKey(write)) {
      throw TemporalSetupException.invalid(
          writeField
              + " '"
              + write
              + "' is not one of the keys ("
              + String.join(", ", keys.keySet())
              + ")");
    }
    return new CodecKeys(keys, write, field);
  }

  private static String lineOf(IOException e) {
    return e instanceof com.fasterxml.jackson.core.JsonProcessingException json
            && json.getLocation() != null
        ? String.valueOf(json.getLocation().getLineNr())
        : "?";
  }

  /** The id new payloads are encrypted under. */
  public String writeKeyId() {
    return writeKeyId;
  }

  SecretKey writeKey() {
    return keys.get(writeKeyId);
  }

  /** The key with this id, or null. */
  SecretKey key(String id) {
    return keys.get(id);
  }

  /** Every key id, in the order configured. */
  public java.util.Set<String> ids() {
    return keys.keySet();
  }

  /** Where the keys came from (an option and file, or an environment variable), for messages. */
  public String source() {
    return source;
  }

  @Override
  public String toString() {
    return "CodecKeys[ids="
        + String.join(", ", keys.keySet())
        + ", writeKey="
        + writeKeyId
        + ", from "
        + source
        + "]";
  }
}
