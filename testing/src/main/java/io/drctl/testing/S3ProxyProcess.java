package io.drctl.testing;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * S3Proxy ({@code org.gaul:s3proxy} jar-with-dependencies) as a child JVM on a free loopback port
 * with a filesystem backend: a real S3 API server for tests and {@code drctl dev}. The jar is found
 * through the system property or environment variable {@code DRCTL_S3PROXY_JAR}, else in the local
 * Maven repository ({@code ~/.m2/repository/org/gaul/s3proxy/4.1.0/...}).
 *
 * <pre>{@code
 * try (S3ProxyProcess s3 = S3ProxyProcess.start(tempDir)) {
 *   StoreConfig cfg = StoreConfig.pathStyleS3(s3.createBucket("backups"), s3.endpoint(),
 *       s3.credentials().accessKeyId(), s3.credentials().secretAccessKey());
 *   try (ObjectStore store = ObjectStores.open(cfg)) { ... }
 * }
 * }</pre>
 */
public final class S3ProxyProcess implements AutoCloseable {

  /** The access key pair S3Proxy accepts; {@link #toString()} masks both. */
  public record Credentials(String accessKeyId, String secretAccessKey) {
    @Override
    public String toString() {
      return "Credentials[accessKeyId=****, secretAccessKey=****]";
    }
  }

  private final S3ProxyLauncher launcher;

  private S3ProxyProcess(S3ProxyLauncher launcher) {
    this.launcher = launcher;
  }

  /**
   * Starts S3Proxy storing under {@code baseDir} (created if missing) with generated credentials,
   * and waits until it answers HTTP (at most 60 s).
   *
   * @throws IOException if the jar is missing or the server does not come up; the message names the
   *     jar path and the tail of its log
   */
  public static S3ProxyProcess start(Path baseDir) throws IOException {
    return new S3ProxyProcess(S3ProxyLauncher.start(baseDir, 0, null));
  }

  /** Starts on a given port (0 = free port) with given credentials. */
  public static S3ProxyProcess start(Path baseDir, int port, Credentials credentials)
      throws IOException {
    return new S3ProxyProcess(S3ProxyLauncher.start(baseDir, port, credentials));
  }

  /** The jar that would be started. */
  public static Path locateJar() {
    return S3ProxyLauncher.locateJar();
  }

  /** {@code http://127.0.0.1:<port>} */
  public URI endpoint() {
    return launcher.endpoint();
  }

  public int port() {
    return launcher.port();
  }

  public Credentials credentials() {
    return launcher.credentials();
  }

  public Path baseDir() {
    return launcher.baseDir();
  }

  /**
   * Creates {@code bucket} if missing (a bucket is a directory under {@link #baseDir()}).
   *
   * @return {@code bucket}
   */
  public String createBucket(String bucket) throws IOException {
    return launcher.createBucket(bucket);
  }

  public boolean isAlive() {
    return launcher.isAlive();
  }

  /** SIGKILL and wait for exit (simulates a crash; in-flight requests fail). */
  public void kill() {
    launcher.kill();
  }

  /** SIGSTOP: the server hangs without closing connections (a stalled network or disk). */
  public void pause() throws IOException {
    launcher.signal("STOP");
  }

  /** SIGCONT after {@link #pause()}. */
  public void resume() throws IOException {
    launcher.signal("CONT");
  }

  /** Starts it again on the same port, base dir and credentials, after {@link #kill()}. */
  public void restart() throws IOException {
    launcher.restart();
  }

  /** Graceful stop, then kill after a timeout. */
  public void stop(Duration timeout) {
    launcher.stop(timeout);
  }

  @Override
  public void close() {
    stop(Duration.ofSeconds(5));
  }
}
