package io.drctl.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Another JVM on this test's class path: a server or worker that a test can kill without killing
 * itself.
 */
public final class JavaProcess {
  /**
   * The options of every JVM a test starts: C1 only and the serial collector. Such a JVM lives for
   * seconds to minutes and runs what a test asks of it, so C2's compilations and a parallel
   * collector's threads cost CPU that never pays back: a {@code drctl worker} through an end-to-end
   * test took 13 s of CPU with the defaults and 5 s with these, on a machine whose two cores the
   * suite keeps busy. What the code does is the same either way.
   */
  public static final List<String> TEST_JVM_OPTIONS =
      List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

  private JavaProcess() {}

  /** The {@code java} binary of the running JVM. */
  public static String binary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /**
   * The command that runs {@code mainClass} with {@code arguments} in a JVM of its own on {@code
   * classpath}, with {@link #TEST_JVM_OPTIONS}.
   */
  public static List<String> command(String classpath, String mainClass, String... arguments) {
    return command(List.of(), classpath, mainClass, arguments);
  }

  /** {@link #command(String, String, String...)} with {@code options} (e.g. -Xmx) added. */
  public static List<String> command(
      List<String> options, String classpath, String mainClass, String... arguments) {
    List<String> command = new ArrayList<>();
    command.add(binary());
    command.addAll(TEST_JVM_OPTIONS);
    command.addAll(options);
    command.addAll(List.of("-cp", classpath, mainClass));
    command.addAll(List.of(arguments));
    return command;
  }

  /**
   * Starts {@code mainClass} with {@code arguments} on {@code classpath}, standard output and error
   * both appended to {@code log}.
   */
  public static ProcessBuilder builder(
      String classpath, Path log, String mainClass, String... arguments) {
    return new ProcessBuilder(command(classpath, mainClass, arguments))
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
  }

  /** {@link #builder} on this JVM's class path, started. */
  public static Process start(Path log, String mainClass, String... arguments) throws IOException {
    return builder(System.getProperty("java.class.path"), log, mainClass, arguments).start();
  }
}
