package io.drctl.activities.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Transports;
import io.netty.channel.EventLoopGroup;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lettuce clients made on one set of event loops, and shut down without hanging. Thread-safe.
 *
 * <ul>
 *   <li>Lettuce counts the clients using its I/O event loops and shuts them down when the last one
 *       does: a client per step or per probe would start and stop them again each time, and a stop
 *       with no quiet period can reject a listener of a connection closed just before (netty logs
 *       it as an error). The loops are held from the first client until {@link #close}.
 *   <li>{@code RedisClient.shutdown} waits for its future without a bound, and that future
 *       sometimes never completes (Lettuce issue 2278, open): a {@code sandbox up} hung there for
 *       minutes with no Lettuce thread left. {@link #shutdown} waits a bounded time.
 * </ul>
 */
public final class RedisClients implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RedisClients.class);
  private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(2);

  /** Made at the first client: a worker that never runs a redis step starts no event loop. */
  private ClientResources resources;

  private EventLoopGroup eventLoops;

  /** A client of {@code uri} on the shared event loops; give it back with {@link #shutdown}. */
  public RedisClient create(RedisURI uri) {
    return RedisClient.create(resources(), uri);
  }

  /**
   * Closes {@code client}'s connections, waiting at most a few seconds: a client that does not
   * finish in that time is left to finish on its own (its resources are this object's).
   */
  public static void shutdown(RedisClient client) {
    long millis = SHUTDOWN_TIMEOUT.toMillis();
    try {
      client.shutdownAsync(0, millis, TimeUnit.MILLISECONDS).get(2 * millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      LOG.debug("a Redis client did not shut down within {}: {}", SHUTDOWN_TIMEOUT, e.toString());
    }
  }

  private synchronized ClientResources resources() {
    if (resources == null) {
      resources =
          DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(1).build();
      eventLoops = resources.eventLoopGroupProvider().allocate(Transports.eventLoopGroupClass());
    }
    return resources;
  }

  @Override
  public synchronized void close() {
    if (resources != null) {
      resources.eventLoopGroupProvider().release(eventLoops, 0, 2, TimeUnit.SECONDS);
      resources.shutdown(0, 2, TimeUnit.SECONDS);
      resources = null;
      eventLoops = null;
    }
  }
}
