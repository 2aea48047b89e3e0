package io.drctl.activities.http;

import io.drctl.activities.secrets.SecretMask;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.util.Arrays;

/**
 * A response body as text: its first bytes, cut on a character boundary, decoded with the
 * response's charset, and the secrets the request sent replaced by {@code ****} (a secret that
 * crosses the cut is replaced whole).
 *
 * @param text the kept text
 * @param truncated whether the body had more than was kept
 */
public record ResponseText(String text, boolean truncated) {
  private static final int EXCERPT_CHARS = 300;

  /**
   * The start of the text for a failure message: {@code body: ...} or {@code the body was empty}.
   */
  public String excerpt() {
    String stripped = text.strip();
    if (stripped.isEmpty()) {
      return "the body was empty";
    }
    return "body: "
        + (stripped.length() > EXCERPT_CHARS
            ? stripped.substring(0, EXCERPT_CHARS) + "…"
            : stripped);
  }

  /**
   * The text of the first {@code limit} bytes of a body, secrets masked.
   *
   * @param captured the body's first bytes: all of it, or at least {@code limit} plus the longest
   *     secret's length, so that a secret starting before the limit is seen whole
   * @param bodyBytes size of the whole body
   */
  static ResponseText of(
      byte[] captured, long bodyBytes, Charset charset, int limit, SecretMask mask) {
    String all = decode(captured, charset, bodyBytes > captured.length);
    boolean truncated = bodyBytes > limit;
    int end =
        truncated
            ? decode(Arrays.copyOf(captured, Math.min(limit, captured.length)), charset, true)
                .length()
            : all.length();
    return new ResponseText(mask.mask(all, end), truncated);
  }

  /** Decodes with replacement characters, dropping an incomplete character at a cut end. */
  private static String decode(byte[] bytes, Charset charset, boolean cutAtEnd) {
    CharsetDecoder decoder =
        charset
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out =
        CharBuffer.allocate((int) (bytes.length * (double) decoder.maxCharsPerByte()) + 1);
    decoder.decode(in, out, !cutAtEnd);
    if (!cutAtEnd) {
      decoder.flush(out);
    }
    out.flip();
    return out.toString();
  }
}
