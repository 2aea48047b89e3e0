package io.drctl.worker.codec;

import io.temporal.common.converter.CodecDataConverter;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.GlobalDataConverter;
import java.util.List;

/**
 * The data converter of a client and worker whose payloads are encrypted at rest: Temporal's
 * default JSON conversion, then {@link EncryptionCodec}.
 *
 * <p>Set on {@code WorkflowClientOptions}, it covers everything a client or a worker made from that
 * client writes into a history: workflow inputs and results, activity inputs and results, signal,
 * update and query arguments and results, heartbeat details, memos and user metadata (static
 * summary and details). Failures too: SDK 1.38's {@code CodecDataConverter} always encodes a
 * failure's details payloads, and with its third constructor argument {@code
 * encodeFailureAttributes = true} it also moves each failure's message and stack trace (down the
 * cause chain) into an {@code encoded_attributes} payload that goes through the codec, leaving the
 * message {@code "Encoded failure"} in the clear (sdk-java {@code
 * temporal-sdk/src/main/java/io/temporal/common/converter/CodecDataConverter.java}, {@code
 * encodeFailure}/{@code decodeFailure} and its {@code EncodedAttributes} class, fields {@code
 * message} and {@code stack_trace}).
 *
 * <p>Search attributes are not payloads that go through the data converter: they stay plain so the
 * server can index them. Keep secrets out of them (drctl's are the incident type, severity, target,
 * runbook version and hash, and outcome).
 */
public final class PayloadEncryption {
  private PayloadEncryption() {}

  /** Temporal's default conversion with every payload and failure encrypted under {@code keys}. */
  public static DataConverter dataConverter(CodecKeys keys) {
    return new CodecDataConverter(
        GlobalDataConverter.get(), List.of(new EncryptionCodec(keys)), true);
  }
}
