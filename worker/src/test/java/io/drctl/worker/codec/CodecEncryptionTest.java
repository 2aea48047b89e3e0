package io.drctl.worker.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.failure.v1.Failure;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.GlobalDataConverter;
import io.temporal.failure.ApplicationFailure;
import io.temporal.payload.codec.PayloadCodecException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CodecEncryptionTest {
  @TempDir Path dir;

  private static Payload json(String text) {
    return GlobalDataConverter.get().toPayload(text).orElseThrow();
  }

  @Test
  void aPayloadRoundTripsWithAFreshNonceAndItsKeyIdInTheMetadata() {
    EncryptionCodec codec =
        new EncryptionCodec(CodecTestKeys.of(dir, CodecTestKeys.keys("k1"), "k1"));
    Payload plain = json("the primary's password is not here");
    List<Payload> once = codec.encode(List.of(plain, plain));
    assertThat(once)
        .allSatisfy(
            encrypted -> {
              assertThat(encrypted.getMetadataMap().get("encoding").toStringUtf8())
                  .isEqualTo("binary/encrypted");
              assertThat(encrypted.getMetadataMap().get("encryption-key-id").toStringUtf8())
                  .isEqualTo("k1");
              assertThat(encrypted.getData().toStringUtf8()).doesNotContain("password");
            });
    assertThat(once.get(0).getData())
        .as("a fresh nonce per payload")
        .isNotEqualTo(once.get(1).getData());
    assertThat(codec.decode(once)).containsExactly(plain, plain);
  }

  @Test
  void plainPayloadsWrittenBeforeEncryptionPassThroughDecode() {
    EncryptionCodec codec =
        new EncryptionCodec(CodecTestKeys.of(dir, CodecTestKeys.keys("k1"), "k1"));
    Payload old = json("recorded before encryption");
    assertThat(codec.decode(List.of(old))).containsExactly(old);
  }

  @Test
  void afterRotationOldPayloadsDecodeByTheirKeyIdAndNewOnesUseTheNewKey() {
    Map<String, String> keys = CodecTestKeys.keys("a", "b");
    EncryptionCodec before =
        new EncryptionCodec(CodecTestKeys.of(dir, Map.of("a", keys.get("a")), "a"));
    EncryptionCodec after = new EncryptionCodec(CodecTestKeys.of(dir, keys, "b"));
    Payload plain = json("written under a");
    Payload underA = before.encode(List.of(plain)).get(0);
    assertThat(after.decode(List.of(underA))).containsExactly(plain);
    assertThat(
            after
                .encode(List.of(plain))
                .get(0)
                .getMetadataMap()
                .get("encryption-key-id")
                .toStringUtf8())
        .isEqualTo("b");
  }

  @Test
  void aMissingKeyIdIsNamedInOneSentence() {
    Map<String, String> keys = CodecTestKeys.keys("a", "b");
    Payload underA =
        new EncryptionCodec(CodecTestKeys.of(dir, Map.of("a", keys.get("a")), "a"))
            .encode(List.of(json("x")))
            .get(0);
    EncryptionCodec onlyB =
        new EncryptionCodec(CodecTestKeys.of(dir, Map.of("b", keys.get("b")), "b"));
    assertThatThrownBy(() -> onlyB.decode(List.of(underA)))
        .isInstanceOf(UnknownCodecKeyException.class)
        .hasMessageStartingWith(
            "a payload is encrypted with key 'a', which is not configured (--codec-keys ")
        .hasMessageEndingWith(" holds b); add key 'a' back to read it");
  }

  @Test
  void anAlteredPayloadOrARelabelledKeyIdIsRefused() {
    Map<String, String> keys = CodecTestKeys.keys("a", "b");
    EncryptionCodec codec = new EncryptionCodec(CodecTestKeys.of(dir, keys, "a"));
    Payload encrypted = codec.encode(List.of(json("x"))).get(0);
    byte[] data = encrypted.getData().toByteArray();
    data[data.length - 1] ^= 1;
    Payload altered = encrypted.toBuilder().setData(ByteString.copyFrom(data)).build();
    assertThatThrownBy(() -> codec.decode(List.of(altered)))
        .isInstanceOf(PayloadCodecException.class)
        .hasMessageContaining("does not decrypt with the configured key 'a'");
    Payload relabelled =
        encrypted.toBuilder()
            .putMetadata("encryption-key-id", ByteString.copyFromUtf8("b"))
            .build();
    assertThatThrownBy(() -> codec.decode(List.of(relabelled)))
        .hasMessageContaining("does not decrypt with the configured key 'b'");
  }

  @Test
  void failureMessagesAndStackTracesAreEncryptedToo() {
    DataConverter converter =
        PayloadEncryption.dataConverter(CodecTestKeys.of(dir, CodecTestKeys.keys("k1"), "k1"));
    Failure failure =
        converter.exceptionToFailure(
            ApplicationFailure.newFailure(
                "restore of db-secret-7 failed", "RestoreFailed", "detail-secret-9"));
    byte[] raw = failure.toByteArray();
    assertThat(new String(raw, StandardCharsets.ISO_8859_1))
        .doesNotContain("db-secret-7")
        .doesNotContain("detail-secret-9")
        .doesNotContain("CodecEncryptionTest");
    assertThat(failure.getMessage()).isEqualTo("Encoded failure");
    ApplicationFailure back = (ApplicationFailure) converter.failureToException(failure);
    assertThat(back.getOriginalMessage()).isEqualTo("restore of db-secret-7 failed");
    assertThat(back.getDetails().get(String.class)).isEqualTo("detail-secret-9");
  }
}
