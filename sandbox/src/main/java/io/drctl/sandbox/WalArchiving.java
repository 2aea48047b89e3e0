package io.drctl.sandbox;

import io.drctl.store.retention.CatalogRetention;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How the sandbox's PostgreSQL servers archive and fetch WAL. Immutable.
 *
 * <ul>
 *   <li>With a backup store ({@code backups}) and a drctl jar: {@code archive_command} is {@code
 *       drctl wal push --store /backups %p} and {@code restore_command} {@code drctl wal fetch
 *       --store /backups %f %p}, run inside the containers by the host's JDK ({@code javaHome},
 *       bind-mounted read-only at {@value #CONTAINER_JAVA}) from the jar (read-only at {@value
 *       #CONTAINER_JAR}); the store is the host directory {@code backups}, bind-mounted at {@value
 *       #CONTAINER_BACKUPS}. The host and the image must share the C library (both Debian 12 here).
 *   <li>Otherwise: {@link ServiceDefinitions#ARCHIVE_COMMAND}, a copy into the WAL archive volume
 *       at {@value SandboxLayout#WAL_ARCHIVE}; a store directory, when given, is still mounted at
 *       {@value #CONTAINER_BACKUPS}.
 * </ul>
 *
 * @param backups the host directory of the sandbox's backup store, or {@code null} for none
 * @param drctlJar the shaded drctl jar on the host, or {@code null}: WAL is then copied into the
 *     volume
 * @param javaHome the JDK the containers run the jar with (the host's {@code java.home}); ignored
 *     without a jar
 */
public record WalArchiving(Path backups, Path drctlJar, Path javaHome) {
  /** Where the backup store directory is mounted in both PostgreSQL containers. */
  public static final String CONTAINER_BACKUPS = "/backups";

  /** Where the host's JDK is mounted, read-only. */
  public static final String CONTAINER_JAVA = "/opt/java";

  /** Where the drctl jar is mounted, read-only. */
  public static final String CONTAINER_JAR = "/opt/drctl/drctl.jar";

  /**
   * JVM options for one WAL push or fetch: a short-lived process, so C1 only, the JDK's class data
   * sharing archive, and the serial collector (no GC threads to start).
   */
  public static final String JVM_OPTIONS = "-XX:TieredStopAtLevel=1 -Xshare:auto -XX:+UseSerialGC";

  /**
   * The file that marks a directory as a sandbox's store, so that {@code down} deletes nothing
   * else.
   */
  static final String MARKER = ".drctl-sandbox";

  public WalArchiving {
    backups = backups == null ? null : backups.toAbsolutePath().normalize();
    drctlJar = drctlJar == null ? null : drctlJar.toAbsolutePath().normalize();
    javaHome =
        javaHome == null
            ? Path.of(System.getProperty("java.home"))
            : javaHome.toAbsolutePath().normalize();
    if (drctlJar != null && backups == null) {
      throw new SandboxException(
          "a drctl jar (" + drctlJar + ") needs a backup store directory to push WAL into");
    }
  }

  /**
   * No store and no jar: WAL is copied into the archive volume, as before the backup store existed.
   */
  public static WalArchiving volumeCopy() {
    return new WalArchiving(null, null, null);
  }

  /**
   * A store at {@code backups}, pushed into by {@code drctl wal push} from {@code drctlJar} when it
   * is not null.
   */
  public static WalArchiving store(Path backups, Path drctlJar) {
    return new WalArchiving(backups, drctlJar, null);
  }

  /** Whether the servers archive through {@code drctl wal push}. */
  public boolean throughDrctl() {
    return drctlJar != null;
  }

  /** The container's command line that runs drctl: {@code java OPTIONS -jar JAR}. */
  static String drctlCommand() {
    return CONTAINER_JAVA + "/bin/java " + JVM_OPTIONS + " -jar " + CONTAINER_JAR;
  }

  /** archive_command through the store. */
  static String pushCommand() {
    return drctlCommand() + " wal push --store " + CONTAINER_BACKUPS + " %p";
  }

  /** restore_command through the store. */
  static String fetchCommand() {
    return drctlCommand() + " wal fetch --store " + CONTAINER_BACKUPS + " %f %p";
  }

  /**
   * The directories of the store the postgres user must be able to write: the root and the WAL
   * prefix.
   */
  static List<String> writableDirectories() {
    List<String> directories = new ArrayList<>();
    String path = CONTAINER_BACKUPS;
    directories.add(path);
    for (String part : CatalogRetention.WAL_PREFIX.split("/")) {
      path = path + "/" + part;
      directories.add(path);
    }
    return directories;
  }

  /** The host paths the containers mount, read-only except the store. */
  List<ServiceSpec.Bind> binds() {
    List<ServiceSpec.Bind> binds = new ArrayList<>();
    if (backups != null) {
      binds.add(new ServiceSpec.Bind(backups.toString(), CONTAINER_BACKUPS, false));
    }
    if (drctlJar != null) {
      binds.addAll(javaBinds(javaHome));
      binds.add(new ServiceSpec.Bind(drctlJar.toString(), CONTAINER_JAR, true));
    }
    return binds;
  }

  /**
   * The host's JDK {@code javaHome}, read-only at {@value #CONTAINER_JAVA}, with its configuration.
   */
  static List<ServiceSpec.Bind> javaBinds(Path javaHome) {
    List<ServiceSpec.Bind> binds = new ArrayList<>();
    binds.add(new ServiceSpec.Bind(javaHome.toString(), CONTAINER_JAVA, true));
    javaConfiguration(javaHome)
        .ifPresent(dir -> binds.add(new ServiceSpec.Bind(dir.toString(), dir.toString(), true)));
    return binds;
  }

  /**
   * Debian's JDK keeps its configuration outside {@code java.home}: {@code lib/jvm.cfg} and {@code
   * conf/*} are symbolic links into {@code /etc/java-17-openjdk}, without which {@code java} does
   * not start. That directory is mounted at the same path.
   */
  private static java.util.Optional<Path> javaConfiguration(Path javaHome) {
    Path jvmConfig = javaHome.resolve("lib/jvm.cfg");
    try {
      if (!Files.isSymbolicLink(jvmConfig)) {
        return java.util.Optional.empty();
      }
      Path real = jvmConfig.toRealPath().getParent();
      return real.startsWith(javaHome.toRealPath())
          ? java.util.Optional.empty()
          : java.util.Optional.of(real);
    } catch (IOException e) {
      throw new SandboxException(
          "cannot read the JDK's configuration " + jvmConfig + ": " + e.getMessage(), e);
    }
  }

  /** Checks the paths before anything is made. */
  void validate() {
    if (drctlJar != null && !Files.isRegularFile(drctlJar)) {
      throw new SandboxException(
          "drctl jar "
              + drctlJar
              + " not found: build it (mvn -q -B -pl worker -am package"
              + " -DskipTests makes worker/target/drctl.jar) or give another with --drctl-jar");
    }
    if (drctlJar != null && !Files.isExecutable(javaHome.resolve("bin/java"))) {
      throw new SandboxException(
          "JDK " + javaHome + " has no bin/java to run drctl wal push in the containers");
    }
  }
}
