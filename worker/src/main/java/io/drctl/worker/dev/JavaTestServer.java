package io.drctl.worker.dev;

import io.drctl.worker.TemporalSetupException;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.temporal.testserver.TestServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The SDK's in-memory test server inside this JVM, bound to loopback, with time skipping off. It
 * has no Web UI, no visibility queries and no persistence: a restart loses every incident.
 *
 * <p>Public API only: the SDK's {@code TestServer.createServer} runs it in-process, and a gRPC
 * server of our own on the loopback address forwards every call to it ({@link GrpcForwarder}).
 * {@code TestServer.createPortBoundServer} would bind every interface and not say which port it
 * took.
 */
final class JavaTestServer implements DevServer {
  private final TestServer.InProcessTestServer services;
  private final Server server;
  private final String host;
  private boolean closed;

  private JavaTestServer(TestServer.InProcessTestServer services, Server server, String host) {
    this.services = services;
    this.server = server;
    this.host = host;
  }

  static JavaTestServer start(DevServerOptions options) {
    // lockTimeSkipping=true: timers take real time, as in production.
    TestServer.InProcessTestServer services = TestServer.createServer(true);
    NettyServerBuilder builder =
        NettyServerBuilder.forAddress(new InetSocketAddress(options.host(), options.port()))
            .fallbackHandlerRegistry(new GrpcForwarder(services.getChannel()));
    try {
      return new JavaTestServer(services, builder.build().start(), options.host());
    } catch (IOException e) {
      services.close();
      throw TemporalSetupException.unavailable(
          "cannot start the Java test server on "
              + options.host()
              + ":"
              + options.port()
              + ": "
              + e.getMessage());
    }
  }

  @Override
  public String address() {
    return host + ":" + server.getPort();
  }

  @Override
  public String description() {
    return "Java test server, in this process (no Web UI, no visibility queries)";
  }

  @Override
  public Optional<String> webUi() {
    return Optional.empty();
  }

  @Override
  public boolean persistent() {
    return false;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    server.shutdown();
    try {
      if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
        server.shutdownNow();
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
    services.close();
  }
}
