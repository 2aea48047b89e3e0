package io.drctl.worker.cli;

import java.nio.file.Path;

/**
 * Finds the shaded drctl jar the containers run: --drctl-jar, $DRCTL_JAR, or the jar this code runs
 * from.
 */
final class DrctlJar {
  static final String VARIABLE = "DRCTL_JAR";

  /** A class only the shaded jar holds beside the CLI: the WAL archive of the store module. */
  private static final String SHADED_ENTRY = "io/drctl/store/wal/WalArchive.class";

  private DrctlJar() {}

  /** The jar, or {@code null} when none is given and this code does not run from the shaded jar. */
  static Path locate(Path option, String variable, Class<?> anchor) {
    if (option != null) {
      return requireShaded(option, "--drctl-jar");
    }
    if (variable != null && !variable.isBlank()) {
      return requireShaded(Path.of(variable), "$" + VARIABLE);
    }
    java.security.CodeSource source = anchor.getProtectionDomain().getCodeSource();
    if (source == null || source.getLocation() == null) {
      return null;
    }
    try {
      Path own = Path.of(source.getLocation().toURI());
      return java.nio.file.Files.isRegularFile(own) && isShaded(own) ? own : null;
    } catch (java.net.URISyntaxException | IllegalArgumentException e) {
      return null;
    }
  }

  private static Path requireShaded(Path jar, String from) {
    if (!java.nio.file.Files.isRegularFile(jar)) {
      throw new Failures.UserError(
          from
              + " "
              + jar
              + ": no such file (build it: mvn -q -B -pl worker -am package"
              + " -DskipTests makes worker/target/drctl.jar)");
    }
    if (!isShaded(jar)) {
      throw new Failures.UserError(
          from
              + " "
              + jar
              + ": not the shaded drctl jar (it lacks "
              + SHADED_ENTRY
              + "); use worker/target/drctl.jar");
    }
    return jar.toAbsolutePath();
  }

  private static boolean isShaded(Path jar) {
    try (java.util.jar.JarFile file = new java.util.jar.JarFile(jar.toFile())) {
      return file.getEntry(SHADED_ENTRY) != null
          && file.getManifest() != null
          && file.getManifest().getMainAttributes().getValue("Main-Class") != null;
    } catch (java.io.IOException e) {
      return false;
    }
  }
}
