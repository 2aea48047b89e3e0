package io.drctl.activities.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One Docker engine: a docker-java client and its raw HTTP transport, both over one connection
 * pool, and the place where every call to the engine is classified ({@link EngineFailures}).
 * Thread-safe; {@link DockerEngines} keeps one per engine address for the worker's life.
 */
final class DockerEngine implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String host;
  private final DockerHttpClient http;
  private final DockerClient client;

  DockerEngine(String host, DockerOptions options) {
    this.host = host;
    this.http =
        new ApacheDockerHttpClient.Builder()
            .dockerHost(URI.create(host))
            .connectionTimeout(options.connectTimeout())
            .responseTimeout(options.callTimeout())
            .maxConnections(64)
            .build();
    // The transport above is plain (unix socket or TCP); the config only sets the API version.
    this.client =
        DockerClientImpl.getInstance(
            DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(host)
                .withDockerTlsVerify(false)
                .build(),
            http);
  }

  /** The engine address, canonical: {@code unix:///path} or {@code tcp://host:port}. */
  String host() {
    return host;
  }

  /** The docker-java client; wrap each use in {@link #call}. */
  DockerClient client() {
    return client;
  }

  /**
   * Runs one engine call and classifies its failure.
   *
   * @param doing what the call is for, for messages: {@code "stopping container 'db'"}
   * @param notFoundType the failure type of a 404 whose message does not say what is missing
   */
  <T> T call(String doing, String notFoundType, Supplier<T> call) {
    try {
      return call.get();
    } catch (RuntimeException e) {
      throw EngineFailures.of(e, host, doing, notFoundType);
    }
  }

  /** The container, or empty when the engine has no container of that name or id. */
  Optional<InspectContainerResponse> findContainer(String nameOrId) {
    try {
      return Optional.of(client.inspectContainerCmd(nameOrId).exec());
    } catch (NotFoundException e) {
      return Optional.empty();
    } catch (RuntimeException e) {
      throw EngineFailures.of(
          e, host, "inspecting container '" + nameOrId + "'", DockerFailures.NO_SUCH_CONTAINER);
    }
  }

  /** The container; {@link DockerFailures#NO_SUCH_CONTAINER} when it does not exist. */
  InspectContainerResponse container(String nameOrId) {
    return call(
        "inspecting container '" + nameOrId + "'",
        DockerFailures.NO_SUCH_CONTAINER,
        () -> client.inspectContainerCmd(nameOrId).exec());
  }

  /**
   * A raw API request, for what docker-java does not model faithfully (a container's whole
   * configuration). Returns the parsed body, or an empty object for an empty one.
   */
  JsonNode json(String method, String path, JsonNode body, String doing, String notFoundType) {
    DockerHttpClient.Request.Builder request =
        DockerHttpClient.Request.builder().method(method).path(path);
    if (body != null) {
      request.putHeader("Content-Type", "application/json");
      request.bodyBytes(bytes(body));
    }
    try (DockerHttpClient.Response response = http.execute(request.build())) {
      String text = read(response.getBody());
      if (response.getStatusCode() >= 300) {
        throw EngineFailures.ofStatus(response.getStatusCode(), text, doing, notFoundType);
      }
      return text.isBlank() ? JSON.createObjectNode() : JSON.readTree(text);
    } catch (IOException e) {
      throw EngineFailures.unavailable(host, doing, e);
    } catch (RuntimeException e) {
      throw EngineFailures.of(e, host, doing, notFoundType);
    }
  }

  /**
   * What is at {@code path} in the container (which must exist), or empty when nothing is: the
   * engine's archive stat, without reading the content.
   */
  Optional<PathStat> stat(String containerId, String path) {
    String doing = "looking up " + path + " in container " + containerId;
    DockerHttpClient.Request request =
        DockerHttpClient.Request.builder()
            .method("HEAD")
            .path("/containers/" + containerId + "/archive?path=" + encode(path))
            .build();
    try (DockerHttpClient.Response response = http.execute(request)) {
      if (response.getStatusCode() == 404) {
        return Optional.empty();
      }
      if (response.getStatusCode() >= 300) {
        throw EngineFailures.ofStatus(
            response.getStatusCode(), "", doing, DockerFailures.NO_SUCH_PATH);
      }
      String header = response.getHeader("X-Docker-Container-Path-Stat");
      if (header == null) {
        return Optional.of(new PathStat(path, 0, 0, ""));
      }
      JsonNode stat = JSON.readTree(Base64.getDecoder().decode(header));
      return Optional.of(
          new PathStat(
              stat.path("name").asText(path),
              stat.path("size").asLong(),
              stat.path("mode").asLong(),
              stat.path("linkTarget").asText("")));
    } catch (IOException e) {
      throw EngineFailures.unavailable(host, doing, e);
    } catch (RuntimeException e) {
      throw EngineFailures.of(e, host, doing, DockerFailures.NO_SUCH_PATH);
    }
  }

  /**
   * The engine's stat of a path in a container.
   *
   * @param mode Go's {@code os.FileMode} bits: bit 31 is a directory, bit 27 a symbolic link
   */
  record PathStat(String name, long size, long mode, String linkTarget) {
    boolean isDirectory() {
      return (mode & (1L << 31)) != 0;
    }
  }

  static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static byte[] bytes(JsonNode body) {
    try {
      return JSON.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialise a JSON tree", e);
    }
  }

  private static String read(InputStream body) throws IOException {
    try (InputStream in = body) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Override
  public void close() throws IOException {
    client.close();
  }

  @Override
  public String toString() {
    return "DockerEngine[" + host + "]";
  }
}
