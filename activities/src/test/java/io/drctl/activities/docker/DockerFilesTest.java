package io.drctl.activities.docker;

import static io.drctl.activities.docker.DockerTestEngine.containerTarget;
import static io.drctl.activities.http.HttpTestSupport.applicationFailure;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.activities.secrets.SecretResolver;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** copyInto and copyFrom against the real engine. */
class DockerFilesTest {
  @RegisterExtension static final DockerTestEngine docker = new DockerTestEngine();

  @TempDir Path worker;
  private TestActivityEnvironment environment;
  private DockerActivitiesImpl implementation;
  private DockerActivities activities;
  private String container;
  private Map<String, JsonNode> targets;

  @BeforeEach
  void start() {
    environment = TestActivityEnvironment.newInstance();
    implementation = new DockerActivitiesImpl(new SecretResolver(Map.of()), docker.options());
    environment.registerActivitiesImplementations(implementation);
    activities = environment.newActivityStub(DockerActivities.class, DockerLifecycleTest.OPTIONS);
    container = docker.run("files", create -> {});
    targets = containerTarget("db", container, null);
  }

  @AfterEach
  void stop() {
    environment.close();
    implementation.close();
  }

  @Test
  void copyIntoCopiesADirectoryWithTheOwnerAndModeAsked() throws IOException {
    Path source = Files.createDirectories(worker.resolve("conf"));
    Files.writeString(source.resolve("postgresql.conf"), "max_connections = 50\n");
    Files.createDirectories(source.resolve("conf.d"));
    Files.writeString(source.resolve("conf.d/extra.conf"), "work_mem = 8MB\n");
    Files.createSymbolicLink(source.resolve("current"), Path.of("postgresql.conf"));

    DockerCopyIntoResult result =
        activities.copyInto(
            DockerCopyIntoInput.of("db", source.toString(), "/tmp/conf", targets)
                .withOwnerAndMode("postgres:postgres", "0640"));

    assertThat(result.files()).isEqualTo(2);
    assertThat(result.bytes()).isEqualTo(21 + 15);
    assertThat(
            docker.shell(
                container,
                "stat -c '%n %u:%g %a' /tmp/conf /tmp/conf/postgresql.conf"
                    + " /tmp/conf/conf.d/extra.conf; readlink /tmp/conf/current; cat /tmp/conf/conf.d/extra.conf"))
        .isEqualTo(
            "/tmp/conf 999:999 750\n/tmp/conf/postgresql.conf 999:999 640\n"
                + "/tmp/conf/conf.d/extra.conf 999:999 640\npostgresql.conf\nwork_mem = 8MB\n");
  }

  @Test
  void copyIntoOfAFileKeepsItsModeAndMakesRootTheOwner() throws IOException {
    Path script = worker.resolve("check.sh");
    Files.writeString(script, "#!/bin/sh\necho checked\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-x---"));

    activities.copyInto(DockerCopyIntoInput.of("db", script.toString(), "/tmp/check", targets));

