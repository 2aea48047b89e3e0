package io.drctl.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.worker.codec.CodecKeys;
import io.drctl.worker.codec.PayloadEncryption;
import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.GlobalDataConverter;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What payload encryption adds to one payload's trip through the data converter: a step's result (a
 * {@code shell.exec} output of about 350 bytes) converted to a payload and back, by Temporal's
 * default converter (the baseline, same run) and by drctl's encrypting one.
 *
 * <p>Run: {@code benchmarks/run CodecBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CodecBenchmark {
  private final DataConverter plain = GlobalDataConverter.get();
  private DataConverter encrypted;
  private Map<String, Object> result;

  @Setup(Level.Trial)
  public void setUp() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    encrypted =
        PayloadEncryption.dataConverter(
            CodecKeys.fromEnvironment(
                "benchmark key",
                "bench=" + Base64.getEncoder().encodeToString(key),
                "benchmark write key",
                null));
    result =
        Map.of(
            "exitCode",
            0,
            "stdout",
            "restored 1,204 tables from backup 2026-12-06T03:00:00Z\n".repeat(5),
            "stderr",
            "",
            "truncated",
            false,
            "durationMillis",
            5321);
  }

  @Benchmark
  public JsonNode baselinePlainRoundTrip() {
    Payload payload = plain.toPayload(result).orElseThrow();
    return plain.fromPayload(payload, JsonNode.class, JsonNode.class);
  }

  @Benchmark
  public JsonNode encryptedRoundTrip() {
    Payload payload = encrypted.toPayload(result).orElseThrow();
    return encrypted.fromPayload(payload, JsonNode.class, JsonNode.class);
  }
}
