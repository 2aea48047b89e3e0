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
  private JavaProcess() {}

  /** The {@code java} binary of the running JVM. */
  public static String binary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /**
   * Starts {@code mainClass} with {@code arguments} on {@code classpath}, standard output and error
   * both appended to {@code log}.
   */
  public static ProcessBuilder builder(
      String classpath, Path log, String mainClass, String... arguments) {
    List<String> command = new ArrayList<>(List.of(binary(), "-cp", classpath, mainClass));
    command.addAll(List.of(arguments));
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
  }

  /** {@link #builder} on this JVM's class path, started. */
  public static Process start(Path log, String mainClass, String... arguments) throws IOException {
    return builder(System.getProperty("java.class.path"), log, mainClass, arguments).start();
  }
}