    assertThat(docker.shell(container, "stat -c '%u:%g %a' /tmp/check; /tmp/check"))
        .isEqualTo("0:0 750\nchecked\n");
  }

  @Test
  void copyIntoRefusesAnExistingDestinationUnlessOverwrite() throws IOException {
    Path file = worker.resolve("new.txt");
    Files.writeString(file, "new\n");
    docker.shell(container, "echo old > /tmp/target.txt");

    ApplicationFailure refused =
        applicationFailure(
            () ->
                activities.copyInto(
                    DockerCopyIntoInput.of("db", file.toString(), "/tmp/target.txt", targets)));
    activities.copyInto(
        DockerCopyIntoInput.of("db", file.toString(), "/tmp/target.txt", targets)
            .withOverwrite(true));

    assertThat(refused.getType()).isEqualTo(DockerFailures.DESTINATION_EXISTS);
    assertThat(refused.isNonRetryable()).isTrue();
    assertThat(docker.shell(container, "cat /tmp/target.txt")).isEqualTo("new\n");
  }

  @Test
  void copyIntoNeedsAnExistingSourceAndParentDirectory() throws IOException {
    Path file = Files.writeString(worker.resolve("a.txt"), "a");

    ApplicationFailure noParent =
        applicationFailure(
            () ->
                activities.copyInto(
                    DockerCopyIntoInput.of("db", file.toString(), "/no/such/dir/a.txt", targets)));
    ApplicationFailure noSource =
        applicationFailure(
            () ->
                activities.copyInto(
                    DockerCopyIntoInput.of(
                        "db", worker.resolve("absent").toString(), "/tmp/a", targets)));
    ApplicationFailure unknownUser =
        applicationFailure(
            () ->
                activities.copyInto(
                    DockerCopyIntoInput.of("db", file.toString(), "/tmp/a", targets)
                        .withOwnerAndMode("mysql", null)));

    assertThat(noParent.getType()).isEqualTo(DockerFailures.NO_SUCH_PATH);
    assertThat(noParent.getOriginalMessage())
        .startsWith("directory /no/such/dir does not exist in container");
    assertThat(noSource.getType()).isEqualTo(DockerFailures.NO_SUCH_PATH);
    assertThat(unknownUser.getOriginalMessage())
        .startsWith("user mysql does not exist in container");
  }

  @Test
  void copyFromCopiesADirectoryOfAStoppedContainerWithItsModes() throws IOException {
    docker.shell(
        container,
        "mkdir -p /tmp/dump/sub && echo one > /tmp/dump/a && echo two > /tmp/dump/sub/b"
            + " && chmod 600 /tmp/dump/a && ln -s a /tmp/dump/link");
    docker.client().stopContainerCmd(container).withTimeout(5).exec();
    Path destination = worker.resolve("copies/dump");

    DockerCopyFromResult result =
        activities.copyFrom(
            DockerCopyFromInput.of("db", "/tmp/dump", destination.toString(), targets));

    assertThat(result.path()).isEqualTo(destination.toString());
    assertThat(result.files()).isEqualTo(2);
    assertThat(result.bytes()).isEqualTo(8);
    assertThat(Files.readString(destination.resolve("sub/b"))).isEqualTo("two\n");
    assertThat(
            PosixFilePermissions.toString(Files.getPosixFilePermissions(destination.resolve("a"))))
        .isEqualTo("rw-------");
    assertThat(Files.readSymbolicLink(destination.resolve("link"))).isEqualTo(Path.of("a"));
    try (var leftovers = Files.list(destination.getParent())) {
      assertThat(leftovers.map(path -> path.getFileName().toString())).containsExactly("dump");
    }
  }

  @Test
  void copyFromRefusesAnExistingDestinationUnlessOverwriteAndThenReplacesItWhole()
      throws IOException {
    Path destination = Files.createDirectories(worker.resolve("www"));
    Files.writeString(destination.resolve("stale.txt"), "stale");

    ApplicationFailure refused =
        applicationFailure(
            () ->
                activities.copyFrom(
                    DockerCopyFromInput.of("db", "/www", destination.toString(), targets)));
    activities.copyFrom(
        DockerCopyFromInput.of("db", "/www", destination.toString(), targets).withOverwrite(true));

    assertThat(refused.getType()).isEqualTo(DockerFailures.DESTINATION_EXISTS);
    try (var entries = Files.list(destination)) {
      assertThat(entries.map(path -> path.getFileName().toString())).containsExactly("health");
    }
  }

  @Test
  void copyFromOfAMissingPathFailsNonRetryablyWithNoSuchPath() {
    ApplicationFailure failure =
        applicationFailure(
            () ->
                activities.copyFrom(
                    DockerCopyFromInput.of(
                        "db", "/no/such/file", worker.resolve("x").toString(), targets)));

    assertThat(failure.getType()).isEqualTo(DockerFailures.NO_SUCH_PATH);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(worker.resolve("x")).doesNotExist();
  }
}
