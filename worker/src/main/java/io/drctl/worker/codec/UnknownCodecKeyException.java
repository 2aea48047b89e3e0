package io.drctl.worker.codec;

import io.temporal.payload.codec.PayloadCodecException;

/**
 * A payload is encrypted with a key id that is not configured: usually an old key was dropped while
 * histories written with it are still read. The message names the id and what is configured.
 */
public final class UnknownCodecKeyException extends PayloadCodecException {
  private static final long serialVersionUID = 1L;

  private final String keyId;

  UnknownCodecKeyException(String keyId, CodecKeys keys) {
    super(
        "a payload is encrypted with key '"
            + keyId
            + "', which is not configured ("
            + keys.source()
            + " holds "
            + String.join(", ", keys.ids())
            + "); add key '"
            + keyId
            + "' back to read it");
    this.keyId = keyId;
  }

  /** The id the payload names. */
  public String keyId() {
    return keyId;
  }
}
