package io.drctl.activities.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DockerOptionsTest {

  @Test
  void engineAddressesAreCheckedAndMadeCanonical() {
    assertThat(DockerOptions.checkHost("f", "unix:///var/run/docker.sock"))
        .isEqualTo("unix:///var/run/docker.sock");
    assertThat(DockerOptions.checkHost("f", " tcp://10.0.0.5:2375 "))
        .isEqualTo("tcp://10.0.0.5:2375");
    assertThatThrownBy(() -> DockerOptions.checkHost("f", "ssh://ops@db1"))
        .hasMessage("f 'ssh://ops@db1' must be unix:///absolute/path or tcp://host:port");
    assertThatThrownBy(() -> DockerOptions.checkHost("f", "tcp://10.0.0.5"))
        .hasMessage("f 'tcp://10.0.0.5' must be unix:///absolute/path or tcp://host:port");
    assertThatThrownBy(() -> DockerOptions.checkHost("f", "unix://relative.sock"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theDefaultEngineIsDockerHostElseTheStandardSocket() {
    assertThat(
            DockerOptions.fromEnvironment(Map.of("DOCKER_HOST", "tcp://127.0.0.1:2375"))
                .defaultHost())
        .isEqualTo("tcp://127.0.0.1:2375");
    assertThat(DockerOptions.fromEnvironment(Map.of()).defaultHost())
        .isEqualTo(DockerOptions.STANDARD_HOST);
  }

  @Test
  void aMalformedDockerHostFailsAtConstructionNamingTheField() {
    assertThatThrownBy(
            () -> DockerOptions.fromEnvironment(Map.of("DOCKER_HOST", "npipe:////./pipe/docker")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("DockerOptions.defaultHost 'npipe:////./pipe/docker'");
  }
}
