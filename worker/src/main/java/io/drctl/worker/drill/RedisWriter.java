package io.drctl.worker.drill;

import io.drctl.sandbox.Role;
import java.util.HashSet;
import java.util.Set;

/**
 * Sets {@code drctl:drill:w:N} on the Redis master the backend uses (the sandbox's master until a
 * failover promotes its replica or moves the application to the secondary site), one connection a
 * write, as a session store sees it.
 */
final class RedisWriter extends AcknowledgedWriter {
  static final String PREFIX = "drctl:drill:w:";

  private final DrillPlatform platform;
  private volatile Role master = Role.REDIS;

  RedisWriter(DrillPlatform platform) {
    super("redis");
    this.platform = platform;
  }

  @Override
  void write(long n) {
    platform.redis().redis(master, commands -> commands.set(PREFIX + n, "written by the drill"));
  }

  @Override
  Set<Long> present(long upTo) {
    Set<Long> held = new HashSet<>();
    platform
        .redis()
        .redis(
            currentMaster(),
            commands -> {
              io.lettuce.core.ScanCursor cursor = io.lettuce.core.ScanCursor.INITIAL;
              io.lettuce.core.ScanArgs match =
                  io.lettuce.core.ScanArgs.Builder.matches(PREFIX + "*").limit(1000);
              do {
                io.lettuce.core.KeyScanCursor<String> page = commands.scan(cursor, match);
                for (String key : page.getKeys()) {
                  long n = Long.parseLong(key.substring(PREFIX.length()));
                  if (n <= upTo) {
                    held.add(n);
                  }
                }
                cursor = page;
              } while (!cursor.isFinished());
              return null;
            });
    return held;
  }

  @Override
  void reset() {
    master = currentMaster();
  }

  /**
   * The sandbox role whose port the backend names as its Redis (the master, its promoted replica,
   * or the secondary site's after a fail-over), else the master's.
   */
  private Role currentMaster() {
    return platform.redisAt(platform.redisPort());
  }
}
