package io.drctl.activities.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectVolumeResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The real Docker engine of the test run ({@code DOCKER_HOST}, as {@code bin/setup docker} exports
 * it) and what the docker tests create on it: a tiny image made once per run from the host's static
 * busybox ({@code busybox-static}), and containers and volumes named {@code drctl-test-...} with
 * the label {@value #LABEL} of the test class, all removed after each test. Nothing else on the
 * engine is touched. Register with {@code @RegisterExtension static}.
 *
 * <p>Fails every test of the class, with the fix in the message, when no engine answers.
 */
final class DockerTestEngine implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {
  static final String LABEL = "io.drctl.test";

  /** A service that stops at once on SIGTERM, as a well-behaved one does. */
  static final List<String> SERVICE =
      List.of("sh", "-c", "trap 'exit 0' TERM; echo started; while true; do sleep 0.1; done");

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(DockerTestEngine.class);
  private static final Path BUSYBOX = Path.of("/bin/busybox");

  private final String run = "drctl-test-" + UUID.randomUUID().toString().substring(0, 8);
  private final AtomicInteger names = new AtomicInteger();
  private String host;
  private DockerClient client;
  private String image;

  @Override
  public void beforeAll(ExtensionContext context) {
    String configured = System.getenv("DOCKER_HOST");
    host = configured == null || configured.isBlank() ? DockerOptions.STANDARD_HOST : configured;
    client = client(host);
    try {
      client.pingCmd().exec();
    } catch (RuntimeException e) {
      throw new AssertionError(
          "no Docker engine answers at DOCKER_HOST="
              + host
              + " ("
              + e
              + "). Run bin/setup docker and load its environment: . \"$(bin/setup --env)\"",
          e);
    }
    if (!Files.isExecutable(BUSYBOX)) {
      throw new AssertionError(
          "the docker tests build their image from a static "
              + BUSYBOX
              + ": apt-get install -y busybox-static");
    }
    image =
        context
            .getRoot()
            .getStore(NAMESPACE)
            .getOrComputeIfAbsent(
                "image:" + host, key -> TestImage.importInto(host), TestImage.class)
            .name();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    removeEverything();
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    removeEverything();
    client.close();
  }

  String host() {
    return host;
  }

  DockerClient client() {
    return client;
  }

  String image() {
    return image;
  }

  /** A fresh name of this test class's run. */
  String name(String role) {
    return run + "-" + role + "-" + names.incrementAndGet();
  }

  /** Options for the activity under test: this engine, short polls and settle time. */
  DockerOptions options() {
    return DockerOptions.fromEnvironment(Map.of("DOCKER_HOST", host))
        .withTimings(
            Duration.ofSeconds(2),
            Duration.ofSeconds(30),
            Duration.ofMillis(100),
            Duration.ofMillis(200),
            Duration.ofMillis(500));
  }

  /** Creates and starts a container of the test image, host network, running {@link #SERVICE}. */
  String run(String role, Consumer<CreateContainerCmd> customize) {
    String name = create(role, customize);
    client.startContainerCmd(name).exec();
    return name;
  }

  /** Creates (does not start) a container of the test image on the host network. */
  String create(String role, Consumer<CreateContainerCmd> customize) {
    String name = name(role);
    CreateContainerCmd create =
        client
            .createContainerCmd(image)
            .withName(name)
            .withLabels(Map.of(LABEL, run))
            .withCmd(SERVICE)
            .withHostConfig(HostConfig.newHostConfig().withNetworkMode("host"));
    customize.accept(create);
    create.exec();
    return name;
  }

  /** Creates a named volume with this run's label. */
  String volume(String role) {
    String name = name(role);
    client.createVolumeCmd().withName(name).withLabels(Map.of(LABEL, run)).exec();
    return name;
  }

  /** Runs a shell command in a running container, for a test's set-up; returns its stdout. */
  String shell(String container, String script) {
    String exec =
        client
            .execCreateCmd(container)
            .withCmd("sh", "-c", script)
            .withAttachStdout(true)
            .withAttachStderr(true)
            .exec()
            .getId();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      client
          .execStartCmd(exec)
          .exec(
              new ResultCallback.Adapter<Frame>() {
                @Override
                public void onNext(Frame frame) {
                  out.writeBytes(frame.getPayload());
                }
              })
          .awaitCompletion();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /** {@code $targets} with one container target. */
  static Map<String, JsonNode> containerTarget(String name, String container, String healthUrl) {
    ObjectNode target =
        JsonNodeFactory.instance.objectNode().put("kind", "container").put("container", container);
    if (healthUrl != null) {
      target.put("healthUrl", healthUrl);
    }
    return Map.of(name, target);
  }

  /** {@code $targets} with a postgres target that runs in {@code container} on {@code volume}. */
  static ObjectNode postgresTarget(String container, String volume) {
    return JsonNodeFactory.instance
        .objectNode()
        .put("kind", "postgres")
        .put("host", "127.0.0.1")
        .put("port", 5432)
        .put("container", container)
        .put("volume", volume);
  }

  private void removeEverything() {
    List<Container> containers =
        client.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(LABEL, run)).exec();
    for (Container container : containers) {
      try {
        client.removeContainerCmd(container.getId()).withForce(true).withRemoveVolumes(true).exec();
      } catch (NotFoundException alreadyGone) {
        // Removed by the test itself in the meantime.
      }
    }
    List<InspectVolumeResponse> volumes =
        client.listVolumesCmd().withFilter("label", List.of(LABEL + "=" + run)).exec().getVolumes();
    for (InspectVolumeResponse volume :
        volumes == null ? List.<InspectVolumeResponse>of() : volumes) {
      try {
        client.removeVolumeCmd(volume.getName()).exec();
      } catch (NotFoundException alreadyGone) {
        // Removed by the test itself in the meantime.
      }
    }
  }

  static DockerClient client(String host) {
    ApacheDockerHttpClient http =
        new ApacheDockerHttpClient.Builder()
            .dockerHost(URI.create(host))
            .connectionTimeout(Duration.ofSeconds(5))
            .responseTimeout(Duration.ofSeconds(60))
            .build();
    return DockerClientImpl.getInstance(
        DefaultDockerClientConfig.createDefaultConfigBuilder()
            .withDockerHost(host)
            .withDockerTlsVerify(false)
            .build(),
        http);
  }

  /**
   * The run's image: /bin/busybox with a link per applet, a few users, /www/health. Imported
   * through the raw API: docker-java 3.7.1's createImageCmd sends its stream as JSON. Removed at
   * the end of the run.
   */
  record TestImage(String name, DockerClient client) implements AutoCloseable {
    static TestImage importInto(String host) {
      String repository = "drctl-test/busybox";
      String tag = UUID.randomUUID().toString().substring(0, 8);
      try (DockerHttpClient http =
          new ApacheDockerHttpClient.Builder().dockerHost(URI.create(host)).build()) {
        DockerHttpClient.Request request =
            DockerHttpClient.Request.builder()
                .method(DockerHttpClient.Request.Method.POST)
                .path(
                    "/images/create?fromSrc=-&repo="
                        + repository.replace("/", "%2F")
                        + "&tag="
                        + tag)
                .putHeader("Content-Type", "application/x-tar")
                .body(new ByteArrayInputStream(rootFilesystem()))
                .build();
        try (DockerHttpClient.Response response = http.execute(request)) {
          String answer = new String(response.getBody().readAllBytes(), StandardCharsets.UTF_8);
          if (response.getStatusCode() != 200 || answer.contains("\"error\"")) {
            throw new IllegalStateException("importing the test image failed: " + answer);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return new TestImage(repository + ":" + tag, DockerTestEngine.client(host));
    }

    @Override
    public void close() throws IOException {
      try {
        client.removeImageCmd(name).withForce(true).exec();
      } finally {
        client.close();
      }
    }

    private static byte[] rootFilesystem() throws IOException {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
        directory(tar, "bin/", 0755);
        directory(tar, "etc/", 0755);
        directory(tar, "tmp/", 01777);
        directory(tar, "www/", 0755);
        byte[] busybox = Files.readAllBytes(BUSYBOX);
        file(tar, "bin/busybox", 0755, busybox);
        Process list =
            new ProcessBuilder(BUSYBOX.toString(), "--list").redirectErrorStream(true).start();
        for (String applet :
            new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
          if (!applet.isBlank() && !applet.equals("busybox")) {
            TarArchiveEntry link =
                new TarArchiveEntry("bin/" + applet.strip(), TarArchiveEntry.LF_SYMLINK);
            link.setLinkName("busybox");
            tar.putArchiveEntry(link);
            tar.closeArchiveEntry();
          }
        }
        file(
            tar,
            "etc/passwd",
            0644,
            ("root:x:0:0:root:/root:/bin/sh\n"
                    + "postgres:x:999:999:postgres:/tmp:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n")
                .getBytes(StandardCharsets.UTF_8));
        file(
            tar,
            "etc/group",
            0644,
            "root:x:0:\npostgres:x:999:\nnogroup:x:65534:\n".getBytes(StandardCharsets.UTF_8));
        file(tar, "www/health", 0644, "ok\n".getBytes(StandardCharsets.UTF_8));
      }
      return bytes.toByteArray();
    }

    private static void directory(TarArchiveOutputStream tar, String name, int mode)
        throws IOException {
      TarArchiveEntry entry = new TarArchiveEntry(name);
      entry.setMode(040000 | mode);
      tar.putArchiveEntry(entry);
      tar.closeArchiveEntry();
    }

    private static void file(TarArchiveOutputStream tar, String name, int mode, byte[] content)
        throws IOException {
      TarArchiveEntry entry = new TarArchiveEntry(name);
      entry.setMode(0100000 | mode);
      entry.setSize(content.length);
      tar.putArchiveEntry(entry);
      tar.write(content);
      tar.closeArchiveEntry();
    }
  }
}
