package io.drctl.worker.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drctl.worker.TemporalSetupException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CodecKeysTest {
  @TempDir Path dir;

  private final java.util.List<String> secrets = new java.util.ArrayList<>();

  /** A new key, remembered so that no message may show it. */
  private String key() {
    String key = CodecTestKeys.newKey();
    secrets.add(key);
    return key;
  }

  private static CodecKeys validate(Map<String, String> env) {
    return new CodecOptions().validate(env::get);
  }

  private void assertInvalid(Map<String, String> env, String message) {
    assertThatThrownBy(() -> validate(env))
        .isInstanceOf(TemporalSetupException.class)
        .hasMessageContaining(message)
        .satisfies(
            e ->
                assertThat(((TemporalSetupException) e).exitCode())
                    .isEqualTo(TemporalSetupException.INVALID))
        .satisfies(
            e ->
                secrets.forEach(
                    secret -> assertThat(e.getMessage()).doesNotContain(secret.substring(0, 40))));
  }

  @Test
  void noKeysConfiguredMeansPlainPayloads() {
    assertThat(validate(Map.of())).isNull();
  }

  @Test
  void aJsonFileNamesTheKeysAndTheWriteKey() {
    Map<String, String> keys = CodecTestKeys.keys("2026-11", "2026-12");
    Path file = CodecTestKeys.file(dir, keys, "2026-12");
    CodecKeys read = validate(Map.of(CodecOptions.KEY_FILE_ENV, file.toString()));
    assertThat(read.ids()).containsExactly("2026-11", "2026-12");
    assertThat(read.writeKeyId()).isEqualTo("2026-12");
    assertThat(read.source()).isEqualTo(CodecOptions.KEY_FILE_ENV + " " + file);
  }

  @Test
  void aPropertiesFileWorksToo() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("keys.properties"),
            "# rotated 2026-12\nwriteKey=b\nkey.a="
                + CodecTestKeys.newKey()
                + "\nkey.b="
                + CodecTestKeys.newKey()
                + "\n");
    CodecKeys read = CodecKeys.fromFile("--codec-keys", file);
    assertThat(read.ids()).containsExactlyInAnyOrder("a", "b");
    assertThat(read.writeKeyId()).isEqualTo("b");
  }

  @Test
  void environmentKeysWithOneKeyNeedNoWriteKey() {
    CodecKeys one = validate(Map.of(CodecOptions.KEYS_ENV, "only=" + CodecTestKeys.newKey()));
    assertThat(one.writeKeyId()).isEqualTo("only");
    CodecKeys two =
        validate(
            Map.of(
                CodecOptions.KEYS_ENV,
                "a=" + CodecTestKeys.newKey() + ", b=" + CodecTestKeys.newKey(),
                CodecOptions.WRITE_KEY_ENV,
                "a"));
    assertThat(two.ids()).containsExactly("a", "b");
    assertThat(two.writeKeyId()).isEqualTo("a");
  }

  @Test
  void badKeysNameTheFieldAndTheKeyButNeverTheValue() {
    String shortKey = Base64.getEncoder().encodeToString(new byte[24]);
    assertInvalid(
        Map.of(CodecOptions.KEYS_ENV, "a=" + shortKey),
        "DRCTL_CODEC_KEYS: key 'a' is 24 bytes; AES-256 needs 32 (make one with: openssl rand -base64 32)");
    assertInvalid(
        Map.of(CodecOptions.KEYS_ENV, "a=not*base64*at*all*but*long*enough*to*be*a*secret"),
        "DRCTL_CODEC_KEYS: key 'a' is not base64");
    assertInvalid(
        Map.of(CodecOptions.KEYS_ENV, "ticket"), "DRCTL_CODEC_KEYS: each entry is ID=BASE64");
    assertInvalid(
        Map.of(CodecOptions.KEYS_ENV, "a=" + key() + ",b=" + key()),
        "DRCTL_CODEC_WRITE_KEY is not set: with 2 keys (a, b), name the one that encrypts");
    assertInvalid(
        Map.of(CodecOptions.KEYS_ENV, "a=" + key(), CodecOptions.WRITE_KEY_ENV, "c"),
        "DRCTL_CODEC_WRITE_KEY 'c' is not one of the keys (a)");
    assertInvalid(
        Map.of(CodecOptions.KEYS_ENV, "a=" + key() + ",a b=" + key()),
        "DRCTL_CODEC_KEYS: the id of key 2 must be");
    assertInvalid(
        Map.of(CodecOptions.KEYS_ENV, key()), "DRCTL_CODEC_KEYS: entry 1 has no key after its ID=");
    assertInvalid(
        Map.of(CodecOptions.WRITE_KEY_ENV, "a"),
        "DRCTL_CODEC_WRITE_KEY is set but there are no keys");
  }

  @Test
  void badFilesNameTheFileAndTheEntry() throws Exception {
    Path missing = dir.resolve("missing.json");
    assertInvalid(
        Map.of(CodecOptions.KEY_FILE_ENV, missing.toString()),
        "DRCTL_CODEC_KEY_FILE " + missing + ": no such file");
    Path noWriteKey = CodecTestKeys.file(dir, CodecTestKeys.keys("a", "b"), "c");
    assertInvalid(
        Map.of(CodecOptions.KEY_FILE_ENV, noWriteKey.toString()),
        noWriteKey + ": writeKey 'c' is not one of the keys (a, b)");
    Path notJson = Files.writeString(dir.resolve("broken.json"), "{\"keys\": {\"a\": ");
    assertInvalid(Map.of(CodecOptions.KEY_FILE_ENV, notJson.toString()), notJson + ": not JSON");
    Path stray = Files.writeString(dir.resolve("stray.properties"), "writekey=a\nkey.a=" + key());
    assertInvalid(Map.of(CodecOptions.KEY_FILE_ENV, stray.toString()), "unknown entry 'writekey'");
    Path both = CodecTestKeys.file(dir, CodecTestKeys.keys("a"), "a");
    assertInvalid(
        Map.of(CodecOptions.KEY_FILE_ENV, both.toString(), CodecOptions.KEYS_ENV, "a=" + key()),
        "and DRCTL_CODEC_KEYS are both set: give the keys one way");
  }

  @Test
  void toStringShowsIdsNeverKeyBytes() {
    String secret = CodecTestKeys.newKey();
    CodecKeys keys = validate(Map.of(CodecOptions.KEYS_ENV, "a=" + secret));
    assertThat(keys.toString()).isEqualTo("CodecKeys[ids=a, writeKey=a, from DRCTL_CODEC_KEYS]");
    assertThat(new EncryptionCodec(keys).toString()).doesNotContain(secret);
  }
}
