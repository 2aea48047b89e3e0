package io.drctl.worker.codec;

import io.drctl.worker.TemporalSetupException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Option;

/**
 * Where the payload encryption keys come from, shared by every command that reads or writes
 * payloads ({@code worker}, {@code dev}, the client commands, {@code codec-server}): a key file, or
 * keys in environment variables. Neither given: payloads are not encrypted.
 */
public final class CodecOptions {
  /** A key file, when {@code --codec-keys} is not given. */
  public static final String KEY_FILE_ENV = "DRCTL_CODEC_KEY_FILE";

  /** Keys inline: {@code ID=BASE64[,ID=BASE64...]}. */
  public static final String KEYS_ENV = "DRCTL_CODEC_KEYS";

  /** The id of the key that encrypts, with {@link #KEYS_ENV}; optional with one key. */
  public static final String WRITE_KEY_ENV = "DRCTL_CODEC_WRITE_KEY";

  @Option(
      names = "--codec-keys",
      paramLabel = "FILE",
      description =
          "Encrypt payloads with the keys in FILE (JSON {\"writeKey\": ID, \"keys\": {ID: BASE64}} or properties"
              + " writeKey=ID, key.ID=BASE64); env "
              + KEY_FILE_ENV
              + ", or the keys themselves in "
              + KEYS_ENV
              + "=ID=BASE64,... with "
              + WRITE_KEY_ENV
              + "=ID. Key values are never printed.")
  Path keyFile;

  /** Validates against the process environment. */
  public CodecKeys validate() {
    return validate(System::getenv);
  }

  /**
   * Reads and checks the keys once.
   *
   * @param env looks up environment variables
   * @return the keys, or null when none are configured (payloads stay plain)
   * @throws TemporalSetupException naming the option, variable or file entry that is wrong
   */
  public CodecKeys validate(UnaryOperator<String> env) {
    String inline = blankToNull(env.apply(KEYS_ENV));
    String option = "--codec-keys";
    Path file = keyFile;
    if (file == null && blankToNull(env.apply(KEY_FILE_ENV)) != null) {
      option = KEY_FILE_ENV;
      file = Path.of(env.apply(KEY_FILE_ENV).strip());
    }
    if (file != null && inline != null) {
      throw TemporalSetupException.invalid(
          option + " " + file + " and " + KEYS_ENV + " are both set: give the keys one way");
    }
    if (file != null) {
      if (!Files.isRegularFile(file)) {
        throw TemporalSetupException.invalid(option + " " + file + ": no such file");
      }
      return CodecKeys.fromFile(option, file);
    }
    if (inline != null) {
      return CodecKeys.fromEnvironment(KEYS_ENV, inline, WRITE_KEY_ENV, env.apply(WRITE_KEY_ENV));
    }
    if (blankToNull(env.apply(WRITE_KEY_ENV)) != null) {
      throw TemporalSetupException.invalid(
          WRITE_KEY_ENV
              + " is set but there are no keys: set "
              + KEYS_ENV
              + " or --codec-keys FILE");
    }
    return null;
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
