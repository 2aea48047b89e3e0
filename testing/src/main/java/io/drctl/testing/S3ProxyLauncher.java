package io.drctl.testing;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Process handling behind {@link S3ProxyProcess}. */
final class S3ProxyLauncher {

  static final String JAR_PROPERTY = "DRCTL_S3PROXY_JAR";
  private static final String VERSION = "4.1.0";

  private final Path jar;
  private final Path baseDir;
  private final int port;
  private final S3ProxyProcess.Credentials credentials;
  private Process process;
  private boolean shutdownHookAdded;

  private S3ProxyLauncher(
      Path jar, Path baseDir, int port, S3ProxyProcess.Credentials credentials) {
    this.jar = jar;
    this.baseDir = baseDir;
    this.port = port;
    this.credentials = credentials;
  }

  static S3ProxyLauncher start(Path baseDir, int port, S3ProxyProcess.Credentials credentials)
      throws IOException {
    Path jar = locateJar();
    if (!Files.isRegularFile(jar)) {
      throw new IOException(
          "S3Proxy jar not found at "
              + jar
              + " (set "
              + JAR_PROPERTY
              + " or run mvn -pl testing dependency:copy)");
    }
    Files.createDirectories(baseDir);
    S3ProxyProcess.Credentials creds =
        credentials != null
            ? credentials
            : new S3ProxyProcess.Credentials(
                "drctl-" + UUID.randomUUID().toString().substring(0, 8),
                UUID.randomUUID().toString());
    S3ProxyLauncher launcher =
        new S3ProxyLauncher(
            jar, baseDir.toAbsolutePath(), port == 0 ? FreePorts.any() : port, creds);
    launcher.launch();
    return launcher;
  }

  static Path locateJar() {
    String configured = System.getProperty(JAR_PROPERTY, System.getenv(JAR_PROPERTY));
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

  private Path stateDir() {
    return baseDir.resolveSibling(baseDir.getFileName() + ".s3proxy");
  }

  private synchronized void launch() throws IOException {
    Path state = stateDir();
    Files.createDirectories(state);
    Path properties = state.resolve("s3proxy.properties");
    Files.writeString(
        properties,
        String.join(
            "\n",
            "s3proxy.endpoint=" + endpoint(),
            "s3proxy.authorization=aws-v2-or-v4",
            "s3proxy.identity=" + credentials.accessKeyId(),
            "s3proxy.credential=" + credentials.secretAccessKey(),
            "jclouds.provider=filesystem",
            "jclouds.filesystem.basedir=" + baseDir,
            ""),
        StandardCharsets.UTF_8);
    Path log = state.resolve("s3proxy.log");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(
        List.of(
            "-Xmx256m",
            "-XX:+UseSerialGC",
            "-jar",
            jar.toString(),
            "--properties",
            properties.toString()));
    process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    if (!shutdownHookAdded) {
      shutdownHookAdded = true;
      Runtime.getRuntime().addShutdownHook(new Thread(this::kill, "s3proxy-stop"));
    }
    waitUntilAnswering(log, Duration.ofSeconds(60));
  }

  private void waitUntilAnswering(Path log, Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException(
            "S3Proxy exited with " + process.exitValue() + "; log " + log + ":\n" + tail(log));
      }
      try {
        HttpURLConnection connection = (HttpURLConnection) endpoint().toURL().openConnection();
        connection.setConnectTimeout(500);
        connection.setReadTimeout(2000);
        connection.getResponseCode();
        connection.disconnect();
        return;
      } catch (IOException notYet) {
        sleep(100);
      }
    }
    kill();
    throw new IOException(
        "S3Proxy did not answer on "
            + endpoint()
            + " within "
            + timeout
            + "; log "
            + log
            + ":\n"
            + tail(log));
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(log unreadable: " + e.getMessage() + ")";
    }
  }

  private static void sleep(long millis) throws IOException {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for S3Proxy", e);
    }
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  int port() {
    return port;
  }

  S3ProxyProcess.Credentials credentials() {
    return credentials;
  }

  Path baseDir() {
    return baseDir;
  }

  synchronized boolean isAlive() {
    return process != null && process.isAlive();
  }

  String createBucket(String bucket) throws IOException {
    try (S3Client client =
        S3Client.builder()
            .endpointOverride(endpoint())
            .region(Region.US_EAST_1)
            .forcePathStyle(true)
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(
                        credentials.accessKeyId(), credentials.secretAccessKey())))
            .build()) {
      client.createBucket(b -> b.bucket(bucket));
    } catch (BucketAlreadyOwnedByYouException alreadyThere) {
      return bucket;
    } catch (S3Exception e) {
      if (e.statusCode() != 409) {
        throw new IOException(
            "creating bucket "
                + bucket
                + " on "
                + endpoint()
                + " failed: "
                + e.awsErrorDetails().errorCode(),
            e);
      }
    }
    return bucket;
  }

  synchronized void kill() {
    if (process != null) {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  synchronized void signal(String name) throws IOException {
    if (process == null || !process.isAlive()) {
      throw new IOException("S3Proxy is not running");
    }
    Process kill =
        new ProcessBuilder("kill", "-" + name, Long.toString(process.pid()))
            .redirectErrorStream(true)
            .start();
    try {
      if (kill.waitFor() != 0) {
        throw new IOException(
            "kill -"
                + name
                + " "
                + process.pid()
                + " failed: "
                + new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while signalling S3Proxy", e);
    }
  }

  synchronized void restart() throws IOException {
    kill();
    launch();
  }

  synchronized void stop(Duration timeout) {
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
