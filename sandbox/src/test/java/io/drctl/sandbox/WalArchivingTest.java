package io.drctl.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the containers archive WAL, and the store directory's ownership rules; no engine needed. */
class WalArchivingTest {
  @TempDir Path dir;

  @Test
  void withAJarBothServersPushAndFetchThroughDrctlWithTheStoreJdkAndJarMounted() throws Exception {
    Path jar = Files.writeString(dir.resolve("drctl.jar"), "jar");
    WalArchiving archiving = WalArchiving.store(dir.resolve("backups"), jar);
    ServiceDefinitions services =
        new ServiceDefinitions(
            SandboxLayout.defaults(), SandboxImages.fromEnvironment(Map.of()), archiving);

    String java =
        "/opt/java/bin/java -XX:TieredStopAtLevel=1 -Xshare:auto -XX:+UseSerialGC -jar /opt/drctl/drctl.jar";
    assertThat(services.configuration())
        .contains("archive_command = '" + java + " wal push --store /backups %p'")
        .contains("restore_command = '" + java + " wal fetch --store /backups %f %p'");
    for (Role role : new Role[] {Role.PRIMARY, Role.REPLICA}) {
      ServiceSpec spec = services.of(role);
      assertThat(spec.volumes())
          .as("no WAL archive volume")
          .doesNotContainValue(SandboxLayout.WAL_ARCHIVE);
      assertThat(spec.binds())
          .contains(
              new ServiceSpec.Bind(dir.resolve("backups").toString(), "/backups", false),
              new ServiceSpec.Bind(System.getProperty("java.home"), "/opt/java", true),
              new ServiceSpec.Bind(jar.toString(), "/opt/drctl/drctl.jar", true));
      assertThat(spec.script())
          .contains(
              "chown postgres:postgres /var/lib/postgresql/data /backups"
                  + " /backups/wal-archive /backups/wal-archive/postgresql");
    }
    assertThat(services.of(Role.REDIS).binds()).isEmpty();
  }

  @Test
  void withoutAJarWalIsCopiedIntoTheVolumeAsByTheConstructorWithoutArchiving() {
    ServiceDefinitions plain =
        new ServiceDefinitions(SandboxLayout.defaults(), SandboxImages.fromEnvironment(Map.of()));
    ServiceDefinitions copying =
        new ServiceDefinitions(
            SandboxLayout.defaults(),
            SandboxImages.fromEnvironment(Map.of()),
            WalArchiving.volumeCopy());

    assertThat(copying.configuration())
        .contains("archive_command = '" + ServiceDefinitions.ARCHIVE_COMMAND + "'")
        .contains("restore_command = 'cp /archive/%f %p'");
    assertThat(copying.of(Role.PRIMARY).volumes()).containsValue(SandboxLayout.WAL_ARCHIVE);
    assertThat(copying.of(Role.PRIMARY).fingerprint())
        .isEqualTo(plain.of(Role.PRIMARY).fingerprint());
  }

  @Test
  void theArchiverIsFailingOnlyWhileItsLastAttemptFailed() {
    java.time.Instant earlier = java.time.Instant.parse("2026-11-27T10:00:00Z");
    java.time.Instant later = earlier.plusSeconds(60);
    String command = WalArchiving.pushCommand();
    assertThat(new SandboxStatus.Archiver("on", command, 3, "A", later, 1, "B", earlier).failing())
        .isFalse();
    assertThat(new SandboxStatus.Archiver("on", command, 3, "A", earlier, 1, "B", later).failing())
        .isTrue();
    assertThat(new SandboxStatus.Archiver("on", command, 0, null, null, 1, "B", later).failing())
        .isTrue();
    assertThat(new SandboxStatus.Archiver("on", command, 0, null, null, 0, null, null).failing())
        .isFalse();
    assertThat(
            new SandboxStatus.Archiver("on", command, 0, null, null, 0, null, null).throughDrctl())
        .isTrue();
    assertThat(
            new SandboxStatus.Archiver(
                    "on", ServiceDefinitions.ARCHIVE_COMMAND, 0, null, null, 0, null, null)
                .throughDrctl())
        .isFalse();
  }

  @Test
  void aJarNeedsAStoreAndAMissingJarIsNamedWithTheBuildCommand() {
    assertThatThrownBy(() -> new WalArchiving(null, dir.resolve("drctl.jar"), null))
        .isInstanceOf(SandboxException.class)
        .hasMessageContaining("needs a backup store directory");
    assertThatThrownBy(
            () -> WalArchiving.store(dir.resolve("backups"), dir.resolve("missing.jar")).validate())
        .isInstanceOf(SandboxException.class)
        .hasMessageStartingWith("drctl jar " + dir.resolve("missing.jar") + " not found: build it");
  }

  @Test
  void theStoreIsAdoptedOnlyWhenEmptyOrItsOwnAndRemovedOnlyWithItsOwnMarker() throws Exception {
    Path store = dir.resolve("store");
    SandboxBackups.prepare(store, "one");
    assertThat(store.resolve(".drctl-sandbox")).hasContent("one");
    SandboxBackups.prepare(store, "one");
    assertThatThrownBy(() -> SandboxBackups.prepare(store, "two"))
        .isInstanceOf(SandboxException.class)
        .hasMessageContaining("belongs to sandbox one");
    assertThatThrownBy(() -> SandboxBackups.remove(store, "two"))
        .isInstanceOf(SandboxException.class)
        .hasMessageContaining("belongs to sandbox one");

    Path foreign = Files.createDirectories(dir.resolve("foreign"));
    Files.writeString(foreign.resolve("precious"), "data");
    assertThatThrownBy(() -> SandboxBackups.prepare(foreign, "one"))
        .isInstanceOf(SandboxException.class)
        .hasMessageContaining("is not empty and not a sandbox's store");
    assertThatThrownBy(() -> SandboxBackups.remove(foreign, "one"))
        .isInstanceOf(SandboxException.class);
    assertThat(foreign.resolve("precious")).exists();

    Files.createDirectories(store.resolve("wal-archive/postgresql"));
    Files.writeString(store.resolve("wal-archive/postgresql/000000010000000000000001.zst"), "wal");
    SandboxBackups.remove(store, "one");
    assertThat(store).doesNotExist();
  }
}
