package io.drctl.sandbox;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How one container of the sandbox is made: everything {@code docker create} needs, with host
 * networking always. Immutable; {@link #fingerprint()} tells whether an existing container was made
 * from the same spec.
 *
 * @param role the service
 * @param container the container's name
 * @param image the image
 * @param script the {@code sh -c} script the container runs as root; it drops privileges itself
 * @param environment environment variables
 * @param volumes volume name to mount path; a path ending in {@value #READ_ONLY} is mounted
 *     read-only (without the suffix)
 * @param healthCommand the HEALTHCHECK, run by {@code sh -c} inside the container
 * @param stopSignal the signal {@code docker stop} sends
 * @param healthWait how long {@code up} waits for the container to turn healthy
 * @param binds host paths mounted into the container (the backup store, the JDK, the drctl jar)
 */
public record ServiceSpec(
    Role role,
    String container,
    String image,
    String script,
    Map<String, String> environment,
    Map<String, String> volumes,
    String healthCommand,
    String stopSignal,
    Duration healthWait,
    List<Bind> binds) {
  /**
   * Label holding {@link #fingerprint()}, so that {@code up} replaces containers made differently.
   */
  public static final String FINGERPRINT_LABEL = "io.drctl.sandbox.spec";

  /** Suffix of a {@link #volumes()} mount path that makes the volume read-only in the container. */
  public static final String READ_ONLY = ":ro";

  public ServiceSpec {
    environment = Map.copyOf(environment);
    volumes = Map.copyOf(volumes);
    binds = List.copyOf(binds);
  }

  /** A spec without host paths. */
  public ServiceSpec(
      Role role,
      String container,
      String image,
      String script,
      Map<String, String> environment,
      Map<String, String> volumes,
      String healthCommand,
      String stopSignal,
      Duration healthWait) {
    this(
        role,
        container,
        image,
        script,
        environment,
        volumes,
        healthCommand,
        stopSignal,
        healthWait,
        List.of());
  }

  /**
   * A host path mounted into the container.
   *
   * @param hostPath the file or directory on the engine's host
   * @param containerPath where it appears in the container
   * @param readOnly whether the container may only read it
   */
  public record Bind(String hostPath, String containerPath, boolean readOnly) {
    @Override
    public String toString() {
      return hostPath + ":" + containerPath + (readOnly ? ":ro" : "");
    }
  }

  /** This spec with more environment variables, e.g. {@code BACKEND_CRASH=1} for a drill. */
  public ServiceSpec withEnvironment(Map<String, String> more) {
    Map<String, String> all = new TreeMap<>(environment);
    all.putAll(more);
    return new ServiceSpec(
        role, container, image, script, all, volumes, healthCommand, stopSignal, healthWait, binds);
  }

  /** Environment as {@code NAME=value} entries, sorted. */
  public List<String> environmentEntries() {
    return new TreeMap<>(environment)
        .entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
  }

  /**
   * A digest of everything that shapes the container (a spec without binds keeps its earlier
   * digest).
   */
  public String fingerprint() {
    String text =
        String.join(
                "\n",
                role.suffix(),
                container,
                image,
                script,
                String.join("\u0000", environmentEntries()),
                new TreeMap<>(volumes).toString(),
                healthCommand,
                stopSignal)
            + (binds.isEmpty() ? "" : "\n" + binds.stream().map(Bind::toString).sorted().toList());
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /**
   * Environment values are not secret here (the sandbox password is documented), but keep logs
   * short.
   */
  @Override
  public String toString() {
    return "ServiceSpec[" + role + " " + container + " " + image + "]";
  }
}
