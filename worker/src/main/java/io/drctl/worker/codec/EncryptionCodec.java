package io.drctl.worker.codec;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.temporal.api.common.v1.Payload;
import io.temporal.payload.codec.PayloadCodec;
import io.temporal.payload.codec.PayloadCodecException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Encrypts each payload with AES-256-GCM under the write key of {@link CodecKeys}, and decrypts
 * with whichever key the payload names.
 *
 * <p>An encrypted payload's metadata is {@code encoding: binary/encrypted} and {@code
 * encryption-key-id: ID} (a payload that also names an {@code encryption-cipher} other than {@code
 * AES-256-GCM} is refused, for a cipher that may come later); its data is a fresh random 96-bit
 * nonce followed by the ciphertext and 128-bit tag of the whole original payload (metadata and
 * data, as protobuf bytes), with the key id as associated data, so a payload cannot be relabelled
 * with another key id. Random nonces stay safe for about 2^32 payloads per key; rotate the write
 * key well before that.
 *
 * <p>Decoding passes through every payload that is not {@code binary/encrypted}, so histories
 * written before encryption was turned on still read. A payload under a key id that is not
 * configured fails with {@link UnknownCodecKeyException}, which names the id.
 *
 * <p>Thread-safe: each thread keeps its own cipher, initialised afresh for every payload.
 */
public final class EncryptionCodec implements PayloadCodec {
  /** The {@code encoding} of an encrypted payload. */
  public static final String ENCODING = "binary/encrypted";

  /** The metadata key naming the key a payload is encrypted with. */
  public static final String KEY_ID = "encryption-key-id";

  static final String CIPHER = "encryption-cipher";
  private static final String CIPHER_NAME = "AES-256-GCM";
  private static final String TRANSFORMATION = "AES/GCM/NoPadding";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final ByteString ENCODING_BYTES = ByteString.copyFromUtf8(ENCODING);
  private static final ByteString CIPHER_BYTES = ByteString.copyFromUtf8(CIPHER_NAME);
  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * Looking a cipher up costs more than the encryption of a small payload; each is re-initialised
   * per payload.
   */
  private static final ThreadLocal<Cipher> CIPHERS =
      ThreadLocal.withInitial(EncryptionCodec::newCipher);

  private final CodecKeys keys;
  private final ByteString writeKeyId;

  public EncryptionCodec(CodecKeys keys) {
    this.keys = keys;
    this.writeKeyId = ByteString.copyFromUtf8(keys.writeKeyId());
  }

  @Override
  public List<Payload> encode(List<Payload> payloads) {
    List<Payload> encoded = new ArrayList<>(payloads.size());
    for (Payload payload : payloads) {
      encoded.add(encrypt(payload));
    }
    return encoded;
  }

  @Override
  public List<Payload> decode(List<Payload> payloads) {
    List<Payload> decoded = new ArrayList<>(payloads.size());
    for (Payload payload : payloads) {
      decoded.add(isEncrypted(payload) ? decrypt(payload) : payload);
    }
    return decoded;
  }

  /** Whether a payload is one this codec encrypted (with any key). */
  public static boolean isEncrypted(Payload payload) {
    return ENCODING_BYTES.equals(payload.getMetadataMap().get("encoding"));
  }

  private Payload encrypt(Payload payload) {
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    byte[] plain = payload.toByteArray();
    ByteBuffer out;
    try {
      Cipher cipher = cipher(Cipher.ENCRYPT_MODE, keys.writeKey(), nonce, keys.writeKeyId());
      out = ByteBuffer.allocate(NONCE_BYTES + cipher.getOutputSize(plain.length));
      out.put(nonce);
      cipher.doFinal(ByteBuffer.wrap(plain), out);
    } catch (GeneralSecurityException e) {
      throw new PayloadCodecException(
          "cannot encrypt a payload with key '" + keys.writeKeyId() + "': " + e.getMessage(), e);
    }
    out.flip();
    return Payload.newBuilder()
        .putMetadata("encoding", ENCODING_BYTES)
        .putMetadata(KEY_ID, writeKeyId)
        .setData(ByteString.copyFrom(out))
        .build();
  }

  private Payload decrypt(Payload payload) {
    ByteString idBytes = payload.getMetadataMap().get(KEY_ID);
    if (idBytes == null) {
      throw new PayloadCodecException(
          "an encrypted payload names no key (no " + KEY_ID + " in its metadata)");
    }
    String id = idBytes.toStringUtf8();
    ByteString cipherName = payload.getMetadataMap().get(CIPHER);
    if (cipherName != null && !cipherName.equals(CIPHER_BYTES)) {
      throw new PayloadCodecException(
          "a payload encrypted with key '"
              + id
              + "' uses cipher '"
              + cipherName.toStringUtf8()
              + "'; drctl knows only "
              + CIPHER_NAME);
    }
    SecretKey key = keys.key(id);
    if (key == null) {
      throw new UnknownCodecKeyException(id, keys);
    }
    ByteBuffer data = payload.getData().asReadOnlyByteBuffer();
    if (data.remaining() < NONCE_BYTES + TAG_BITS / 8) {
      throw new PayloadCodecException(
          "a payload encrypted with key '"
              + id
              + "' is too short to be one ("
              + data.remaining()
              + " bytes)");
    }
    byte[] nonce = new byte[NONCE_BYTES];
    data.get(nonce);
    try {
      Cipher cipher = cipher(Cipher.DECRYPT_MODE, key, nonce, id);
      ByteBuffer plain = ByteBuffer.allocate(cipher.getOutputSize(data.remaining()));
      cipher.doFinal(data, plain);
      plain.flip();
      return Payload.parseFrom(plain);
    } catch (AEADBadTagException e) {
      throw new PayloadCodecException(
          "a payload encrypted with key '"
              + id
              + "' does not decrypt with the configured key '"
              + id
              + "' ("
              + keys.source()
              + "): other key bytes under the same id, or the payload was altered");
    } catch (GeneralSecurityException | InvalidProtocolBufferException e) {
      throw new PayloadCodecException(
          "cannot decrypt a payload encrypted with key '" + id + "': " + e.getMessage(), e);
    }
  }

  private static Cipher cipher(int mode, SecretKey key, byte[] nonce, String keyId)
      throws GeneralSecurityException {
    Cipher cipher = CIPHERS.get();
    cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
    cipher.updateAAD(keyId.getBytes(StandardCharsets.UTF_8));
    return cipher;
  }

  private static Cipher newCipher() {
    try {
      return Cipher.getInstance(TRANSFORMATION);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM has no " + TRANSFORMATION + " cipher", e);
    }
  }

  @Override
  public String toString() {
    return "EncryptionCodec[" + keys + "]";
  }
}
