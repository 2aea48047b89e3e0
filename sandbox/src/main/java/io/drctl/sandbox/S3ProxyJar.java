package io.drctl.sandbox;

import java.nio.file.Path;

/**
 * Where the S3Proxy jar that the sandbox's S3 store runs is: {@code DRCTL_S3PROXY_JAR} (a system
 * property or environment variable) when set, else the copy Maven keeps in the local repository
 * (the build resolves it as a test dependency). The test module's launcher reads the same setting.
 */
final class S3ProxyJar {
  static final String PROPERTY = "DRCTL_S3PROXY_JAR";
  static final String VERSION = "4.1.0";

  private S3ProxyJar() {}

  static Path locate() {
    String configured = System.getProperty(PROPERTY, System.getenv(PROPERTY));
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    return Path.of(
        System.getProperty("user.home"),
        ".m2",
        "repository",
        "org",
        "gaul",
        "s3proxy",
        VERSION,
        "s3proxy-" + VERSION + "-jar-with-dependencies.jar");
  }
}
