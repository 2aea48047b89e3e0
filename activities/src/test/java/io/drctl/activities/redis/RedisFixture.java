package io.drctl.activities.redis;

import io.drctl.store.local.LocalDirectories;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What every redis activity test starts with, fresh for each test: a temporary directory, a local
 * backup store in it, the activities ({@link RedisTestActivities}) and one real server ({@link
 * RedisTestServer}) seeded with {@link RedisTestData}. All of it is stopped and deleted after the
 * test. Register with {@code @RegisterExtension final}.
 */
final class RedisFixture implements BeforeEachCallback, AfterEachCallback {
  private final boolean appendonly;
  private final boolean seeded;
  private Path directory;
  private RedisTestActivities actions;
  private RedisTestServer server;

  private RedisFixture(boolean appendonly, boolean seeded) {
    this.appendonly = appendonly;
    this.seeded = seeded;
  }

  /** A server with {@code appendonly yes}, seeded. */
  static RedisFixture withAof() {
    return new RedisFixture(true, true);
  }

  /** A server with {@code appendonly no}, empty. */
  static RedisFixture emptyWithoutAof() {
    return new RedisFixture(false, false);
  }

  @Override
  public void beforeEach(ExtensionContext context) throws IOException {
    directory = Files.createTempDirectory("drctl-redis-test-");
    actions = new RedisTestActivities(directory.resolve("store"));
    server = start(directory.resolve("redis"), RedisTestServer.program());
  }

  /**
   * Replaces the server by a new one started with {@code program} (a path), seeded as the first
   * was; the first is killed.
   */
  RedisTestServer restartWith(String program) {
    server.close();
    server = start(directory.resolve("redis-" + System.nanoTime()), program);
    return server;
  }

  private RedisTestServer start(Path serverDirectory, String program) {
    RedisTestServer started = RedisTestServer.start(serverDirectory, appendonly, program);
    if (seeded) {
      RedisTestData.seed(started);
    }
    return started;
  }

  @Override
  public void afterEach(ExtensionContext context) throws IOException {
    try {
      server.close();
      actions.close();
    } finally {
      LocalDirectories.deleteRecursively(directory);
    }
  }

  RedisTestServer server() {
    return server;
  }

  RedisTestActivities actions() {
    return actions;
  }

  /** The test's temporary directory. */
  Path directory() {
    return directory;
  }

  /** A new directory in the test's temporary directory. */
  Path newDirectory(String name) {
    try {
      return Files.createDirectories(directory.resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
